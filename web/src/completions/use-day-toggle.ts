import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import { useAction } from "../ui/use-action.ts";
import { type FixableDay, toggleDay } from "./past-days.ts";

const DAY = { weekday: "short", day: "numeric", month: "short" } as const;

export const dayName = (date: string) => formatDate(date, DAY);

export interface DayToggleMessage {
  kind: "success" | "error" | "info";
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
  const { busy, message, run } = useAction();
  const [undoLast, setUndoLast] = useState<{ run: () => void }>();

  const toggle = (day: FixableDay) => {
    if (busy) return;
    setUndoLast(undefined);
    void run(async () => {
      try {
        const { marked, undo } = await toggleDay(habitId, day);
        const name = dayName(day.date);
        setUndoLast({
          run: () => {
            setUndoLast(undefined);
            void run(async () => {
              try {
                await undo();
                return t("Undone: {{day}} is as it was.", { day: name });
              } finally {
                onChanged();
              }
            });
          },
        });
        return marked
          ? t("Marked {{day}} as done.", { day: name })
          : t("{{day}} is no longer marked as done.", { day: name });
      } finally {
        onChanged();
      }
    });
  };

  const shown: DayToggleMessage | undefined = message &&
    { kind: message.kind, text: message.text, undo: message.kind === "success" ? undoLast?.run : undefined };
  const clear = () => {
    setUndoLast(undefined);
    void run(() => Promise.resolve());
  };
  return { busy, message: shown, toggle, clear };
}
