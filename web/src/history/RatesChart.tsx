import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import type { Rate } from "./completion-rates.ts";

/** Completion rate per period as small bars, with a table-like accessible list of the values. */
export function RatesChart(
  { title, rates, labelOf, testId }: {
    title: string;
    rates: Rate[];
    labelOf: (start: string) => string;
    testId: string;
  },
) {
  const { t } = useTranslation();
  if (rates.length === 0) return null;
  return (
    <figure className="rates" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <ol className="rate-bars">
        {rates.map((rate) => {
          const percent = rate.rate === null ? 0 : Math.round(rate.rate * 100);
          return (
            <li key={rate.start} title={`${labelOf(rate.start)}: ${rate.done}/${rate.due}`}>
              <span className="rate-bar" style={{ height: `${Math.max(percent, 2)}%` }} aria-hidden="true" />
              <span className="rate-label" aria-hidden="true">{labelOf(rate.start)}</span>
              <span className="visually-hidden">
                {t("{{period}}: {{done}} of {{due}} done ({{percent}} %)", {
                  period: labelOf(rate.start),
                  done: rate.done,
                  due: rate.due,
                  percent,
                })}
              </span>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

export const weekLabel = (start: string) => formatDate(start, { day: "numeric", month: "short" });
export const monthLabel = (start: string) => formatDate(start, { month: "short" });
