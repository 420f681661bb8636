import { Label } from '@atlaskit/form';
import Select from '@atlaskit/select';
import { useId } from 'react';
import type { GroupInfo } from '../../api/types';

/** Why orgwarden may not change a group's members, or null when it may. */
export function lockedReason(group: GroupInfo): string | null {
  if (group.idpSynced) return 'Synced from your identity provider: change its members there.';
  if (!group.modifiable) return 'Atlassian does not allow changing this group’s members.';
  return null;
}

interface GroupOption {
  label: string;
  value: string;
  locked: string | null;
}

interface GroupPickerProps {
  label: string;
  groups: GroupInfo[];
  value: string[];
  onChange: (groupIds: string[]) => void;
  testId: string;
}

/** Groups to add to or remove from; IdP-synced and read-only groups shown but disabled, with why. */
export function GroupPicker({ label, groups, value, onChange, testId }: GroupPickerProps) {
  const inputId = useId();
  const options: GroupOption[] = groups.map((g) => ({
    label: g.name,
    value: g.id,
    locked: lockedReason(g),
  }));
  const lockedCount = options.filter((o) => o.locked).length;
  return (
    <div>
      <Label htmlFor={inputId}>{label}</Label>
      <Select<GroupOption, true>
        inputId={inputId}
        isMulti
        options={options}
        value={options.filter((o) => value.includes(o.value))}
        isOptionDisabled={(o) => o.locked !== null}
        formatOptionLabel={(o, meta) =>
          meta.context === 'menu' && o.locked ? (
            <span title={o.locked} className="ow-option-locked">
              {o.label}
              <span className="ow-subtle"> · read-only: {o.locked}</span>
            </span>
          ) : (
            o.label
          )
        }
        onChange={(chosen) => onChange(chosen.map((o) => o.value))}
        placeholder="Choose groups"
        menuPortalTarget={document.body}
        styles={{ menuPortal: (base) => ({ ...base, zIndex: 9999 }) }}
        testId={testId}
      />
      {lockedCount > 0 && (
        <p className="ow-subtle ow-hint" data-testid={`${testId}-locked`}>
          {lockedCount.toLocaleString()} {lockedCount === 1 ? 'group is' : 'groups are'} read-only
          and shown disabled: orgwarden never changes groups synced from an identity provider.
        </p>
      )}
    </div>
  );
}
