import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";
import { Loading } from "../ui/Loading.tsx";
import { useSession } from "./session.tsx";

/**
 * Shows `children` to signed-in people; others go to the sign-in page and come back after. Right
 * after a first confirmation the person chooses a password before anything else.
 */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { session, loading, needsSecondFactor, mustChoosePassword, accountGone } = useSession();
  const location = useLocation();
  const { t } = useTranslation();
  if (loading) return <Loading label={t("Checking your session…")} />;

  if (!session) {
    return (
      <Navigate
        to="/sign-in"
        replace
        state={{
          from: location.pathname + location.search,
          ...(accountGone
            ? {
              notice: t(
                "You were signed out: your account no longer exists on this server (it was deleted, or the local database was reset).",
              ),
            }
            : {}),
        }}
      />
    );
  }
  if (mustChoosePassword) return <Navigate to="/auth/choose-password" replace />;
  if (needsSecondFactor) {
    return (
      <Navigate
        to="/sign-in/two-factor"
        replace
        state={{ from: location.pathname + location.search }}
      />
    );
  }
  return children;
}
