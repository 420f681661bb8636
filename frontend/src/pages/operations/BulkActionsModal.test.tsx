import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { revealAppTop } from '../../ap';
import type { License } from '../../api/license';
import type { OperationRequest, Preview, PreviewItem } from '../../api/types';
import { license, renderApp, users } from '../../test/app';
import { type Recorded, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { bulkRoutes } from '../../test/operations';

vi.mock('../../ap', async (importOriginal) => {
  const ap = await importOriginal<typeof import('../../ap')>();
  return { ...ap, revealAppTop: vi.fn(ap.revealAppTop) };
});

const ALL = users(30);

const PREVIEW: Preview = {
  total: 4,
  users: 2,
  truncated: false,
  totals: {
    act: 3,
    skip: 1,
    bySkipReason: { 'organization admin: never touched': 1 },
    byAction: [
      { actionIndex: 0, action: 'addToGroups', act: 2, skip: 0 },
      { actionIndex: 1, action: 'removeAppAccess', act: 1, skip: 1 },
    ],
  },
  items: [
    {
      accountId: 'acc-02',
      name: 'User 02',
      action: 'addToGroups',
      actionIndex: 0,
      op: 'addToGroup',
      groupId: 'g-staff',
      outcome: 'act',
      reason: 'add to staff',
    },
    {
      accountId: 'acc-03',
      name: 'User 03',
      action: 'addToGroups',
      actionIndex: 0,
      op: 'addToGroup',
      groupId: 'g-staff',
      outcome: 'act',
      reason: 'add to staff',
    },
    {
      accountId: 'acc-02',
      name: 'User 02',
      action: 'removeAppAccess',
      actionIndex: 1,
      op: 'removeFromGroup',
      groupId: 'g1',
      outcome: 'act',
      reason: 'remove from confluence-users',
    },
    {
      accountId: 'acc-03',
      name: 'User 03',
      action: 'removeAppAccess',
      actionIndex: 1,
      op: 'none',
      outcome: 'skip',
      reason: 'organization admin: never touched',
    },
  ],
};

/** Suspending 6,000 users: the server lists the first 5,000 steps and counts all of them. */
const TRUNCATED: Preview = {
  total: 6_000,
  users: 6_000,
  truncated: true,
  totals: {
    act: 5_400,
    skip: 600,
    bySkipReason: { 'already suspended': 600 },
    byAction: [{ actionIndex: 0, action: 'suspend', act: 5_400, skip: 600 }],
  },
  items: Array.from({ length: 5_000 }, (_, i): PreviewItem => ({
    accountId: `acc-${i}`,
    name: `User ${i}`,
    action: 'suspend',
    actionIndex: 0,
    op: 'suspend',
    outcome: 'act',
    reason: 'suspend access',
  })),
};

const routes = (lic: License = license(), preview: Preview = PREVIEW) =>
  bulkRoutes(ALL, preview, lic);

const posted = (calls: Recorded[], path: string) =>
  calls
    .filter((c) => c.method === 'POST' && c.path === path)
    .map((c) => c.body as OperationRequest);

async function openModal() {
  const user = userEvent.setup();
  await waitFor(() => expect(screen.getAllByTestId('user-row')).toHaveLength(25));
  expect(screen.getByTestId('bulk-actions')).toBeDisabled();
  return user;
}

describe('Bulk actions modal', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('previews counts and skip reasons, then confirms and posts the chosen actions in order', async () => {
    const calls = installFakeFetch(routes());
    renderApp('?view=users');
    const user = await openModal();
    await user.click(screen.getByLabelText('Select User 02'));
    await user.click(screen.getByLabelText('Select User 03'));
    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('bulk-actions'));
    const modal = await screen.findByTestId('bulk-actions-modal');
    expect(revealAppTop).toHaveBeenCalled();
    expect(within(modal).getByTestId('bulk-selection')).toHaveTextContent('2 users');

    // Preview without actions: says what is missing, sends nothing.
    await user.click(within(modal).getByTestId('bulk-preview'));
    expect(within(modal).getByRole('alert')).toHaveTextContent('Add at least one action');

    await user.click(within(modal).getByTestId('add-action-addToGroups'));
    fireEvent.keyDown(within(modal).getByLabelText('Groups to add the users to'), {
      key: 'ArrowDown',
    });
    await user.click(await screen.findByRole('option', { name: 'staff' }));

    await user.click(within(modal).getByTestId('add-action-removeAppAccess'));
    const tile = await within(modal).findByRole('button', { name: /Confluence\s*acme-eng/ });
    await user.click(tile);
    expect(tile).toHaveAttribute('aria-pressed', 'true');
    await user.type(within(modal).getByTestId('bulk-reason'), 'Clean-up');

    await user.click(within(modal).getByTestId('bulk-preview'));
    const summary = await within(modal).findByTestId('preview-summary');
    expect(within(summary).getByTestId('preview-totals')).toHaveTextContent(
      '2 users selected: 3 changes will be made, 1 step skipped.',
    );
    const perAction = within(summary).getAllByTestId('preview-action-row');
    expect(perAction[0]).toHaveTextContent('1. Add to groups');
    expect(within(perAction[0]!).getByTestId('preview-act')).toHaveTextContent('2');
    expect(within(perAction[0]!).getByTestId('preview-skip')).toHaveTextContent('0');
    expect(perAction[1]).toHaveTextContent('2. Remove app access');
    expect(within(perAction[1]!).getByTestId('preview-act')).toHaveTextContent('1');
    expect(within(perAction[1]!).getByTestId('preview-skip')).toHaveTextContent('1');
    expect(within(summary).getByTestId('skip-reason')).toHaveTextContent(
      '1 organization admin: never touched',
    );
    expect(within(summary).getAllByTestId('preview-item')).toHaveLength(4);
    expect(within(summary).queryByTestId('preview-truncated')).not.toBeInTheDocument();

    const body: OperationRequest = {
      selection: { accountIds: ['acc-02', 'acc-03'] },
      actions: [
        { type: 'addToGroups', groupIds: ['g-staff'] },
        { type: 'removeAppAccess', targets: [{ siteId: 'site-b', productKey: 'confluence' }] },
      ],
      reason: 'Clean-up',
    };
    expect(posted(calls, '/api/v1/operations/preview')).toEqual([body]);

    await user.click(within(modal).getByTestId('bulk-continue'));
    const confirmation = await within(modal).findByTestId('bulk-confirmation');
    expect(
      within(modal).getByRole('heading', { name: /Run 2 actions on 2 users\?/ }),
    ).toBeInTheDocument();
    expect(within(confirmation).getByTestId('bulk-confirm-actions')).toHaveTextContent(
      'Add to groups: staff',
    );
    expect(within(confirmation).getByTestId('bulk-confirm-actions')).toHaveTextContent(
      'Remove app access: Confluence on acme-eng',
    );
    // A double click starts it once.
    const run = within(modal).getByTestId('bulk-run');
    fireEvent.click(run);
    fireEvent.click(run);

    await waitFor(() => expect(new URLSearchParams(window.location.search).get('op')).toBe('7'));
    expect(new URLSearchParams(window.location.search).get('view')).toBe('operations');
    expect(posted(calls, '/api/v1/operations')).toEqual([body]);
    expect(await screen.findByTestId('operation-detail')).toHaveTextContent('Operation #7');
  });

  it('sends the filter for "all N matching" and blocks confirm when the license refuses', async () => {
    const refused = license({
      state: 'exceeded',
      mayAct: false,
      message: 'Over the limit since March 1: operations are blocked.',
    });
    const calls = installFakeFetch(routes(refused));
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify({ statuses: ['active'] }))}`);
    const user = await openModal();
    await user.click(screen.getByTestId('select-all-matching'));
    await waitFor(() =>
      expect(screen.getByTestId('selection-count')).toHaveTextContent(
        '30 of 30 users are selected',
      ),
    );
    await user.click(screen.getByTestId('bulk-actions'));
    const modal = await screen.findByTestId('bulk-actions-modal');
    expect(within(modal).getByTestId('bulk-selection')).toHaveTextContent(
      'all 30 users matching the filter',
    );
    await user.click(within(modal).getByTestId('add-action-suspend'));
    await user.click(within(modal).getByTestId('bulk-preview'));
    await within(modal).findByTestId('preview-summary');
    expect(posted(calls, '/api/v1/operations/preview')[0]).toEqual({
      selection: { filter: { statuses: ['active'] } },
      actions: [{ type: 'suspend' }],
    });
    expect(within(modal).getByTestId('license-refusal')).toHaveTextContent(
      'Over the limit since March 1',
    );
    expect(within(modal).getByTestId('bulk-continue')).toBeDisabled();
  });

  it('shows exact counts per action when the preview lists only the first steps', async () => {
    installFakeFetch(routes(license(), TRUNCATED));
    renderApp('?view=users');
    const user = await openModal();
    await user.click(screen.getByLabelText('Select User 02'));
    await user.click(screen.getByTestId('bulk-actions'));
    const modal = await screen.findByTestId('bulk-actions-modal');
    await user.click(within(modal).getByTestId('add-action-suspend'));
    await user.click(within(modal).getByTestId('bulk-preview'));
    const summary = await within(modal).findByTestId('preview-summary');
    const [row, ...more] = within(summary).getAllByTestId('preview-action-row');
    expect(more).toHaveLength(0);
    expect(row).toHaveTextContent('1. Suspend');
    expect(within(row!).getByTestId('preview-act')).toHaveTextContent('5,400');
    expect(within(row!).getByTestId('preview-skip')).toHaveTextContent('600');
    expect(within(summary).getByTestId('preview-truncated')).toHaveTextContent(
      'The preview lists only the first 5,000 of 6,000 steps; the counts above include every step.',
    );
    expect(
      within(summary).getByRole('heading', { name: 'First 10 of 6,000 steps' }),
    ).toBeInTheDocument();
    expect(within(summary).getAllByTestId('preview-item')).toHaveLength(10);
  });

  it('shows IdP-synced groups disabled with why, and names what an action still needs', async () => {
    installFakeFetch(routes());
    renderApp('?view=users');
    const user = await openModal();
    await user.click(screen.getByLabelText('Select User 05'));
    await user.click(screen.getByTestId('bulk-actions'));
    const modal = await screen.findByTestId('bulk-actions-modal');
    await user.click(within(modal).getByTestId('add-action-removeFromGroups'));
    await user.click(within(modal).getByTestId('bulk-preview'));
    expect(within(modal).getByRole('alert')).toHaveTextContent('Choose at least one group.');
    await waitFor(() =>
      expect(within(modal).getByTestId('groups-removeFromGroups-locked')).toHaveTextContent(
        '1 group is read-only',
      ),
    );
    fireEvent.keyDown(within(modal).getByLabelText('Groups to remove the users from'), {
      key: 'ArrowDown',
    });
    const locked = await screen.findByRole('option', { name: /okta-engineering/ });
    expect(locked).toHaveAttribute('aria-disabled', 'true');
    expect(locked).toHaveTextContent('Synced from your identity provider');

    // "All apps" for remove app access; the action order can be changed.
    await user.click(within(modal).getByTestId('add-action-removeAppAccess'));
    await user.click(within(modal).getByLabelText(/All apps/));
    for (const tile of within(modal).getAllByTestId('app-tile')) expect(tile).toBeDisabled();
    await user.click(within(modal).getByRole('button', { name: 'Move Remove app access up' }));
    expect(
      within(modal)
        .getAllByTestId('action')
        .map((a) => a.dataset.actionType),
    ).toEqual(['removeAppAccess', 'removeFromGroups']);
  });
});

describe('Leaving the bulk actions modal', () => {
  beforeEach(() => {
    installFakeAp();
  });

  async function openOnOneUser() {
    installFakeFetch(routes());
    renderApp('?view=users');
    const user = await openModal();
    await user.click(screen.getByLabelText('Select User 02'));
    await user.click(screen.getByTestId('bulk-actions'));
    return { user, modal: await screen.findByTestId('bulk-actions-modal') };
  }

  it('closes at once when nothing was chosen', async () => {
    const { user, modal } = await openOnOneUser();
    await user.click(within(modal).getByTestId('bulk-cancel'));
    await waitFor(() => expect(screen.queryByTestId('bulk-actions-modal')).not.toBeInTheDocument());
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
  });

  it('asks before dropping chosen actions: Escape keeps editing, "Discard changes" closes', async () => {
    const { user, modal } = await openOnOneUser();
    await user.click(within(modal).getByTestId('add-action-suspend'));

    await user.keyboard('{Escape}');
    const question = await screen.findByTestId('discard-changes-modal');
    expect(question).toHaveTextContent('Discard your changes?');
    await waitFor(() => expect(within(question).getByTestId('discard-changes-keep')).toHaveFocus());
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
    );
    expect(modal).toBeInTheDocument();
    expect(within(modal).getAllByTestId('action')).toHaveLength(1);

    await user.click(within(modal).getByTestId('bulk-cancel'));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    await waitFor(() => expect(screen.queryByTestId('bulk-actions-modal')).not.toBeInTheDocument());
  });

  it('asks when only a reason was typed', async () => {
    const { user, modal } = await openOnOneUser();
    await user.type(within(modal).getByTestId('bulk-reason'), 'Clean-up');
    await user.click(within(modal).getByTestId('bulk-cancel'));
    await user.click(await screen.findByTestId('discard-changes-keep'));
    expect(modal).toBeInTheDocument();
    expect(within(modal).getByTestId('bulk-reason')).toHaveValue('Clean-up');
  });
});
