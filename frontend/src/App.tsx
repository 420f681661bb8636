import Spinner from '@atlaskit/spinner';
import { Suspense, lazy, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { useApiKey } from './api/queries';
import { AppHeader } from './components/AppHeader';
import { Navigation } from './components/Navigation';
import { type SectionId, sectionFromView, sections } from './features';
import { localFlagsSnapshot, subscribeLocalFlags } from './localFlags';
import { ConnectPrompt, Overview } from './pages/Overview';

const SettingsPage = lazy(() => import('./pages/settings/SettingsPage'));
const LocalFlags = lazy(() => import('./components/LocalFlags'));

function Page({ section, onNavigate }: { section: SectionId; onNavigate: (s: SectionId) => void }) {
  const apiKey = useApiKey();
  const needsKey = !sections.find((s) => s.id === section)?.withoutApiKey;
  // Without a valid key the app does nothing else: sections that need one send users to Settings.
  if (needsKey && apiKey.data === null) return <ConnectPrompt onNavigate={onNavigate} />;
  switch (section) {
    case 'settings':
      return <SettingsPage />;
    default:
      return <Overview onNavigate={onNavigate} />;
  }
}

/** The app shell: header, navigation, the current section. */
export function App() {
  const [section, setSection] = useState<SectionId>(() =>
    sectionFromView(new URLSearchParams(window.location.search).get('view')),
  );
  const main = useRef<HTMLElement>(null);
  const navigated = useRef(false);
  const hasLocalFlags = useSyncExternalStore(subscribeLocalFlags, localFlagsSnapshot).length > 0;

  useEffect(() => {
    // Keyboard and screen-reader users land on the new section, not back on the menu.
    if (navigated.current) main.current?.focus();
  }, [section]);

  const onNavigate = (next: SectionId) => {
    navigated.current = true;
    setSection(next);
  };

  return (
    <div className="ow-shell">
      <a className="ow-skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader />
      <div className="ow-body">
        <div className="ow-nav">
          <Navigation current={section} onSelect={onNavigate} />
        </div>
        <main id="main" ref={main} tabIndex={-1} className="ow-main">
          <Suspense fallback={<Spinner size="medium" label="Loading" />}>
            <Page section={section} onNavigate={onNavigate} />
          </Suspense>
        </main>
      </div>
      {hasLocalFlags && (
        <Suspense fallback={null}>
          <LocalFlags />
        </Suspense>
      )}
    </div>
  );
}
