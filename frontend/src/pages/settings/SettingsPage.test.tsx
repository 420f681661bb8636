import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../App';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const RIGHT_KEY = 'ATCTT3xFfGN0-right-key';
const EXPIRES = '2099-12-31';
const VIEW = { orgId: 'org-1', orgName: 'Acme Corp', maskedKey: 'ATCT…-key', expiresAt: EXPIRES };
const ME = {
  tenant: { clientKey: 'ck-1', baseUrl: 'https://acme.atlassian.net' },
  accountId: 'acc-1',
  role: 'admin',
  access: { allowed: true, as: 'orgAdmin', reason: 'You are an organization admin.' },
};

function renderApp(view = 'settings') {
  window.history.replaceState({}, '', `/admin?view=${view}`);
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <App />
    </QueryClientProvider>,
  );
}

async function enterKey(key: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByTestId('api-key-input'), key);
  fireEvent.change(screen.getByTestId('api-key-expiry'), { target: { value: EXPIRES } });
  return user;
}

describe('Settings → Organization API key', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('shows the error of a wrong key', async () => {
    installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: ME }),
      'GET /api/v1/settings/api-key': () => ({
        status: 404,
        body: envelope('api_key_not_set', 'No API key is saved.'),
      }),
      'POST /api/v1/settings/api-key/check': () => ({
        status: 400,
        body: envelope(
          'invalid_api_key',
          'Atlassian did not accept this API key. Check that you copied all of it.',
        ),
      }),
    });
    renderApp();
    const user = await enterKey('wrong');
    await user.click(screen.getByTestId('api-key-check'));

    const error = await screen.findByTestId('error-message');
    expect(error).toHaveTextContent('The API key is not valid');
    expect(error).toHaveTextContent(
      'Atlassian did not accept this API key. Check that you copied all of it.',
    );
    expect(screen.queryByTestId('masked-key')).not.toBeInTheDocument();
  });

  it('checks, saves and then shows the masked key, with a fresh token per call', async () => {
    let saved: typeof VIEW | null = null;
    const calls = installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: ME }),
      'GET /api/v1/settings/api-key': () =>
        saved
          ? { status: 200, body: saved }
          : { status: 404, body: envelope('api_key_not_set', 'No API key is saved.') },
      'POST /api/v1/settings/api-key/check': () => ({
        status: 200,
        body: { valid: true, orgId: VIEW.orgId, orgName: VIEW.orgName },
      }),
      'PUT /api/v1/settings/api-key': () => {
        saved = VIEW;
        return { status: 200, body: VIEW };
      },
    });
    renderApp();
    const user = await enterKey(RIGHT_KEY);

    await user.click(screen.getByTestId('api-key-check'));
    expect(await screen.findByTestId('checked-org-name')).toHaveTextContent('Acme Corp');

    await user.click(screen.getByTestId('api-key-save'));
    expect(await screen.findByTestId('masked-key')).toHaveTextContent(VIEW.maskedKey);
    expect(screen.getByTestId('org-name')).toHaveTextContent('Acme Corp');
    expect(screen.queryByTestId('api-key-input')).not.toBeInTheDocument();
    expect(ap.flag?.create).toHaveBeenCalledWith(expect.objectContaining({ type: 'success' }));

    const check = calls.find((c) => c.method === 'POST');
    const put = calls.find((c) => c.method === 'PUT');
    expect(check?.body).toEqual({ key: RIGHT_KEY, expiresAt: EXPIRES });
    expect(put?.body).toEqual({ key: RIGHT_KEY, expiresAt: EXPIRES });
    const tokens = calls.map((c) => c.authorization);
    expect(tokens.every((t) => t?.startsWith('JWT token-'))).toBe(true);
    expect(new Set(tokens).size).toBe(calls.length);
  });

  it('asks before removing the key, then offers the form again', async () => {
    const calls = installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: ME }),
      'GET /api/v1/settings/api-key': () => ({ status: 200, body: VIEW }),
      'DELETE /api/v1/settings/api-key': () => ({ status: 204 }),
    });
    renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('api-key-remove'));
    const modal = await screen.findByTestId('remove-api-key-modal');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(modal).getByTestId('remove-api-key-confirm'));

    expect(await screen.findByTestId('api-key-input')).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'DELETE')).toBe(true);
    await waitFor(() =>
      expect(screen.queryByTestId('remove-api-key-modal')).not.toBeInTheDocument(),
    );
  });

  it('validates the fields before calling the server', async () => {
    const calls = installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: ME }),
      'GET /api/v1/settings/api-key': () => ({
        status: 404,
        body: envelope('api_key_not_set', 'No API key is saved.'),
      }),
    });
    renderApp();
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('api-key-check'));
    expect(screen.getByText('Enter the API key.')).toBeInTheDocument();
    expect(screen.getByText('Enter the date the key expires.')).toBeInTheDocument();
    expect(calls.some((c) => c.path.endsWith('/check'))).toBe(false);
  });

  it('sends admins without a key from the landing page to Settings', async () => {
    installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: ME }),
      'GET /api/v1/settings/api-key': () => ({
        status: 404,
        body: envelope('api_key_not_set', 'No API key is saved.'),
      }),
    });
    renderApp('dashboard');
    const user = userEvent.setup();
    expect(await screen.findByTestId('connect-prompt')).toHaveTextContent(
      'Connect your organization',
    );
    expect(await screen.findByText(/signed in as organization admin/)).toBeInTheDocument();
    await user.click(screen.getByTestId('go-to-settings'));
    expect(await screen.findByTestId('api-key-input')).toBeInTheDocument();
  });

  it('shows the key to a product admin, without Replace or Remove', async () => {
    installFakeFetch({
      'GET /api/v1/me': () => ({
        status: 200,
        body: { ...ME, access: { allowed: true, as: 'productAdmin', reason: 'Allowed.' } },
      }),
      'GET /api/v1/settings/api-key': () => ({ status: 200, body: VIEW }),
    });
    renderApp();
    const panel = await screen.findByTestId('api-key-panel');
    expect(await within(panel).findByTestId('masked-key')).toHaveTextContent('ATCT…-key');
    expect(within(panel).getByTestId('api-key-readonly')).toHaveTextContent(
      'Only organization admins can replace or remove the key.',
    );
    expect(within(panel).queryByTestId('api-key-replace')).not.toBeInTheDocument();
    expect(within(panel).queryByTestId('api-key-remove')).not.toBeInTheDocument();
  });

  it('shows an admin confined to what they administer no tasks or webhooks, which act on the whole organization', async () => {
    const confined = {
      allowed: true,
      as: 'productAdmin',
      reason: 'Allowed.',
      scope: [{ siteId: 'site-1', productKey: 'jira-software' }],
    };
    installFakeFetch({
      'GET /api/v1/me': () => ({ status: 200, body: { ...ME, access: confined } }),
      'GET /api/v1/settings/api-key': () => ({ status: 200, body: VIEW }),
    });
    renderApp('tasks');
    expect(await screen.findByTestId('nav-audit')).toBeInTheDocument();
    expect(screen.queryByTestId('nav-tasks')).not.toBeInTheDocument();
    expect(screen.getByTestId('nav-dashboard')).toHaveAttribute('aria-current', 'true');
    await userEvent.setup().click(screen.getByTestId('nav-settings'));
    expect(await screen.findByTestId('api-key-panel')).toBeInTheDocument();
    expect(screen.queryByTestId('notifications')).not.toBeInTheDocument();
  });
});
