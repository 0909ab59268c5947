import { formatInstant } from "../habits/habit-text.ts";
import type { Notification } from "../lib/database.ts";

const KIND_WORDS: Record<string, string> = {
  habit_created: "Habit created",
  reminder: "Reminder",
  snoozed_reminder: "Snoozed reminder",
};

const STATUS_WORDS: Record<string, string> = {
  pending: "waiting",
  sending: "sending",
  retry: "will retry",
  sent: "sent",
  dead: "failed",
  skipped: "skipped",
};

export function DeliveriesTable(
  { deliveries, timeZone }: { deliveries: Notification[]; timeZone: string },
) {
  if (deliveries.length === 0) {
    return <p className="empty">No Telegram messages for this habit yet.</p>;
  }
  return (
    <div className="table-scroll">
      <table>
        <caption className="visually-hidden">
          The latest Telegram messages about this habit
        </caption>
        <thead>
          <tr>
            <th scope="col">Message</th>
            <th scope="col">For</th>
            <th scope="col">Status</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id}>
              <td>{KIND_WORDS[delivery.kind] ?? delivery.kind}</td>
              <td>{formatInstant(delivery.due_at, timeZone)}</td>
              <td>
                <span className={`status status-${delivery.status}`}>
                  {STATUS_WORDS[delivery.status] ?? delivery.status}
                </span>
              </td>
              <td>
                {delivery.status === "sent"
                  ? `at ${formatInstant(delivery.sent_at, timeZone)}`
                  : delivery.last_error ?? (delivery.attempts > 0 ? `${delivery.attempts} attempts` : "")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
