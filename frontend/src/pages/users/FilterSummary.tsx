import Button from '@atlaskit/button/new';
import { RemovableTag } from '@atlaskit/tag';
import type { Filter } from '../../api/types';
import type { Catalog } from '../../filter';
import { describeFilter } from '../../filter';

/** The filter in words: one removable chip per criterion, and "Clear filters". */
export function FilterSummary({
  filter,
  catalog,
  onChange,
}: {
  filter: Filter;
  catalog: Catalog;
  onChange: (f: Filter) => void;
}) {
  const criteria = describeFilter(filter, catalog);
  return (
    <div
      className="ow-filter-summary"
      data-testid="filter-summary"
      aria-label="Active filters"
      role="group"
    >
      {criteria.length === 0 ? (
        <span className="ow-subtle">All users</span>
      ) : (
        <>
          {criteria.map((c) => (
            <RemovableTag
              key={c.key}
              text={c.label}
              removeButtonLabel={`Remove filter: ${c.label}`}
              onAfterRemoveAction={() => onChange(c.without)}
              testId="filter-chip"
              maxWidth="100%"
            />
          ))}
          <Button
            appearance="subtle"
            spacing="compact"
            onClick={() => onChange({})}
            testId="filter-clear"
          >
            Clear filters
          </Button>
        </>
      )}
    </div>
  );
}
