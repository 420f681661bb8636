// In-app navigation through the iframe's own URL: `?view=<section>` plus the page's state
// (`filter`, `sort`, `page`…), so reloads and the browser's back button keep them. Everything
// else in the query (Jira's `xdm_e`, `jwt`, …) is left as it is. A deep link into Jira passes
// them as Connect `ac.` parameters (`…/plugins/servlet/ac/<app>/<page>?ac.view=tasks&ac.task=3`),
// which the iframe receives as `ac.view`, `ac.task`: they are read the same way.
import { createContext, useContext } from 'react';
import { type SectionId, sectionFromView } from './features';

/** Query parameters owned by the app's pages. */
export const ROUTE_PARAMS = [
  'view',
  'filter',
  'sort',
  'desc',
  'page',
  'size',
  'user',
  'site',
  'days',
  'op',
  'saved',
  'panel',
  'kind',
  'actor',
  'from',
  'to',
  'webhook',
  'task',
  'process',
] as const;
export type RouteParam = Exclude<(typeof ROUTE_PARAMS)[number], 'view'>;

/**
 * Parameters that stay when another section opens: the dashboard's site (no other page reads
 * it), so leaving the dashboard and coming back keeps the chosen site, as a reload does.
 */
const KEPT_ACROSS_SECTIONS: ReadonlySet<string> = new Set<RouteParam>(['site']);

/** Values to set; null or '' removes a parameter. */
export type RoutePatch = Partial<Record<RouteParam, string | null>>;

export interface Route {
  section: SectionId;
  /** The page's own parameters (never `view` nor the host's). */
  params: URLSearchParams;
}

/** The value of a route parameter: its own, else its Connect `ac.` form from a deep link. */
function paramOf(query: URLSearchParams, name: string): string | null {
  return query.get(name) ?? query.get(`ac.${name}`);
}

/** True when the query string names a section (`view`, or a deep link's `ac.view`). */
export function namesView(search: string): boolean {
  return paramOf(new URLSearchParams(search), 'view') !== null;
}

/** The route a query string addresses. */
export function readRoute(search: string): Route {
  const query = new URLSearchParams(search);
  const params = new URLSearchParams();
  for (const name of ROUTE_PARAMS) {
    const value = paramOf(query, name);
    if (name !== 'view' && value !== null && value !== '') params.set(name, value);
  }
  return { section: sectionFromView(paramOf(query, 'view')), params };
}

/**
 * The query string for `section` with `patch` applied: host parameters kept, the section's
 * parameters replaced (`keep` false: all but those kept across sections) or patched (`keep` true).
 */
export function routeSearch(
  current: string,
  section: SectionId,
  patch: RoutePatch,
  keep: boolean,
): string {
  const query = new URLSearchParams(current);
  for (const name of ROUTE_PARAMS) {
    // A deep link's `ac.` parameters become the app's own at the first navigation.
    const linked = query.get(`ac.${name}`);
    if (linked !== null && !query.has(name)) query.set(name, linked);
    query.delete(`ac.${name}`);
  }
  if (!keep) {
    for (const name of ROUTE_PARAMS) if (!KEPT_ACROSS_SECTIONS.has(name)) query.delete(name);
  }
  query.set('view', section);
  for (const [name, value] of Object.entries(patch)) {
    if (value === null || value === undefined || value === '') query.delete(name);
    else query.set(name, value);
  }
  return `?${query.toString()}`;
}

export interface Router {
  route: Route;
  /** Opens a section (a new history entry), with only the given parameters (and `site`). */
  navigate(section: SectionId, params?: RoutePatch): void;
  /** Changes parameters of the current section in place (no new history entry). */
  update(patch: RoutePatch): void;
}

export const RouterContext = createContext<Router | null>(null);

/** The app's router (from `App`). */
export function useRouter(): Router {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useRouter outside <App>');
  return router;
}
