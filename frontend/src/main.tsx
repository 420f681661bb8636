import '@atlaskit/css-reset/dist/bundle.css';
import './styles.css';
import { setGlobalTheme } from '@atlaskit/tokens/set-global-theme';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { fitToHost } from './ap';
import { App } from './App';
import { ApiError, CLIENT_CODES } from './api/errors';

void setGlobalTheme({ colorMode: 'light' });

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Only failures that may pass retry: network, rate limit, server errors.
      retry: (count, error) =>
        count < 2 &&
        error instanceof ApiError &&
        (error.code === CLIENT_CODES.network || error.status === 429 || error.status >= 500),
      // Focus moves in and out of the Jira iframe constantly.
      refetchOnWindowFocus: false,
    },
    mutations: { retry: false },
  },
});

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <App />
      </QueryClientProvider>
    </StrictMode>,
  );
}
void fitToHost();
