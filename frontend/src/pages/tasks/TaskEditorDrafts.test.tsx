import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { DRAFT_MAX_AGE_MS, writeDraft } from '../../keptDrafts';
import { ME, renderApp } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { task, taskPageRoutes } from '../../test/tasks';
import { storedTaskDraft, taskDraftPlace } from './keptTaskDraft';
import { draftOfTask } from './taskDraft';

/** Task pages where `GET /api/v1/tasks/{id}` answers the task of that id, patched by `patch`. */
function routes(patch: Parameters<typeof task>[0] = {}) {
  return {
    ...taskPageRoutes(),
    'GET /api/v1/tasks/{id}': (_: unknown, url: URL) => ({
      status: 200,
      body: task({ id: Number(url.pathname.split('/').pop()), ...patch }),
    }),
    'GET /api/v1/tasks/{id}/runs': () => ({ status: 200, body: { items: [] } }),
    'POST /api/v1/tasks/preview': () => ({
      status: 200,
      body: { total: 1, matched: 1, act: 1, skip: 0, sample: [] },
    }),
    'PUT /api/v1/tasks/{id}': (body: unknown) => ({
      status: 200,
      body: { ...task(), ...(body as object) },
    }),
  };
}

/** The scope of task 3's draft when it was saved at `updatedAt`, made by the signed-in admin. */
const madeAgainst = (updatedAt: string) =>
  taskDraftPlace(`${ME.tenant.clientKey}/${ME.accountId}`, task({ updatedAt }), null).scope;

const keptDrafts = () =>
  Object.keys(window.sessionStorage).filter((key) => key.startsWith('orgwarden.draft.task'));

/** Opens the editor as a reload (or a return through Jira's menus) would: a fresh app. */
async function openEditor(search: string, unmountFirst?: () => void) {
  unmountFirst?.();
  const view = renderApp(search);
  await screen.findByTestId('task-name');
  return view;
}

