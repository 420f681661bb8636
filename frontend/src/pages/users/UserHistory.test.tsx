import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../api/types';
import { SITE_A, baseRoutes, detail, productAdminMe, renderApp, users } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { GROUPS } from '../../test/operations';
import { task } from '../../test/tasks';

const USER = users(2)[1]!;

/** Newest first: a failed removal of Confluence, the revert of operation 7, then operation 7's step. */
const HISTORY: HistoryEntry[] = [
  {
    operationId: 9,
    requestedBy: 'acc-other',
    operationReason: 'License clean-up',
    revertOf: null,
    dryRun: false,
    accountId: USER.accountId,
    action: 'removeAppAccess',
    actionIndex: 0,
    op: 'revokeRole',
    siteId: SITE_A,
    productKey: 'confluence',
    outcome: 'failed',
    error: 'HTTP 500 from the Admin API',
    attempts: 3,
    updatedAt: '2026-01-03T10:00:00Z',
  },
  {
    operationId: 8,
    requestedBy: 'acc-1',
    operationReason: 'Revert of operation 7',
    revertOf: 7,
    dryRun: false,
    accountId: USER.accountId,
    action: 'revert',
    actionIndex: 0,
    op: 'removeFromGroup',
    groupId: 'g-staff',
    outcome: 'done',
    reason: 'remove again from staff',
    attempts: 1,
    updatedAt: '2026-01-02T11:00:00Z',
  },
  {
    operationId: 7,
    requestedBy: 'acc-1',
    operationReason: 'Clean-up',
    revertOf: null,
    dryRun: false,
    accountId: USER.accountId,
    action: 'addToGroups',
    actionIndex: 0,
    op: 'addToGroup',
    groupId: 'g-staff',
    outcome: 'done',
    reason: 'add to staff',
    attempts: 1,
    updatedAt: '2026-01-02T10:01:00Z',
  },
];

type Answer = { status: number; body: unknown };

function routes(history: () => Answer) {
  return {
    ...baseRoutes(),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'POST /api/v1/users/search': () => ({
      status: 200,
      body: { total: 2, page: 1, pageSize: 25, items: users(2) },
    }),
    'GET /api/v1/users/{accountId}': () => ({ status: 200, body: detail(USER) }),
    'GET /api/v1/users/{accountId}/history': history,
  };
}

/** The users page with the user's detail open, and its history section once it has loaded. */
async function openHistory() {
  renderApp(`?view=users&user=${USER.accountId}`);
  const panel = await screen.findByTestId('user-detail');
  return within(panel).findByTestId('user-history');
}

