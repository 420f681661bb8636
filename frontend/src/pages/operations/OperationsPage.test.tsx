import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { revealAppTop } from '../../ap';
import type { OperationView, Preview } from '../../api/types';
import { baseRoutes, license, productAdminMe, renderApp } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { GROUPS, operationView } from '../../test/operations';

vi.mock('../../ap', async (importOriginal) => {
  const ap = await importOriginal<typeof import('../../ap')>();
  return { ...ap, revealAppTop: vi.fn(ap.revealAppTop) };
});

const PROGRESS_DONE = {
  total: 10,
  done: 8,
  skipped: 1,
  failed: 1,
  pending: 0,
  inFlight: 0,
  wouldAct: 0,
};

const RESULT_ITEMS = [
  {
    accountId: 'acc-02',
    name: 'Ada Lovelace',
    email: 'ada@acme.com',
    action: 'addToGroups',
    actionIndex: 0,
    op: 'addToGroup',
    groupId: 'g-staff',
    outcome: 'done',
    reason: 'add to staff',
    attempts: 1,
    updatedAt: '2026-01-02T10:01:00Z',
  },
  {
    accountId: 'acc-03',
    action: 'removeAppAccess',
    actionIndex: 1,
    op: 'revokeRole',
    siteId: 'site-a',
    productKey: 'confluence',
    outcome: 'failed',
    error: 'HTTP 500 from the Admin API',
    attempts: 3,
    updatedAt: '2026-01-02T10:01:00Z',
  },
];

function routes(detail: () => OperationView) {
  return {
    ...baseRoutes(),
    'GET /api/v1/groups': () => ({ status: 200, body: GROUPS }),
    'GET /api/v1/license': () => ({ status: 200, body: license() }),
    'GET /api/v1/operations/{id}': () => ({ status: 200, body: detail() }),
    'GET /api/v1/operations/{id}/results': () => ({
      status: 200,
      body: { operation: detail(), items: RESULT_ITEMS },
    }),
    'GET /api/v1/operations/{id}/steps': () => ({
      status: 200,
      body: { items: RESULT_ITEMS, nextCursor: null },
    }),
  };
}

