import { Suspense, useRef, useState } from "react";
import { leaveLiveUpdates } from "../live/live-updates.ts";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useSession } from "../auth/session.tsx";
import { formatInstant } from "../i18n/format.ts";
import { supabase } from "../lib/supabase.ts";
import { useOldestSavedShown } from "../offline/saved-notice.ts";
import { useProfileLanguageSync } from "../profile/language-sync.ts";
import { LanguageSelect } from "../settings/LanguageSelect.tsx";
import { Loading } from "../ui/Loading.tsx";
import { PageErrorBoundary } from "../ui/PageErrorBoundary.tsx";
import { ThemeSelect } from "../ui/ThemeSelect.tsx";
import { useOnline } from "../ui/use-online.ts";
import { useCloseOnEscape } from "./close-on-escape.ts";
import { useFocusHeadingOnRouteChange } from "./route-focus.ts";

/**
 * The one notice about saved data (issue 23: one, not a page's own stacked on the frame's): offline,
 * or online with the server out of reach while a page shows its last load.
 */
function SavedDataNotice() {
  const { t } = useTranslation();
  const online = useOnline();
  const savedAt = useOldestSavedShown();
  if (online && !savedAt) return null;
  const text = !online && !savedAt
    ? t("You are offline. Showing what was loaded last; changes need a connection.")
    : !online
    ? t("You are offline. Showing what was loaded at {{when}}; changes need a connection.", {
      when: formatInstant(savedAt!),
    })
    : t("The server cannot be reached. Showing what was loaded at {{when}}; changes need a connection.", {
      when: formatInstant(savedAt!),
    });
  return <p className="offline-notice" role="status" data-testid="saved-data-notice">{text}</p>;
}

/** The app's frame: header (one compact row with a menu on a phone), offline notice, the page. */
export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const [menuFor, setMenuFor] = useState(location.pathname);
  useProfileLanguageSync(session?.user.id);
  const main = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  useFocusHeadingOnRouteChange(main);
  useCloseOnEscape(menuOpen, () => setMenuOpen(false), menuButton);
  // Following a link closes the phone menu.
  if (menuFor !== location.pathname) {
    setMenuFor(location.pathname);
    setMenuOpen(false);
  }
  const signOut = async () => {
    await leaveLiveUpdates();
    await supabase.auth.signOut({ scope: "local" });
    navigate("/sign-in", { replace: true });
  };
  const links = session
    ? [
      ["/today", t("Today")],
      ["/habits", t("My habits")],
      ["/public", t("Public habits")],
      ["/telegram", t("Telegram")],
      ["/settings", t("Settings")],
      ["/api-docs", t("API")],
    ]
    : [
      ["/public", t("Public habits")],
      ["/api-docs", t("API")],
      ["/sign-in", t("Sign in")],
      ["/sign-up", t("Sign up")],
    ];

  return (
    <>
      <a className="skip-link" href="#main">{t("Skip to content")}</a>
      <header className={`site-header${menuOpen ? " menu-open" : ""}`}>
        <NavLink to="/" className="brand">{t("Habits")}</NavLink>
        <button
          type="button"
          className="menu-button"
          ref={menuButton}
          aria-expanded={menuOpen}
          aria-controls="site-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {t("Menu")}
        </button>
        <div className="site-menu" id="site-menu">
          <nav aria-label={t("Main")}>
            <ul>
              {links.map(([to, label]) => (
                <li key={to}>
                  <NavLink to={to ?? "/"}>{label}</NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="header-tools">
            <LanguageSelect />
            <ThemeSelect />
            {session && <button type="button" onClick={signOut}>{t("Sign out")}</button>}
          </div>
        </div>
      </header>
      <SavedDataNotice />
      <main id="main" tabIndex={-1} ref={main}>
        {/* A new address starts a new boundary: a page that failed does not stick to the next. */}
        <PageErrorBoundary key={location.pathname}>
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </PageErrorBoundary>
      </main>
    </>
  );
}
