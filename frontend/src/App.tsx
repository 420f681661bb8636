import Spinner from '@atlaskit/spinner';
import { useQueryClient } from '@tanstack/react-query';
import {
  Suspense,
  lazy,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { ACCESS_DENIED, onAccessDenied } from './accessDenied';
import type { ApiError } from './api/errors';
import { queryKeys, useApiKey, useConfined, useMe } from './api/queries';
import { AppHeader } from './components/AppHeader';
import { BootstrapBanner, KeyRejectedBanner } from './components/BootstrapBanner';
import { ConnectPrompt } from './components/ConnectPrompt';
import { ErrorMessage } from './components/ErrorMessage';
import { LicenseBanner } from './components/LicenseBanner';
import { Navigation } from './components/Navigation';
import { NoAccessPage } from './components/NoAccessPage';
import { type SectionId, sectionFor, sections } from './features';
import { localFlagsSnapshot, subscribeLocalFlags } from './localFlags';
import { mayHaveHost, mirrorRoute, routeInHost } from './hostHistory';
import {
  type RoutePatch,
  type Router,
  RouterContext,
  namesView,
  readRoute,
  routeSearch,
} from './route';
import { UnsavedChangesContext, useUnsavedChangesPrompt } from './unsavedChanges';

const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const OperationsPage = lazy(() => import('./pages/operations/OperationsPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const TasksPage = lazy(() => import('./pages/tasks/TasksPage'));
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
    case 'audit':
      return <AuditPage />;
    case 'tasks':
      return <TasksPage />;
    default:
      return <DashboardPage />;
  }
}

function Flags() {
  const hasLocalFlags = useSyncExternalStore(subscribeLocalFlags, localFlagsSnapshot).length > 0;
  if (!hasLocalFlags) return null;
  return (
    <Suspense fallback={null}>
      <LocalFlags />
    </Suspense>
  );
}

/** How long a reloaded app waits for Jira to say where it was before it leaves that behind. */
const ANCHOR_WAIT_MS = 2_000;

/**
 * The app shell: header, navigation, the current section (addressed by the iframe's URL). In
 * `setup` only Settings' key form: for a Jira admin before any Organization API key is saved
 * (`jiraAdmin`), or for an org admin while Atlassian rejects the saved key (`keyRejected`).
 */
function Shell({ setup }: { setup: 'jiraAdmin' | 'keyRejected' | null }) {
  const bootstrap = setup !== null;
  const [search, setSearch] = useState(() => window.location.search);
  const route = useMemo(() => readRoute(search), [search]);
  const main = useRef<HTMLElement>(null);
  const navigated = useRef(false);
  const { unsaved, prompt } = useUnsavedChangesPrompt();
  const shown = useRef(search);

  useEffect(() => {
    shown.current = search;
  }, [search]);

  useEffect(() => {
    const onPop = () => {
      const target = window.location.search;
      // The browser has already moved: a page kept for its unsaved input gets its address back.
      const keep = () => {
        const url = `${window.location.pathname}${shown.current}${window.location.hash}`;
        window.history.pushState(null, '', url);
      };
      unsaved.confirmDiscard(() => setSearch(target), { onKeep: keep });
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, [unsaved]);

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

  // Jira's page reloaded: the iframe starts without the app's place, which the host's anchor
  // kept. Until that is known (or the host has not answered in 2 s) the anchor is left alone and
  // the page waits, rather than show (and load) the dashboard for a moment. Without a host there
  // is nothing to wait for.
  const [placed, setPlaced] = useState(() => namesView(search) || !mayHaveHost(search));
  useEffect(() => {
    if (placed) return;
    let current = true;
    const settle = () => {
      if (current) setPlaced(true);
    };
    const giveUp = setTimeout(settle, ANCHOR_WAIT_MS);
    void routeInHost().then((found) => {
      // An admin who went elsewhere meanwhile stays there.
      if (current && found && !namesView(window.location.search)) {
        const kept = readRoute(found);
        go(kept.section, Object.fromEntries(kept.params) as RoutePatch, true);
      }
      settle();
    });
    return () => {
      current = false;
      clearTimeout(giveUp);
    };
  }, [placed, go]);
  useEffect(() => {
    if (placed) void mirrorRoute(search);
  }, [placed, search]);

  const router = useMemo<Router>(
    () => ({
      route,
      navigate: (section, params = {}) =>
        unsaved.confirmDiscard(() => {
          navigated.current = true;
          go(section, params, false);
        }),
      update: (patch) => go(route.section, patch, true),
    }),
    [route, go, unsaved],
  );
  const onNavigate = router.navigate;
  const confined = useConfined();
  const section = bootstrap ? 'settings' : sectionFor(route.section, confined);
  // An admin who picks a section meanwhile gets it at once.
  const opening = !placed && !bootstrap && !namesView(search);

  useEffect(() => {
    // Setup happens in Settings: say so in the URL, so the app stays there once the key is saved.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- syncing from an external system (history)
    if (bootstrap && route.section !== 'settings') go('settings', {}, true);
  }, [bootstrap, route.section, go]);

  return (
    <RouterContext.Provider value={router}>
      <UnsavedChangesContext.Provider value={unsaved}>
        <div className="ow-shell">
          <a className="ow-skip-link" href="#main">
            Skip to content
          </a>
          <AppHeader sync={!bootstrap} />
          {setup === 'keyRejected' && <KeyRejectedBanner />}
          {setup === 'jiraAdmin' && <BootstrapBanner />}
          {setup === null && <LicenseBanner />}
          <div className="ow-body">
            <div className="ow-nav">
              <Navigation
                current={opening ? null : section}
                onSelect={(s) => onNavigate(s)}
                bootstrap={bootstrap}
              />
            </div>
            <main id="main" ref={main} tabIndex={-1} className="ow-main">
              <Suspense fallback={<Spinner size="medium" label="Loading" />}>
                {opening ? (
                  <Spinner size="medium" label="Opening…" testId="opening" />
                ) : bootstrap ? (
                  <SettingsPage bootstrap />
                ) : (
                  <Page section={section} onNavigate={(s) => onNavigate(s)} />
                )}
              </Suspense>
            </main>
          </div>
        </div>
        {prompt}
      </UnsavedChangesContext.Provider>
    </RouterContext.Provider>
  );
}

/**
 * `/me`'s refusal (`access_denied`), kept while `/me` is asked again until it answers: without data
 * the query is pending meanwhile, and the no-access page must not blink away (remounted, it would
 * ask again, without end).
 */
function useMeRefusal(me: ReturnType<typeof useMe>): ApiError | null {
  const [refusal, setRefusal] = useState<ApiError | null>(null);
  const latest = me.isSuccess ? null : me.error?.code === ACCESS_DENIED ? me.error : refusal;
  if (latest !== refusal) setRefusal(latest);
  return latest;
}

/**
 * The app: first who the caller is (`GET /api/v1/me`). Someone who may not use orgwarden gets only
 * the no-access page. A call refused with `access_denied` may be one action the caller may not
 * take (its error shows where it was taken), or access withdrawn: `/me`, asked again, tells.
 */
export function App() {
  const me = useMe();
  const client = useQueryClient();

  useEffect(
    () => onAccessDenied(() => void client.invalidateQueries({ queryKey: queryKeys.me })),
    [client],
  );

  const access = me.data?.access;
  const meRefused = useMeRefusal(me);
  let content;
  if (access?.allowed === false || meRefused) {
    content = <NoAccessPage denied={meRefused} />;
  } else if (me.data) {
    const setup = access?.keyRejected
      ? 'keyRejected'
      : access?.as === 'jiraAdmin'
        ? 'jiraAdmin'
        : null;
    content = <Shell setup={setup} />;
  } else if (me.isError) {
    content = (
      <main id="main" className="ow-boot">
        <ErrorMessage
          error={me.error}
          title="orgwarden could not start"
          onRetry={() => void me.refetch()}
        />
      </main>
    );
  } else {
    content = (
      <div className="ow-boot">
        <Spinner size="medium" label="Loading orgwarden" />
      </div>
    );
  }

  return (
    <>
      {content}
      <Flags />
    </>
  );
}
