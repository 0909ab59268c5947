import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import type { Rate } from "./completion-rates.ts";

/**
 * Completion rate per period, one row per period: its name, a bar and the value as text. Rows
 * (not columns) so that twelve periods fit a 390 px phone and their names never touch.
 */
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
            <li key={rate.start}>
              <span className="rate-label" aria-hidden="true">
                {labelOf(rate.start)}
              </span>
              <span className="rate-track" aria-hidden="true">
                <span className="rate-bar" style={{ width: `${percent}%` }} />
              </span>
              <span className="rate-value" aria-hidden="true">{percent} %</span>
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
export const monthLabel = (start: string) => formatDate(start, { month: "short", year: "numeric" });
