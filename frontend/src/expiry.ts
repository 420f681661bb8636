// API key expiry dates are calendar dates ("YYYY-MM-DD"), compared in the viewer's local time.

/** From this many days before expiry (the header, Settings and the dashboard), the UI warns. */
export const EXPIRY_WARNING_DAYS = 14;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The calendar date of a "YYYY-MM-DD" (or ISO date-time) string, or null. */
export function parseDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(y, m - 1, d);
  return date.getFullYear() === y && date.getMonth() === m - 1 && date.getDate() === d
    ? date
    : null;
}

/** Today (local) as "YYYY-MM-DD", for date inputs. */
export function todayIso(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Whole days from today until the date (0 = expires today, negative = expired). */
export function daysUntil(value: string, now: Date = new Date()): number | null {
  const date = parseDate(value);
  if (!date) return null;
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return Math.round((date.getTime() - today.getTime()) / DAY_MS);
}

/** "12 Mar 2027" in the viewer's locale; the raw value when it is not a date. */
export function formatDate(value: string): string {
  const date = parseDate(value);
  return date
    ? date.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })
    : value;
}

/** How a key's expiry should be presented. */
export type ExpiryState = 'ok' | 'soon' | 'expired' | 'unknown';

export function expiryState(days: number | null): ExpiryState {
  if (days === null) return 'unknown';
  if (days < 0) return 'expired';
  return days <= EXPIRY_WARNING_DAYS ? 'soon' : 'ok';
}

/** "expires today", "expires in 1 day", "expired 3 days ago". */
export function describeDays(days: number): string {
  if (days === 0) return 'expires today';
  const n = Math.abs(days);
  const unit = n === 1 ? 'day' : 'days';
  return days > 0 ? `expires in ${n} ${unit}` : `expired ${n} ${unit} ago`;
}
