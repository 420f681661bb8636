import Button from '@atlaskit/button/new';
import { useMe } from '../../api/queries';
import { useSavedFilters } from '../../api/savedFilters';
import type { Action } from '../../api/types';
import { useRouter } from '../../route';
import { describeAction } from '../../components/operations/describe';
import { useNames } from '../../components/operations/useNames';

/** Back to the list of tasks. */
export function BackToTasks() {
  const { navigate } = useRouter();
  return (
    <div>
      <Button appearance="subtle" onClick={() => navigate('tasks')} testId="tasks-back">
        ← All tasks
      </Button>
    </div>
  );
}

/** "You", or the account id. */
export function Who({ accountId }: { accountId: string }) {
  const me = useMe();
  return accountId === me.data?.accountId ? <>You</> : <span className="ow-mono">{accountId}</span>;
}

/** A task's actions in words, in the order they run per user. */
export function ActionList({ actions }: { actions: readonly Action[] }) {
  const names = useNames();
  return (
    <ol className="ow-plain-list">
      {actions.map((action, i) => (
        <li key={i}>{describeAction(action, names)}</li>
      ))}
    </ol>
  );
}

/** A saved filter's name (its id until the list has loaded, or once it is gone). */
export function SavedFilterName({ id }: { id: number }) {
  const filters = useSavedFilters();
  return <>{filters.data?.find((f) => f.id === id)?.name ?? `#${id}`}</>;
}

/** True when the caller is an organization admin: only they create, change, run and delete tasks. */
export function useIsOrgAdmin(): boolean {
  return useMe().data?.access.as === 'orgAdmin';
}
