// The IANA time zones the browser knows, as options of a select.

/** A select option. */
export interface ZoneOption {
  label: string;
  value: string;
}

/** Every zone the browser knows, UTC first, and `current` even when the browser does not know it. */
export function timeZones(current: string): ZoneOption[] {
  const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
  if (current !== '') zones.add(current);
  return [...zones].map((z) => ({ label: z.replace(/_/g, ' '), value: z }));
}

/**
 * The date and time on the clocks of `zone` at `instant`, as `YYYY-MM-DDTHH:MM` (so that two of
 * them compare as strings); null for a zone the browser does not know.
 */
export function wallClockIn(zone: string, instant: number): string | null {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }).formatToParts(instant);
  } catch {
    return null;
  }
  const part = (type: Intl.DateTimeFormatPartTypes) =>
    parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year').padStart(4, '0')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}`;
}
