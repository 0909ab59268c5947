import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import { type FixableDay, toggleDay } from "./past-days.ts";

const DAY = { weekday: "short", day: "numeric", month: "short" } as const;

export const dayName = (date: string) => formatDate(date, DAY);

export interface DayToggleMessage {
  kind: "success" | "error";
  text: string;
  /** Reverses the last change; absent once it has been undone or when it failed. */
  undo?: () => void;
}

/**
 * Marking or unmarking a past day, with a sentence saying what changed and a way to undo it.
 * Buttons stay enabled while it runs (a disabled button drops the keyboard focus); a second
 * press meanwhile is ignored.
 */
export function useDayToggle(habitId: string, onChanged: () => void) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<DayToggleMessage>();

  const guarded = async (work: () => Promise<DayToggleMessage>) => {
    if (busy) return;
    setBusy(true);
    try {
      setMessage(await work());
    } catch (error) {
      setMessage({
        kind: "error",
        text: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setBusy(false);
      onChanged();
    }
  };

  const toggle = (day: FixableDay) =>
    guarded(async () => {
      const { marked, undo } = await toggleDay(habitId, day);
      const name = dayName(day.date);
      return {
        kind: "success",
        text: marked
          ? t("Marked {{day}} as done.", { day: name })
          : t("{{day}} is no longer marked as done.", { day: name }),
        undo: () =>
          guarded(async () => {
            await undo();
            return {
              kind: "success",
              text: t("Undone: {{day}} is as it was.", { day: name }),
            };
          }),
      };
    });

  return { busy, message, toggle, clear: () => setMessage(undefined) };
}
