import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The Rust server serves dist/index.html at /admin and /app and dist/assets at /assets, so
// every asset URL in index.html must be absolute (`base: '/'`).
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    alias: {
      // Atlaskit's feature-gate client is never initialized here: a stub answers "off".
      '@atlaskit/feature-gate-js-client/feature-gates': '/src/vendor/featureGates.ts',
    },
  },
  define: {
    // Atlaskit reads process.env.CI in development-only warnings.
    'process.env.CI': 'false',
  },
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    // `npm run dev` against a running `orgwarden serve` (API only; AP needs the Jira host).
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    css: false,
    restoreMocks: true,
    // Page tests drive whole Atlaskit screens; the 2-core CI machine needs the headroom.
    testTimeout: 20_000,
  },
});
