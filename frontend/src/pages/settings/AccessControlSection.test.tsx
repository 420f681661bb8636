import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { baseRoutes, renderApp, productAdminMe } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';

function routes(put: (body: unknown) => { status: number; body?: unknown }) {
  return { ...baseRoutes(), 'PUT /api/v1/settings/access': put };
}

describe('Settings → App access control', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('lets an org admin switch product admins on and limit them to what they administer', async () => {
    const calls = installFakeFetch(routes((body) => ({ status: 200, body })));
    renderApp('?view=settings');
    const user = userEvent.setup();
    const section = await screen.findByTestId('access-control-form');

    const productAdmins = within(section).getByLabelText('Product admins');
    const userAccessAdmins = within(section).getByLabelText('User access admins');
    expect(productAdmins).not.toBeChecked();
    expect(userAccessAdmins).not.toBeChecked();
    expect(within(section).getByLabelText('Whole organization')).toBeChecked();
    expect(productAdmins).toHaveAccessibleDescription(/admin role on a product/);
    expect(screen.queryByTestId('access-control-readonly')).not.toBeInTheDocument();
    // Nothing changed yet.
    expect(within(section).getByTestId('access-control-save')).toBeDisabled();

    await user.click(productAdmins);
    await user.click(within(section).getByLabelText('Only the sites and products they administer'));
    expect(productAdmins).toBeChecked();
    await user.click(within(section).getByTestId('access-control-save'));

    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(calls.find((c) => c.method === 'PUT')).toMatchObject({
      path: '/api/v1/settings/access',
      body: { productAdmins: true, userAccessAdmins: false, scope: 'administered' },
    });
    await waitFor(() =>
      expect(ap.flag?.create).toHaveBeenCalledWith(
        expect.objectContaining({ type: 'success', title: 'App access control saved' }),
      ),
    );
    // The saved answer is the new baseline.
    await waitFor(() =>
      expect(
        within(screen.getByTestId('access-control-form')).getByTestId('access-control-save'),
      ).toBeDisabled(),
    );
    expect(
      within(screen.getByTestId('access-control-form')).getByLabelText('Product admins'),
    ).toBeChecked();
  });

  it('shows the rules read-only to a product admin', async () => {
    const calls = installFakeFetch({
      ...routes(() => ({ status: 500 })),
      'GET /api/v1/me': () => ({
        status: 200,
        body: productAdminMe(),
      }),
      'GET /api/v1/settings/access': () => ({
        status: 200,
        body: { productAdmins: true, userAccessAdmins: false, scope: 'administered' },
      }),
    });
    renderApp('?view=settings');
    const section = await screen.findByTestId('access-control');
    const form = await within(section).findByTestId('access-control-form');

    expect(within(section).getByTestId('access-control-readonly')).toHaveTextContent(
      'Only organization admins can change who may use orgwarden.',
    );
    expect(within(form).getByLabelText('Product admins')).toBeChecked();
    expect(within(form).getByLabelText('Product admins')).toBeDisabled();
    expect(within(form).getByLabelText('User access admins')).toBeDisabled();
    expect(
      within(form).getByLabelText('Only the sites and products they administer'),
    ).toBeChecked();
    expect(within(form).getByLabelText('Whole organization')).toBeDisabled();
    expect(within(form).queryByTestId('access-control-save')).not.toBeInTheDocument();
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('shows the server’s refusal', async () => {
    installFakeFetch(
      routes(() => ({
        status: 403,
        body: envelope('forbidden', 'Only organization admins can change app access control.'),
      })),
    );
    renderApp('?view=settings');
    const user = userEvent.setup();
    const form = await screen.findByTestId('access-control-form');
    await user.click(within(form).getByLabelText('User access admins'));
    await user.click(within(form).getByTestId('access-control-save'));
    expect(await within(form).findByTestId('error-message')).toHaveTextContent(
      'Only organization admins can change app access control.',
    );
    // A plain refusal of one change is not "no access".
    expect(screen.queryByTestId('no-access')).not.toBeInTheDocument();
  });
});
