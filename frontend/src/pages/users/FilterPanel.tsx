import { Label } from '@atlaskit/form';
import Select from '@atlaskit/select';
import Textfield from '@atlaskit/textfield';
import { useId, useState } from 'react';
import type { Filter, ProductRef } from '../../api/types';
import type { GroupCatalog } from '../../catalog';
import { DaysPicker, type DaysValue } from '../../components/DaysPicker';
import {
  ACCOUNT_TYPES,
  ROLES,
  STATUSES,
  describeProduct,
  normalizeFilter,
  parseDomains,
} from '../../filter';
import { GroupFilterField } from './GroupFilterField';

interface Option<V extends string = string> {
  label: string;
  value: V;
}

interface MultiProps<V extends string> {
  label: string;
  options: ReadonlyArray<Option<V>>;
  values: readonly V[];
  onChange: (values: V[]) => void;
  testId: string;
  placeholder?: string;
}

/** A labelled multi-select (values inside one criterion are alternatives). */
function Multi<V extends string>({
  label,
  options,
  values,
  onChange,
  testId,
  placeholder = 'Any',
}: MultiProps<V>) {
  const id = useId();
  const selected = values.map((v) => options.find((o) => o.value === v) ?? { label: v, value: v });
  return (
    <div className="ow-filter-field" data-testid={testId}>
      <Label htmlFor={id}>{label}</Label>
      <Select<Option<V>, true>
        inputId={id}
        isMulti
        options={options}
        value={selected}
        placeholder={placeholder}
        spacing="compact"
        closeMenuOnSelect={false}
        testId={testId}
        onChange={(chosen) => onChange((chosen ?? []).map((o) => o.value))}
      />
    </div>
  );
}

const productValue = (p: ProductRef) => `${p.productKey}|${p.siteId ?? ''}`;
function productRef(value: string): ProductRef {
  const [productKey = '', siteId = ''] = value.split('|');
  return siteId ? { productKey, siteId } : { productKey };
}

function daysValue(filter: Filter): DaysValue {
  if (filter.neverActive) return { kind: 'never' };
  if (filter.inactiveDays) return { kind: 'days', days: filter.inactiveDays };
  return { kind: 'any' };
}

/** Email domains as typed (comma-separated), applied on Enter or when the field is left. */
function DomainsField({
  domains,
  onChange,
}: {
  domains: readonly string[];
  onChange: (d: string[]) => void;
}) {
  const id = useId();
  const joined = domains.join(', ');
  const [text, setText] = useState(joined);
  // Follow changes from outside (URL, chips): reset the text when the applied domains change.
  const [shown, setShown] = useState(joined);
  if (shown !== joined) {
    setShown(joined);
    setText(joined);
  }
  const commit = () => {
    const next = parseDomains(text);
    if (next.join(', ') !== joined) onChange(next);
    else setText(joined);
  };
  return (
    <div className="ow-filter-field">
      <Label htmlFor={id}>Email domains</Label>
      <Textfield
        id={id}
        isCompact
        placeholder="example.com, example.org"
        value={text}
        onChange={(e) => setText(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
        }}
        testId="filter-domains"
      />
    </div>
  );
}

type Billable = 'any' | 'yes' | 'no';
const BILLABLE: ReadonlyArray<Option<Billable>> = [
  { label: 'Any', value: 'any' },
  { label: 'Billable', value: 'yes' },
  { label: 'Not billable', value: 'no' },
];

interface FilterPanelProps {
  filter: Filter;
  onChange: (filter: Filter) => void;
  catalog: GroupCatalog;
}

/** Every criterion of the filter; each change applies at once. */
export function FilterPanel({ filter, onChange, catalog }: FilterPanelProps) {
  const billableId = useId();
  const set = (patch: Partial<Filter>) => onChange(normalizeFilter({ ...filter, ...patch }));

  const productOptions: Option[] = catalog.products.map((t) => ({
    label: catalog.sites.length > 1 ? `${t.productName} — ${t.siteName}` : t.productName,
    value: productValue(t),
  }));
  for (const p of filter.products ?? []) {
    if (!productOptions.some((o) => o.value === productValue(p))) {
      productOptions.push({ label: describeProduct(p, catalog), value: productValue(p) });
    }
  }
  const billable: Billable =
    filter.billable === true ? 'yes' : filter.billable === false ? 'no' : 'any';

  return (
    <div className="ow-filter-panel" id="filter-panel" data-testid="filter-panel">
      <DaysPicker
        label="Inactive for at least"
        value={daysValue(filter)}
        allowAny
        allowNever
        testId="filter-inactivity"
        onChange={(v) =>
          set({
            inactiveDays: v.kind === 'days' ? v.days : undefined,
            neverActive: v.kind === 'never' ? true : undefined,
          })
        }
      />
      <Multi
        label="Products"
        options={productOptions}
        values={(filter.products ?? []).map(productValue)}
        onChange={(values) => set({ products: values.map(productRef) })}
        testId="filter-products"
      />
      <Multi
        label="Sites"
        options={catalog.sites.map((s) => ({ label: s.siteName, value: s.siteId }))}
        values={filter.sites ?? []}
        onChange={(sites) => set({ sites })}
        testId="filter-sites"
      />
      <GroupFilterField
        catalog={catalog}
        values={filter.groups ?? []}
        onChange={(groups) => set({ groups })}
      />
      <Multi
        label="Roles"
        options={ROLES}
        values={filter.roles ?? []}
        onChange={(roles) => set({ roles })}
        testId="filter-roles"
      />
      <Multi
        label="Statuses"
        options={STATUSES}
        values={filter.statuses ?? []}
        onChange={(statuses) => set({ statuses })}
        testId="filter-statuses"
      />
      <Multi
        label="Account types"
        options={ACCOUNT_TYPES}
        values={filter.accountTypes ?? []}
        onChange={(accountTypes) => set({ accountTypes })}
        testId="filter-account-types"
      />
      <DomainsField
        domains={filter.emailDomains ?? []}
        onChange={(emailDomains) => set({ emailDomains })}
      />
      <div className="ow-filter-field">
        <Label htmlFor={billableId}>Billable</Label>
        <Select<Option<Billable>>
          inputId={billableId}
          options={BILLABLE}
          value={BILLABLE.find((o) => o.value === billable)}
          isSearchable={false}
          spacing="compact"
          testId="filter-billable"
          onChange={(o) =>
            set({ billable: o?.value === 'yes' ? true : o?.value === 'no' ? false : undefined })
          }
        />
      </div>
    </div>
  );
}
