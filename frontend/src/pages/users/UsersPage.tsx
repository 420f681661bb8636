import Button from '@atlaskit/button/new';
import { Label } from '@atlaskit/form';
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import Textfield from '@atlaskit/textfield';
import { Suspense, lazy, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useMirrorReady, useSelectMatching, useUserSearch } from '../../api/queries';
import type { Filter, SortField, UserSearchRequest } from '../../api/types';
import { useGroupCatalog } from '../../catalog';
import { MirrorError, NotSyncedMessage } from '../../components/MirrorError';
import { ErrorMessage } from '../../components/ErrorMessage';
import { SearchIcon } from '../../icons';
import { countCriteria, filterParam, normalizeFilter, parseFilterParam } from '../../filter';
import { useRouter } from '../../route';
import { FilterPanel } from './FilterPanel';
import { FilterSummary } from './FilterSummary';
import { UserDetailPanel } from './UserDetailPanel';
import { UsersActions } from './UsersActions';
import { SORT_FIELDS, UserTable } from './UserTable';

const BulkActionsModal = lazy(() => import('../operations/BulkActionsModal'));

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
const SEARCH_DEBOUNCE_MS = 300;

/** The browser's state as the URL holds it (`filter`, `sort`, `desc`, `page`, `size`, `user`). */
function readState(params: URLSearchParams) {
  const filter = parseFilterParam(params.get('filter'));
  const sort = SORT_FIELDS.find((f) => f === params.get('sort')) ?? 'name';
  const descending = params.get('desc') === '1';
  const page = Math.max(1, Math.floor(Number(params.get('page'))) || 1);
  const size = Number(params.get('size'));
  const pageSize = PAGE_SIZES.find((s) => s === size) ?? DEFAULT_PAGE_SIZE;
  return { filter, sort, descending, page, pageSize, user: params.get('user') };
}

