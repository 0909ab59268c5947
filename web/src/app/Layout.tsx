import { useRef, useState } from "react";
import { leaveLiveUpdates } from "../live/live-updates.ts";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet, useLocation, useNavigate } from "react-router";
import { useSession } from "../auth/session.tsx";
import { supabase } from "../lib/supabase.ts";
import { useProfileLanguageSync } from "../profile/language-sync.ts";
import { LanguageSelect } from "../settings/LanguageSelect.tsx";
import { ThemeSelect } from "../ui/ThemeSelect.tsx";
import { useOnline } from "../ui/use-online.ts";
import { useCloseOnEscape } from "./close-on-escape.ts";
import { useFocusHeadingOnRouteChange } from "./route-focus.ts";

/** The app's frame: header (one compact row with a menu on a phone), offline notice, the page. */
export function Layout() {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const online = useOnline();
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
      {!online && (
        <p className="offline-notice" role="status">
          {t("You are offline. Showing what was loaded last; changes need a connection.")}
        </p>
      )}
      <main id="main" tabIndex={-1} ref={main}>
        <Outlet />
      </main>
    </>
  );
}
