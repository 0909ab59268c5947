import { formatInstant } from "../i18n/format.ts";
import { useTranslation } from "react-i18next";
import { msg } from "../i18n/i18n.ts";
import type { Notification } from "../lib/database.ts";

const KIND_WORDS: Record<string, string> = {
  habit_created: msg("Habit created"),
  reminder: msg("Reminder"),
  snoozed_reminder: msg("Snoozed reminder"),
};

const STATUS_WORDS: Record<string, string> = {
  pending: msg("waiting"),
  sending: msg("sending"),
  retry: msg("will retry"),
  sent: msg("sent"),
  dead: msg("failed"),
  skipped: msg("skipped"),
  // Sent, with no answer from Telegram twice: it may well have arrived, and is not sent again.
  unconfirmed: msg("maybe delivered"),
};

export function DeliveriesTable(
  { deliveries, timeZone }: { deliveries: Notification[]; timeZone: string },
) {
  const { t } = useTranslation();
  if (deliveries.length === 0) {
    return <p className="empty">{t("No Telegram messages for this habit yet.")}</p>;
  }
  return (
    <div className="table-scroll">
      {/* Explicit roles: on a phone the rows are laid out as blocks, which would drop the table's semantics. */}
      <table className="deliveries-table" role="table">
        <caption className="visually-hidden">
          {t("The latest Telegram messages about this habit")}
        </caption>
        <thead>
          <tr role="row">
            <th scope="col" role="columnheader">{t("Message")}</th>
            <th scope="col" role="columnheader">{t("For")}</th>
            <th scope="col" role="columnheader">{t("Status")}</th>
            <th scope="col" role="columnheader">{t("Details")}</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id} role="row">
              <td role="cell" data-label={t("Message")}>
                {t(KIND_WORDS[delivery.kind] ?? delivery.kind)}
              </td>
              <td role="cell" data-label={t("For")}>
                {formatInstant(delivery.due_at, timeZone)}
              </td>
              <td role="cell" data-label={t("Status")}>
                <span className={`status status-${delivery.status}`}>
                  {t(STATUS_WORDS[delivery.status] ?? delivery.status)}
                </span>
              </td>
              <td role="cell" data-label={t("Details")}>
                {delivery.status === "sent"
                  ? t("at {{when}}", { when: formatInstant(delivery.sent_at, timeZone) })
                  : delivery.last_error ??
                    (delivery.attempts > 0 ? t("{{count}} attempts", { count: delivery.attempts }) : "")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
