import { lazy, type ReactNode, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { CheckEmailPage } from "./auth/CheckEmailPage.tsx";
import { ConfirmPage } from "./auth/ConfirmPage.tsx";
import { EmailCodeSignInPage } from "./auth/EmailCodeSignInPage.tsx";
import { ForgotPasswordPage } from "./auth/ForgotPasswordPage.tsx";
import { ResetPasswordPage } from "./auth/ResetPasswordPage.tsx";
import { RequireAuth } from "./auth/RequireAuth.tsx";
import { SessionProvider, useSession } from "./auth/session.tsx";
import { SignInPage } from "./auth/SignInPage.tsx";
import { SignUpPage } from "./auth/SignUpPage.tsx";
import { TwoFactorPage } from "./auth/TwoFactorPage.tsx";
import { EditHabitPage, NewHabitPage } from "./habits/HabitFormPage.tsx";
import { HabitsPage } from "./habits/HabitsPage.tsx";
import { HistoryPage } from "./history/HistoryPage.tsx";
import { PublicHabitsPage } from "./public-habits/PublicHabitsPage.tsx";
import { SettingsPage } from "./settings/SettingsPage.tsx";
import { TelegramPage } from "./telegram/TelegramPage.tsx";
import { Layout } from "./ui/Layout.tsx";
import { Loading } from "./ui/Loading.tsx";
import { NotFoundPage } from "./ui/NotFoundPage.tsx";

// Swagger UI is large; it loads only when someone opens the API docs.
const ApiDocsPage = lazy(() => import("./api-docs/ApiDocsPage.tsx"));

function HomeRedirect() {
  const { session, loading } = useSession();
  if (loading) return <Loading />;
  return <Navigate to={session ? "/habits" : "/sign-in"} replace />;
}

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomeRedirect />} />
            <Route path="sign-up" element={<SignUpPage />} />
            <Route path="check-email" element={<CheckEmailPage />} />
            <Route path="auth/confirm" element={<ConfirmPage />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="sign-in/email" element={<EmailCodeSignInPage />} />
            <Route path="sign-in/two-factor" element={<TwoFactorPage />} />
            <Route path="forgot-password" element={<ForgotPasswordPage />} />
            <Route path="auth/reset-password" element={<ResetPasswordPage />} />
            <Route path="habits" element={signedIn(<HabitsPage />)} />
            <Route path="habits/new" element={signedIn(<NewHabitPage />)} />
            <Route path="habits/:habitId" element={signedIn(<HistoryPage />)} />
            <Route
              path="habits/:habitId/edit"
              element={signedIn(<EditHabitPage />)}
            />
            <Route path="public" element={<PublicHabitsPage />} />
            <Route path="telegram" element={signedIn(<TelegramPage />)} />
            <Route path="settings" element={signedIn(<SettingsPage />)} />
            <Route
              path="api-docs"
              element={
                <Suspense fallback={<Loading label="Loading the API docs…" />}>
                  <ApiDocsPage />
                </Suspense>
              }
            />
            <Route
              path="swagger"
              element={<Navigate to="/api-docs" replace />}
            />
            <Route path="redoc" element={<Navigate to="/api-docs" replace />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
