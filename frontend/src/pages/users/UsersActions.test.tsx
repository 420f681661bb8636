import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { revealAppTop } from '../../ap';
import type { SavedFilter, SavedFilterInput, Task, UserSearchRequest } from '../../api/types';
import { baseRoutes, productAdminMe, renderApp, urlFilter, users } from '../../test/app';
import { envelope, installFakeAp, installFakeFetch } from '../../test/fakeServer';
import { task } from '../../test/tasks';

vi.mock('../../ap', async (importOriginal) => {
  const ap = await importOriginal<typeof import('../../ap')>();
  return { ...ap, revealAppTop: vi.fn(ap.revealAppTop) };
});

const ALL = users(30);
const ACTIVE = { statuses: ['active'] };

function saved(id: number, name: string, filter: object): SavedFilter {
  const at = '2026-01-01T10:00:00Z';
  return { id, name, filter, createdBy: 'acc-1', createdAt: at, updatedBy: 'acc-1', updatedAt: at };
}

/** Routes with a saved-filter store that POST, PATCH and DELETE change, and these tasks. */
function routes(initial: SavedFilter[] = [], tasks: Task[] = []) {
  let store = [...initial];
  return {
    ...baseRoutes(),
    'GET /api/v1/tasks': () => ({ status: 200, body: { items: tasks } }),
    'POST /api/v1/users/search': (body: unknown) => {
      const request = body as UserSearchRequest;
      const size = request.pageSize ?? 25;
      return {
        status: 200,
        body: { total: ALL.length, page: 1, pageSize: size, items: ALL.slice(0, size) },
      };
    },
    'POST /api/v1/users/select': () => ({
      status: 200,
      body: { total: 30, accountIds: ALL.map((u) => u.accountId) },
    }),
    'GET /api/v1/filters': () => ({ status: 200, body: store }),
    'POST /api/v1/filters': (body: unknown) => {
      const input = body as SavedFilterInput;
      if (store.some((f) => f.name === input.name))
        return {
          status: 409,
          body: envelope(
            'duplicate_name',
            'A saved filter with this name already exists: pick another name.',
          ),
        };
      const created = saved(store.length + 10, input.name ?? '', input.filter ?? {});
      store = [...store, created];
      return { status: 201, body: created };
    },
    'PATCH /api/v1/filters/{id}': (body: unknown, url: URL) => {
      const id = Number(url.pathname.split('/').at(-1));
      const input = body as SavedFilterInput;
      store = store.map((f) =>
        f.id === id ? { ...f, name: input.name ?? f.name, filter: input.filter ?? f.filter } : f,
      );
      return { status: 200, body: store.find((f) => f.id === id) };
    },
    'DELETE /api/v1/filters/{id}': (_: unknown, url: URL) => {
      const id = Number(url.pathname.split('/').at(-1));
      store = store.filter((f) => f.id !== id);
      return { status: 204 };
    },
    'POST /api/v1/users/export': () => ({
      status: 200,
      raw: 'accountId,name,email\nacc-01,User 01,user01@acme.com\n',
      headers: {
        'Content-Type': 'text/csv',
        'Content-Disposition': 'attachment; filename="orgwarden-users-2026-01-01.csv"',
      },
    }),
    'POST /api/v1/users/import-selection': () => ({
      status: 200,
      body: {
        rows: 3,
        accountIds: ['acc-02', 'acc-05'],
        matched: [
          { row: 2, value: 'user02@acme.com', accountId: 'acc-02' },
          { row: 3, value: 'user05@acme.com', accountId: 'acc-05' },
        ],
        unmatched: [{ row: 4, value: 'nobody@example.com', reason: 'No user has this email.' }],
      },
    }),
  };
}

const query = () => new URLSearchParams(window.location.search);

