import { useEffect, useState, useSyncExternalStore } from "react";

export type ThemeChoice = "system" | "light" | "dark";
const STORAGE_KEY = "habits.theme";

function storedTheme(): ThemeChoice {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "light" || value === "dark" ? value : "system";
  } catch {
    return "system";
  }
}

/** The chosen colour scheme; "system" follows prefers-color-scheme (see styles.css). */
export function useTheme(): [ThemeChoice, (choice: ThemeChoice) => void] {
  const [theme, setTheme] = useState<ThemeChoice>(storedTheme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === "system") delete root.dataset.theme;
    else root.dataset.theme = theme;
    try {
      if (theme === "system") localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, theme);
    } catch {
      // Private mode without storage: the choice lasts for this page only.
    }
  }, [theme]);
  return [theme, setTheme];
}

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribeToTheme(onChange: () => void): () => void {
  const media = globalThis.matchMedia(DARK_QUERY);
  media.addEventListener("change", onChange);
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
  return () => {
    media.removeEventListener("change", onChange);
    observer.disconnect();
  };
}

function effectiveTheme(): "light" | "dark" {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === "light" || chosen === "dark") return chosen;
  return globalThis.matchMedia(DARK_QUERY).matches ? "dark" : "light";
}

/** The theme in effect (the choice, or the system's), for widgets that style themselves. */
export function useEffectiveTheme(): "light" | "dark" {
  return useSyncExternalStore(subscribeToTheme, effectiveTheme, () => "light");
}
