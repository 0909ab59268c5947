import type { Session } from "@supabase/supabase-js";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { supabase } from "../lib/supabase.ts";

interface SessionState {
  session: Session | null;
  /** True until the stored session (if any) has been read. */
  loading: boolean;
}

const SessionContext = createContext<SessionState>({
  session: null,
  loading: true,
});

/** Keeps the current session; supabase-js stores it across reloads and refreshes it in time. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({
    session: null,
    loading: true,
  });

  useEffect(() => {
    let active = true;
    supabase.auth.getSession().then(({ data }) => {
      if (active) setState({ session: data.session, loading: false });
    });
    const { data } = supabase.auth.onAuthStateChange((_event, session) => {
      if (active) setState({ session, loading: false });
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
