import Button from '@atlaskit/button/new';
import DropdownMenu, { DropdownItem, DropdownItemGroup } from '@atlaskit/dropdown-menu';
import { useState } from 'react';
import { showFlag } from '../../ap';
import { useMe } from '../../api/queries';
import {
  useCreateSavedFilter,
  useSavedFilters,
  useUpdateSavedFilter,
} from '../../api/savedFilters';
import { useTasks } from '../../api/tasks';
import type { Filter, SavedFilter } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { buttonTrigger } from '../../components/MenuTrigger';
import { filterParam } from '../../filter';
import { useRouter } from '../../route';
import { DeleteFilterModal } from './DeleteFilterModal';
import { FilterNameModal } from './FilterNameModal';
import { UpdateUsedFilterModal } from './UpdateUsedFilterModal';

/** The open dialog; `update-used` confirms updating a filter that tasks use. */
type Dialog = 'save' | 'rename' | 'delete' | 'update-used' | null;

/**
 * Saved filters of the User Browser: "Save filter" (new, or update the applied one), the
 * "Saved filters" menu, and the applied one's name with rename and delete.
 */
export function SavedFilters({ filter, savedId }: { filter: Filter; savedId: string | null }) {
  const { update, navigate } = useRouter();
  const orgAdmin = useMe().data?.access.as === 'orgAdmin';
  const list = useSavedFilters();
  const create = useCreateSavedFilter();
  const change = useUpdateSavedFilter();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [updatedName, setUpdatedName] = useState('');
  const filters = list.data ?? [];
  const applied = filters.find((f) => String(f.id) === savedId) ?? null;
  const changed = applied !== null && filterParam(applied.filter) !== filterParam(filter);
  // Changing what a filter selects changes whom the tasks using it act on: org admins are told
  // (others may not change such a filter: the server says so, naming the tasks).
  const warnOfTasks = orgAdmin && changed && (dialog === 'save' || dialog === 'update-used');
  const tasks = useTasks(warnOfTasks);
  const usedBy = (tasks.data ?? []).filter((t) => t.savedFilterId === applied?.id);

  const apply = (saved: SavedFilter) =>
    update({ filter: filterParam(saved.filter), saved: String(saved.id), page: null });
  const open = (next: Dialog) => {
    create.reset();
    change.reset();
    setDialog(next);
  };
  const close = () => setDialog(null);
  const saveNew = (name: string) =>
    create.mutate(
      { name, filter },
      {
        onSuccess: (saved) => {
          close();
          update({ saved: String(saved.id) });
          void showFlag({ type: 'success', title: `Filter “${saved.name}” saved` });
        },
      },
    );
  const patch = (target: SavedFilter, input: { name: string; filter?: Filter }, title: string) =>
    change.mutate(
      { id: target.id, input },
      {
        onSuccess: () => {
          close();
          void showFlag({ type: 'success', title });
        },
      },
    );
  const updateApplied = (target: SavedFilter, name: string) => {
    if (!warnOfTasks || usedBy.length === 0) {
      patch(target, { name, filter }, `Filter “${name}” updated`);
      return;
    }
    setUpdatedName(name);
    setDialog('update-used');
  };

  return (
    <>
      <DropdownMenu<HTMLButtonElement>
        trigger={buttonTrigger('Saved filters', { testId: 'saved-filters' })}
        isLoading={list.isPending}
        statusLabel="Loading saved filters"
        testId="saved-filters"
      >
        <DropdownItemGroup>
          {filters.length === 0 ? (
            <DropdownItem isDisabled>
              {list.isError ? list.error.message : 'No saved filters yet.'}
            </DropdownItem>
          ) : (
            filters.map((f) => (
              <DropdownItem key={f.id} onClick={() => apply(f)} testId="saved-filter-item">
                {f.name}
              </DropdownItem>
            ))
          )}
        </DropdownItemGroup>
      </DropdownMenu>
      <Button onClick={() => open('save')} testId="save-filter">
        Save filter
      </Button>
      {applied && (
        <span className="ow-saved-applied" data-testid="saved-filter-applied">
          Saved filter: <strong data-testid="saved-filter-name">{applied.name}</strong>
          {changed && <span className="ow-subtle"> (changed)</span>}
          <Button
            spacing="compact"
            appearance="subtle"
            onClick={() => open('rename')}
            testId="saved-filter-rename"
          >
            Rename
          </Button>
          <Button
            spacing="compact"
            appearance="subtle"
            onClick={() => open('delete')}
            testId="saved-filter-delete"
          >
            Delete
          </Button>
          {orgAdmin && !changed && (
            <Button
              spacing="compact"
              appearance="subtle"
              onClick={() => navigate('tasks', { task: 'new', saved: String(applied.id) })}
              testId="saved-filter-create-task"
            >
              Create task…
            </Button>
          )}
        </span>
      )}
      {dialog === 'save' && (
        <FilterNameModal
          title={applied ? 'Save the filter' : 'Save as a new filter'}
          initialName={applied?.name ?? ''}
          actions={
            applied
              ? [
                  {
                    label: `Update “${applied.name}”`,
                    testId: 'save-filter-update',
                    primary: true,
                    // Not before the tasks that use it are known.
                    isDisabled: warnOfTasks && !tasks.isSuccess,
                    onSubmit: (name) => updateApplied(applied, name),
                  },
                  { label: 'Save as new', testId: 'save-filter-new', onSubmit: saveNew },
                ]
              : [{ label: 'Save', testId: 'save-filter-new', primary: true, onSubmit: saveNew }]
          }
          isPending={create.isPending || change.isPending}
          error={create.error ?? change.error}
          onClose={close}
          testId="save-filter-modal"
        >
          <p className="ow-subtle">
            Saves the current search and filters, to apply again here and in bulk operations.
          </p>
          {warnOfTasks && tasks.isError && (
            <ErrorMessage
              error={tasks.error}
              title="The tasks that use this filter could not be checked"
              onRetry={() => void tasks.refetch()}
            />
          )}
        </FilterNameModal>
      )}
      {dialog === 'rename' && applied && (
        <FilterNameModal
          title="Rename the saved filter"
          initialName={applied.name}
          actions={[
            {
              label: 'Rename',
              testId: 'rename-filter-confirm',
              primary: true,
              onSubmit: (name) => patch(applied, { name }, `Filter renamed to “${name}”`),
            },
          ]}
          isPending={change.isPending}
          error={change.error}
          onClose={close}
          testId="rename-filter-modal"
        />
      )}
      {dialog === 'update-used' && applied && (
        <UpdateUsedFilterModal
          name={updatedName}
          tasks={usedBy}
          isPending={change.isPending}
          error={change.error}
          onConfirm={() =>
            patch(applied, { name: updatedName, filter }, `Filter “${updatedName}” updated`)
          }
          onClose={close}
        />
      )}
      {dialog === 'delete' && applied && (
        <DeleteFilterModal
          saved={applied}
          onClose={close}
          onDeleted={() => {
            close();
            update({ saved: null });
            void showFlag({ type: 'success', title: `Filter “${applied.name}” deleted` });
          }}
        />
      )}
    </>
  );
}
