import type { Session } from "@supabase/supabase-js";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { supabase } from "../lib/supabase.ts";

interface SessionState {
  session: Session | null;
  /** True until the stored session (if any) has been read. */
  loading: boolean;
  /** Signed in with the first factor only, while the account has two-factor sign-in on. */
  needsSecondFactor: boolean;
  /** The stored session was ended here because its account no longer exists on the server. */
  accountGone?: boolean;
}

const SessionContext = createContext<SessionState>({
  session: null,
  loading: true,
  needsSecondFactor: false,
});

/** supabase-js reads the assurance level from the session itself (no request). */
async function withAssurance(session: Session | null): Promise<SessionState> {
  if (!session) return { session, loading: false, needsSecondFactor: false };
  const { data } = await supabase.auth.mfa.getAuthenticatorAssuranceLevel();
  const needsSecondFactor = data?.currentLevel === "aal1" &&
    data.nextLevel === "aal2";
  return { session, loading: false, needsSecondFactor };
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
    session: null,
    loading: true,
    needsSecondFactor: false,
  });

  useEffect(() => {
    let active = true;
    // Each change is worked out asynchronously; only the latest may land, whatever order they finish in.
    let latest = 0;
    const update = (session: Session | null) => {
      const mine = ++latest;
      if (session) accountGone = false;
      withAssurance(session).then((next) => {
        if (active && mine === latest) setState({ ...next, accountGone: !session && accountGone });
      });
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
    document.addEventListener("visibilitychange", onVisible);
    supabase.auth.getSession().then(({ data }) => {
      update(data.session);
      void checkAccount();
    });
    // Not awaited inside the callback: supabase-js holds a lock while it runs.
    const { data } = supabase.auth.onAuthStateChange((_event, session) => {
      setTimeout(() => update(session), 0);
    });
    return () => {
      active = false;
      document.removeEventListener("visibilitychange", onVisible);
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
