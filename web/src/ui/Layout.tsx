import { NavLink, Outlet, useNavigate } from "react-router";
import { useSession } from "../auth/session.tsx";
import { supabase } from "../lib/supabase.ts";
import { type ThemeChoice, useTheme } from "./theme.ts";

function ThemeSelect() {
  const [theme, setTheme] = useTheme();
  return (
    <label className="theme-select">
      <span className="visually-hidden">Colour theme</span>
      <select
        value={theme}
        onChange={(event) => setTheme(event.target.value as ThemeChoice)}
      >
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

export function Layout() {
  const { session } = useSession();
  const navigate = useNavigate();
  const signOut = async () => {
    await supabase.auth.signOut({ scope: "local" });
    navigate("/sign-in", { replace: true });
  };

  return (
    <>
      <a className="skip-link" href="#main">Skip to content</a>
      <header className="site-header">
        <NavLink to="/" className="brand">Habits</NavLink>
        <nav aria-label="Main">
          <ul>
            {session
              ? (
                <>
                  <li>
                    <NavLink to="/habits">My habits</NavLink>
                  </li>
                  <li>
                    <NavLink to="/public">Public habits</NavLink>
                  </li>
                  <li>
                    <NavLink to="/telegram">Telegram</NavLink>
                  </li>
                  <li>
                    <NavLink to="/settings">Settings</NavLink>
                  </li>
                  <li>
                    <NavLink to="/api-docs">API</NavLink>
                  </li>
                </>
              )
              : (
                <>
                  <li>
                    <NavLink to="/public">Public habits</NavLink>
                  </li>
                  <li>
                    <NavLink to="/api-docs">API</NavLink>
                  </li>
                  <li>
                    <NavLink to="/sign-in">Sign in</NavLink>
                  </li>
                  <li>
                    <NavLink to="/sign-up">Sign up</NavLink>
                  </li>
                </>
              )}
          </ul>
        </nav>
        <div className="header-tools">
          <ThemeSelect />
          {session && <button type="button" onClick={signOut}>Sign out</button>}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
