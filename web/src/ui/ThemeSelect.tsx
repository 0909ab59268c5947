import { useTranslation } from "react-i18next";
import { type ThemeChoice, useTheme } from "./theme.ts";

export function ThemeSelect() {
  const { t } = useTranslation();
  const [theme, setTheme] = useTheme();
  return (
    <label className="theme-select">
      <span className="visually-hidden">{t("Colour theme")}</span>
      <select value={theme} onChange={(event) => setTheme(event.target.value as ThemeChoice)}>
        <option value="system">{t("System theme")}</option>
        <option value="light">{t("Light")}</option>
        <option value="dark">{t("Dark")}</option>
      </select>
    </label>
  );
}
