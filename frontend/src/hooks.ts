// Small React hooks shared by the pages.
import type { MutateOptions, UseMutationResult } from '@tanstack/react-query';
import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
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

/**
 * `mutation.mutate` that ignores a call while the previous one is in flight: a double click on a
 * button that starts something (an operation, a revert, a task run) starts it once. The
 * mutation's `isPending` disables the button only from the next render, after a second click in
 * the same instant already went through.
 */
export function useSingleFlight<TData, TError, TVariables>(
  mutation: UseMutationResult<TData, TError, TVariables>,
): (variables: TVariables, options?: MutateOptions<TData, TError, TVariables>) => void {
  const inFlight = useRef(false);
  const { mutate } = mutation;
  return useCallback(
    (variables: TVariables, options?: MutateOptions<TData, TError, TVariables>) => {
      if (inFlight.current) return;
      inFlight.current = true;
      mutate(variables, {
        ...options,
        onSettled: (...settled) => {
          inFlight.current = false;
          options?.onSettled?.(...settled);
        },
      });
    },
    [mutate],
  );
}
