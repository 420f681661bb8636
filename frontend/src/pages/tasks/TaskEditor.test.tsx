import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TaskPreviewRequest } from '../../api/types';
import { renderApp } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { task, taskPageRoutes } from '../../test/tasks';

function routes() {
  return {
    ...taskPageRoutes(),
    'GET /api/v1/tasks/{id}': () => ({ status: 200, body: task() }),
    'GET /api/v1/tasks/{id}/runs': () => ({ status: 200, body: { items: [] } }),
    'POST /api/v1/tasks/preview': (body: unknown) => ({
      status: 200,
      body:
        (body as TaskPreviewRequest).savedFilterId === 6
          ? { total: 0, matched: 4, act: 0, skip: 4, sample: [] }
          : {
              total: 12,
              matched: 13,
              act: 12,
              skip: 1,
              sample: [
                { accountId: 'acc-02', name: 'Ada Lovelace' },
                { accountId: 'acc-03', name: 'Grace Hopper' },
              ],
            },
    }),
  };
}

type User = ReturnType<typeof userEvent.setup>;

async function next(user: User) {
  await user.click(screen.getByTestId('task-next'));
}

/** Picks an option of an Atlaskit select by its label. */
async function choose(user: User, testId: string, option: string) {
  await user.click(within(screen.getByTestId(`${testId}-select--container`)).getByRole('combobox'));
  await user.click(
    await screen.findByText(option, { selector: '[id*="-option-"], [role="option"], div' }),
  );
}

describe('Task editor', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('checks every step, previews who the task would touch, then creates it', async () => {
    const calls = installFakeFetch({
      ...routes(),
      'POST /api/v1/tasks': (body) => ({
        status: 201,
        body: { ...task(), ...(body as object), id: 11 },
      }),
    });
    renderApp('?view=tasks&task=new');
    const user = userEvent.setup();
    await screen.findByTestId('task-editor');

    // Name
    await next(user);
    expect(screen.getByTestId('task-name-problem')).toHaveTextContent('Give the task a name.');
    expect(screen.getByTestId('task-step-filter')).toBeDisabled();
    await user.type(screen.getByTestId('task-name'), 'Tidy groups{Enter}');

    // Saved filter
    await screen.findByTestId('task-filter-select--container');
    await next(user);
    expect(screen.getByTestId('task-editor')).toHaveTextContent(
      'Choose the saved filter whose users the task acts on.',
    );
    await choose(user, 'task-filter', 'Inactive on Confluence');
    expect(screen.getByTestId('task-filter-criteria')).toHaveTextContent('Inactive ≥ 3 months');
    await next(user);

    // Actions
    await next(user);
    expect(screen.getByRole('alert')).toHaveTextContent('Add at least one action.');
    await user.click(screen.getByTestId('add-action-addToGroups'));
    await next(user);
    expect(screen.getByTestId('task-editor')).toHaveTextContent('Choose at least one group.');
    await user.click(screen.getByTestId('action-remove'));
    await user.click(screen.getByTestId('add-action-suspend'));
    await user.type(screen.getByTestId('task-reason'), 'License hygiene');
    await next(user);

    // Schedule: weekly on Monday and Friday at 07:30, in the organization's zone, with a window
    await user.click(screen.getByTestId('schedule-kind-weekly--radio-input'));
    await user.click(screen.getByRole('checkbox', { name: 'Friday' }));
    fireEvent.change(screen.getByTestId('schedule-time'), { target: { value: '07:30' } });
    await user.click(screen.getByTestId('schedule-window--hidden-checkbox'));
    fireEvent.change(screen.getByTestId('schedule-window-to'), { target: { value: '08:00' } });
    await next(user);
    expect(screen.getByTestId('schedule-window-to-problem')).toHaveTextContent(
      'another time than it starts',
    );
    fireEvent.change(screen.getByTestId('schedule-window-to'), { target: { value: '18:00' } });
    expect(screen.getByTestId('schedule-words')).toHaveTextContent(
      'Every Monday and Friday at 07:30 (Europe/Berlin); only starts between 08:00 and 18:00',
    );
    expect(screen.getByTestId('task-editor')).toHaveTextContent(
      'Runs never start during the daily sync (03:00, Europe/Berlin)',
    );
    await next(user);

    // Review with the live preview
    expect(await screen.findByTestId('task-preview-count')).toHaveTextContent(
      '12 users: Ada Lovelace, Grace Hopper and 10 more.',
    );
    expect(screen.getByTestId('task-preview-steps')).toHaveTextContent(
      'The saved filter matches 13 users now: 12 changes, 1 step skipped.',
    );
    expect(screen.getByTestId('review-schedule')).toHaveTextContent(
      'Every Monday and Friday at 07:30 (Europe/Berlin)',
    );
    await user.click(screen.getByRole('checkbox', { name: 'Dry run only' }));
    await user.click(screen.getByTestId('task-save'));

    await screen.findByTestId('task-detail');
    const post = calls.find((c) => c.method === 'POST' && c.path === '/api/v1/tasks');
    expect(post?.body).toEqual({
      name: 'Tidy groups',
      savedFilterId: 5,
      actions: [{ type: 'suspend' }],
      reason: 'License hygiene',
      schedule: {
        kind: 'weekly',
        weekdays: ['mon', 'fri'],
        time: '07:30',
        window: { from: '08:00', to: '18:00' },
      },
      active: true,
      dryRunOnly: true,
      // The filter as the review showed it: changed since, the server refuses the save.
      filterUpdatedAt: '2026-01-01T00:00:00Z',
    });
    // Only the filter and actions decide who it would touch: the switches do not ask again.
    const previews = calls.filter((c) => c.path === '/api/v1/tasks/preview');
    expect(previews.map((c) => c.body)).toEqual([
      { savedFilterId: 5, actions: [{ type: 'suspend' }] },
    ]);
    expect(new URLSearchParams(window.location.search).get('task')).toBe('11');
  });

  it('edits a saved task and shows the server’s field messages', async () => {
    const calls = installFakeFetch({
      ...routes(),
      'PUT /api/v1/tasks/{id}': () => ({
        status: 422,
        body: envelope('validation_failed', 'The task is not valid.', {
          fields: { schedule: 'The date is in the past.' },
        }),
      }),
    });
    renderApp('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    expect(await screen.findByTestId('task-name')).toHaveValue('Suspend inactive');
    // Every step of a saved task is complete: straight to the review.
    await user.click(screen.getByTestId('task-step-review'));
    expect(await screen.findByTestId('task-preview-count')).toHaveTextContent('12 users');
    await user.click(screen.getByTestId('task-save'));
    const error = await screen.findByTestId('error-message');
    expect(error).toHaveTextContent('The date is in the past.');
    await waitFor(() =>
      expect(calls.find((c) => c.method === 'PUT')?.path).toBe('/api/v1/tasks/3'),
    );
  });

  it('says on the field that a one-time run’s time is in the past, in the task’s zone', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await screen.findByTestId('task-name');
    await user.click(screen.getByTestId('task-step-schedule'));
    await user.click(screen.getByTestId('schedule-kind-once--radio-input'));
    fireEvent.change(screen.getByTestId('schedule-date'), { target: { value: '2020-01-06' } });
    // Not complete yet: the review cannot be reached.
    expect(screen.getByTestId('task-step-review')).toBeDisabled();
    await next(user);
    expect(screen.getByTestId('schedule-date-problem')).toHaveTextContent(
      /^This is in the past: it is now \d\d:\d\d on .+ in Europe\/Berlin\. Choose a later date or time\.$/,
    );
    expect(screen.getByTestId('schedule-date')).toHaveAttribute('aria-invalid', 'true');

    fireEvent.change(screen.getByTestId('schedule-date'), { target: { value: '2099-01-06' } });
    expect(screen.queryByTestId('schedule-date-problem')).not.toBeInTheDocument();
    await next(user);
    expect(await screen.findByTestId('review-schedule')).toHaveTextContent(
      'Once, on Tue 6 Jan 2099 at 09:00 (Europe/Berlin)',
    );
  });

  it('says when the saved filter selects nobody right now', async () => {
    installFakeFetch({
      ...routes(),
      'GET /api/v1/tasks/{id}': () => ({ status: 200, body: task({ savedFilterId: 6 }) }),
    });
    renderApp('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('task-step-review'));
    expect(await screen.findByTestId('task-preview-count')).toHaveTextContent(
      'Nobody: its saved filter matches 4 users, and no step would change any of them',
    );
  });

  it('starts from the saved filter the User Browser passed', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=new&saved=6');
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('task-name'), 'Everyone{Enter}');
    expect(await screen.findByTestId('task-filter-criteria')).toHaveTextContent('All users');
    expect(screen.getByTestId('task-filter-select--container')).toHaveTextContent('Everyone');
  });
});

