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

const SessionContext = createContext<SessionState>({ ...SIGNED_OUT, loading: true });

/** supabase-js reads the assurance level from the session itself; the profile says the rest. */
async function sessionState(session: Session | null): Promise<SessionState> {
  if (!session) return SIGNED_OUT;
  const [{ data }, profile] = await Promise.all([
    supabase.auth.mfa.getAuthenticatorAssuranceLevel(),
    supabase.from("profiles").select("must_choose_password").eq("id", session.user.id).maybeSingle(),
  ]);
  const needsSecondFactor = data?.currentLevel === "aal1" &&
    data.nextLevel === "aal2";
  const mustChoosePassword = profile.data?.must_choose_password === true;
  return { session, loading: false, needsSecondFactor, mustChoosePassword };
}

/** Keeps the current session; supabase-js stores it across reloads and refreshes it in time. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ ...SIGNED_OUT, loading: true });

  useEffect(() => {
    let active = true;
    // Each change is worked out asynchronously; only the latest may land, whatever order they finish in.
    let latest = 0;
    const update = (session: Session | null) => {
      const mine = ++latest;
      sessionState(session).then((next) => {
        if (active && mine === latest) setState(next);
      });
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