describe('User operation history', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('lists every step, newest first, with its outcome, reason or error, and its operation', async () => {
    const calls = installFakeFetch(routes(() => ({ status: 200, body: HISTORY })));
    const section = await openHistory();
    expect(within(section).getByRole('heading', { name: 'Operation history' })).toBeInTheDocument();
    await waitFor(() => expect(within(section).getAllByTestId('history-entry')).toHaveLength(3));
    expect(calls.find((c) => c.path === `/api/v1/users/${USER.accountId}/history`)?.query).toBe(
      '?limit=100',
    );

    const [failed, revert, added] = within(section).getAllByRole('listitem');
    await waitFor(() => expect(failed).toHaveTextContent('Remove app access: Confluence on acme'));
    expect(within(failed!).getByTestId('history-outcome')).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent('HTTP 500 from the Admin API');
    expect(failed).toHaveTextContent('by acc-other');
    expect(failed).toHaveTextContent('Operation #9: License clean-up');
    expect(within(failed!).queryByTestId('history-revert-link')).not.toBeInTheDocument();

    expect(revert).toHaveTextContent('Revert: staff');
    expect(within(revert!).getByTestId('history-outcome')).toHaveTextContent('Done');
    expect(revert).toHaveTextContent('remove again from staff');
    expect(revert).toHaveTextContent('by You');
    expect(
      within(revert!).getByRole('button', { name: 'Reverts operation #7' }),
    ).toBeInTheDocument();

    expect(added).toHaveTextContent('Add to groups: staff');
    expect(added).toHaveTextContent('add to staff');
    expect(added!.querySelector('time')).toHaveAttribute('dateTime', '2026-01-02T10:01:00Z');

    const user = userEvent.setup();
    await user.click(within(added!).getByRole('button', { name: 'Operation #7' }));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('op')).toBe('7'));
    expect(new URLSearchParams(window.location.search).get('view')).toBe('operations');
  });

  it('says so when no operation has changed the user', async () => {
    installFakeFetch(routes(() => ({ status: 200, body: [] })));
    const section = await openHistory();
    expect(
      await within(section).findByText('No operation has changed this user.'),
    ).toBeInTheDocument();
    expect(within(section).queryByRole('list')).not.toBeInTheDocument();
  });

  it('shows the error when the history cannot be read, and tries again', async () => {
    let fail = true;
    installFakeFetch(
      routes(() =>
        fail
          ? { status: 500, body: envelope('internal', 'The history could not be read.') }
          : { status: 200, body: HISTORY.slice(2) },
      ),
    );
    const section = await openHistory();
    const error = await within(section).findByTestId('error-message');
    expect(error).toHaveTextContent('The operation history could not be loaded');
    expect(error).toHaveTextContent('The history could not be read.');

    fail = false;
    await userEvent.setup().click(within(error).getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(within(section).getAllByTestId('history-entry')).toHaveLength(1));
    expect(within(section).queryByTestId('error-message')).not.toBeInTheDocument();
  });

  it('names the task whose run or dry run touched the user, and opens that run', async () => {
    const fromTask = (patch: Partial<HistoryEntry>): HistoryEntry => ({
      ...HISTORY[2]!,
      taskId: 3,
      operationId: 12,
      ...patch,
    });
    installFakeFetch({
      ...routes(() => ({
        status: 200,
        body: [
          fromTask({ processId: 'p-run', outcome: 'done' }),
          fromTask({ processId: 'p-dry', dryRun: true, outcome: 'would_act' }),
          fromTask({ processId: 'p-gone', taskId: 99, outcome: 'skipped' }),
        ],
      })),
      'GET /api/v1/tasks': () => ({ status: 200, body: { items: [task()] } }),
    });
    const section = await openHistory();
    const [run, dry, gone] = await within(section).findAllByTestId('history-entry');
    await waitFor(() => expect(run).toHaveTextContent('Run of the task “Suspend inactive”'));
    expect(dry).toHaveTextContent('Dry run of the task “Suspend inactive”');
    expect(within(dry!).getByTestId('history-outcome')).toHaveTextContent('Would change');
    expect(gone).toHaveTextContent('Run of the task “#99”');
    expect(within(section).queryByTestId('history-operation-link')).not.toBeInTheDocument();

    await userEvent.setup().click(within(dry!).getByTestId('history-task-run-link'));
    const params = new URLSearchParams(window.location.search);
    expect([params.get('view'), params.get('task'), params.get('process')]).toEqual([
      'tasks',
      '3',
      'p-dry',
    ]);
  });

  it('opens a task run as its operation for an admin confined to what they administer, who reads no tasks', async () => {
    const calls = installFakeFetch({
      ...routes(() => ({
        status: 200,
        body: [{ ...HISTORY[2]!, taskId: 3, operationId: 12, processId: 'p-run' }],
      })),
      'GET /api/v1/me': () => ({
        status: 200,
        body: productAdminMe([{ siteId: SITE_A, productKey: 'confluence' }]),
      }),
    });
    const section = await openHistory();
    const [entry] = await within(section).findAllByTestId('history-entry');
    expect(within(entry!).queryByTestId('history-task-run-link')).not.toBeInTheDocument();
    await userEvent.setup().click(within(entry!).getByTestId('history-operation-link'));
    const params = new URLSearchParams(window.location.search);
    expect([params.get('view'), params.get('op')]).toEqual(['operations', '12']);
    expect(calls.some((c) => c.path === '/api/v1/tasks')).toBe(false);
  });
});
