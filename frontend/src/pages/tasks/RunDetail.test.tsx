import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { PROCESS_ID, runDetail, runSteps, task, taskRun, taskPageRoutes } from '../../test/tasks';

function routes() {
  return {
    ...taskPageRoutes(),
    'GET /api/v1/tasks/{id}': () => ({ status: 200, body: task() }),
  };
}

describe('Task runs', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('opens a run’s results from its deep link, with dry-run outcomes, and downloads them as CSV', async () => {
    const saved: string[] = [];
    vi.stubGlobal(
      'URL',
      Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => undefined }),
    );
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this.download);
    });
    const calls = installFakeFetch({
      ...routes(),
      'GET /api/v1/tasks/{id}/runs/{processId}': () => ({
        status: 200,
        body: runDetail({ late: true }),
      }),
      'GET /api/v1/operations/{id}/results': () => ({
        status: 200,
        raw: 'account_id,outcome\nacc-02,would_act\n',
        headers: { 'Content-Type': 'text/csv' },
      }),
    });
    renderApp(`?view=tasks&task=3&process=${PROCESS_ID}`);
    const detail = await screen.findByTestId('run-detail');
    expect(detail).toHaveTextContent('Dry run of Suspend inactive');
    expect(within(detail).getByTestId('run-dry-note')).toBeInTheDocument();
    expect(within(detail).getByTestId('run-counts')).toHaveTextContent(
      '2 would change, 1 skipped, 0 failed of 3',
    );
    expect(within(detail).getByTestId('run-facts')).toHaveTextContent('late');
    expect(within(detail).getByTestId('run-state')).toHaveTextContent('Late');
    const rows = await within(detail).findAllByTestId('result-row');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toHaveTextContent('Ada Lovelace');
    expect(rows[0]).toHaveTextContent('Would change');
    expect(rows[1]).toHaveTextContent('Skip');
    expect(rows[1]).toHaveTextContent('organization admin');

    // The run is read without its steps, which come a page at a time.
    expect(calls.find((c) => c.path.endsWith(`/runs/${PROCESS_ID}`))?.query).toBe('?results=false');
    expect(calls.some((c) => c.path === '/api/v1/operations/41/steps')).toBe(true);

    await userEvent.setup().click(within(detail).getByTestId('run-download-csv'));
    await waitFor(() => expect(saved).toEqual(['operation-41.csv']));
    expect(calls.find((c) => c.query === '?format=csv')?.path).toBe(
      '/api/v1/operations/41/results',
    );
    click.mockRestore();
  });

  it('follows a running run until it ends', async () => {
    let polls = 0;
    installFakeFetch({
      ...routes(),
      'GET /api/v1/tasks/{id}/runs/{processId}': () => {
        polls += 1;
        return polls === 1
          ? {
              status: 200,
              body: runDetail({ state: 'running', dryRun: false, finishedAt: null }),
            }
          : {
              status: 200,
              body: runDetail({
                state: 'partiallySucceeded',
                dryRun: false,
                counts: { total: 3, done: 2, skipped: 1, failed: 0, wouldAct: 0 },
              }),
            };
      },
      // Nothing done while it runs; once it has ended, the page read again shows the done step.
      'GET /api/v1/operations/{id}/steps': () => {
        const [step] = runSteps().items;
        const outcome = polls > 1 ? 'done' : 'pending';
        return { status: 200, body: { items: [{ ...step!, outcome }], nextCursor: null } };
      },
    });
    renderApp(`?view=tasks&task=3&process=${PROCESS_ID}`);
    const detail = await screen.findByTestId('run-detail');
    expect(within(detail).getByTestId('run-state')).toHaveAttribute('data-state', 'running');
    expect(within(detail).getByTestId('run-download-csv')).toBeDisabled();
    await waitFor(
      () =>
        expect(within(detail).getByTestId('run-state')).toHaveAttribute(
          'data-state',
          'partiallySucceeded',
        ),
      { timeout: 4000 },
    );
    expect(within(detail).getByTestId('run-state')).toHaveTextContent('Partially succeeded');
    expect(within(detail).getByTestId('run-counts')).toHaveTextContent(
      '2 done, 1 skipped, 0 failed of 3',
    );
    await waitFor(() =>
      expect(within(detail).getByTestId('result-outcome')).toHaveAttribute('data-outcome', 'done'),
    );
  });

  it('lists a task’s runs and opens one', async () => {
    installFakeFetch({
      ...routes(),
      'GET /api/v1/tasks/{id}/runs': () => ({
        status: 200,
        body: {
          items: [
            taskRun({
              processId: 'p-2',
              dryRun: false,
              state: 'failed',
              counts: { total: 4, done: 1, skipped: 0, failed: 3, wouldAct: 0 },
            }),
            taskRun(),
          ],
        },
      }),
      'GET /api/v1/tasks/{id}/runs/{processId}': () => ({
        status: 200,
        body: runDetail({ processId: 'p-2', dryRun: false, state: 'failed' }),
      }),
    });
    renderApp('?view=tasks&task=3');
    const detail = await screen.findByTestId('task-detail');
    expect(within(detail).getByTestId('task-schedule')).toHaveTextContent(
      'Every Monday and Friday at 09:00 (Europe/Berlin)',
    );
    await waitFor(() =>
      expect(within(detail).getByTestId('task-facts')).toHaveTextContent('Inactive on Confluence'),
    );
    const rows = await within(detail).findAllByTestId('run-row');
    expect(rows[0]).toHaveTextContent('Failed');
    expect(rows[0]).toHaveTextContent('1 done, 0 skipped, 3 failed of 4');
    expect(rows[1]).toHaveTextContent('Dry run');
    await userEvent.setup().click(within(rows[0]!).getByTestId('run-link'));
    await screen.findByTestId('run-detail');
    expect(new URLSearchParams(window.location.search).get('process')).toBe('p-2');
  });
});
