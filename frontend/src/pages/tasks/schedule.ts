// A task's schedule in words: "Every Monday and Friday at 09:00 (Europe/Berlin)".
import type { Schedule, ScheduleWindow, Weekday } from '../../api/types';

/** The days of the week in order, with their names. */
export const WEEKDAYS: ReadonlyArray<{ value: Weekday; short: string; long: string }> = [
  { value: 'mon', short: 'Mon', long: 'Monday' },
  { value: 'tue', short: 'Tue', long: 'Tuesday' },
  { value: 'wed', short: 'Wed', long: 'Wednesday' },
  { value: 'thu', short: 'Thu', long: 'Thursday' },
  { value: 'fri', short: 'Fri', long: 'Friday' },
  { value: 'sat', short: 'Sat', long: 'Saturday' },
  { value: 'sun', short: 'Sun', long: 'Sunday' },
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "a, b and c". */
function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** A calendar date `YYYY-MM-DD` as "Wed 3 Mar 2027" (whatever the browser's zone); as it is when malformed. */
export function dateInWords(date: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return date;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return `${DAY_NAMES[weekday]} ${day} ${MONTHS[month - 1] ?? match[2]} ${year}`;
}

/** The weekdays in words, in week order: "every day", "every weekday (Mon–Fri)", "every Monday and Friday". */
export function weekdaysInWords(days: readonly Weekday[]): string {
  const chosen = WEEKDAYS.filter((d) => days.includes(d.value));
  if (chosen.length === 7) return 'every day';
  if (chosen.length === 5 && chosen.every((d) => d.value !== 'sat' && d.value !== 'sun'))
    return 'every weekday (Mon–Fri)';
  if (chosen.length === 2 && chosen[0]?.value === 'sat' && chosen[1]?.value === 'sun')
    return 'every weekend (Sat and Sun)';
  return `every ${listInWords(chosen.map((d) => d.long))}`;
}

const UNITS = {
  days: ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
} as const;

/** "only starts between 08:00 and 18:00"; an overnight window says so. */
export function windowInWords(window: ScheduleWindow): string {
  const overnight = window.from > window.to ? ' (overnight)' : '';
  return `only starts between ${window.from} and ${window.to}${overnight}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The day-of-month rule of a month interval started late in a month. */
function monthEndNote(startDate: string): string {
  const day = Number(startDate.slice(8, 10));
  return day > 28 ? ` (on day ${day}, or the month's last day when it is shorter)` : '';
}

/** The schedule's timing, without window or zone. */
function timing(schedule: Schedule): string {
  switch (schedule.kind) {
    case 'manual':
      return 'Manual only';
    case 'once': {
      const [date = '', time = ''] = schedule.at.split('T');
      return `Once, on ${dateInWords(date)} at ${time}`;
    }
    case 'weekly':
      return `${capitalize(weekdaysInWords(schedule.weekdays))} at ${schedule.time}`;
    case 'interval': {
      const [one, many] = UNITS[schedule.unit];
      const every = schedule.every === 1 ? `Every ${one}` : `Every ${schedule.every} ${many}`;
      const start = schedule.startDate ? `, from ${dateInWords(schedule.startDate)}` : '';
      const monthEnd =
        schedule.unit === 'months' && schedule.startDate ? monthEndNote(schedule.startDate) : '';
      return `${every} at ${schedule.time}${start}${monthEnd}`;
    }
  }
}

/**
 * The schedule in words, with its window and (for timed schedules) its time zone:
 * "Every Monday and Friday at 09:00 (Europe/Berlin); only starts between 08:00 and 18:00".
 */
export function scheduleInWords(schedule: Schedule, timeZone?: string): string {
  const zone = timeZone && schedule.kind !== 'manual' ? ` (${timeZone})` : '';
  const window =
    schedule.window && schedule.kind !== 'manual' ? `; ${windowInWords(schedule.window)}` : '';
  return `${timing(schedule)}${zone}${window}`;
}
