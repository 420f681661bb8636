// The dashboard's daily snapshots, as one series per tile (product on a site).
import type { HistoryPoint } from '../../api/types';

/** One day of a tile's series. */
export interface TrendPoint {
  day: string;
  active: number;
  inactive: number;
  total: number;
}

/** The key of a tile: `siteId/productKey`. */
export function tileKey(siteId: string, productKey: string): string {
  return `${siteId}/${productKey}`;
}

/** Snapshots grouped by tile, each series in day order. */
export function seriesByTile(points: readonly HistoryPoint[]): Map<string, TrendPoint[]> {
  const out = new Map<string, TrendPoint[]>();
  for (const p of points) {
    const key = tileKey(p.siteId, p.productKey);
    const series = out.get(key) ?? [];
    series.push({ day: p.day, active: p.active, inactive: p.inactive, total: p.total });
    out.set(key, series);
  }
  for (const series of out.values()) series.sort((a, b) => a.day.localeCompare(b.day));
  return out;
}

/** "inactive 12 → 9 since Mar 3", for screen readers and the tile's caption; null under 2 days. */
export function describeTrend(series: readonly TrendPoint[]): string | null {
  const first = series[0];
  const last = series.at(-1);
  if (!first || !last || series.length < 2) return null;
  const since = new Date(`${first.day}T00:00:00Z`).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    timeZone: 'UTC',
  });
  return `inactive ${first.inactive.toLocaleString()} → ${last.inactive.toLocaleString()} since ${since}`;
}
