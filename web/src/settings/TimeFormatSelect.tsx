import { useState } from "react";
import { useTranslation } from "react-i18next";
import { formatWallClock, isTimeFormat, TIME_FORMATS, type TimeFormat } from "../i18n/clock.ts";
import { currentLanguage } from "../i18n/i18n.ts";
import { currentTimeFormat } from "../i18n/time-format.ts";
import { chooseTimeFormat } from "../profile/language-sync.ts";

/** How times are written here, in the bot, reminders and the digest; each choice shows 19:05 its way. */
export function TimeFormatSelect({ id, onError }: { id: string; onError: (message: string) => void }) {
  const { t } = useTranslation();
  const [value, setValue] = useState<TimeFormat>(currentTimeFormat);
  const example = (format: TimeFormat) => formatWallClock("19:05", currentLanguage(), format);
  const names: Record<TimeFormat, string> = {
    locale: t("As usual in my language ({{example}})", { example: example("locale") }),
    "24h": t("24-hour ({{example}})", { example: example("24h") }),
    "12h": t("12-hour ({{example}})", { example: example("12h") }),
  };
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => {
        const next = event.target.value;
        if (!isTimeFormat(next)) return;
        setValue(next);
        chooseTimeFormat(next).catch((error: unknown) =>
          onError(error instanceof Error ? error.message : String(error))
        );
      }}
    >
      {TIME_FORMATS.map((format) => <option key={format} value={format}>{names[format]}</option>)}
    </select>
  );
}
