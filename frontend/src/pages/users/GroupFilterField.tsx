import { Label } from '@atlaskit/form';
import Lozenge from '@atlaskit/lozenge';
import Select from '@atlaskit/select';
import { useId } from 'react';
import { useGroups } from '../../api/operationQueries';
import type { GroupCatalog } from '../../catalog';

interface GroupOption {
  label: string;
  value: string;
  members: number | null;
  idpSynced: boolean;
}

function members(n: number): string {
  return `${n.toLocaleString()} member${n === 1 ? '' : 's'}`;
}

/** Options match on the group's name (typed text anywhere in it, any case), not on its id. */
function matches(option: { data: GroupOption }, input: string): boolean {
  return option.data.label.toLowerCase().includes(input.trim().toLowerCase());
}

interface GroupFilterFieldProps {
  catalog: GroupCatalog;
  values: readonly string[];
  onChange: (groupIds: string[]) => void;
}

/**
 * "Groups" of the filter panel: a searchable picker of the organization's groups (name, member
 * count, IdP-managed badge); members of any chosen group match. Groups chosen earlier but gone since
 * the last sync stay chosen, shown by id.
 */
export function GroupFilterField({ catalog, values, onChange }: GroupFilterFieldProps) {
  const id = useId();
  const groups = useGroups();
  const options: GroupOption[] = catalog.groups.map((g) => ({
    label: g.name,
    value: g.id,
    members: g.memberCount,
    idpSynced: g.idpSynced,
  }));
  const selected = values.map(
    (v) =>
      options.find((o) => o.value === v) ?? {
        label: catalog.groupName(v),
        value: v,
        members: null,
        idpSynced: false,
      },
  );
  return (
    <div className="ow-filter-field" data-testid="filter-groups">
      <Label htmlFor={id}>Groups</Label>
      <Select<GroupOption, true>
        inputId={id}
        isMulti
        options={options}
        value={selected}
        placeholder="Any"
        spacing="compact"
        closeMenuOnSelect={false}
        isLoading={groups.isPending}
        loadingMessage={() => 'Loading groups…'}
        noOptionsMessage={({ inputValue }) =>
          inputValue ? `No group named “${inputValue}”` : 'No groups'
        }
        filterOption={matches}
        formatOptionLabel={(o, meta) =>
          meta.context === 'menu' ? (
            <span className="ow-group-option" data-testid="group-option" data-group-id={o.value}>
              <span className="ow-group-option-name">{o.label}</span>
              {o.members !== null && <span className="ow-subtle"> · {members(o.members)}</span>}
              {o.idpSynced && (
                <>
                  {' '}
                  <Lozenge appearance="inprogress">IdP-managed</Lozenge>
                </>
              )}
            </span>
          ) : (
            o.label
          )
        }
        onChange={(chosen) => onChange((chosen ?? []).map((o) => o.value))}
        testId="filter-groups"
      />
      {groups.isError && (
        <p className="ow-subtle ow-filter-error" data-testid="filter-groups-error">
          The groups could not be loaded: {groups.error.message}
        </p>
      )}
    </div>
  );
}
