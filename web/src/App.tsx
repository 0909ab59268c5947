import type { ReactNode } from "react";
import { BrowserRouter, Navigate, Route, Routes } from "react-router";
import { Layout } from "./app/Layout.tsx";
import { lazyPage } from "./app/lazy-page.ts";
import { RequireAuth } from "./auth/RequireAuth.tsx";
import { SessionProvider } from "./auth/session.tsx";
import { TodayPage } from "./today/TodayPage.tsx";

// Today is where the app opens, so it is in the first load; every other page loads with its own
// chunk when first shown (issue 23: the first load stays under 150 kB gzipped). Layout wraps
// each page in Suspense and an error boundary.
const SignUpPage = lazyPage(() => import("./auth/SignUpPage.tsx"), (m) => m.SignUpPage);
const CheckEmailPage = lazyPage(() => import("./auth/CheckEmailPage.tsx"), (m) => m.CheckEmailPage);
const ConfirmPage = lazyPage(() => import("./auth/ConfirmPage.tsx"), (m) => m.ConfirmPage);
const SignInPage = lazyPage(() => import("./auth/SignInPage.tsx"), (m) => m.SignInPage);
const EmailCodeSignInPage = lazyPage(
  () => import("./auth/EmailCodeSignInPage.tsx"),
  (m) => m.EmailCodeSignInPage,
);
const TwoFactorPage = lazyPage(() => import("./auth/TwoFactorPage.tsx"), (m) => m.TwoFactorPage);
const ForgotPasswordPage = lazyPage(
  () => import("./auth/ForgotPasswordPage.tsx"),
  (m) => m.ForgotPasswordPage,
);
const ResetPasswordPage = lazyPage(() => import("./auth/ResetPasswordPage.tsx"), (m) => m.ResetPasswordPage);
const ChoosePasswordPage = lazyPage(
  () => import("./auth/ChoosePasswordPage.tsx"),
  (m) => m.ChoosePasswordPage,
);
const HabitsPage = lazyPage(() => import("./habits/HabitsPage.tsx"), (m) => m.HabitsPage);
const NewHabitPage = lazyPage(() => import("./habits/HabitFormPage.tsx"), (m) => m.NewHabitPage);
const EditHabitPage = lazyPage(() => import("./habits/HabitFormPage.tsx"), (m) => m.EditHabitPage);
const HistoryPage = lazyPage(() => import("./history/HistoryPage.tsx"), (m) => m.default);
const PublicHabitsPage = lazyPage(
  () => import("./public-habits/PublicHabitsPage.tsx"),
  (m) => m.PublicHabitsPage,
);
const TelegramPage = lazyPage(() => import("./telegram/TelegramPage.tsx"), (m) => m.TelegramPage);
const SettingsPage = lazyPage(() => import("./settings/SettingsPage.tsx"), (m) => m.SettingsPage);
const SwaggerPage = lazyPage(() => import("./api-docs/SwaggerPage.tsx"), (m) => m.default);
const RedocPage = lazyPage(() => import("./api-docs/RedocPage.tsx"), (m) => m.default);
const NotFoundPage = lazyPage(() => import("./ui/NotFoundPage.tsx"), (m) => m.NotFoundPage);

const signedIn = (page: ReactNode) => <RequireAuth>{page}</RequireAuth>;

export function App() {
  return (
    <SessionProvider>
      <BrowserRouter>
        <Routes>
          <Route element={<Layout />}>
            {/* Signed in, the app opens on Today; RequireAuth sends the signed-out to sign in. */}
            <Route index element={signedIn(<TodayPage />)} />
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
            <Route path="habits/:habitId" element={signedIn(<HistoryPage />)} />
            <Route path="habits/:habitId/edit" element={signedIn(<EditHabitPage />)} />
            <Route path="public" element={<PublicHabitsPage />} />
            <Route path="telegram" element={signedIn(<TelegramPage />)} />
            <Route path="settings" element={signedIn(<SettingsPage />)} />
            <Route path="api-docs" element={<SwaggerPage />} />
            <Route path="swagger" element={<Navigate to="/api-docs" replace />} />
            <Route path="redoc" element={<RedocPage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </BrowserRouter>
    </SessionProvider>
  );
}
