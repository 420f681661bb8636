import { describe, expect, it } from 'vitest';
import { daysUntil, describeDays, expiryState, parseDate, todayIso } from './expiry';

const now = new Date(2026, 2, 10, 15, 30); // 10 March 2026, afternoon

describe('expiry', () => {
  it('counts whole calendar days', () => {
    expect(daysUntil('2026-03-10', now)).toBe(0);
    expect(daysUntil('2026-03-23', now)).toBe(13);
    expect(daysUntil('2026-03-09', now)).toBe(-1);
    expect(daysUntil('2026-03-24T00:00:00Z', now)).toBe(14);
    expect(daysUntil('soon', now)).toBeNull();
    expect(parseDate('2026-02-30')).toBeNull();
  });

  it('warns from 14 days before expiry and flags expired keys', () => {
    expect(expiryState(13)).toBe('soon');
    expect(expiryState(14)).toBe('soon');
    expect(expiryState(15)).toBe('ok');
    expect(expiryState(-1)).toBe('expired');
    expect(expiryState(null)).toBe('unknown');
    expect(describeDays(1)).toBe('expires in 1 day');
    expect(describeDays(-3)).toBe('expired 3 days ago');
    expect(todayIso(now)).toBe('2026-03-10');
  });
});
