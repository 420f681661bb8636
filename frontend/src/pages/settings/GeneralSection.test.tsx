import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, productAdminMe, renderApp, SAVED_SETTINGS } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

const SAVED = SAVED_SETTINGS;

function routes(put: (body: unknown) => { status: number; body?: unknown }) {
  return {
    ...baseRoutes(),
    'GET /api/v1/settings': () => ({ status: 200, body: SAVED }),
    'PUT /api/v1/settings': put,
  };
}

describe('Settings → General', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('shows the saved values and one price field per product of the organization', async () => {
    installFakeFetch(routes(() => ({ status: 500 })));
    renderApp('?view=settings');
    const section = await screen.findByTestId('general-settings-form');
    expect(within(section).getByTestId('settings-threshold')).toHaveTextContent('3 months');
    expect(within(section).getByTestId('settings-sync-hour-select--container')).toHaveTextContent(
      '02:00',
    );
    expect(within(section).getByTestId('settings-time-zone-select--container')).toHaveTextContent(
      'Europe/Berlin',
    );
    await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());
    expect(screen.getByLabelText('Jira Software')).toHaveValue(8.6);
    expect(screen.getByLabelText('Confluence')).toHaveValue(null);
  });

  it('saves the threshold, the sync slot, the seat prices and their currency', async () => {
    const calls = installFakeFetch(routes((body) => ({ status: 200, body })));
    renderApp('?view=settings');
    const user = userEvent.setup();
    await screen.findByTestId('general-settings-form');
    await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());

    fireEvent.keyDown(screen.getByLabelText('Default inactivity threshold'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: '14 days' }));
    fireEvent.keyDown(screen.getByLabelText('Daily sync at'), { key: 'ArrowDown' });
    await user.click(await screen.findByRole('option', { name: '23:00' }));
    await user.type(screen.getByLabelText('Time zone'), 'Pacific/Auck');
    await user.click(await screen.findByRole('option', { name: 'Pacific/Auckland' }));
    await user.type(screen.getByLabelText('Confluence'), '5.5');
    await user.clear(screen.getByLabelText('Jira Software'));
    await user.type(screen.getByLabelText('Currency'), 'EUR');
    await user.click(await screen.findByRole('option', { name: 'EUR · Euro' }));
    expect(screen.getByText('Seat prices (EUR per seat per month)')).toBeInTheDocument();
    await user.click(screen.getByTestId('general-settings-save'));

    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({
      inactiveDays: 14,
      syncHour: 23,
      timeZone: 'Pacific/Auckland',
      seatPrices: { confluence: 5.5 },
      currency: 'EUR',
    });
    await waitFor(() =>
      expect(ap.flag?.create).toHaveBeenCalledWith(
        expect.objectContaining({ title: 'Settings saved' }),
      ),
    );
  });

  it('refuses a negative price and shows the server’s error', async () => {
    const calls = installFakeFetch(
      routes(() => ({
        status: 400,
        body: envelope('validation_failed', 'timeZone: must be an IANA time zone', {
          field: 'timeZone',
        }),
      })),
    );
    renderApp('?view=settings');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByLabelText('Confluence')).toBeInTheDocument());
    await user.type(screen.getByLabelText('Confluence'), '-3');
    expect(screen.getByText('Enter an amount from 0 to 100,000.')).toBeInTheDocument();
    expect(screen.getByTestId('general-settings-save')).toBeDisabled();
    await user.clear(screen.getByLabelText('Confluence'));
    await user.click(screen.getByTestId('general-settings-save'));
    const form = screen.getByTestId('general-settings-form');
    expect(await within(form).findByTestId('error-message')).toHaveTextContent(
      'timeZone: must be an IANA time zone',
    );
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
  });

  it('shows the settings read-only to a product admin, without Save', async () => {
    const calls = installFakeFetch({
      ...routes(() => ({ status: 500 })),
      'GET /api/v1/me': () => ({ status: 200, body: productAdminMe() }),
    });
    renderApp('?view=settings');
    const section = await screen.findByTestId('general-settings');
    await within(section).findByTestId('general-settings-form');
    expect(within(section).getByTestId('general-settings-readonly')).toHaveTextContent(
      'Only organization admins can change these settings.',
    );
    await waitFor(() => expect(screen.getByLabelText('Jira Software')).toHaveValue(8.6));
    expect(screen.getByLabelText('Jira Software')).toBeDisabled();
    expect(screen.getByLabelText('Default inactivity threshold')).toBeDisabled();
    expect(screen.getByLabelText('Time zone')).toBeDisabled();
    expect(within(section).queryByTestId('general-settings-save')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });
});
