import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { telegramStatusOf } from "../profile/profile-api.ts";
import { useProfile } from "../profile/use-profile.ts";
import { Alert } from "../ui/Alert.tsx";

/**
 * Said up front on an empty Today: a habit needs a linked Telegram chat (the database refuses one
 * without it), so the way to connect comes before "Create your first habit".
 */
export function TelegramFirst() {
  const { t } = useTranslation();
  const profile = useProfile();
  if (!profile.data || telegramStatusOf(profile.data) === "linked") return null;
  return (
    <Alert kind="info">
      <span data-testid="telegram-first">
        {t("Reminders come in Telegram, so connect your Telegram chat first; then create your first habit.")}
      </span>{" "}
      <Link className="button primary" to="/telegram">{t("Connect Telegram")}</Link>
    </Alert>
  );
}
