import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, KEY_VIEW, renderApp, SAVED_SETTINGS } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';

const SAVED = SAVED_SETTINGS;
const NEW_KEY = 'ATCTT3xFfGN0-new-key';

function routes() {
  return {
    ...baseRoutes(),
    'GET /api/v1/settings': () => ({ status: 200, body: SAVED }),
    'PUT /api/v1/settings': (body: unknown) => ({ status: 200, body }),
    'PUT /api/v1/settings/api-key': () => ({ status: 200, body: KEY_VIEW }),
    'GET /api/v1/settings/exemptions': () => ({ status: 200, body: [] }),
  };
}

const search = () => new URLSearchParams(window.location.search);

/** Clicks Dashboard in the navigation and answers the question it raises. */
async function leaveFor(user: ReturnType<typeof userEvent.setup>, answer: 'keep' | 'confirm') {
  await user.click(screen.getByTestId('nav-dashboard'));
  expect(await screen.findAllByTestId('discard-changes-modal')).toHaveLength(1);
  expect(screen.getByTestId('discard-changes-modal')).toHaveTextContent('Discard your changes?');
  await user.click(screen.getByTestId(`discard-changes-${answer}`));
  await waitFor(() =>
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
  );
}

/** Clicks Dashboard in the navigation and expects to get there without a question. */
async function leaveAtOnce(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByTestId('nav-dashboard'));
  expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
  expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
}

async function openGeneral() {
  renderApp('?view=settings');
  const user = userEvent.setup();
  await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());
  return user;
}

describe('Leaving Settings with unsaved input', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('General: asks after a change; Escape and "Keep editing" stay, "Discard changes" leaves', async () => {
    installFakeFetch(routes());
    const user = await openGeneral();
    await user.type(screen.getByLabelText('Confluence'), '5');

    await user.click(screen.getByTestId('nav-dashboard'));
    await screen.findByTestId('discard-changes-modal');
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
    );
    expect(search().get('view')).toBe('settings');
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);

    await leaveFor(user, 'keep');
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);
    await leaveFor(user, 'confirm');
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
  });

  it('General: leaves at once when nothing differs from the saved values, or once saved', async () => {
    installFakeFetch(routes());
    const user = await openGeneral();
    // Typed back to the saved amount, and focused without a change: nothing to lose.
    await user.clear(screen.getByLabelText('Jira Software'));
    await user.type(screen.getByLabelText('Jira Software'), '8.60');
    await user.click(screen.getByLabelText('Confluence'));
    await leaveAtOnce(user);

    await user.click(screen.getByTestId('nav-settings'));
    await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());
    await user.type(screen.getByLabelText('Confluence'), '5');
    await user.click(screen.getByTestId('general-settings-save'));
    await waitFor(() =>
      expect(ap.flag?.create).toHaveBeenCalledWith(
        expect.objectContaining({ title: 'Settings saved' }),
      ),
    );
    expect(screen.getByLabelText('Confluence')).toHaveValue(5);
    await leaveAtOnce(user);
  });

  it('API key: asks about a typed key, Cancel too; leaves at once once saved; keeps the key nowhere', async () => {
    installFakeFetch(routes());
    renderApp('?view=settings');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('api-key-replace'));
    await user.type(screen.getByTestId('api-key-input'), NEW_KEY);

    await user.click(screen.getByTestId('nav-dashboard'));
    await screen.findByTestId('discard-changes-modal');
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
    );
    await leaveFor(user, 'keep');
    expect(screen.getByTestId('api-key-input')).toHaveValue(NEW_KEY);
    expect(search().get('view')).toBe('settings');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(await screen.findByTestId('api-key-summary')).toBeInTheDocument();

    await user.click(screen.getByTestId('api-key-replace'));
    await user.type(screen.getByTestId('api-key-input'), NEW_KEY);
    fireEvent.change(screen.getByTestId('api-key-expiry'), { target: { value: '2099-12-31' } });
    await user.click(screen.getByTestId('api-key-save'));
    expect(await screen.findByTestId('api-key-summary')).toBeInTheDocument();
    expect(JSON.stringify({ ...window.sessionStorage, ...window.localStorage })).not.toContain(
      NEW_KEY,
    );
    await leaveAtOnce(user);
  });

  it('asks once for several forms holding input, and leaves on "Discard changes"', async () => {
    installFakeFetch(routes());
    const user = await openGeneral();
    await user.type(screen.getByLabelText('Confluence'), '5');
    await user.click(await screen.findByTestId('access-product-admins'));
    const exemption = await screen.findByTestId('exemption-form');
    await user.type(within(exemption).getByTestId('exemption-note'), 'service account');
    await user.type(await screen.findByTestId('token-name'), 'Nightly export');

    await leaveFor(user, 'keep');
    expect(screen.getByTestId('token-name')).toHaveValue('Nightly export');
    await leaveFor(user, 'confirm');
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
  });

  it('asks about a new token’s or exemption’s typed fields, and about access rules changed', async () => {
    installFakeFetch(routes());
    const user = await openGeneral();
    const name = await screen.findByTestId('token-name');
    await user.type(name, 'x');
    await leaveFor(user, 'keep');
    await user.clear(name);

    const note = within(await screen.findByTestId('exemption-form')).getByTestId('exemption-note');
    await user.type(note, 'x');
    await leaveFor(user, 'keep');
    await user.clear(note);

    const toggle = await screen.findByTestId('access-product-admins');
    await user.click(toggle);
    await leaveFor(user, 'keep');
    await user.click(toggle);
    await leaveAtOnce(user);
  });
});