describe('User Browser: saved filters, export, import', () => {
  beforeEach(() => {
    installFakeAp();
  });
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('saves the current filter under a name and shows it as applied', async () => {
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('save-filter'));
    const modal = await screen.findByTestId('save-filter-modal');
    await user.type(within(modal).getByTestId('filter-name-input'), 'Active people');
    await user.click(within(modal).getByTestId('save-filter-new'));

    await waitFor(() =>
      expect(screen.getByTestId('saved-filter-name')).toHaveTextContent('Active people'),
    );
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/v1/filters')?.body).toEqual({
      name: 'Active people',
      filter: ACTIVE,
    });
    expect(query().get('saved')).toBe('10');
  });

  it('works the saved filters menu with the keyboard', async () => {
    installFakeFetch(
      routes([
        saved(1, 'Leavers', { emailDomains: ['old.example'] }),
        saved(2, 'Admins', { roles: ['orgAdmin'] }),
      ]),
    );
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    const trigger = screen.getByTestId('saved-filters');
    trigger.focus();
    await user.keyboard('{Enter}');
    const menu = await screen.findByRole('menu');
    expect(trigger).toHaveAttribute('aria-expanded', 'true');
    await waitFor(() =>
      expect(within(menu).getByRole('menuitem', { name: 'Leavers' })).toHaveFocus(),
    );
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('menu')).not.toBeInTheDocument());
    expect(trigger).toHaveFocus();

    await user.keyboard('{Enter}');
    await waitFor(() =>
      expect(
        within(screen.getByRole('menu')).getByRole('menuitem', { name: 'Leavers' }),
      ).toHaveFocus(),
    );
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('menuitem', { name: 'Admins' })).toHaveFocus();
    await user.keyboard('{Enter}');
    await waitFor(() => expect(urlFilter()).toEqual({ roles: ['orgAdmin'] }));
    expect(screen.getByTestId('saved-filter-name')).toHaveTextContent('Admins');
  });

  it('applies a saved filter from the menu, then updates it with the changed filter', async () => {
    const calls = installFakeFetch(
      routes([
        saved(1, 'Leavers', { emailDomains: ['old.example'] }),
        saved(2, 'Admins', { roles: ['orgAdmin'] }),
      ]),
    );
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.click(screen.getByTestId('saved-filters'));
    const items = await screen.findAllByTestId('saved-filter-item');
    expect(items.map((i) => i.textContent)).toEqual(['Leavers', 'Admins']);
    await user.click(items[1]!);

    await waitFor(() => expect(urlFilter()).toEqual({ roles: ['orgAdmin'] }));
    expect(query().get('saved')).toBe('2');
    expect(screen.getByTestId('saved-filter-applied')).toHaveTextContent('Saved filter: Admins');
    expect(screen.getByTestId('saved-filter-applied')).not.toHaveTextContent('(changed)');

    await user.type(screen.getByLabelText('Search users by name or email'), 'ann');
    await waitFor(() =>
      expect(screen.getByTestId('saved-filter-applied')).toHaveTextContent('(changed)'),
    );
    await user.click(screen.getByTestId('save-filter'));
    const modal = await screen.findByTestId('save-filter-modal');
    expect(within(modal).getByTestId('filter-name-input')).toHaveValue('Admins');
    await user.click(within(modal).getByTestId('save-filter-update'));
    await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true));
    const patch = calls.find((c) => c.method === 'PATCH');
    expect(patch?.path).toBe('/api/v1/filters/2');
    expect(patch?.body).toEqual({ name: 'Admins', filter: { search: 'ann', roles: ['orgAdmin'] } });
    await waitFor(() =>
      expect(screen.getByTestId('saved-filter-applied')).not.toHaveTextContent('(changed)'),
    );
  });

  it('names the tasks that use a filter and asks before an update changes them', async () => {
    const calls = installFakeFetch(
      routes(
        [saved(5, 'Inactive on Confluence', ACTIVE)],
        [
          task(),
          task({ id: 4, name: 'Weekly clean-up' }),
          task({ id: 8, name: 'Other filter', savedFilterId: 6 }),
        ],
      ),
    );
    renderApp(`?view=users&saved=5&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.type(screen.getByLabelText('Search users by name or email'), 'ann');
    await waitFor(() =>
      expect(screen.getByTestId('saved-filter-applied')).toHaveTextContent('(changed)'),
    );
    await user.click(screen.getByTestId('save-filter'));
    const modal = await screen.findByTestId('save-filter-modal');
    const update = within(modal).getByTestId('save-filter-update');
    await waitFor(() => expect(update).toBeEnabled());
    vi.mocked(revealAppTop).mockClear();
    await user.click(update);

    const confirm = await screen.findByTestId('update-used-filter-modal');
    expect(revealAppTop).toHaveBeenCalled();
    expect(
      within(confirm)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['Suspend inactive', 'Weekly clean-up']);
    expect(calls.some((c) => c.method === 'PATCH')).toBe(false);
    const change = within(confirm).getByTestId('update-used-filter-confirm');
    expect(change).toHaveTextContent('Update and change 2 tasks');
    await user.click(change);
    await waitFor(() =>
      expect(screen.queryByTestId('update-used-filter-modal')).not.toBeInTheDocument(),
    );
    expect(calls.find((c) => c.method === 'PATCH')).toMatchObject({
      path: '/api/v1/filters/5',
      body: { name: 'Inactive on Confluence', filter: { ...ACTIVE, search: 'ann' } },
    });
  });

  it('shows a limited admin the server’s refusal to change a filter tasks use, in the dialog', async () => {
    const refusal =
      'The saved filter is used by automated tasks (Suspend inactive), which act with an organization admin’s rights: only organization admins may change what it selects. Save your change as a new filter instead.';
    const calls = installFakeFetch({
      ...routes([saved(5, 'Inactive on Confluence', ACTIVE)], [task()]),
      'GET /api/v1/me': () => ({ status: 200, body: productAdminMe() }),
      'PATCH /api/v1/filters/{id}': () => ({
        status: 403,
        body: envelope('access_denied', refusal, { tasks: ['Suspend inactive'] }),
      }),
    });
    renderApp(`?view=users&saved=5&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.type(screen.getByLabelText('Search users by name or email'), 'ann');
    await user.click(screen.getByTestId('save-filter'));
    const modal = await screen.findByTestId('save-filter-modal');
    await user.click(within(modal).getByTestId('save-filter-update'));

    expect(await within(modal).findByTestId('error-message')).toHaveTextContent(refusal);
    // One refused action: /me is asked again and still lets the caller in.
    await waitFor(() =>
      expect(calls.filter((c) => c.path === '/api/v1/me').length).toBeGreaterThan(1),
    );
    expect(screen.queryByTestId('no-access')).not.toBeInTheDocument();
    expect(screen.getByTestId('save-filter-modal')).toBeInTheDocument();
    expect(screen.getByTestId('navigation')).toBeInTheDocument();
    // Only org admins are warned: the tasks are not asked for.
    expect(calls.some((c) => c.path === '/api/v1/tasks')).toBe(false);
  });

  it('renames and deletes (after confirmation) the applied saved filter', async () => {
    const calls = installFakeFetch(routes([saved(1, 'Leavers', ACTIVE)]));
    renderApp(`?view=users&saved=1&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    expect(await screen.findByTestId('saved-filter-name')).toHaveTextContent('Leavers');

    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('saved-filter-rename'));
    const rename = await screen.findByTestId('rename-filter-modal');
    expect(revealAppTop).toHaveBeenCalled();
    await user.clear(within(rename).getByTestId('filter-name-input'));
    await user.type(within(rename).getByTestId('filter-name-input'), 'Former staff{Enter}');
    await waitFor(() =>
      expect(screen.getByTestId('saved-filter-name')).toHaveTextContent('Former staff'),
    );
    expect(calls.find((c) => c.method === 'PATCH')?.body).toEqual({ name: 'Former staff' });

    vi.mocked(revealAppTop).mockClear();
    await user.click(screen.getByTestId('saved-filter-delete'));
    const confirm = await screen.findByTestId('delete-filter-modal');
    expect(revealAppTop).toHaveBeenCalled();
    expect(confirm).toHaveTextContent('Delete the saved filter “Former staff”?');
    expect(await within(confirm).findByTestId('delete-filter-unused')).toHaveTextContent(
      'No automated task uses it.',
    );
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
    await user.click(within(confirm).getByTestId('delete-filter-confirm'));
    await waitFor(() =>
      expect(screen.queryByTestId('saved-filter-applied')).not.toBeInTheDocument(),
    );
    expect(calls.find((c) => c.method === 'DELETE')?.path).toBe('/api/v1/filters/1');
    expect(query().get('saved')).toBeNull();
    // The filter itself stays.
    expect(urlFilter()).toEqual(ACTIVE);
  });

  it('names the tasks that use a filter instead of deleting it, each opening its task', async () => {
    const calls = installFakeFetch({
      ...routes(
        [saved(5, 'Inactive on Confluence', ACTIVE)],
        [
          task(),
          task({ id: 4, name: 'Weekly clean-up' }),
          task({ id: 8, name: 'Other filter', savedFilterId: 6 }),
        ],
      ),
      'GET /api/v1/tasks/{id}': () => ({ status: 200, body: task({ id: 4 }) }),
      'GET /api/v1/tasks/{id}/runs': () => ({ status: 200, body: { items: [] } }),
    });
    renderApp(`?view=users&saved=5&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('saved-filter-delete'));

    const refusal = await screen.findByTestId('filter-in-use-modal');
    expect(refusal).toHaveTextContent('“Inactive on Confluence” cannot be deleted');
    expect(refusal).toHaveTextContent(
      '2 automated tasks select their users with this saved filter:',
    );
    expect(
      within(within(refusal).getByTestId('filter-in-use-tasks'))
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['Suspend inactive', 'Weekly clean-up']);
    expect(refusal).toHaveTextContent('Choose another saved filter in these tasks, or delete them');
    expect(within(refusal).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();

    await user.click(within(refusal).getByRole('button', { name: 'Weekly clean-up' }));
    await waitFor(() => expect(query().get('task')).toBe('4'));
    expect(query().get('view')).toBe('tasks');
    expect(calls.some((c) => c.method === 'DELETE')).toBe(false);
  });

  it('names the task when the server refuses because a task took the filter up meanwhile', async () => {
    let tasks: Task[] = [];
    installFakeFetch({
      ...routes([saved(5, 'Inactive on Confluence', ACTIVE)]),
      'GET /api/v1/tasks': () => ({ status: 200, body: { items: tasks } }),
      'DELETE /api/v1/filters/{id}': () => {
        tasks = [task({ name: 'Created meanwhile' })];
        return {
          status: 409,
          body: envelope(
            'filter_in_use',
            'The saved filter is used by automated tasks: Created meanwhile. Change or delete those tasks first.',
            { tasks: ['Created meanwhile'] },
          ),
        };
      },
    });
    renderApp(`?view=users&saved=5&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('saved-filter-delete'));
    const confirm = await screen.findByTestId('delete-filter-modal');
    await within(confirm).findByTestId('delete-filter-unused');
    await user.click(within(confirm).getByTestId('delete-filter-confirm'));

    const refusal = await screen.findByTestId('filter-in-use-modal');
    expect(within(refusal).getByTestId('filter-in-use-tasks')).toHaveTextContent(
      'Created meanwhile',
    );
    expect(refusal).toHaveTextContent(
      'An automated task selects its users with this saved filter:',
    );
    await user.click(within(refusal).getByTestId('filter-in-use-close'));
    await waitFor(() =>
      expect(screen.queryByTestId('filter-in-use-modal')).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('saved-filter-name')).toHaveTextContent('Inactive on Confluence');
  });

  it('lets an admin confined to what they administer delete without reading the tasks, and shows the refusal that names them', async () => {
    const refusal =
      'The saved filter is used by automated tasks: Suspend inactive. Change or delete those tasks first.';
    const calls = installFakeFetch({
      ...routes([saved(5, 'Inactive on Confluence', ACTIVE)]),
      'GET /api/v1/me': () => ({
        status: 200,
        body: productAdminMe([{ siteId: 'site-a', productKey: 'confluence' }]),
      }),
      'DELETE /api/v1/filters/{id}': () => ({
        status: 409,
        body: envelope('filter_in_use', refusal, { tasks: ['Suspend inactive'] }),
      }),
    });
    renderApp(`?view=users&saved=5&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await user.click(await screen.findByTestId('saved-filter-delete'));
    const confirm = await screen.findByTestId('delete-filter-modal');
    expect(within(confirm).getByTestId('delete-filter-unchecked')).toHaveTextContent(
      'the answer names those tasks',
    );
    await user.click(within(confirm).getByTestId('delete-filter-confirm'));
    expect(await within(confirm).findByTestId('error-message')).toHaveTextContent(refusal);
    expect(calls.some((c) => c.path === '/api/v1/tasks')).toBe(false);
  });

  it('exports the filter’s result, or the selection, and downloads the file', async () => {
    const saves: Array<{ name: string; href: string }> = [];
    vi.stubGlobal(
      'URL',
      Object.assign(URL, {
        createObjectURL: vi.fn(() => 'blob:export-1'),
        revokeObjectURL: vi.fn(),
      }),
    );
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saves.push({ name: this.download, href: this.href });
    });
    const calls = installFakeFetch(routes());
    renderApp(
      `?view=users&sort=lastActive&desc=1&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`,
    );
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');

    await user.click(screen.getByTestId('export'));
    expect(screen.getByTestId('export-csv')).toHaveTextContent('CSV · 30 users');
    await user.click(screen.getByTestId('export-csv'));
    await waitFor(() =>
      expect(saves).toEqual([{ name: 'orgwarden-users-2026-01-01.csv', href: 'blob:export-1' }]),
    );
    const exports = () => calls.filter((c) => c.path === '/api/v1/users/export');
    expect(exports()[0]?.body).toEqual({
      selection: { filter: ACTIVE },
      format: 'csv',
      sort: { field: 'lastActive', descending: true },
    });
    expect(exports()[0]?.authorization).toMatch(/^JWT token-/);

    await user.click(screen.getByLabelText('Select User 01'));
    await user.click(screen.getByLabelText('Select User 03'));
    await user.click(screen.getByTestId('export'));
    await user.click(screen.getByTestId('export-xlsx'));
    await waitFor(() => expect(exports()).toHaveLength(2));
    expect(exports()[1]?.body).toEqual({
      selection: { accountIds: ['acc-01', 'acc-03'] },
      format: 'xlsx',
      sort: { field: 'lastActive', descending: true },
    });
  });

  it('imports a CSV as the selection and lists the rows that matched nobody', async () => {
    const calls = installFakeFetch(routes());
    renderApp(`?view=users&filter=${encodeURIComponent(JSON.stringify(ACTIVE))}`);
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    const csv = 'email\nuser02@acme.com\nuser05@acme.com\nnobody@example.com\n';
    await user.upload(
      screen.getByTestId('import-file'),
      new File([csv], 'leavers.csv', { type: 'text/csv' }),
    );

    const result = await screen.findByTestId('import-result');
    expect(result).toHaveTextContent('2 matched, 1 not matched');
    expect(
      within(result)
        .getAllByTestId('import-unmatched-row')
        .map((r) => r.textContent),
    ).toEqual(['Row 4: nobody@example.com — No user has this email.']);
    expect(calls.find((c) => c.path === '/api/v1/users/import-selection')?.body).toEqual({ csv });
    // Selected among all users: the filter is cleared.
    await waitFor(() => expect(urlFilter()).toBeNull());
    await waitFor(() =>
      expect(screen.getByTestId('selection-count')).toHaveTextContent('2 of 30 users are selected'),
    );
    expect(screen.getByLabelText('Select User 02')).toBeChecked();
    expect(screen.getByLabelText('Select User 01')).not.toBeChecked();
  });

  it('says so when the chosen file cannot be read, and sends nothing', async () => {
    const calls = installFakeFetch(routes());
    vi.spyOn(FileReader.prototype, 'readAsText').mockImplementation(function (this: FileReader) {
      this.onerror?.(new ProgressEvent('error') as ProgressEvent<FileReader>);
    });
    renderApp('?view=users');
    const user = userEvent.setup();
    await screen.findAllByTestId('user-row');
    await user.upload(
      screen.getByTestId('import-file'),
      new File(['email'], 'locked.csv', { type: 'text/csv' }),
    );
    expect(await screen.findByTestId('import-unreadable')).toHaveTextContent(
      'Your browser could not read locked.csv.',
    );
    expect(calls.some((c) => c.path === '/api/v1/users/import-selection')).toBe(false);
  });
});
