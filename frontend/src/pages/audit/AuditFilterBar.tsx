import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { Inline } from '@atlaskit/primitives';
import { useId } from 'react';
import type { AuditFilters } from '../../api/audit';
import type { RoutePatch } from '../../route';
import { KIND_OPTIONS, type KindOption } from './kinds';

/**
 * The Audit log's filters: kind (or family), actor account id (not for a reader who sees only
 * their own entries), and a range of days.
 */
export function AuditFilterBar({
  filters,
  onChange,
  ownOnly = false,
}: {
  filters: AuditFilters;
  onChange: (patch: RoutePatch) => void;
  ownOnly?: boolean;
}) {
  const kindId = useId();
  const actorId = useId();
  const fromId = useId();
  const toId = useId();
  const rangeId = useId();
  // Dates as YYYY-MM-DD compare as text.
  const backwards = filters.from !== '' && filters.to !== '' && filters.to < filters.from;
  return (
    <Inline space="space.200" alignBlock="end" shouldWrap>
      <div className="ow-audit-kind">
        <label htmlFor={kindId}>Kind</label>
        <Select<KindOption>
          inputId={kindId}
          options={KIND_OPTIONS}
          value={KIND_OPTIONS.find((o) => o.value === filters.kind) ?? null}
          onChange={(o) => onChange({ kind: o?.value ?? null })}
          isClearable
          placeholder="Any kind"
          testId="audit-kind"
        />
      </div>
      {ownOnly ? null : (
        <div>
          <label htmlFor={actorId}>Actor (account id)</label>
          <Textfield
            id={actorId}
            defaultValue={filters.actor}
            onBlur={(e) => onChange({ actor: e.currentTarget.value.trim() || null })}
            onKeyDown={(e) => {
              if (e.key === 'Enter') onChange({ actor: e.currentTarget.value.trim() || null });
            }}
            testId="audit-actor"
          />
        </div>
      )}
      <div>
        <label htmlFor={fromId}>From</label>
        <Textfield
          id={fromId}
          type="date"
          value={filters.from}
          onChange={(e) => onChange({ from: e.currentTarget.value || null })}
          testId="audit-from"
        />
      </div>
      <div>
        <label htmlFor={toId}>To</label>
        <Textfield
          id={toId}
          type="date"
          value={filters.to}
          isInvalid={backwards}
          aria-describedby={backwards ? rangeId : undefined}
          onChange={(e) => onChange({ to: e.currentTarget.value || null })}
          testId="audit-to"
        />
        {backwards && (
          <p id={rangeId} className="ow-error-text" role="alert" data-testid="audit-range-error">
            “To” is before “From”: no entry can match. Choose a later “To” date.
          </p>
        )}
      </div>
    </Inline>
  );
}
