import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { renderApp } from '../../../test/app';
import { installFakeAp, installFakeFetch } from '../../../test/fakeServer';
import { webhookRoutes, webhookView } from '../../../test/webhooks';

const SECRET = 'a-typed-secret-123';
const search = () => new URLSearchParams(window.location.search);

/** The browser's back button, to the dashboard. */
function back() {
  window.history.pushState(null, '', '/admin?view=dashboard');
  fireEvent.popState(window);
}

async function questionGone() {
  await waitFor(() =>
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
  );
}

async function openForm(edit: boolean) {
  const { routes } = webhookRoutes({ webhooks: edit ? [webhookView()] : [] });
  const calls = installFakeFetch(routes);
  renderApp('?view=settings');
  const user = userEvent.setup();
  const section = await screen.findByTestId('notifications');
  await user.click(
    edit
      ? await within(section).findByRole('button', { name: 'Edit Key expiry ticket' })
      : await within(section).findByTestId('webhook-add'),
  );
  return { user, calls, form: await screen.findByTestId('webhook-form-modal') };
}

describe('Leaving the webhook form with unsaved input', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('asks before going back to another section; Escape and "Keep editing" stay', async () => {
    const { user, form } = await openForm(false);
    await user.type(within(form).getByLabelText('Name'), 'Ops chat');

    back();
    const question = await screen.findByTestId('discard-changes-modal');
    expect(question).toHaveTextContent('Discard your changes?');
    await user.keyboard('{Escape}');
    await questionGone();
    expect(search().get('view')).toBe('settings');
    expect(within(form).getByLabelText('Name')).toHaveValue('Ops chat');

    back();
    await user.click(await screen.findByTestId('discard-changes-keep'));
    await questionGone();
    expect(search().get('view')).toBe('settings');
    expect(screen.getByTestId('webhook-form-modal')).toBeInTheDocument();

    back();
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    expect(screen.queryByTestId('webhook-form-modal')).not.toBeInTheDocument();
  });

  it('asks before Escape or Cancel closes the form over a typed secret', async () => {
    const { user, form } = await openForm(false);
    await user.type(within(form).getByLabelText(/Secret/), SECRET);

    await user.keyboard('{Escape}');
    await screen.findByTestId('discard-changes-modal');
    await user.keyboard('{Escape}');
    await questionGone();
    expect(within(form).getByLabelText(/Secret/)).toHaveValue(SECRET);

    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    await waitFor(() => expect(screen.queryByTestId('webhook-form-modal')).not.toBeInTheDocument());
    expect(search().get('view')).toBe('settings');
    expect(JSON.stringify({ ...window.sessionStorage, ...window.localStorage })).not.toContain(
      SECRET,
    );
  });

  it('closes an unchanged form at once, and leaves at once once saved', async () => {
    const { user, form, calls } = await openForm(true);
    await user.click(within(form).getByLabelText('Sync failed'));
    await user.click(within(form).getByLabelText('Sync failed'));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByTestId('webhook-form-modal')).not.toBeInTheDocument());
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Edit Key expiry ticket' }));
    const again = await screen.findByTestId('webhook-form-modal');
    await user.type(within(again).getByLabelText('Name'), ' 2');
    await user.click(within(again).getByTestId('webhook-save'));
    await waitFor(() => expect(screen.queryByTestId('webhook-form-modal')).not.toBeInTheDocument());
    expect(calls.some((c) => c.method === 'PUT')).toBe(true);

    await user.click(screen.getByTestId('nav-dashboard'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
  });
});
