import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { QueryClient } from '@tanstack/react-query';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AccessSettings, Settings } from '../../api/types';
import { ACCESS_SETTINGS, baseRoutes, renderApp, SAVED_SETTINGS } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const SAVED = SAVED_SETTINGS;
/** What another admin saved meanwhile. */
const NEWER: Settings = { ...SAVED, syncHour: 5, seatPrices: { 'jira-software': 10 } };
const RULES = ACCESS_SETTINGS as AccessSettings;
const NEWER_RULES: AccessSettings = { ...RULES, productAdmins: true, scope: 'administered' };

type Answer = { status: number; body?: unknown };

/** The fake server: the saved values it answers now (`server.settings`, `server.rules`). */
function installServer(putRules: (body: unknown) => Answer = (body) => ({ status: 200, body })) {
  const server = { settings: SAVED, rules: RULES, failing: false };
  const failed = { status: 500, body: envelope('internal', 'The database did not answer.') };
  const calls = installFakeFetch({
    ...baseRoutes(),
    'GET /api/v1/settings': () =>
      server.failing ? failed : { status: 200, body: server.settings },
    'PUT /api/v1/settings': (body) => ({ status: 200, body }),
    'GET /api/v1/settings/access': () =>
      server.failing ? failed : { status: 200, body: server.rules },
    'PUT /api/v1/settings/access': putRules,
    'GET /api/v1/settings/exemptions': () => ({ status: 200, body: [] }),
  });
  return { server, calls };
}

/** Settings with both General and App access control shown. */
async function openSettings() {
  const view = renderApp('?view=settings');
  await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());
  await screen.findByTestId('access-control-form');
  return view;
}

/** Refetches the saved values, as after another admin saved (window focus, another tab). */
async function refetch(client: QueryClient) {
  await act(() => client.invalidateQueries({ queryKey: ['settings'] }));
}

let client: QueryClient;
beforeEach(() => {
  installFakeAp();
});

/** Opens Settings, keeping its query client for `refetch`. */
async function open() {
  ({ client } = await openSettings());
  return userEvent.setup();
}

const general = () => screen.getByTestId('general-settings-form');
const access = () => screen.getByTestId('access-control-form');
const syncHour = () =>
  within(general()).getByTestId('settings-sync-hour-select--container').textContent;

describe('Settings changed elsewhere while General is open', () => {
  it('a clean form shows the new saved values', async () => {
    const { server } = installServer();
    await open();
    server.settings = NEWER;
    await refetch(client);
    await waitFor(() => expect(screen.getByLabelText('Jira Software')).toHaveValue(10));
    expect(syncHour()).toContain('05:00');
    expect(screen.queryByTestId('general-settings-changed')).not.toBeInTheDocument();
  });

  it('keeps typed input and says so; "Load the saved settings" shows the new values', async () => {
    const { server, calls } = installServer();
    const user = await open();
    await user.type(screen.getByLabelText('Confluence'), '5');
    server.settings = NEWER;
    await refetch(client);

    const message = await screen.findByTestId('general-settings-changed');
    expect(message).toHaveTextContent('These settings were changed elsewhere');
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);
    expect(screen.getByLabelText('Jira Software')).toHaveValue(8.6);
    expect(syncHour()).toContain('02:00');

    await user.click(screen.getByTestId('general-settings-changed-load'));
    expect(screen.queryByTestId('general-settings-changed')).not.toBeInTheDocument();
    expect(screen.getByLabelText('Confluence')).toHaveValue(null);
    expect(screen.getByLabelText('Jira Software')).toHaveValue(10);
    expect(syncHour()).toContain('05:00');
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('saving after the message sends what the admin sees, then follows the saved values', async () => {
    const { server, calls } = installServer();
    const user = await open();
    await user.type(screen.getByLabelText('Confluence'), '5');
    server.settings = NEWER;
    await refetch(client);
    await screen.findByTestId('general-settings-changed');

    await user.click(screen.getByTestId('general-settings-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      ...SAVED,
      seatPrices: { 'jira-software': 8.6, confluence: 5 },
    });
    await waitFor(() =>
      expect(screen.queryByTestId('general-settings-changed')).not.toBeInTheDocument(),
    );
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);

    // Clean again: the next change made elsewhere shows at once.
    server.settings = NEWER;
    await refetch(client);
    await waitFor(() => expect(screen.getByLabelText('Confluence')).toHaveValue(null));
    expect(screen.getByLabelText('Jira Software')).toHaveValue(10);
    expect(screen.queryByTestId('general-settings-changed')).not.toBeInTheDocument();
  });
});

