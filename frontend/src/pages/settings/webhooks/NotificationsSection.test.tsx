import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { meWith, renderApp } from '../../../test/app';
import { installFakeAp, installFakeFetch } from '../../../test/fakeServer';
import { GENERATED_SECRET, deliveryView, webhookRoutes, webhookView } from '../../../test/webhooks';

async function openSection() {
  renderApp('?view=settings');
  return screen.findByTestId('notifications');
}

describe('Settings → Notifications', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
  });

  it('lists the webhooks: name, URL, events, state and last delivery', async () => {
    const { routes } = webhookRoutes({
      webhooks: [
        webhookView(),
        webhookView({
          id: 5,
          name: 'Ops chat',
          url: 'https://chat.example/hook',
          events: ['taskFailure'],
          active: false,
          notes: '',
          lastDelivery: {
            id: 'msg_5',
            event: 'taskFailure',
            state: 'failed',
            at: '2026-01-02T09:00:00Z',
            statusCode: 503,
          },
        }),
      ],
    });
    installFakeFetch(routes);
    const section = await openSection();
    await waitFor(() => expect(within(section).getAllByTestId('webhook-row')).toHaveLength(2));
    const [first, second] = within(section).getAllByTestId('webhook-row');
    expect(first).toHaveTextContent('Key expiry ticket');
    expect(first).toHaveTextContent('Opens an IT ticket');
    expect(first).toHaveTextContent('https://automation.atlassian.com/pro/hooks/abc123');
    expect(within(first!).getByTestId('webhook-row-events')).toHaveTextContent(
      'Organization API key expiring, Sync failed',
    );
    expect(first).toHaveTextContent('Active');
    expect(within(first!).getByTestId('webhook-row-last')).toHaveTextContent(
      /Succeeded\s*HTTP 200/,
    );
    expect(second).toHaveTextContent('Inactive');
    expect(within(second!).getByTestId('webhook-row-last')).toHaveTextContent(/Failed\s*HTTP 503/);
    // A test goes out even to an inactive webhook: that is how a fixed receiver is checked.
    expect(within(second!).getByTestId('webhook-test')).toBeEnabled();
    expect(within(section).queryByTestId('webhook-disabled')).not.toBeInTheDocument();
  });

  it('checks the form before sending, then shows the generated secret once', async () => {
    const { routes } = webhookRoutes();
    const calls = installFakeFetch(routes);
    const user = userEvent.setup();
    const section = await openSection();
    expect(await within(section).findByTestId('webhooks-empty')).toBeInTheDocument();

    await user.click(within(section).getByTestId('webhook-add'));
    const form = await screen.findByTestId('webhook-form-modal');
    await user.click(within(form).getByTestId('webhook-save'));
    expect(within(form).getByText('Enter a name for the webhook.')).toBeInTheDocument();
    expect(
      within(form).getByText('Enter the URL that receives the notifications.'),
    ).toBeInTheDocument();
    expect(within(form).getByText('Choose at least one event.')).toBeInTheDocument();

    await user.type(within(form).getByLabelText('Name'), 'Ops chat');
    await user.type(within(form).getByLabelText('URL'), 'http://chat.example/hook');
    await user.click(within(form).getByLabelText('Sync failed'));
    await user.click(within(form).getByLabelText('Automated task failed'));
    await user.click(within(form).getByTestId('webhook-save'));
    expect(within(form).getByText(/Use https:\/\//)).toBeInTheDocument();
    expect(calls.some((c) => c.method === 'POST')).toBe(false);

    await user.clear(within(form).getByLabelText('URL'));
    await user.type(within(form).getByLabelText('URL'), 'https://chat.example/hook');
    await user.click(within(form).getByTestId('webhook-save'));

    const modal = await screen.findByTestId('webhook-secret-modal');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Ops chat',
      url: 'https://chat.example/hook',
      events: ['taskFailure', 'syncFailed'],
      active: true,
    });
    expect(within(modal).getByTestId('webhook-secret-warning')).toHaveTextContent(
      "it won't be shown again",
    );
    const field = within(modal).getByLabelText('Signing secret');
    expect(field).toHaveValue(GENERATED_SECRET);
    expect(field).toHaveAttribute('readonly');
    await user.click(within(modal).getByTestId('copy-webhook-secret'));
    expect(await navigator.clipboard.readText()).toBe(GENERATED_SECRET);
    expect(within(modal).getByTestId('webhook-copy-status')).toHaveTextContent(
      'Secret copied to the clipboard.',
    );

    await user.click(within(modal).getByTestId('webhook-secret-done'));
    await waitFor(() =>
      expect(screen.queryByTestId('webhook-secret-modal')).not.toBeInTheDocument(),
    );
    await waitFor(() =>
      expect(within(section).getByTestId('webhook-row')).toHaveTextContent('Ops chat'),
    );
    // Gone for good.
    expect(document.body).not.toHaveTextContent(GENERATED_SECRET);
    expect(screen.queryByDisplayValue(GENERATED_SECRET)).not.toBeInTheDocument();
  });

  it('does not show a secret the admin typed (an Automation token) again', async () => {
    const { routes } = webhookRoutes();
    const calls = installFakeFetch(routes);
    const user = userEvent.setup();
    const section = await openSection();
    await user.click(await within(section).findByTestId('webhook-add'));
    const form = await screen.findByTestId('webhook-form-modal');
    await user.type(within(form).getByLabelText('Name'), 'Automation rule');
    await user.type(
      within(form).getByLabelText('URL'),
      'https://automation.atlassian.com/pro/hooks/xyz',
    );
    await user.click(within(form).getByLabelText('Organization API key expiring'));
    await user.type(within(form).getByLabelText('Secret (optional)'), 'automation-token-42');
    await user.click(within(form).getByTestId('webhook-save'));
    await waitFor(() =>
      expect(within(section).getByTestId('webhook-row')).toHaveTextContent('Automation rule'),
    );
    expect(calls.find((c) => c.method === 'POST')?.body).toMatchObject({
      secret: 'automation-token-42',
    });
    expect(screen.queryByTestId('webhook-secret-modal')).not.toBeInTheDocument();
    expect(ap.flag?.create).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Webhook “Automation rule” added' }),
    );
  });

  it('lets other admins read and test webhooks, not change them', async () => {
    const { routes } = webhookRoutes({
      webhooks: [webhookView({ active: false, disabledReason: 'Failing for 3 days.' })],
    });
    installFakeFetch({
      ...routes,
      'GET /api/v1/me': () => ({
        status: 200,
        body: meWith({ allowed: true, as: 'productAdmin', reason: 'Product admins may use it.' }),
      }),
    });
    const section = await openSection();
    const row = await within(section).findByTestId('webhook-row');
    expect(within(section).getByTestId('webhooks-readonly')).toHaveTextContent(
      'Only organization admins can add, change or delete webhooks.',
    );
    expect(within(row).getByTestId('webhook-test')).toBeEnabled();
    expect(within(row).getByTestId('webhook-log')).toBeEnabled();
    expect(within(row).queryByTestId('webhook-edit')).not.toBeInTheDocument();
    expect(within(row).queryByTestId('webhook-delete')).not.toBeInTheDocument();
    expect(within(section).queryByTestId('webhook-add')).not.toBeInTheDocument();
    const notice = within(section).getByTestId('webhook-disabled');
    expect(notice).toHaveTextContent('an organization admin can switch the webhook on again');
    expect(within(notice).queryByTestId('webhook-reactivate')).not.toBeInTheDocument();
  });

  it('shows the server’s error on the field and in the envelope', async () => {
    const { routes } = webhookRoutes();
    installFakeFetch(routes);
    const user = userEvent.setup();
    const section = await openSection();
    await user.click(await within(section).findByTestId('webhook-add'));
    const form = await screen.findByTestId('webhook-form-modal');
    await user.type(within(form).getByLabelText('Name'), 'Internal');
    await user.type(within(form).getByLabelText('URL'), 'https://blocked.example/in');
    await user.click(within(form).getByLabelText('Bulk operation finished'));
    await user.click(within(form).getByTestId('webhook-save'));
    const error = await within(form).findByTestId('error-message');
    expect(error).toHaveTextContent('Some values need fixing');
    expect(error).toHaveTextContent(
      'url: blocked.example resolves to a private address (10.0.0.7)',
    );
    expect(within(form).getByTestId('webhook-field-error')).toHaveTextContent(
      'blocked.example resolves to a private address (10.0.0.7)',
    );
    expect(screen.queryByTestId('webhook-secret-modal')).not.toBeInTheDocument();
  });

  it('edits a webhook, keeping its secret unless a new one is typed', async () => {
    const { routes } = webhookRoutes({ webhooks: [webhookView()] });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup();
    const section = await openSection();
    await user.click(
      await within(section).findByRole('button', { name: 'Edit Key expiry ticket' }),
    );
    const form = await screen.findByTestId('webhook-form-modal');
    expect(form).toHaveTextContent('Edit the webhook “Key expiry ticket”');
    expect(within(form).getByLabelText('New secret (optional)')).toHaveValue('');
    await user.click(within(form).getByLabelText('Sync failed'));
    await user.click(within(form).getByTestId('webhook-save'));
    await waitFor(() => expect(screen.queryByTestId('webhook-form-modal')).not.toBeInTheDocument());
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.path).toBe('/api/v1/webhooks/4');
    expect(put?.body).toEqual({
      name: 'Key expiry ticket',
      url: 'https://automation.atlassian.com/pro/hooks/abc123',
      events: ['orgKeyExpiry'],
      notes: 'Opens an IT ticket',
      active: true,
    });
  });

  it('says why the app switched a webhook off, and switches it on again', async () => {
    const reason = 'Every delivery failed for 3 days (last: HTTP 503). Switched off on 2 Jan 2026.';
    const { routes } = webhookRoutes({
      webhooks: [webhookView({ active: false, disabledReason: reason })],
    });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup();
    const section = await openSection();
    const notice = await within(section).findByTestId('webhook-disabled');
    expect(notice).toHaveTextContent('The webhook “Key expiry ticket” was switched off');
    expect(within(notice).getByTestId('webhook-disabled-reason')).toHaveTextContent(reason);
    expect(within(section).getByTestId('webhook-row')).toHaveTextContent('Switched off');

    await user.click(within(notice).getByTestId('webhook-reactivate'));
    await waitFor(() =>
      expect(within(section).queryByTestId('webhook-disabled')).not.toBeInTheDocument(),
    );
    expect(calls.find((c) => c.method === 'PUT')?.body).toMatchObject({
      active: true,
      events: ['orgKeyExpiry', 'syncFailed'],
    });
    expect(within(section).getByTestId('webhook-row')).toHaveTextContent('Active');
    expect(ap.flag?.create).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Webhook “Key expiry ticket” is active again' }),
    );
  });

  it('deletes a webhook after a confirmation naming it, closing its log', async () => {
    const { routes } = webhookRoutes({ webhooks: [webhookView()], deliveries: [deliveryView()] });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup();
    renderApp('?view=settings&webhook=4');
    const section = await screen.findByTestId('notifications');
    expect(await within(section).findByTestId('delivery-row')).toBeInTheDocument();
    await user.click(
      await within(section).findByRole('button', { name: 'Delete Key expiry ticket' }),
    );
    const modal = await screen.findByTestId('delete-webhook-modal');
    expect(modal).toHaveTextContent('Delete the webhook “Key expiry ticket”?');
    expect(modal).toHaveTextContent('https://automation.atlassian.com/pro/hooks/abc123');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(modal).getByTestId('delete-webhook-confirm'));
    await waitFor(() => expect(within(section).getByTestId('webhooks-empty')).toBeInTheDocument());
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/v1/webhooks/4');
    expect(within(section).queryByTestId('delivery-log')).not.toBeInTheDocument();
    // Its deliveries are gone with it: nobody asks for them again.
    const deleted = calls.findIndex((c) => c.method === 'DELETE');
    expect(calls.slice(deleted).some((c) => c.path.startsWith('/api/v1/webhooks/4/'))).toBe(false);
    expect(ap.flag?.create).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Webhook “Key expiry ticket” deleted' }),
    );
  });
});
