import type { TrendPoint } from './history';

const WIDTH = 200;
const HEIGHT = 44;
const PAD = 3;
const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
}

/** SVG points of one measure: x by date (gaps stay gaps in time), y from 0 to `max`. */
function line(series: readonly TrendPoint[], pick: (p: TrendPoint) => number, max: number): string {
  const first = dayNumber(series[0]?.day ?? '');
  const span = Math.max(1, dayNumber(series.at(-1)?.day ?? '') - first);
  return series
    .map((p) => {
      const x = PAD + ((dayNumber(p.day) - first) / span) * (WIDTH - 2 * PAD);
      const y = HEIGHT - PAD - (pick(p) / max) * (HEIGHT - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

/**
 * A small line chart of a tile's daily snapshots: billable users (grey) and inactive ones
 * (amber). Decorative: the tile states the trend in words.
 */
export function TrendChart({ series }: { series: readonly TrendPoint[] }) {
  if (series.length < 2) return null;
  const max = Math.max(1, ...series.map((p) => p.total));
  return (
    <svg
      className="ow-trend"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      aria-hidden="true"
      focusable="false"
      data-testid="tile-trend"
      data-points={series.length}
    >
      <polyline className="ow-trend-total" points={line(series, (p) => p.total, max)} />
      <polyline className="ow-trend-inactive" points={line(series, (p) => p.inactive, max)} />
    </svg>
  );
}