describe('App access control changed elsewhere while it is open', () => {
  it('a clean form shows the new saved rules', async () => {
    const { server } = installServer();
    await open();
    server.rules = NEWER_RULES;
    await refetch(client);
    await waitFor(() => expect(within(access()).getByLabelText('Product admins')).toBeChecked());
    expect(
      within(access()).getByLabelText('Only the sites and products they administer'),
    ).toBeChecked();
    expect(screen.queryByTestId('access-control-changed')).not.toBeInTheDocument();
  });

  it('keeps a changed rule and says so; "Load the saved settings" shows the new rules', async () => {
    const { server } = installServer();
    const user = await open();
    await user.click(within(access()).getByLabelText('User access admins'));
    server.rules = NEWER_RULES;
    await refetch(client);

    expect(await screen.findByTestId('access-control-changed')).toHaveTextContent(
      'These settings were changed elsewhere',
    );
    expect(within(access()).getByLabelText('User access admins')).toBeChecked();
    expect(within(access()).getByLabelText('Product admins')).not.toBeChecked();
    expect(within(access()).getByLabelText('Whole organization')).toBeChecked();

    await user.click(screen.getByTestId('access-control-changed-load'));
    expect(screen.queryByTestId('access-control-changed')).not.toBeInTheDocument();
    expect(within(access()).getByLabelText('User access admins')).not.toBeChecked();
    expect(within(access()).getByLabelText('Product admins')).toBeChecked();
    expect(within(access()).getByTestId('access-control-save')).toBeDisabled();
  });

  it('saving after the message sends the rules the admin sees', async () => {
    const { server, calls } = installServer();
    const user = await open();
    await user.click(within(access()).getByLabelText('User access admins'));
    server.rules = NEWER_RULES;
    await refetch(client);
    await screen.findByTestId('access-control-changed');

    await user.click(within(access()).getByTestId('access-control-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      productAdmins: false,
      userAccessAdmins: true,
      scope: 'organization',
    });
    await waitFor(() =>
      expect(screen.queryByTestId('access-control-changed')).not.toBeInTheDocument(),
    );
    expect(within(access()).getByTestId('access-control-save')).toBeDisabled();
    expect(within(access()).getByLabelText('User access admins')).toBeChecked();
  });

  it('shows the server’s conflict and keeps the input', async () => {
    const { server } = installServer(() => ({
      status: 409,
      body: envelope('conflict', 'App access control was changed meanwhile.'),
    }));
    const user = await open();
    await user.click(within(access()).getByLabelText('User access admins'));
    server.rules = NEWER_RULES;
    await refetch(client);
    await screen.findByTestId('access-control-changed');

    await user.click(within(access()).getByTestId('access-control-save'));
    expect(await within(access()).findByTestId('error-message')).toHaveTextContent(
      'App access control was changed meanwhile.',
    );
    expect(within(access()).getByLabelText('User access admins')).toBeChecked();
    expect(screen.getByTestId('access-control-changed')).toBeInTheDocument();
  });
});

describe('A failed re-read of the settings', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('keeps both forms and their input, says so and offers to try again', async () => {
    const { server } = installServer();
    const { client } = await openSettings();
    await userEvent.setup().type(screen.getByLabelText('Confluence'), '5');
    server.failing = true;
    await refetch(client);

    await waitFor(() =>
      expect(screen.getByText(/The settings could not be read again/)).toBeInTheDocument(),
    );
    expect(screen.getByText(/App access control could not be read again/)).toBeInTheDocument();
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);
    expect(access()).toBeInTheDocument();
  });
});
