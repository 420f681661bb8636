// Times as people read them: "3 min ago", with the exact date and time for a title.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** "3 min", "2 hours", "5 days", "3 months", "2 years" (at least a minute). */
function span(ms: number): string {
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min`;
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  const days = Math.floor(ms / DAY);
  if (days < 30) return plural(days, 'day');
  if (days < 365) return plural(Math.floor(days / 30), 'month');
  return plural(Math.floor(days / 365), 'year');
}

/** "just now", "3 min ago", "2 hours ago", "5 days ago", "3 months ago", "2 years ago". */
export function relativeTime(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const ago = now - at;
  if (ago < 0) return ago > -MINUTE ? 'just now' : 'in the future';
  if (ago < MINUTE) return 'just now';
  return `${span(ago)} ago`;
}

/** A time to come: "in 3 min", "in 2 hours"; "any moment now" once it is (about) due. */
export function timeUntil(iso: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const ahead = at - now;
  return ahead < MINUTE ? 'any moment now' : `in ${span(ahead)}`;
}

/** The exact local date and time, e.g. "Nov 23, 2026, 8:29 PM". */
export function absoluteTime(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
