import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { KEY_VIEW, ME, baseRoutes, meWith, renderApp, users, productAdminMe } from '../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../test/fakeServer';

const REASON =
  'You are a product admin, and orgwarden lets only organization admins in. An organization admin can switch product admins on in Settings → App access control.';

const DENIED = meWith({ allowed: false, as: null, reason: REASON });

const accessDenied = () => ({
  status: 403,
  body: envelope('access_denied', 'You may not use orgwarden: ask an organization admin.'),
});

describe('No access', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('shows only the no-access page, with the reason and who can grant access, when /me says so', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({ status: 200, body: DENIED }),
    });
    renderApp('?view=dashboard');

    const page = await screen.findByTestId('no-access');
    expect(within(page).getByRole('heading', { level: 1 })).toHaveTextContent(
      "You don't have access to orgwarden",
    );
    expect(within(page).getByTestId('no-access-reason')).toHaveTextContent(REASON);
    const who = within(page).getByTestId('no-access-who');
    expect(who).toHaveTextContent('organization admins');
    expect(who).toHaveTextContent('Settings → App access control');
    expect(page).toHaveTextContent('acc-1');
    expect(page).toHaveFocus();

    // Nothing else: no navigation, no header, no calls beyond /me.
    expect(screen.queryByTestId('navigation')).not.toBeInTheDocument();
    expect(screen.queryByTestId('sync-state')).not.toBeInTheDocument();
    expect(screen.queryByTestId('dashboard')).not.toBeInTheDocument();
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me']);
  });

  it('switches to the no-access page when a call answers access_denied, and back once access is granted', async () => {
    let me: unknown = productAdminMe();
    let revoked = false;
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({ status: 200, body: me }),
      'POST /api/v1/users/search': () =>
        revoked
          ? accessDenied()
          : { status: 200, body: { items: users(3), total: 3, page: 1, pageSize: 25 } },
    });
    renderApp('?view=dashboard');
    const user = userEvent.setup();
    // The dashboard has read everything it shows (its product tiles search users too).
    await screen.findAllByTestId('product-tile');

    // An org admin switches product admins off while the page is open.
    revoked = true;
    me = DENIED;
    await user.click(await screen.findByTestId('nav-users'));

    const page = await screen.findByTestId('no-access');
    // The reason comes from /me, asked again after the refusal.
    await waitFor(() =>
      expect(within(page).getByTestId('no-access-reason')).toHaveTextContent(REASON),
    );
    expect(screen.queryByTestId('navigation')).not.toBeInTheDocument();

    // Still refused: says so.
    await user.click(within(page).getByTestId('no-access-check'));
    await waitFor(() =>
      expect(within(page).getByTestId('no-access-status')).toHaveTextContent(
        "You still don't have access.",
      ),
    );

    // Switched on again: "Check again" opens the app where it was.
    revoked = false;
    me = meWith({ allowed: true, as: 'productAdmin', reason: 'Product admins may use orgwarden.' });
    await user.click(within(page).getByTestId('no-access-check'));
    expect(await screen.findByTestId('navigation')).toBeInTheDocument();
    await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(3));
    expect(screen.queryByTestId('no-access')).not.toBeInTheDocument();
  });

  it('shows the refusal’s own message when /me cannot say why', async () => {
    const calls = installFakeFetch({ ...baseRoutes(), 'GET /api/v1/me': accessDenied });
    renderApp('?view=dashboard');
    const page = await screen.findByTestId('no-access');
    expect(within(page).getByTestId('no-access-reason')).toHaveTextContent(
      'You may not use orgwarden: ask an organization admin.',
    );
    // The page stays put: /me is not asked again and again.
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.getByTestId('no-access')).toBe(page);
    expect(calls.filter((c) => c.path === '/api/v1/me').length).toBeLessThanOrEqual(2);
  });

  it('shows a refused action’s message where it was taken while /me still lets the caller in', async () => {
    let me: unknown = ME;
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({ status: 200, body: me }),
      'PUT /api/v1/settings/access': () => {
        // The caller is no organization admin any more, but product admins may use the app.
        me = productAdminMe();
        return {
          status: 403,
          body: envelope(
            'access_denied',
            'Only organization admins may change this. Ask an organization admin of your Atlassian organization.',
          ),
        };
      },
    });
    renderApp('?view=settings');
    const user = userEvent.setup();
    const form = await screen.findByTestId('access-control-form');
    await user.click(within(form).getByLabelText('User access admins'));
    await user.click(within(form).getByTestId('access-control-save'));

    expect(await within(form).findByTestId('error-message')).toHaveTextContent(
      'Only organization admins may change this.',
    );
    // /me, asked again, still lets the caller in: the app stays, now read-only here.
    expect(await screen.findByTestId('access-control-readonly')).toBeInTheDocument();
    expect(calls.filter((c) => c.path === '/api/v1/me')).toHaveLength(2);
    expect(screen.queryByTestId('no-access')).not.toBeInTheDocument();
    expect(screen.getByTestId('navigation')).toBeInTheDocument();
  });
});

