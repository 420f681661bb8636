// Flags shown by the SPA itself when there is no Jira host to show them (AP.flag missing).
import type { FlagOptions } from './ap';

/** A flag waiting in our own flag group. */
export interface LocalFlag extends Required<Pick<FlagOptions, 'title' | 'type' | 'close'>> {
  id: number;
  body?: string;
}

type Listener = () => void;

let flags: readonly LocalFlag[] = [];
let nextId = 1;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

/** Adds a flag; `close: 'auto'` flags are dismissed after a few seconds by the renderer. */
export function pushLocalFlag(options: FlagOptions): void {
  const flag: LocalFlag = {
    id: nextId++,
    title: options.title,
    body: options.body,
    type: options.type ?? 'info',
    close: options.close ?? 'auto',
  };
  flags = [flag, ...flags];
  emit();
}

/** Removes a flag by id. */
export function dismissLocalFlag(id: number): void {
  flags = flags.filter((flag) => flag.id !== id);
  emit();
}

/** For `useSyncExternalStore`. */
export function subscribeLocalFlags(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For `useSyncExternalStore`. */
export function localFlagsSnapshot(): readonly LocalFlag[] {
  return flags;
}
