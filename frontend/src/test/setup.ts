import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// waitFor/findBy give up after 1 s by default; a whole Atlaskit page rendering on a loaded 2-core
// CI machine can take longer (a users table once appeared after the deadline). A missing element
// still fails the test, only later.
configure({ asyncUtilTimeout: 10_000 });

// jsdom lacks these browser APIs that Atlaskit and ap.ts use.
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => {},
      removeListener: () => {},
      addEventListener: () => {},
      removeEventListener: () => {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
if (!('ResizeObserver' in window)) {
  class NoopResizeObserver {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  (window as unknown as { ResizeObserver: unknown }).ResizeObserver = NoopResizeObserver;
}

// Node loads Atlaskit's CommonJS builds, which bypass the feature-gate alias of vite.config.ts;
// answer every Atlaskit rollout flag "off" here too, as the stub does in the app.
(globalThis as Record<string, unknown>).__PLATFORM_FEATURE_FLAGS__ = {
  booleanResolver: () => false,
};

afterEach(() => {
  cleanup();
  // Drafts the editors kept in the tab (keptDrafts.ts) belong to the test that typed them.
  window.sessionStorage.clear();
});
