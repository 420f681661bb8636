// A 403 `access_denied` answers both a caller who may no longer use orgwarden (access revoked, or
// the rules changed, while the app is open) and one refused a single action (a route only
// organization admins may use, a filter that tasks use). Each refusal is announced here so that the
// app asks `/me` again: only `/me` says whether the caller may still use the app.

/** The error code of a refusal: of the whole app, or of one action. */
export const ACCESS_DENIED = 'access_denied';

type Listener = () => void;

const listeners = new Set<Listener>();

/** Announces a refusal to every listener. */
export function reportAccessDenied(): void {
  for (const listener of listeners) listener();
}

/** Calls `listener` at each refusal; returns the unsubscribe (for effects). */
export function onAccessDenied(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
