import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";
import { Alert } from "./Alert.tsx";

/** The message a page was sent with (navigation state): a welcome, or what was just saved. */
export function Flash() {
  const { t } = useTranslation();
  const flash = useLocation().state as { welcome?: boolean; saved?: string } | null;
  return (
    <>
      {flash?.welcome && <Alert kind="success">{t("Your e-mail is confirmed. Welcome!")}</Alert>}
      {flash?.saved && <Alert kind="success">{flash.saved}</Alert>}
    </>
  );
}
