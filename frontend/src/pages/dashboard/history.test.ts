import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../api/types';
import { describeTrend, seriesByTile } from './history';

const p = (day: string, siteId: string, inactive: number): HistoryPoint => ({
  day,
  siteId,
  siteName: siteId,
  productKey: 'confluence',
  productName: 'Confluence',
  inactiveDays: 90,
  active: 10,
  inactive,
  total: 10 + inactive,
});

describe('dashboard history', () => {
  it('groups snapshots per tile in day order and describes the trend', () => {
    const series = seriesByTile([
      p('2026-02-03', 'a', 4),
      p('2026-02-01', 'a', 9),
      p('2026-02-02', 'b', 1),
    ]);
    expect([...series.keys()]).toEqual(['a/confluence', 'b/confluence']);
    expect(series.get('a/confluence')?.map((x) => x.day)).toEqual(['2026-02-01', '2026-02-03']);
    expect(describeTrend(series.get('a/confluence') ?? [])).toBe('inactive 9 → 4 since Feb 1');
    expect(describeTrend(series.get('b/confluence') ?? [])).toBeNull();
  });
});
