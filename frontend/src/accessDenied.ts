// "You may not use orgwarden": set when any API call answers 403 `access_denied` (access revoked,
// or the rules changed, while the app is open); the app then shows only the no-access page.
import type { ApiError } from './api/errors';

/** The error code of every `/api/v1` route for a caller who may not use the app. */
export const ACCESS_DENIED = 'access_denied';

type Listener = () => void;

let denied: ApiError | null = null;
const listeners = new Set<Listener>();

function emit(): void {
  for (const listener of listeners) listener();
}

/** Records the refusal (the first one is kept until cleared). */
export function reportAccessDenied(error: ApiError): void {
  if (denied) return;
  denied = error;
  emit();
}

/** Forgets the refusal ("Check again" found access granted). */
export function clearAccessDenied(): void {
  if (!denied) return;
  denied = null;
  emit();
}

/** For `useSyncExternalStore`. */
export function subscribeAccessDenied(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** For `useSyncExternalStore`: the refusal, or null. */
export function accessDeniedSnapshot(): ApiError | null {
  return denied;
}
