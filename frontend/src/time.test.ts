import { describe, expect, it } from 'vitest';
import { relativeTime, timeUntil } from './time';

describe('relativeTime', () => {
  const now = Date.parse('2026-06-15T12:00:00Z');
  const ago = (ms: number) => new Date(now - ms).toISOString();
  it('reads like the header says it', () => {
    expect(relativeTime(ago(20_000), now)).toBe('just now');
    expect(relativeTime(ago(3 * 60_000), now)).toBe('3 min ago');
    expect(relativeTime(ago(60 * 60_000), now)).toBe('1 hour ago');
    expect(relativeTime(ago(5 * 3_600_000), now)).toBe('5 hours ago');
    expect(relativeTime(ago(2 * 86_400_000), now)).toBe('2 days ago');
    expect(relativeTime(ago(95 * 86_400_000), now)).toBe('3 months ago');
    expect(relativeTime(ago(800 * 86_400_000), now)).toBe('2 years ago');
    expect(relativeTime('not a date', now)).toBe('not a date');
  });
});

describe('timeUntil', () => {
  const now = Date.parse('2026-06-15T12:00:00Z');
  const ahead = (ms: number) => new Date(now + ms).toISOString();
  it('says how long until a retry', () => {
    expect(timeUntil(ahead(30_000), now)).toBe('any moment now');
    expect(timeUntil(ahead(-5_000), now)).toBe('any moment now');
    expect(timeUntil(ahead(5 * 60_000), now)).toBe('in 5 min');
    expect(timeUntil(ahead(3 * 3_600_000), now)).toBe('in 3 hours');
    expect(timeUntil(ahead(86_400_000), now)).toBe('in 1 day');
  });
});
