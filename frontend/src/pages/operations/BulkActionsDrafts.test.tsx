import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Preview } from '../../api/types';
import { renderApp, users } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { bulkRoutes } from '../../test/operations';

const ALL = users(30);

const PREVIEW: Preview = {
  total: 2,
  users: 2,
  truncated: false,
  totals: {
    act: 2,
    skip: 0,
    bySkipReason: {},
    byAction: [{ actionIndex: 0, action: 'suspend', act: 2, skip: 0 }],
  },
  items: [],
};

const routes = () => bulkRoutes(ALL, PREVIEW);

const keptDrafts = () =>
  Object.keys(window.sessionStorage).filter((key) => key.startsWith('orgwarden.draft.bulk'));

/** A fresh app on the User Browser (as after a reload), with `names` selected and the modal open. */
async function openOn(names: string[], unmountFirst?: () => void) {
  unmountFirst?.();
  const view = renderApp('?view=users');
  const user = userEvent.setup();
  await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(25));
  for (const name of names) await user.click(screen.getByLabelText(`Select ${name}`));
  await user.click(screen.getByTestId('bulk-actions'));
  return { view, user, modal: await screen.findByTestId('bulk-actions-modal') };
}

describe('The bulk actions composer’s unsaved input', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('comes back for the same users only, and "Discard them" empties the composer', async () => {
    installFakeFetch(routes());
    const first = await openOn(['User 02', 'User 03']);
    await first.user.click(within(first.modal).getByTestId('add-action-suspend'));
    await first.user.type(within(first.modal).getByTestId('bulk-reason'), 'Clean-up');

    // Other users: nothing is offered, and nothing would act on them.
    const other = await openOn(['User 04'], first.view.unmount);
    expect(within(other.modal).queryByTestId('restored-draft')).not.toBeInTheDocument();
    expect(within(other.modal).queryAllByTestId('action')).toHaveLength(0);
    expect(within(other.modal).getByTestId('bulk-reason')).toHaveValue('');

    // The same users, picked in another order.
    const again = await openOn(['User 03', 'User 02'], other.view.unmount);
    expect(within(again.modal).getByTestId('restored-draft')).toHaveTextContent(
      'Your unsaved changes from a moment ago were restored.',
    );
    expect(
      within(again.modal)
        .getAllByTestId('action')
        .map((a) => a.dataset.actionType),
    ).toEqual(['suspend']);
    expect(within(again.modal).getByTestId('bulk-reason')).toHaveValue('Clean-up');

    await again.user.click(within(again.modal).getByTestId('restored-draft-discard'));
    expect(within(again.modal).queryByTestId('restored-draft')).not.toBeInTheDocument();
    expect(within(again.modal).queryAllByTestId('action')).toHaveLength(0);
    expect(within(again.modal).getByTestId('bulk-reason')).toHaveValue('');
    expect(keptDrafts()).toEqual([]);
  });

  it('is forgotten once the operation started', async () => {
    installFakeFetch(routes());
    const { user, modal } = await openOn(['User 02', 'User 03']);
    await user.click(within(modal).getByTestId('add-action-suspend'));
    expect(keptDrafts()).toHaveLength(1);
    await user.click(within(modal).getByTestId('bulk-preview'));
    await user.click(await within(modal).findByTestId('bulk-continue'));
    await user.click(await within(modal).findByTestId('bulk-run'));
    expect(await screen.findByTestId('operation-detail')).toBeInTheDocument();
    expect(keptDrafts()).toEqual([]);
  });

  it('is forgotten when the admin agrees to discard it', async () => {
    installFakeFetch(routes());
    const { user, modal } = await openOn(['User 02']);
    await user.type(within(modal).getByTestId('bulk-reason'), 'Clean-up');
    expect(keptDrafts()).toHaveLength(1);
    await user.click(within(modal).getByTestId('bulk-cancel'));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    await waitFor(() => expect(screen.queryByTestId('bulk-actions-modal')).not.toBeInTheDocument());
    expect(keptDrafts()).toEqual([]);
  });
});
