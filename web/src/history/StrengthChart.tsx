import { useTranslation } from "react-i18next";
import { formatDate } from "../i18n/format.ts";
import { useElementWidth } from "../ui/use-element-width.ts";
import type { StrengthPoint } from "./strength.ts";

const MAX_WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 36, right: 8, top: 8, bottom: 22 };

/** Habit strength (0–100 %) over time as a line; the latest value is said in words too. */
export function StrengthChart({ points }: { points: StrengthPoint[] }) {
  const { t } = useTranslation();
  const [figure, measured] = useElementWidth<HTMLElement>(MAX_WIDTH);
  // One drawing unit per CSS pixel, so the axis text keeps its 11 px on any screen.
  const WIDTH = Math.min(measured, MAX_WIDTH);
  const shown = points.slice(-120);
  const latest = shown.at(-1)?.value ?? 0;
  const x = (index: number) =>
    PAD.left +
    (shown.length <= 1 ? 0 : (index / (shown.length - 1)) * (WIDTH - PAD.left - PAD.right));
  const y = (value: number) => PAD.top + (1 - value) * (HEIGHT - PAD.top - PAD.bottom);
  const path = shown.map((point, index) =>
    `${index === 0 ? "M" : "L"}${x(index).toFixed(1)},${y(point.value).toFixed(1)}`
  )
    .join(" ");
  const percent = Math.round(latest * 100);
  return (
    <figure className="chart" data-testid="strength-chart" ref={figure}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-label={t("Habit strength now: {{percent}} %", { percent })}
      >
        {[0, 0.5, 1].map((tick) => (
          <g key={tick}>
            <line
              className="chart-grid"
              x1={PAD.left}
              x2={WIDTH - PAD.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text
              className="chart-label"
              x={PAD.left - 4}
              y={y(tick) + 4}
              textAnchor="end"
            >
              {tick * 100}%
            </text>
          </g>
        ))}
        {shown.length > 0 && (
          <>
            <text className="chart-label" x={PAD.left} y={HEIGHT - 4}>
              {formatDate(shown[0]!.date)}
            </text>
            <text
              className="chart-label"
              x={WIDTH - PAD.right}
              y={HEIGHT - 4}
              textAnchor="end"
            >
              {formatDate(shown.at(-1)!.date)}
            </text>
          </>
        )}
        <path className="chart-line" d={path} fill="none" />
      </svg>
      <figcaption>
        {t(
          "Strength {{percent}} %: it grows with each done occurrence and fades slowly with misses.",
          {
            percent,
          },
        )}
      </figcaption>
    </figure>
  );
}
