import Spinner from '@atlaskit/spinner';
import { Suspense, lazy, useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useApiKey } from './api/queries';
import { AppHeader } from './components/AppHeader';
import { ConnectPrompt } from './components/ConnectPrompt';
import { LicenseBanner } from './components/LicenseBanner';
import { Navigation } from './components/Navigation';
import { type SectionId, sections } from './features';
import { localFlagsSnapshot, subscribeLocalFlags } from './localFlags';
import { type RoutePatch, type Router, RouterContext, readRoute, routeSearch } from './route';

const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const OperationsPage = lazy(() => import('./pages/operations/OperationsPage'));
const LocalFlags = lazy(() => import('./components/LocalFlags'));

function Page({ section, onNavigate }: { section: SectionId; onNavigate: (s: SectionId) => void }) {
  const apiKey = useApiKey();
  const needsKey = !sections.find((s) => s.id === section)?.withoutApiKey;
  // Without a valid key the app does nothing else: sections that need one send users to Settings.
  if (needsKey && apiKey.isPending) return <Spinner size="medium" label="Loading" />;
  if (needsKey && apiKey.data === null) return <ConnectPrompt onNavigate={onNavigate} />;
  switch (section) {
    case 'settings':
      return <SettingsPage />;
    case 'users':
      return <UsersPage />;
    case 'operations':
      return <OperationsPage />;
    default:
      return <DashboardPage />;
  }
}

/** The app shell: header, navigation, the current section (addressed by the iframe's URL). */
export function App() {
  const [search, setSearch] = useState(() => window.location.search);
  const route = useMemo(() => readRoute(search), [search]);
  const main = useRef<HTMLElement>(null);
  const navigated = useRef(false);
  const hasLocalFlags = useSyncExternalStore(subscribeLocalFlags, localFlagsSnapshot).length > 0;

  useEffect(() => {
    const onPop = () => setSearch(window.location.search);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    // Keyboard and screen-reader users land on the new section, not back on the menu.
    if (navigated.current) main.current?.focus();
  }, [route.section]);

  const go = useCallback((section: SectionId, patch: RoutePatch, keep: boolean) => {
    const next = routeSearch(window.location.search, section, patch, keep);
    const url = `${window.location.pathname}${next}${window.location.hash}`;
    if (keep) window.history.replaceState(window.history.state, '', url);
    else window.history.pushState(null, '', url);
    setSearch(window.location.search);
  }, []);

  const router = useMemo<Router>(
    () => ({
      route,
      navigate: (section, params = {}) => {
        navigated.current = true;
        go(section, params, false);
      },
      update: (patch) => go(route.section, patch, true),
    }),
    [route, go],
  );
  const onNavigate = router.navigate;

  return (
    <RouterContext.Provider value={router}>
      <div className="ow-shell">
        <a className="ow-skip-link" href="#main">
          Skip to content
        </a>
        <AppHeader />
        <LicenseBanner />
        <div className="ow-body">
          <div className="ow-nav">
            <Navigation current={route.section} onSelect={(s) => onNavigate(s)} />
          </div>
          <main id="main" ref={main} tabIndex={-1} className="ow-main">
            <Suspense fallback={<Spinner size="medium" label="Loading" />}>
              <Page section={route.section} onNavigate={(s) => onNavigate(s)} />
            </Suspense>
          </main>
        </div>
        {hasLocalFlags && (
          <Suspense fallback={null}>
            <LocalFlags />
          </Suspense>
        )}
      </div>
    </RouterContext.Provider>
  );
}
