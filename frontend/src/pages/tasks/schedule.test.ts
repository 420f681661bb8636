import { describe, expect, it } from 'vitest';
import { dateInWords, scheduleInWords, weekdaysInWords } from './schedule';

describe('scheduleInWords', () => {
  it('says manual only, without zone or window', () => {
    expect(
      scheduleInWords({ kind: 'manual', window: { from: '08:00', to: '18:00' } }, 'Europe/Berlin'),
    ).toBe('Manual only');
  });

  it('names the date and weekday of a single run, with its zone', () => {
    expect(scheduleInWords({ kind: 'once', at: '2027-03-03T09:30' }, 'Europe/Berlin')).toBe(
      'Once, on Wed 3 Mar 2027 at 09:30 (Europe/Berlin)',
    );
  });

  it('lists weekdays in week order whatever order they were chosen in', () => {
    expect(
      scheduleInWords({ kind: 'weekly', weekdays: ['fri', 'mon', 'wed'], time: '07:00' }),
    ).toBe('Every Monday, Wednesday and Friday at 07:00');
    expect(scheduleInWords({ kind: 'weekly', weekdays: ['sun'], time: '23:45' }, 'UTC')).toBe(
      'Every Sunday at 23:45 (UTC)',
    );
  });

  it('names every day, weekdays and weekends', () => {
    expect(weekdaysInWords(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBe('every day');
    expect(weekdaysInWords(['fri', 'thu', 'wed', 'tue', 'mon'])).toBe('every weekday (Mon–Fri)');
    expect(weekdaysInWords(['sun', 'sat'])).toBe('every weekend (Sat and Sun)');
    expect(weekdaysInWords(['mon', 'tue', 'wed', 'thu', 'sat'])).toBe(
      'every Monday, Tuesday, Wednesday, Thursday and Saturday',
    );
  });

  it('says intervals in the singular for one and the plural for more, with their start', () => {
    expect(scheduleInWords({ kind: 'interval', every: 1, unit: 'days', time: '02:30' })).toBe(
      'Every day at 02:30',
    );
    expect(
      scheduleInWords({
        kind: 'interval',
        every: 2,
        unit: 'weeks',
        time: '09:00',
        startDate: '2027-01-04',
      }),
    ).toBe('Every 2 weeks at 09:00, from Mon 4 Jan 2027');
    expect(
      scheduleInWords({
        kind: 'interval',
        every: 1,
        unit: 'months',
        time: '09:00',
        startDate: '2027-01-15',
      }),
    ).toBe('Every month at 09:00, from Fri 15 Jan 2027');
  });

  it('says where a month interval started late in a month lands', () => {
    expect(
      scheduleInWords({
        kind: 'interval',
        every: 3,
        unit: 'months',
        time: '06:00',
        startDate: '2027-01-31',
      }),
    ).toBe(
      "Every 3 months at 06:00, from Sun 31 Jan 2027 (on day 31, or the month's last day when it is shorter)",
    );
  });

  it('adds the window, and says when it spans midnight', () => {
    expect(
      scheduleInWords(
        {
          kind: 'weekly',
          weekdays: ['mon'],
          time: '09:00',
          window: { from: '08:00', to: '18:00' },
        },
        'UTC',
      ),
    ).toBe('Every Monday at 09:00 (UTC); only starts between 08:00 and 18:00');
    expect(
      scheduleInWords({
        kind: 'interval',
        every: 1,
        unit: 'days',
        time: '23:00',
        window: { from: '22:00', to: '06:00' },
      }),
    ).toBe('Every day at 23:00; only starts between 22:00 and 06:00 (overnight)');
  });
});

describe('dateInWords', () => {
  it('keeps a malformed date as it is', () => {
    expect(dateInWords('soon')).toBe('soon');
    expect(dateInWords('2028-02-29')).toBe('Tue 29 Feb 2028');
  });
});