describe('Setup by a Jira admin (no Organization API key yet)', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('offers only the API key form, explains who finishes setup, and applies the org admin rules once saved', async () => {
    let saved = false;
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({
        status: 200,
        body: saved
          ? meWith({ allowed: true, as: 'orgAdmin', reason: 'You are an organization admin.' })
          : meWith({
              allowed: true,
              as: 'jiraAdmin',
              reason: 'No API key is saved yet: Jira admins may set orgwarden up.',
            }),
      }),
      'GET /api/v1/settings/api-key': () =>
        saved
          ? { status: 200, body: KEY_VIEW }
          : { status: 404, body: envelope('api_key_not_set', 'No API key is saved.') },
      'PUT /api/v1/settings/api-key': () => {
        saved = true;
        return { status: 200, body: KEY_VIEW };
      },
    });
    renderApp('?view=dashboard');
    const user = userEvent.setup();

    const banner = await screen.findByTestId('bootstrap-banner');
    expect(banner).toHaveTextContent('An organization admin must finish setting up orgwarden');
    expect(banner).toHaveTextContent('only organization admins');
    expect(await screen.findByTestId('api-key-input')).toBeInTheDocument();
    const nav = screen.getByTestId('navigation');
    expect(within(nav).getByTestId('nav-settings')).toBeInTheDocument();
    expect(within(nav).queryByTestId('nav-dashboard')).not.toBeInTheDocument();
    expect(screen.queryByTestId('general-settings')).not.toBeInTheDocument();
    expect(screen.queryByTestId('access-control')).not.toBeInTheDocument();
    expect(screen.queryByTestId('api-tokens')).not.toBeInTheDocument();
    // Only what setup needs is asked for: /me says no key is saved yet (a Jira admin is let in only
    // then), so the key itself is not asked for (it would answer 404).
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/me']);

    await user.type(screen.getByTestId('api-key-input'), 'ATCTT3xFfGN0-right-key');
    fireEvent.change(screen.getByTestId('api-key-expiry'), { target: { value: '2099-12-31' } });
    await user.click(screen.getByTestId('api-key-save'));

    // The key's org admin rules now apply: this caller turns out to be an org admin.
    await waitFor(() => expect(screen.queryByTestId('bootstrap-banner')).not.toBeInTheDocument());
    expect(await screen.findByTestId('nav-dashboard')).toBeInTheDocument();
    // Still in Settings, now with every section.
    expect(await screen.findByTestId('general-settings')).toBeInTheDocument();
    expect(new URLSearchParams(window.location.search).get('view')).toBe('settings');
  });

  it('ends on the no-access page when the Jira admin who saved the key is no org admin', async () => {
    let saved = false;
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({
        status: 200,
        body: saved ? DENIED : meWith({ allowed: true, as: 'jiraAdmin', reason: 'Setup' }),
      }),
      'GET /api/v1/settings/api-key': () =>
        saved
          ? { status: 200, body: KEY_VIEW }
          : { status: 404, body: envelope('api_key_not_set', 'No API key is saved.') },
      'PUT /api/v1/settings/api-key': () => {
        saved = true;
        return { status: 200, body: KEY_VIEW };
      },
    });
    renderApp('?view=settings');
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('api-key-input'), 'ATCTT3xFfGN0-right-key');
    fireEvent.change(screen.getByTestId('api-key-expiry'), { target: { value: '2099-12-31' } });
    await user.click(screen.getByTestId('api-key-save'));
    expect(await screen.findByTestId('no-access')).toHaveTextContent(REASON);
  });
});