describe('The task editor’s unsaved input', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('comes back after the frame was torn down, for the same task only', async () => {
    installFakeFetch(routes());
    const first = await openEditor('?view=tasks&task=3&panel=edit');
    await userEvent.setup().type(screen.getByTestId('task-name'), ' now');

    const second = await openEditor('?view=tasks&task=3&panel=edit', first.unmount);
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive now');
    expect(screen.getByTestId('restored-draft')).toHaveTextContent(
      'Your unsaved changes from a moment ago were restored.',
    );

    // Not for task 8, nor for a new task.
    const third = await openEditor('?view=tasks&task=8&panel=edit', second.unmount);
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
    await openEditor('?view=tasks&task=new', third.unmount);
    expect(screen.getByTestId('task-name')).toHaveValue('');
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
    expect(keptDrafts()).toEqual(['orgwarden.draft.task.3']);
  });

  it('is offered only to the admin who made it, on the site they made it on', async () => {
    installFakeFetch(routes());
    const edited = storedTaskDraft({ ...draftOfTask(task()), name: 'Elsewhere' });
    const theirs = taskDraftPlace('ck-other/acc-1', task(), null).scope;
    writeDraft('task.3', theirs, edited);
    await openEditor('?view=tasks&task=3&panel=edit');
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
  });

  it('says how old it is, and "Discard them" goes back to the saved task', async () => {
    installFakeFetch(routes());
    const edited = { ...draftOfTask(task()), reason: 'Tidy-up' };
    writeDraft(
      'task.3',
      madeAgainst(task().updatedAt),
      storedTaskDraft(edited),
      Date.now() - 3 * 3_600_000,
    );
    const first = await openEditor('?view=tasks&task=3&panel=edit');
    expect(screen.getByTestId('restored-draft')).toHaveTextContent(
      'Your unsaved changes from 3 hours ago were restored.',
    );
    const user = userEvent.setup();
    await user.click(screen.getByTestId('task-step-actions'));
    expect(screen.getByTestId('task-reason')).toHaveValue('Tidy-up');

    await user.click(screen.getByTestId('restored-draft-discard'));
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
    expect(keptDrafts()).toEqual([]);
    await openEditor('?view=tasks&task=3&panel=edit', first.unmount);
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
  });

  it('is not offered once stale, or once the task was saved again since', async () => {
    installFakeFetch(routes({ updatedAt: '2026-02-01T00:00:00Z' }));
    const edited = storedTaskDraft({ ...draftOfTask(task()), name: 'Old idea' });
    writeDraft(
      'task.3',
      madeAgainst('2026-02-01T00:00:00Z'),
      edited,
      Date.now() - DRAFT_MAX_AGE_MS - 60_000,
    );
    const first = await openEditor('?view=tasks&task=3&panel=edit');
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
    expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
    expect(keptDrafts()).toEqual([]);

    // Made against the task as it was before its last save: restoring it would undo that save.
    writeDraft('task.3', madeAgainst(task().updatedAt), edited);
    await openEditor('?view=tasks&task=3&panel=edit', first.unmount);
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
    expect(keptDrafts()).toEqual([]);
  });

  it('is forgotten once saved', async () => {
    installFakeFetch(routes());
    await openEditor('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('task-name'), ' now');
    expect(keptDrafts()).toEqual(['orgwarden.draft.task.3']);
    await user.click(screen.getByTestId('task-step-review'));
    await user.click(await screen.findByTestId('task-save'));
    expect(await screen.findByTestId('task-detail')).toBeInTheDocument();
    expect(keptDrafts()).toEqual([]);
  });

  it('is forgotten when the admin agrees to discard it', async () => {
    installFakeFetch(routes());
    await openEditor('?view=tasks&task=new');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('task-name'), 'Tidy groups');
    expect(keptDrafts()).toEqual(['orgwarden.draft.task.new']);
    await user.click(screen.getByTestId('nav-dashboard'));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
    expect(keptDrafts()).toEqual([]);
  });

  it('works as before where the frame may not keep it', async () => {
    const storage = Object.getOwnPropertyDescriptor(window, 'sessionStorage');
    Object.defineProperty(window, 'sessionStorage', {
      configurable: true,
      get: () => {
        throw new DOMException('The frame is sandboxed.', 'SecurityError');
      },
    });
    try {
      installFakeFetch(routes());
      const first = await openEditor('?view=tasks&task=3&panel=edit');
      fireEvent.change(screen.getByTestId('task-name'), { target: { value: 'Renamed' } });
      await openEditor('?view=tasks&task=3&panel=edit', first.unmount);
      expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive');
      expect(screen.queryByTestId('restored-draft')).not.toBeInTheDocument();
    } finally {
      if (storage) Object.defineProperty(window, 'sessionStorage', storage);
    }
  });
});

describe('A one-time task whose time has passed', () => {
  beforeEach(() => {
    installFakeAp();
  });

  const passed = { schedule: { kind: 'once' as const, at: '2020-01-06T09:00' }, nextRunAt: null };

  it('is saved again with another name, and the schedule step says it will not run again', async () => {
    const calls = installFakeFetch(routes(passed));
    await openEditor('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await user.type(screen.getByTestId('task-name'), ' (done)');
    await user.click(screen.getByTestId('task-step-schedule'));
    expect(screen.getByTestId('schedule-passed')).toHaveTextContent(
      'This one-time task’s time has passed; it will not run again unless you choose a new date and time.',
    );
    expect(screen.queryByTestId('schedule-date-problem')).not.toBeInTheDocument();
    await user.click(screen.getByTestId('task-step-review'));
    await user.click(await screen.findByTestId('task-save'));
    expect(await screen.findByTestId('task-detail')).toBeInTheDocument();
    const put = calls.find((c) => c.method === 'PUT');
    expect(put?.body).toMatchObject({
      name: 'Suspend inactive (done)',
      schedule: { kind: 'once', at: '2020-01-06T09:00' },
    });
  });

  it('must lie ahead once its date or time is changed', async () => {
    installFakeFetch(routes(passed));
    await openEditor('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await user.click(screen.getByTestId('task-step-schedule'));
    fireEvent.change(screen.getByTestId('schedule-time'), { target: { value: '10:00' } });
    expect(screen.queryByTestId('schedule-passed')).not.toBeInTheDocument();
    expect(screen.getByTestId('task-step-review')).toBeDisabled();
    await user.click(screen.getByTestId('task-next'));
    await waitFor(() =>
      expect(screen.getByTestId('schedule-date-problem')).toHaveTextContent(
        /^This is in the past: .+ Choose a later date or time\.$/,
      ),
    );
  });
});
