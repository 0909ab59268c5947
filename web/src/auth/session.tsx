import type { Session } from "@supabase/supabase-js";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { supabase } from "../lib/supabase.ts";

interface SessionState {
  session: Session | null;
  /** True until the stored session (if any) has been read. */
  loading: boolean;
  /** Signed in with the first factor only, while the account has two-factor sign-in on. */
  needsSecondFactor: boolean;
  /**
   * The address was just confirmed for the first time, which cleared the password typed before
   * (someone else may have typed it): the person must choose one (profiles.must_choose_password).
   */
  mustChoosePassword: boolean;
}

const SIGNED_OUT: SessionState = {
  session: null,
  loading: false,
  needsSecondFactor: false,
  mustChoosePassword: false,
};

const SessionContext = createContext<SessionState>({
  ...SIGNED_OUT,
  loading: true,
});

/** supabase-js reads the assurance level from the session itself (no request). */
async function needsSecondFactor(): Promise<boolean> {
  const { data } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  return data?.currentLevel === "aal1" && data.nextLevel === "aal2";
}

async function mustChoosePasswordFor(session: Session): Promise<boolean> {
  const { data } = await supabase.from("profiles").select(
    "must_choose_password",
  ).eq("id", session.user.id)
    .maybeSingle();
  return data?.must_choose_password === true;
}

/** Keeps the current session; supabase-js stores it across reloads and refreshes it in time. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({
    ...SIGNED_OUT,
    loading: true,
  });

  useEffect(() => {
    let active = true;
    // Each change is worked out asynchronously; only the latest may land, whatever order they finish in.
    let latest = 0;
    let current: SessionState = { ...SIGNED_OUT, loading: true };
    const land = (mine: number, next: SessionState) => {
      if (!active || mine !== latest) return;
      current = next;
      setState(next);
    };
    const update = (session: Session | null) => {
      const mine = ++latest;
      if (!session) return land(mine, SIGNED_OUT);
      const sameUser = current.session?.user.id === session.user.id;
      const secondFactor = needsSecondFactor();
      const choosePassword = mustChoosePasswordFor(session);
      if (sameUser) {
        // A refresh, a second factor or a new password: the assurance level lands at once (pages
        // wait on it), the profile's answer when it comes.
        secondFactor.then((needs) =>
          land(mine, {
            session,
            loading: false,
            needsSecondFactor: needs,
            mustChoosePassword: current.mustChoosePassword,
          })
        );
      }
      Promise.all([secondFactor, choosePassword]).then((
        [needs, mustChoosePassword],
      ) =>
        land(mine, {
          session,
          loading: false,
          needsSecondFactor: needs,
          mustChoosePassword,
        })
      );
    };
    supabase.auth.getSession().then(({ data }) => update(data.session));
    // Not awaited inside the callback: supabase-js holds a lock while it runs.
    const { data } = supabase.auth.onAuthStateChange((_event, session) => {
      setTimeout(() => update(session), 0);
    });
    return () => {
      active = false;
      data.subscription.unsubscribe();
    };
  }, []);

  return <SessionContext value={state}>{children}</SessionContext>;
}

export function useSession(): SessionState {
  return useContext(SessionContext);
}

/** The signed-in user's id; only for pages behind RequireAuth. */
export function useUserId(): string {
  const { session } = useSession();
  if (!session) throw new Error("useUserId outside a signed-in page");
  return session.user.id;
}
