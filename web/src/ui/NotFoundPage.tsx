import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { usePageTitle } from "./page-title.ts";

export function NotFoundPage() {
  const { t } = useTranslation();
  usePageTitle(t("Page not found"));
  return (
    <section>
      <h1>{t("Page not found")}</h1>
      <p>
        {t("There is nothing at this address.")} <Link to="/">{t("Go to the start page")}</Link>
      </p>
    </section>
  );
}
