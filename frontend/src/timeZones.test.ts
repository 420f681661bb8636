import { describe, expect, it } from 'vitest';
import { wallClockIn } from './timeZones';

describe('wallClockIn', () => {
  const instant = Date.parse('2027-03-03T23:30:00Z');

  it('reads the clocks of the zone, summer time included', () => {
    expect(wallClockIn('UTC', instant)).toBe('2027-03-03T23:30');
    expect(wallClockIn('Europe/Berlin', instant)).toBe('2027-03-04T00:30');
    expect(wallClockIn('America/New_York', instant)).toBe('2027-03-03T18:30');
    expect(wallClockIn('Europe/Berlin', Date.parse('2027-07-01T22:00:00Z'))).toBe(
      '2027-07-02T00:00',
    );
  });

  it('answers null for a zone the browser does not know', () => {
    expect(wallClockIn('Mars/Olympus_Mons', instant)).toBeNull();
  });
});
