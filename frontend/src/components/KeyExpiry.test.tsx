import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { KEY_VIEW, baseRoutes, renderApp } from '../test/app';
import { installFakeAp, installFakeFetch } from '../test/fakeServer';

function withKeyExpiring(expiresAt: string) {
  installFakeFetch({
    ...baseRoutes(),
    'GET /api/v1/settings/api-key': () => ({ status: 200, body: { ...KEY_VIEW, expiresAt } }),
  });
}

describe('API key expiry in the header', () => {
  beforeEach(() => {
    installFakeAp();
    vi.useFakeTimers({ shouldAdvanceTime: true, toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 2, 10, 12, 0)); // 10 March 2026, local noon
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('appears 14 days before expiry and links to the key in Settings', async () => {
    withKeyExpiring('2026-03-24');
    renderApp('?view=users');
    const notice = await screen.findByTestId('header-key-expiry');
    expect(notice).toHaveTextContent('API key expires in 14 days');
    expect(notice.closest('header')).not.toBeNull();

    await userEvent.setup().click(notice);
    await waitFor(() =>
      expect(new URLSearchParams(window.location.search).get('view')).toBe('settings'),
    );
    expect(new URLSearchParams(window.location.search).get('panel')).toBe('api-key');
    await waitFor(() => expect(screen.getByTestId('api-key-panel')).toHaveFocus());
  });

  it('says so once the key has expired', async () => {
    withKeyExpiring('2026-03-08');
    renderApp('?view=settings');
    expect(await screen.findByTestId('header-key-expiry')).toHaveTextContent(
      'API key expired 2 days ago',
    );
  });

  it('stays out of the way 15 days before expiry', async () => {
    withKeyExpiring('2026-03-25');
    renderApp('?view=settings');
    expect(await screen.findByTestId('masked-key')).toBeInTheDocument();
    expect(screen.queryByTestId('header-key-expiry')).not.toBeInTheDocument();
  });
});
