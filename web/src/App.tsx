import { lazy, type ReactNode, Suspense } from "react";
import { useTranslation } from "react-i18next";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { Layout } from "./app/Layout.tsx";
import { CheckEmailPage } from "./auth/CheckEmailPage.tsx";
import { ChoosePasswordPage } from "./auth/ChoosePasswordPage.tsx";
import { ConfirmPage } from "./auth/ConfirmPage.tsx";
import { EmailCodeSignInPage } from "./auth/EmailCodeSignInPage.tsx";
import { ForgotPasswordPage } from "./auth/ForgotPasswordPage.tsx";
import { ResetPasswordPage } from "./auth/ResetPasswordPage.tsx";
import { RequireAuth } from "./auth/RequireAuth.tsx";
import { SessionProvider } from "./auth/session.tsx";
import { SignInPage } from "./auth/SignInPage.tsx";
import { SignUpPage } from "./auth/SignUpPage.tsx";
import { TwoFactorPage } from "./auth/TwoFactorPage.tsx";
import { EditHabitPage, NewHabitPage } from "./habits/HabitFormPage.tsx";
import { HabitsPage } from "./habits/HabitsPage.tsx";
import { PublicHabitsPage } from "./public-habits/PublicHabitsPage.tsx";
import { SettingsPage } from "./settings/SettingsPage.tsx";
import { TelegramPage } from "./telegram/TelegramPage.tsx";
import { TodayPage } from "./today/TodayPage.tsx";
import { Loading } from "./ui/Loading.tsx";
import { NotFoundPage } from "./ui/NotFoundPage.tsx";
import { PageErrorBoundary } from "./ui/PageErrorBoundary.tsx";

// The doc viewers and the history's charts are large or seldom used: each loads with its page.
const SwaggerPage = lazy(() => import("./api-docs/SwaggerPage.tsx"));
const RedocPage = lazy(() => import("./api-docs/RedocPage.tsx"));
const HistoryPage = lazy(() => import("./history/HistoryPage.tsx"));

function Lazy({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <PageErrorBoundary>
      <Suspense fallback={<Loading label={t("Loading…")} />}>{children}</Suspense>
    </PageErrorBoundary>
  );
}

/** Signed in, the app opens on Today. */
function HomePage() {
  // RequireAuth sends the signed-out to the sign-in page, saying why when the session was ended.
  return (
    <RequireAuth>
      <TodayPage />
    </RequireAuth>
  );
}

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            <Route index element={<HomePage />} />
            <Route path="today" element={signedIn(<TodayPage />)} />
            <Route path="sign-up" element={<SignUpPage />} />
            <Route path="check-email" element={<CheckEmailPage />} />
            <Route path="auth/confirm" element={<ConfirmPage />} />
            <Route path="sign-in" element={<SignInPage />} />
            <Route path="sign-in/email" element={<EmailCodeSignInPage />} />
            <Route path="sign-in/two-factor" element={<TwoFactorPage />} />
            <Route path="forgot-password" element={<ForgotPasswordPage />} />
            <Route path="auth/reset-password" element={<ResetPasswordPage />} />
            <Route path="auth/choose-password" element={<ChoosePasswordPage />} />
            <Route path="habits" element={signedIn(<HabitsPage />)} />
            <Route path="habits/new" element={signedIn(<NewHabitPage />)} />
            <Route
              path="habits/:habitId"
              element={signedIn(
                <Lazy>
                  <HistoryPage />
                </Lazy>,
              )}
            />
            <Route path="habits/:habitId/edit" element={signedIn(<EditHabitPage />)} />
            <Route path="public" element={<PublicHabitsPage />} />
            <Route path="telegram" element={signedIn(<TelegramPage />)} />
            <Route path="settings" element={signedIn(<SettingsPage />)} />
            <Route
              path="api-docs"
              element={
                <Lazy>
                  <SwaggerPage />
                </Lazy>
              }
            />
            <Route path="swagger" element={<Navigate to="/api-docs" replace />} />
            <Route
              path="redoc"
              element={
                <Lazy>
                  <RedocPage />
                </Lazy>
              }
            />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