describe('Operations page', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('lists operations with state and progress, and opens one', async () => {
    const calls = installFakeFetch({
      ...routes(() => operationView({ state: 'completed', progress: PROGRESS_DONE })),
      'GET /api/v1/operations': () => ({
        status: 200,
        body: {
          total: 2,
          page: 1,
          pageSize: 25,
          items: [
            operationView({
              id: 8,
              state: 'completed',
              actions: [],
              revertOf: 7,
              progress: PROGRESS_DONE,
            }),
            operationView(),
          ],
        },
      }),
    });
    renderApp('?view=operations');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId('operation-row')).toHaveLength(2));
    const [revert, running] = screen.getAllByTestId('operation-row');
    expect(revert).toHaveTextContent('Revert of operation #7');
    expect(revert).toHaveTextContent('Completed');
    expect(running).toHaveTextContent(
      'Add to groups: staff → Remove app access: Confluence on acme',
    );
    expect(running).toHaveTextContent('You');
    expect(within(running!).getByRole('progressbar')).toHaveAttribute('aria-valuenow', '5');
    expect(calls.find((c) => c.path === '/api/v1/operations')?.query).toBe('?page=1&pageSize=25');

    await user.click(within(running!).getByTestId('operation-link'));
    await screen.findByTestId('operation-detail');
    expect(new URLSearchParams(window.location.search).get('op')).toBe('7');
  });

  it("offers no cancel or revert of someone else's operation to a product admin", async () => {
    let state: 'running' | 'completed' = 'running';
    installFakeFetch({
      ...routes(() =>
        operationView({
          requestedBy: 'acc-other',
          state,
          ...(state === 'completed' ? { progress: PROGRESS_DONE } : {}),
        }),
      ),
      'GET /api/v1/me': () => ({ status: 200, body: productAdminMe() }),
    });
    renderApp('?view=operations&op=7');
    const detail = await screen.findByTestId('operation-detail');
    await screen.findByTestId('download-csv');
    expect(within(detail).queryByTestId('operation-cancel')).not.toBeInTheDocument();
    state = 'completed';
    await waitFor(
      () =>
        expect(within(detail).getByTestId('operation-state')).toHaveAttribute(
          'data-state',
          'completed',
        ),
      { timeout: 4000 },
    );
    expect(within(detail).queryByTestId('operation-revert')).not.toBeInTheDocument();
  });

  it('follows a running operation until it completes, then shows its results', async () => {
    let polls = 0;
    installFakeFetch(
      routes(() => {
        polls += 1;
        if (polls === 1) return operationView();
        return operationView({
          state: 'completed',
          phase: 'done',
          progress: PROGRESS_DONE,
          finishedAt: '2026-01-02T10:02:00Z',
        });
      }),
    );
    renderApp('?view=operations&op=7');
    const detail = await screen.findByTestId('operation-detail');
    expect(within(detail).getByTestId('operation-state')).toHaveAttribute('data-state', 'running');
    expect(within(detail).getByTestId('progress-text')).toHaveTextContent('5 of 10 steps finished');
    expect(within(detail).getByTestId('operation-cancel')).toBeInTheDocument();
    expect(within(detail).queryByTestId('operation-revert')).not.toBeInTheDocument();

    await waitFor(
      () =>
        expect(within(detail).getByTestId('operation-state')).toHaveAttribute(
          'data-state',
          'completed',
        ),
      { timeout: 4000 },
    );
    expect(within(detail).getByTestId('progress-done')).toHaveTextContent('8');
    expect(within(detail).getByTestId('progress-failed')).toHaveTextContent('1');
    expect(within(detail).queryByTestId('operation-cancel')).not.toBeInTheDocument();
    await waitFor(() => expect(within(detail).getAllByTestId('result-row')).toHaveLength(2));
    const [done, failed] = within(detail).getAllByTestId('result-row');
    expect(done).toHaveTextContent('staff');
    expect(done).toHaveTextContent('Ada Lovelace');
    expect(done).toHaveTextContent('ada@acme.com');
    // A user gone from the mirror is shown by account id.
    expect(failed).toHaveTextContent('acc-03');
    expect(failed).toHaveTextContent('Confluence on acme');
    expect(failed).toHaveTextContent('HTTP 500 from the Admin API');
    const settled = polls;
    await new Promise((r) => setTimeout(r, 1500));
    // No polling once it has finished.
    expect(polls).toBe(settled);
  });

  it('cancels after confirmation', async () => {
    let state: 'running' | 'cancelling' = 'running';
    const calls = installFakeFetch({
      ...routes(() => operationView({ state })),
      'POST /api/v1/operations/{id}/cancel': () => {
        state = 'cancelling';
        return { status: 200, body: operationView({ state }) };
      },
    });
    renderApp('?view=operations&op=7');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('operation-cancel'));
    const modal = await screen.findByTestId('cancel-operation-modal');
    expect(revealAppTop).toHaveBeenCalled();
    expect(modal).toHaveTextContent('the 5 steps not finished yet are skipped');
    await user.click(within(modal).getByTestId('cancel-operation-confirm'));
    await waitFor(() =>
      expect(screen.queryByTestId('cancel-operation-modal')).not.toBeInTheDocument(),
    );
    expect(
      calls.filter((c) => c.method === 'POST' && c.path === '/api/v1/operations/7/cancel'),
    ).toHaveLength(1);
    await waitFor(() =>
      expect(screen.getByTestId('operation-state')).toHaveAttribute('data-state', 'cancelling'),
    );
    expect(screen.queryByTestId('operation-cancel')).not.toBeInTheDocument();
  });

  it('downloads results with a token, and reverts after a preview', async () => {
    const preview: Preview = {
      total: 1,
      users: 1,
      truncated: false,
      totals: {
        act: 1,
        skip: 0,
        bySkipReason: {},
        byAction: [{ actionIndex: 0, action: 'revert', act: 1, skip: 0 }],
      },
      items: [
        {
          accountId: 'acc-02',
          name: 'User 02',
          action: 'revert',
          actionIndex: 0,
          op: 'removeFromGroup',
          groupId: 'g-staff',
          outcome: 'act',
          reason: 'remove again from staff',
        },
      ],
    };
    const calls = installFakeFetch({
      ...routes(() => operationView({ state: 'completed', progress: PROGRESS_DONE })),
      'POST /api/v1/operations/{id}/revert': (body) =>
        (body as { preview: boolean }).preview
          ? { status: 200, body: preview }
          : {
              status: 202,
              body: operationView({ id: 9, state: 'queued', actions: [], revertOf: 7 }),
            },
    });
    const createUrl = vi.fn(() => 'blob:results');
    // jsdom has no object URLs.
    vi.stubGlobal(
      'URL',
      class extends URL {
        static createObjectURL = createUrl;
        static revokeObjectURL = vi.fn();
      },
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderApp('?view=operations&op=7');
    const user = userEvent.setup();

    await user.click(await screen.findByTestId('download-csv'));
    await waitFor(() => expect(click).toHaveBeenCalledTimes(1));
    const download = calls.find(
      (c) => c.path === '/api/v1/operations/7/results' && c.query === '?format=csv',
    );
    expect(download?.authorization).toMatch(/^JWT token-\d+$/);
    expect(createUrl).toHaveBeenCalledTimes(1);

    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('operation-revert'));
    const modal = await screen.findByTestId('revert-modal');
    expect(revealAppTop).toHaveBeenCalled();
    await within(modal).findByTestId('preview-summary');
    expect(modal).toHaveTextContent('Revert operation #7 for 1 user?');
    expect(modal).toHaveTextContent('remove again from staff');
    await user.click(within(modal).getByTestId('revert-confirm'));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('op')).toBe('9'));
    const reverts = calls
      .filter((c) => c.path === '/api/v1/operations/7/revert')
      .map((c) => c.body);
    expect(reverts.at(0)).toEqual({ preview: true });
    expect(reverts.at(-1)).toEqual({ preview: false });
  });
  it('pages through the steps on the server, and filters them by outcome', async () => {
    const step = (n: number, outcome: string) => ({
      ...RESULT_ITEMS[0]!,
      accountId: `acc-${n}`,
      name: `User ${n}`,
      outcome,
    });
    const calls = installFakeFetch({
      ...routes(() => operationView({ state: 'completed', progress: PROGRESS_DONE })),
      'GET /api/v1/operations/{id}/steps': (_body, url) => {
        if (url.searchParams.get('outcome') === 'failed')
          return { status: 200, body: { items: [step(99, 'failed')], nextCursor: null } };
        if (url.searchParams.get('cursor') === '50')
          return { status: 200, body: { items: [step(50, 'done')], nextCursor: null } };
        const first = Array.from({ length: 50 }, (_, i) => step(i, 'done'));
        return { status: 200, body: { items: first, nextCursor: '50' } };
      },
    });
    renderApp('?view=operations&op=7');
    const user = userEvent.setup();
    const detail = await screen.findByTestId('operation-detail');
    await waitFor(() => expect(within(detail).getAllByTestId('result-row')).toHaveLength(50));
    expect(within(detail).getByTestId('steps-previous')).toBeDisabled();

    await user.click(within(detail).getByTestId('steps-next'));
    await waitFor(() => expect(within(detail).getAllByTestId('result-row')).toHaveLength(1));
    expect(within(detail).getByTestId('result-row')).toHaveTextContent('User 50');
    expect(within(detail).getByTestId('steps-page')).toHaveTextContent('Page 2');
    expect(within(detail).getByTestId('steps-next')).toBeDisabled();
    await user.click(within(detail).getByTestId('steps-previous'));
    await waitFor(() => expect(within(detail).getAllByTestId('result-row')).toHaveLength(50));
    expect(within(detail).getByTestId('steps-page')).toHaveTextContent('Page 1');

    await user.click(within(detail).getByLabelText('Outcome'));
    await user.click(await screen.findByText('Failed (1)'));
    await waitFor(() => expect(within(detail).getAllByTestId('result-row')).toHaveLength(1));
    expect(within(detail).getByTestId('result-row')).toHaveTextContent('User 99');
    expect(within(detail).queryByTestId('steps-next')).not.toBeInTheDocument();
    const asked = calls.filter((c) => c.path === '/api/v1/operations/7/steps').map((c) => c.query);
    expect(asked).toContain('?limit=50');
    expect(asked).toContain('?limit=50&cursor=50');
    expect(asked).toContain('?limit=50&outcome=failed');
  });
  it('marks a task’s dry run as one, counts what would change, and links to the task’s run', async () => {
    const dry = operationView({
      id: 5,
      state: 'completed',
      phase: 'done',
      dryRun: true,
      taskId: 3,
      processId: 'p-1',
      progress: {
        total: 84,
        done: 0,
        skipped: 5,
        failed: 0,
        pending: 0,
        inFlight: 0,
        wouldAct: 79,
      },
      finishedAt: '2026-01-02T10:02:00Z',
    });
    installFakeFetch(routes(() => dry));
    renderApp('?view=operations&op=5');
    const detail = await screen.findByTestId('operation-detail');
    expect(within(detail).getByTestId('operation-dry-run')).toHaveTextContent('Dry run');
    expect(within(detail).getByTestId('progress-text')).toHaveTextContent(
      '84 of 84 steps finished',
    );
    expect(within(detail).getByTestId('progress-would')).toHaveTextContent('79');
    const user = userEvent.setup();
    await user.click(within(detail).getByTestId('operation-task-run'));
    const params = new URLSearchParams(window.location.search);
    expect([params.get('view'), params.get('task'), params.get('process')]).toEqual([
      'tasks',
      '3',
      'p-1',
    ]);
  });
});
