import Button from '@atlaskit/button/new';
import { ErrorMessage as FieldError, Label } from '@atlaskit/form';
import { Stack } from '@atlaskit/primitives';
import Select from '@atlaskit/select';
import SectionMessage from '@atlaskit/section-message';
import Spinner from '@atlaskit/spinner';
import { useId } from 'react';
import { useSavedFilters } from '../../api/savedFilters';
import { useGroupCatalog } from '../../catalog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { describeFilter } from '../../filter';
import { useRouter } from '../../route';

interface Option {
  label: string;
  value: number;
}

interface SavedFilterPickerProps {
  value: number | null;
  onChange: (id: number) => void;
  problem?: string;
}

/** Chooses the saved filter a task re-evaluates at every run, and says what it selects. */
export function SavedFilterPicker({ value, onChange, problem }: SavedFilterPickerProps) {
  const { navigate } = useRouter();
  const selectId = useId();
  const filters = useSavedFilters();
  const catalog = useGroupCatalog();

  if (filters.isPending) return <Spinner size="medium" label="Loading the saved filters" />;
  if (filters.isError)
    return (
      <ErrorMessage
        error={filters.error}
        title="The saved filters could not be loaded"
        onRetry={() => void filters.refetch()}
      />
    );
  if (filters.data.length === 0) {
    return (
      <SectionMessage
        appearance="information"
        title="No saved filter yet"
        testId="no-saved-filters"
      >
        <p>
          A task acts on the users of a saved filter. In Users, filter the list, then choose “Save
          filter…”.
        </p>
        <Button onClick={() => navigate('users')}>Go to Users</Button>
      </SectionMessage>
    );
  }

  const options: Option[] = filters.data.map((f) => ({ label: f.name, value: f.id }));
  const chosen = filters.data.find((f) => f.id === value);
  const criteria = chosen ? describeFilter(chosen.filter, catalog) : [];
  return (
    <Stack space="space.150">
      <div className="ow-task-field">
        <Label htmlFor={selectId}>Saved filter</Label>
        <Select<Option>
          inputId={selectId}
          options={options}
          value={options.find((o) => o.value === value) ?? null}
          onChange={(o) => o && onChange(o.value)}
          placeholder="Choose a saved filter"
          testId="task-filter"
        />
        {problem && <FieldError>{problem}</FieldError>}
      </div>
      {chosen && (
        <div data-testid="task-filter-criteria">
          <p className="ow-subtle">Every run selects, at that moment, the users who match:</p>
          {criteria.length === 0 ? (
            <p>All users</p>
          ) : (
            <ul className="ow-plain-list">
              {criteria.map((c) => (
                <li key={c.key}>{c.label}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </Stack>
  );
}