describe('Leaving the task editor', () => {
  beforeEach(() => {
    installFakeAp();
  });

  const search = () => new URLSearchParams(window.location.search);

  it('has the browser ask before a reload only while something was changed', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=new');
    const user = userEvent.setup();
    const reload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    const name = await screen.findByTestId('task-name');
    expect(reload()).toBe(false);
    await user.type(name, 'x');
    expect(reload()).toBe(true);
    await user.clear(name);
    expect(reload()).toBe(false);
  });

  it('leaves an unchanged task without asking', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    await screen.findByTestId('task-name');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(await screen.findByTestId('task-detail')).toBeInTheDocument();
    expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument();
  });

  it('asks before the menu or Cancel drops what was typed; Escape keeps editing', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=new');
    const user = userEvent.setup();
    await user.type(await screen.findByTestId('task-name'), 'Tidy groups');

    await user.click(screen.getByTestId('nav-dashboard'));
    const question = await screen.findByTestId('discard-changes-modal');
    expect(question).toHaveTextContent('Discard your changes?');
    await user.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.queryByTestId('discard-changes-modal')).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('task-name')).toHaveValue('Tidy groups');
    expect(search().get('view')).toBe('tasks');

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(await screen.findByTestId('tasks')).toBeInTheDocument();
    expect(search().get('task')).toBeNull();
  });

  it('asks before the browser’s back button leaves, and keeps the editor’s address on "Keep editing"', async () => {
    installFakeFetch(routes());
    renderApp('?view=tasks&task=3&panel=edit');
    const user = userEvent.setup();
    const name = await screen.findByTestId('task-name');
    await user.type(name, ' now');

    const back = () => {
      window.history.pushState(null, '', '/admin?view=dashboard');
      fireEvent.popState(window);
    };
    back();
    await user.click(await screen.findByTestId('discard-changes-keep'));
    expect(search().get('task')).toBe('3');
    expect(search().get('panel')).toBe('edit');
    expect(screen.getByTestId('task-name')).toHaveValue('Suspend inactive now');

    back();
    await user.click(await screen.findByTestId('discard-changes-confirm'));
    expect(await screen.findByTestId('dashboard')).toBeInTheDocument();
  });
});
