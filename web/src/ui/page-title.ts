import { useEffect } from "react";
import { useTranslation } from "react-i18next";

/** Sets the document title; `title` is already translated, so it follows the language. */
export function usePageTitle(title: string): void {
  const { t } = useTranslation();
  const brand = t("Habits");
  useEffect(() => {
    document.title = `${title} · ${brand}`;
  }, [title, brand]);
}
