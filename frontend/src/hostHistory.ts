// The app's place in Jira's own address. orgwarden's route lives in its iframe's URL, which a
// reload of Jira's page forgets; Connect's history module keeps an anchor (`#!…`) on the host page
// of a page module, so the route is mirrored there and read back when the iframe loads without one.
import { allJsUrl, loadAp } from './ap';
import { ROUTE_PARAMS } from './route';

/** The route part of a query string (`view` and the pages' parameters), as an anchor's text. */
export function anchorOf(search: string): string {
  const query = new URLSearchParams(search);
  const kept = new URLSearchParams();
  for (const name of ROUTE_PARAMS) {
    const value = query.get(name);
    if (value !== null && value !== '') kept.set(name, value);
  }
  return kept.toString();
}

/**
 * Replaces the host's anchor with the route of `search`. No new history entry: the iframe's own
 * entries already give the browser's back and forward buttons their steps.
 */
export async function mirrorRoute(search: string): Promise<void> {
  const ap = await loadAp();
  ap?.history?.replaceState(anchorOf(search));
}

/**
 * Whether a Jira host may answer where the app was: false without `AP` and without `xdm_e` in the
 * iframe's query string (the app then opens at once).
 */
export function mayHaveHost(search: string): boolean {
  return window.AP !== undefined || allJsUrl(search) !== null;
}

/** The route the host's anchor holds, as a query string (`?view=…`); null when it holds none. */
export async function routeInHost(): Promise<string | null> {
  const history = (await loadAp())?.history;
  if (!history) return null;
  const state = await new Promise<string>((resolve) => {
    const answer = history.getState('hash', (value) => resolve(String(value ?? '')));
    if (typeof answer === 'string') resolve(answer);
    else if (answer && typeof answer.then === 'function')
      answer.then(
        (value) => resolve(String(value ?? '')),
        () => resolve(''),
      );
  });
  const anchor = anchorOf(state.replace(/^!/, ''));
  return new URLSearchParams(anchor).has('view') ? `?${anchor}` : null;
}
