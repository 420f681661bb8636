// Small React hooks shared by the pages.
import { useEffect, useState } from 'react';

/** `Date.now()` at this render; renders again every `intervalMs` so relative times stay true. */
export function useNow(intervalMs = 30_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return Date.now();
}
