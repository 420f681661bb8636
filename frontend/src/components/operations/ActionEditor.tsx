import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack } from '@atlaskit/primitives';
import type { GroupInfo } from '../../api/types';
import type { OrgCatalog } from '../../catalog';
import { AppTiles } from './AppTiles';
import { ACTION_TYPES, actionLabel } from './describe';
import { type Draft, missing, move, newDraft } from './drafts';
import { GroupPicker } from './GroupPicker';

interface ActionEditorProps {
  drafts: Draft[];
  onChange: (drafts: Draft[]) => void;
  catalog: OrgCatalog;
  groups: GroupInfo[];
  /** Show what each incomplete action still needs. */
  showMissing: boolean;
}

/** The actions of an operation, in the order they run per user: add, reorder, remove, configure. */
export function ActionEditor({
  drafts,
  onChange,
  catalog,
  groups,
  showMissing,
}: ActionEditorProps) {
  const patch = (index: number, change: Partial<Draft>) =>
    onChange(drafts.map((d, i) => (i === index ? { ...d, ...change } : d)));
  const available = ACTION_TYPES.filter((a) => !drafts.some((d) => d.type === a.type));

  return (
    <Stack space="space.200">
      {drafts.length === 0 && (
        <p className="ow-subtle">Add the actions to run, in order, for every selected user.</p>
      )}
      <ol className="ow-actions">
        {drafts.map((draft, index) => {
          const label = actionLabel(draft.type);
          const need = showMissing ? missing(draft) : null;
          return (
            <li
              key={draft.key}
              className="ow-action"
              data-testid="action"
              data-action-type={draft.type}
            >
              <Stack space="space.100">
                <Inline spread="space-between" alignBlock="center">
                  <Heading size="xsmall" as="h3">
                    {index + 1}. {label}
                  </Heading>
                  <Inline space="space.050">
                    <Button
                      spacing="compact"
                      appearance="subtle"
                      isDisabled={index === 0}
                      onClick={() => onChange(move(drafts, index, -1))}
                      aria-label={`Move ${label} up`}
                    >
                      Up
                    </Button>
                    <Button
                      spacing="compact"
                      appearance="subtle"
                      isDisabled={index === drafts.length - 1}
                      onClick={() => onChange(move(drafts, index, 1))}
                      aria-label={`Move ${label} down`}
                    >
                      Down
                    </Button>
                    <Button
                      spacing="compact"
                      appearance="subtle"
                      onClick={() => onChange(drafts.filter((_, i) => i !== index))}
                      aria-label={`Remove ${label}`}
                      testId="action-remove"
                    >
                      Remove
                    </Button>
                  </Inline>
                </Inline>
                {draft.type === 'removeAppAccess' && (
                  <AppTiles
                    catalog={catalog}
                    allApps={draft.allApps}
                    targets={draft.targets}
                    onChange={(allApps, targets) => patch(index, { allApps, targets })}
                  />
                )}
                {(draft.type === 'addToGroups' || draft.type === 'removeFromGroups') && (
                  <GroupPicker
                    label={
                      draft.type === 'addToGroups'
                        ? 'Groups to add the users to'
                        : 'Groups to remove the users from'
                    }
                    groups={groups}
                    value={draft.groupIds}
                    onChange={(groupIds) => patch(index, { groupIds })}
                    testId={`groups-${draft.type}`}
                  />
                )}
                {need && (
                  <p className="ow-error-text" role="alert">
                    {need}
                  </p>
                )}
              </Stack>
            </li>
          );
        })}
      </ol>
      {available.length > 0 && (
        <Inline space="space.100" shouldWrap alignBlock="center">
          <span className="ow-subtle">Add an action:</span>
          {available.map((a) => (
            <Button
              key={a.type}
              spacing="compact"
              onClick={() => onChange([...drafts, newDraft(a.type)])}
              testId={`add-action-${a.type}`}
            >
              {a.label}
            </Button>
          ))}
        </Inline>
      )}
    </Stack>
  );
}
