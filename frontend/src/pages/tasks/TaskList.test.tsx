import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { revealAppTop } from '../../ap';
import type { Task } from '../../api/types';
import { ME, renderApp, productAdminMe } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { PROCESS_ID, runDetail, task, taskPageRoutes } from '../../test/tasks';

vi.mock('../../ap', async (importOriginal) => {
  const ap = await importOriginal<typeof import('../../ap')>();
  return { ...ap, revealAppTop: vi.fn(ap.revealAppTop) };
});

/** Who task 3 would touch now. */
const PREVIEW = {
  total: 1234,
  matched: 1300,
  act: 1234,
  skip: 66,
  sample: [{ accountId: 'acc-02', name: 'Ada Lovelace' }],
};

function routes(tasks: () => Task[]) {
  return {
    ...taskPageRoutes(),
    'GET /api/v1/tasks': () => ({ status: 200, body: { items: tasks() } }),
    'GET /api/v1/tasks/{id}': () => ({ status: 200, body: tasks()[0] }),
    'GET /api/v1/tasks/{id}/runs': () => ({ status: 200, body: { items: [] } }),
    'GET /api/v1/tasks/{id}/runs/{processId}': () => ({ status: 200, body: runDetail() }),
    'POST /api/v1/tasks/preview': () => ({ status: 200, body: PREVIEW }),
  };
}

const runs = (calls: { method: string; path: string }[]) =>
  calls.filter((c) => c.method === 'POST' && c.path.endsWith('/run'));

async function openMenu(user: ReturnType<typeof userEvent.setup>) {
  const row = (await screen.findAllByTestId('task-row'))[0]!;
  await user.click(within(row).getByRole('button', { name: /Actions for / }));
  return row;
}

