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