/** Name or email, applied to the filter once typing pauses. */
function SearchBox({ value, onSearch }: { value: string; onSearch: (text: string) => void }) {
  const [text, setText] = useState(value);
  const committed = useRef(value);
  useEffect(() => {
    // Follow changes from outside (a chip removed, back button), not our own commits.
    if (value !== committed.current) {
      committed.current = value;
      setText(value);
    }
  }, [value]);
  useEffect(() => {
    const trimmed = text.trim();
    if (trimmed === committed.current) return;
    const timer = setTimeout(() => {
      committed.current = trimmed;
      onSearch(trimmed);
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, onSearch]);
  return (
    <div className="ow-search">
      <Textfield
        type="search"
        aria-label="Search users by name or email"
        placeholder="Search by name or email"
        value={text}
        maxLength={200}
        onChange={(e) => setText(e.currentTarget.value)}
        elemBeforeInput={
          <span className="ow-search-icon">
            <SearchIcon label="" color="currentColor" />
          </span>
        }
        testId="user-search"
      />
    </div>
  );
}

interface SizeOption {
  label: string;
  value: number;
}
const SIZE_OPTIONS: SizeOption[] = PAGE_SIZES.map((s) => ({ label: String(s), value: s }));

/** The User Browser: search, filters, a sortable paged table, selection and a user's detail. */
export default function UsersPage() {
  const { route, update } = useRouter();
  const state = useMemo(() => readState(route.params), [route.params]);
  const { filter, sort, descending, page, pageSize } = state;
  const filterKey = filterParam(filter) ?? '';
  const catalog = useGroupCatalog();
  const sizeId = useId();
  const [panelOpen, setPanelOpen] = useState(false);
  // `matching`: the selection is "all N matching" (bulk actions then send the filter, not the ids).
  const [selection, setSelection] = useState<{
    filterKey: string;
    ids: ReadonlySet<string>;
    matching?: boolean;
  }>({
    filterKey,
    ids: new Set(),
  });
  const [bulkOpen, setBulkOpen] = useState(false);
  // A selection belongs to the filter it was made with.
  const selected = selection.filterKey === filterKey ? selection.ids : new Set<string>();
  const selectAll = useSelectMatching();

  const request = useMemo<UserSearchRequest>(
    () => ({
      filter: parseFilterParam(filterKey || null),
      sort: { field: sort, descending },
      page,
      pageSize,
    }),
    [filterKey, sort, descending, page, pageSize],
  );
  const mirror = useMirrorReady();
  const search = useUserSearch(request);
  const data = search.data;
  const total = data?.total ?? 0;
  const lastPage = Math.max(1, Math.ceil(total / pageSize));

  useEffect(() => {
    // Past the end (the list shrank since): show the last page.
    if (data && !search.isPlaceholderData && page > lastPage)
      update({ page: lastPage === 1 ? null : String(lastPage) });
  }, [data, search.isPlaceholderData, page, lastPage, update]);

  const setFilter = (next: Filter) =>
    update({ filter: filterParam(normalizeFilter(next)), page: null });
  const onSearch = useMemo(
    () => (text: string) =>
      update({
        filter: filterParam({ ...parseFilterParam(filterKey || null), search: text }),
        page: null,
      }),
    [filterKey, update],
  );

  const onSelect = (ids: string[], on: boolean) => {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    setSelection({ filterKey, ids: next });
  };
  const onSelectAll = () => {
    const key = filterKey;
    selectAll.mutate(filter, {
      onSuccess: (result) =>
        setSelection({ filterKey: key, ids: new Set(result.accountIds), matching: true }),
    });
  };

  const openUser = (accountId: string) =>
    update({ user: state.user === accountId ? null : accountId });
  const closeUser = () => {
    const id = state.user;
    update({ user: null });
    // Back to the row the panel was opened from.
    requestAnimationFrame(() => {
      document
        .querySelector<HTMLElement>(
          `[data-testid="user-name"][data-account-id="${CSS.escape(id ?? '')}"]`,
        )
        ?.focus();
    });
  };

  const matching = selection.filterKey === filterKey && selection.matching === true;
  const criteria = countCriteria({ ...filter, search: undefined });
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);

  let list;
  if (mirror.known && !mirror.ready) {
    list = <NotSyncedMessage />;
  } else if (search.isPending) {
    list = <Spinner size="large" label="Loading users" />;
  } else if (search.isError && !data) {
    list = <MirrorError error={search.error} onRetry={() => void search.refetch()} />;
  } else {
    list = (
      <>
        {search.isError && (
          <ErrorMessage error={search.error} onRetry={() => void search.refetch()} />
        )}
        <UserTable
          data={data}
          isLoading={search.isFetching && search.isPlaceholderData}
          sort={sort}
          descending={descending}
          onSort={(field: SortField, desc: boolean) =>
            update({ sort: field === 'name' ? null : field, desc: desc ? '1' : null, page: null })
          }
          page={Math.min(page, lastPage)}
          pageSize={pageSize}
          onSetPage={(p) => update({ page: p === 1 ? null : String(p) })}
          selected={selected}
          onSelect={onSelect}
          openUser={state.user}
          onOpenUser={openUser}
          catalog={catalog}
          perProduct={(filter.products?.length ?? 0) > 0 || (filter.sites?.length ?? 0) > 0}
        />
        <div className="ow-table-footer">
          <span data-testid="users-range" aria-live="polite">
            {total === 0
              ? 'No users'
              : `${from.toLocaleString()}–${to.toLocaleString()} of ${total.toLocaleString()} users`}
          </span>
          <div className="ow-page-size">
            <Label htmlFor={sizeId}>Rows per page</Label>
            <Select<SizeOption>
              inputId={sizeId}
              options={SIZE_OPTIONS}
              value={SIZE_OPTIONS.find((o) => o.value === pageSize)}
              isSearchable={false}
              spacing="compact"
              menuPlacement="auto"
              testId="page-size"
              onChange={(o) =>
                update({
                  size: o && o.value !== DEFAULT_PAGE_SIZE ? String(o.value) : null,
                  page: null,
                })
              }
            />
          </div>
        </div>
      </>
    );
  }

  return (
    <Stack space="space.200" testId="users">
      <Heading size="large" as="h1">
        Users
      </Heading>
      <div className="ow-toolbar">
        <SearchBox value={filter.search ?? ''} onSearch={onSearch} />
        <Button
          onClick={() => setPanelOpen((open) => !open)}
          aria-expanded={panelOpen}
          aria-controls="filter-panel"
          isSelected={panelOpen}
          testId="filter-toggle"
        >
          {criteria > 0 ? `Filters (${criteria})` : 'Filters'}
        </Button>
      </div>
      {panelOpen && <FilterPanel filter={filter} onChange={setFilter} catalog={catalog} />}
      <FilterSummary filter={filter} catalog={catalog} onChange={setFilter} />
      <UsersActions
        filter={filter}
        selected={selected}
        total={total}
        sort={{ field: sort, descending }}
        onSelect={(ids) => setSelection({ filterKey: '', ids: new Set(ids) })}
      />
      {data && (
        <div className="ow-selection" data-testid="selection-bar">
          <span data-testid="selection-count" aria-live="polite">
            {selected.size.toLocaleString()} of {total.toLocaleString()} users are selected
          </span>
          {selected.size < total && (
            <Button
              spacing="compact"
              onClick={onSelectAll}
              isLoading={selectAll.isPending}
              testId="select-all-matching"
            >
              Select all {total.toLocaleString()} matching
            </Button>
          )}
          {selected.size > 0 && (
            <Button
              spacing="compact"
              appearance="subtle"
              onClick={() => setSelection({ filterKey, ids: new Set() })}
              testId="select-none"
            >
              Clear selection
            </Button>
          )}
          <Button
            spacing="compact"
            appearance="primary"
            isDisabled={selected.size === 0}
            onClick={() => setBulkOpen(true)}
            testId="bulk-actions"
          >
            Bulk actions…
          </Button>
        </div>
      )}
      {selectAll.isError && (
        <ErrorMessage error={selectAll.error} title="The matching users could not be selected" />
      )}
      <div className={state.user ? 'ow-users-layout ow-users-layout-detail' : 'ow-users-layout'}>
        <div className="ow-users-list">{list}</div>
        {state.user && (
          <UserDetailPanel accountId={state.user} catalog={catalog} onClose={closeUser} />
        )}
      </div>
      {bulkOpen && (
        <Suspense fallback={null}>
          <BulkActionsModal
            selection={matching ? { filter } : { accountIds: [...selected] }}
            count={selected.size}
            catalog={catalog}
            onClose={() => setBulkOpen(false)}
          />
        </Suspense>
      )}
    </Stack>
  );
}