describe('Automated tasks list', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('shows each task’s name, who updated it, actions, schedule in words, state of the last run and next run', async () => {
    installFakeFetch(
      routes(() => [
        task(),
        task({
          id: 4,
          name: 'Never run',
          updatedBy: ME.accountId,
          lastRun: null,
          active: false,
          schedule: { kind: 'manual' },
        }),
      ]),
    );
    renderApp('?view=tasks');
    const [first, second] = await screen.findAllByTestId('task-row');
    expect(first).toHaveTextContent('Suspend inactive');
    expect(first).toHaveTextContent('acc-9');
    expect(first).toHaveTextContent('Suspend');
    expect(within(first!).getByTestId('task-schedule')).toHaveTextContent(
      'Every Monday and Friday at 09:00 (Europe/Berlin)',
    );
    expect(within(first!).getByTestId('run-state')).toHaveTextContent('Succeeded');
    expect(within(first!).getByTestId('run-state')).toHaveTextContent('Dry run');
    expect(
      within(first!).getByRole('checkbox', { name: 'Active: Suspend inactive' }),
    ).toBeChecked();
    expect(second).toHaveTextContent('You');
    expect(second).toHaveTextContent('Never');
    expect(second).toHaveTextContent('Manual only');
    expect(within(second!).getByRole('checkbox', { name: 'Active: Never run' })).not.toBeChecked();
    expect(screen.getByTestId('task-create')).toBeInTheDocument();
  });

  it('switches a task off with its other fields unchanged', async () => {
    const calls = installFakeFetch({
      ...routes(() => [task()]),
      'PUT /api/v1/tasks/{id}': (body) => ({
        status: 200,
        body: { ...task(), ...(body as object) },
      }),
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('checkbox', { name: 'Active: Suspend inactive' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
    const put = calls.find((c) => c.method === 'PUT')!;
    expect(put.path).toBe('/api/v1/tasks/3');
    expect(put.body).toEqual({
      name: 'Suspend inactive',
      savedFilterId: 5,
      actions: [{ type: 'suspend' }],
      reason: 'License hygiene',
      schedule: { kind: 'weekly', weekdays: ['fri', 'mon'], time: '09:00' },
      active: false,
      timeZone: 'Europe/Berlin',
      dryRunOnly: false,
    });
  });

  it('runs a task now after a confirmation that says whom it would touch, then opens the run', async () => {
    const calls = installFakeFetch({
      ...routes(() => [task()]),
      'POST /api/v1/tasks/{id}/run': () => ({ status: 202, body: { processId: PROCESS_ID } }),
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('task-run'));
    const modal = await screen.findByTestId('run-task-modal');
    expect(modal).toHaveTextContent('Run “Suspend inactive” now?');
    expect(revealAppTop).toHaveBeenCalled();
    const confirm = within(modal).getByTestId('run-task-confirm');
    await waitFor(() => expect(confirm).toHaveTextContent('Run now on 1,234 users'));
    expect(within(modal).getByTestId('task-preview-count')).toHaveTextContent(
      '1,234 users: Ada Lovelace and 1,233 more.',
    );
    expect(within(modal).getByTestId('run-task-dry')).toHaveTextContent('Dry run instead');
    expect(calls.find((c) => c.path === '/api/v1/tasks/preview')?.body).toEqual({
      savedFilterId: 5,
      actions: [{ type: 'suspend' }],
    });
    expect(runs(calls)).toEqual([]);
    await user.click(confirm);
    await screen.findByTestId('run-detail');
    expect(runs(calls)).toMatchObject([{ path: '/api/v1/tasks/3/run', body: { dryRun: false } }]);
    const params = new URLSearchParams(window.location.search);
    expect([params.get('view'), params.get('task'), params.get('process')]).toEqual([
      'tasks',
      '3',
      PROCESS_ID,
    ]);
  });

  it('keeps the run dialog open with the server’s refusal inside it', async () => {
    installFakeFetch({
      ...routes(() => [task()]),
      'POST /api/v1/tasks/{id}/run': () => ({
        status: 402,
        body: envelope('license_exceeded', 'Tasks are refused: the license limit is exceeded.'),
      }),
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    await user.click(screen.getByTestId('task-run'));
    const modal = await screen.findByTestId('run-task-modal');
    const confirm = within(modal).getByTestId('run-task-confirm');
    await waitFor(() => expect(confirm).toHaveTextContent('Run now on 1,234 users'));
    await user.click(confirm);
    expect(await within(modal).findByTestId('error-message')).toHaveTextContent(
      'Tasks are refused: the license limit is exceeded.',
    );
    expect(screen.getAllByTestId('error-message')).toHaveLength(1);
    expect(screen.getByTestId('run-task-modal')).toBeInTheDocument();

    // Closed and opened again: the old refusal is gone.
    await user.click(within(modal).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByTestId('run-task-modal')).not.toBeInTheDocument());
    await openMenu(user);
    await user.click(screen.getByTestId('task-run'));
    const again = await screen.findByTestId('run-task-modal');
    expect(within(again).queryByTestId('error-message')).not.toBeInTheDocument();
  });

  it('starts a dry run without asking', async () => {
    const calls = installFakeFetch({
      ...routes(() => [task()]),
      'POST /api/v1/tasks/{id}/run': () => ({ status: 202, body: { processId: PROCESS_ID } }),
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    await user.click(screen.getByTestId('task-dry-run'));
    await screen.findByTestId('run-detail');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ dryRun: true });
  });

  it('duplicates a task and shows the server’s refusal when a run cannot start', async () => {
    let tasks = [task()];
    const calls = installFakeFetch({
      ...routes(() => tasks),
      'POST /api/v1/tasks/{id}/duplicate': () => {
        const copy = task({ id: 8, name: 'Suspend inactive (copy)', active: false });
        tasks = [...tasks, copy];
        return { status: 201, body: copy };
      },
      'POST /api/v1/tasks/{id}/run': () => ({
        status: 403,
        body: envelope('license_exceeded', 'Tasks are refused: the license limit is exceeded.'),
      }),
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    await user.click(screen.getByTestId('task-duplicate'));
    await waitFor(() => expect(screen.getAllByTestId('task-row')).toHaveLength(2));
    expect(calls.find((c) => c.path === '/api/v1/tasks/3/duplicate')).toBeDefined();
    expect(screen.getAllByTestId('task-row')[1]).toHaveTextContent('Suspend inactive (copy)');

    await openMenu(user);
    await user.click(screen.getByTestId('task-dry-run'));
    expect(await screen.findByTestId('error-message')).toHaveTextContent(
      'Tasks are refused: the license limit is exceeded.',
    );
  });

  it('deletes a task after a confirmation that names it', async () => {
    let tasks = [task()];
    const calls = installFakeFetch({
      ...routes(() => tasks),
      'DELETE /api/v1/tasks/{id}': () => {
        tasks = [];
        return { status: 204 };
      },
    });
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('task-delete'));
    const modal = await screen.findByTestId('delete-task-modal');
    expect(revealAppTop).toHaveBeenCalled();
    expect(modal).toHaveTextContent('Delete the task “Suspend inactive”?');
    await user.click(within(modal).getByTestId('delete-task-confirm'));
    await waitFor(() => expect(screen.queryAllByTestId('task-row')).toHaveLength(0));
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/v1/tasks/3');
  });

  it('opens the editor of a task from its menu', async () => {
    installFakeFetch(routes(() => [task()]));
    renderApp('?view=tasks');
    const user = userEvent.setup();
    await openMenu(user);
    await user.click(screen.getByTestId('task-edit'));
    expect(await screen.findByTestId('task-editor')).toBeInTheDocument();
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
  });

  it('lets others see tasks but not change or run them', async () => {
    installFakeFetch({
      ...routes(() => [task()]),
      'GET /api/v1/me': () => ({
        status: 200,
        body: productAdminMe(),
      }),
    });
    renderApp('?view=tasks');
    const row = (await screen.findAllByTestId('task-row'))[0]!;
    expect(within(row).getByRole('checkbox', { name: 'Active: Suspend inactive' })).toBeDisabled();
    expect(within(row).queryByTestId('task-menu')).not.toBeInTheDocument();
    expect(screen.queryByTestId('task-create')).not.toBeInTheDocument();
    expect(screen.getByTestId('tasks')).toHaveTextContent(
      'Only organization admins create, change and run tasks',
    );
  });
});
