import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { anchorOf } from './hostHistory';
import { installFakeAp, installFakeFetch } from './test/fakeServer';
import { KEY_VIEW, ME, renderApp } from './test/app';

function fakeServer() {
  installFakeFetch({
    'GET /api/v1/me': () => ({ status: 200, body: ME }),
    'GET /api/v1/settings/api-key': () => ({ status: 200, body: KEY_VIEW }),
  });
}

describe("the app's place in Jira's address", () => {
  it("keeps the route's parameters, not the host's", () => {
    expect(
      anchorOf('?xdm_e=https%3A%2F%2Facme.atlassian.net&jwt=x&view=audit&kind=sync.failed'),
    ).toBe('view=audit&kind=sync.failed');
    expect(anchorOf('?xdm_e=x')).toBe('');
  });

  it('comes back to the place the anchor kept when Jira reloads the page', async () => {
    const ap = installFakeAp('view=audit&kind=settings.updated');
    fakeServer();
    renderApp('?xdm_e=https%3A%2F%2Facme.atlassian.net');
    await waitFor(() =>
      expect(screen.getByTestId('nav-audit')).toHaveAttribute('aria-current', 'true'),
    );
    const query = new URLSearchParams(window.location.search);
    expect([query.get('view'), query.get('kind'), query.get('xdm_e')]).toEqual([
      'audit',
      'settings.updated',
      'https://acme.atlassian.net',
    ]);
    expect(ap.anchor()).toBe('view=audit&kind=settings.updated');
  });

  it('writes each navigation into the anchor, and a link into the iframe wins over it', async () => {
    const ap = installFakeAp('view=audit');
    fakeServer();
    renderApp('?xdm_e=x&view=users');
    await waitFor(() => expect(ap.anchor()).toBe('view=users'));
    expect(screen.getByTestId('nav-users')).toHaveAttribute('aria-current', 'true');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('nav-operations'));
    await waitFor(() => expect(ap.anchor()).toBe('view=operations'));
    expect(screen.getByTestId('nav-operations')).toHaveAttribute('aria-current', 'true');
  });
});
