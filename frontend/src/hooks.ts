// Small React hooks shared by the pages.
import { type RefObject, useEffect, useState } from 'react';
import { useRouter } from './route';

/** `Date.now()` at this render; renders again every `intervalMs` so relative times stay true. */
export function useNow(intervalMs = 30_000): number {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  // Reading the clock at each render is the point: data that arrives later is measured against
  // the time it is shown, not the last tick.
  // eslint-disable-next-line react-hooks/purity -- the hook's contract is "the time of this render"
  return Date.now();
}

/**
 * Focuses and scrolls to a panel of a page when the route's `panel` parameter names it (a link
 * from the header lands there, after the shell has focused the page).
 */
export function usePanelFocus(panelId: string, panel: RefObject<HTMLElement | null>): void {
  const { route } = useRouter();
  const linked = route.params.get('panel') === panelId;
  useEffect(() => {
    if (!linked) return;
    const frame = requestAnimationFrame(() => {
      panel.current?.focus();
      panel.current?.scrollIntoView?.({ block: 'start' });
    });
    return () => cancelAnimationFrame(frame);
  }, [linked, panel]);
}
