import type { Session } from "@supabase/supabase-js";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { supabase } from "../lib/supabase.ts";
import { clearLastLoaded, readLastLoaded, saveLastLoaded } from "../offline/last-loaded.ts";

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
  /** The stored session was ended here because its account no longer exists on the server. */
  accountGone?: boolean;
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

/**
 * The profile said so on this device before: once a password is chosen the flag never comes back
 * for that account, so pages need not wait for the question on every load (a round trip before
 * Today's first read). It is still asked each time, and its answer lands when it comes.
 */
const passwordChosenKey = (userId: string) => `password-chosen:${userId}`;
const passwordChosenBefore = (userId: string) =>
  readLastLoaded<boolean>(passwordChosenKey(userId))?.data === true;

async function mustChoosePasswordFor(session: Session): Promise<boolean> {
  // Offline there is nothing to ask (and supabase-js would retry the read for 7 s before giving
  // up, holding every page): the question is asked again once the browser is back online.
  if (navigator.onLine === false) return false;
  const { data } = await supabase.from("profiles").select(
    "must_choose_password",
  ).eq("id", session.user.id)
    .maybeSingle();
  if (data?.must_choose_password === false) saveLastLoaded(passwordChosenKey(session.user.id), true);
  return data?.must_choose_password === true;
}

/**
 * Auth's answers for a token whose account or session no longer exists (GoTrue v2.196.0,
 * internal/api/auth.go maybeLoadUserOrSession: 403 user_not_found "User from sub claim in JWT does
 * not exist", 403 session_not_found; 401/403 bad_jwt). A network failure (offline) is none of these.
 */
const ACCOUNT_GONE = new Set(["user_not_found", "session_not_found", "bad_jwt"]);

/** Set when this page ended the session for that reason (module-wide: effects may run twice). */
let accountGone = false;

/** Whether Auth says the stored session's account is gone (e.g. the local database was reset). */
async function accountIsGone(): Promise<boolean> {
  const { error } = await supabase.auth.getUser();
  if (!error) return false;
  return (error.status === 401 || error.status === 403) && ACCOUNT_GONE.has(error.code ?? "");
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
      if (session) accountGone = false;
      if (!session) return land(mine, { ...SIGNED_OUT, accountGone });
      const sameUser = current.session?.user.id === session.user.id;
      const secondFactor = needsSecondFactor();
      const choosePassword = mustChoosePasswordFor(session);
      if (sameUser || passwordChosenBefore(session.user.id)) {
        // A refresh, a second factor or a new password, or a person known to have a password: the
        // assurance level lands at once (pages wait on it), the profile's answer when it comes.
        secondFactor.then((needs) =>
          land(mine, {
            session,
            loading: false,
            needsSecondFactor: needs,
            mustChoosePassword: sameUser ? current.mustChoosePassword : false,
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
    // A stored session is checked with Auth once per load and when the tab comes back: a session
    // whose account no longer exists ends here, with a message, instead of showing stale data.
    const checkAccount = async () => {
      const { data } = await supabase.auth.getSession();
      if (!data.session || !(await accountIsGone())) return;
      accountGone = true;
      await supabase.auth.signOut({ scope: "local" });
    };
    const onVisible = () => {
      if (document.visibilityState === "visible") void checkAccount();
    };
    const onOnline = () => {
      void supabase.auth.getSession().then(({ data }) => update(data.session));
    };
    document.addEventListener("visibilitychange", onVisible);
    globalThis.addEventListener("online", onOnline);
    supabase.auth.getSession().then(({ data }) => {
      update(data.session);
      void checkAccount();
    });
    // Not awaited inside the callback: supabase-js holds a lock while it runs.
    const { data } = supabase.auth.onAuthStateChange((event, session) => {
      // Nothing this person loaded stays on the device for whoever signs in next.
      if (event === "SIGNED_OUT") clearLastLoaded();
      setTimeout(() => update(session), 0);
    });
    return () => {
      active = false;
      document.removeEventListener("visibilitychange", onVisible);
      globalThis.removeEventListener("online", onOnline);
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
