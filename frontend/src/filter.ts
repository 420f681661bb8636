// The user filter as the UI handles it: kept in the URL (`?filter=<json>`), normalized so equal
// filters look equal, and described in words for chips and summaries.
import type { AccountTypeValue, Filter, ProductRef, Role, UserStatusValue } from './api/types';

/** The inactivity ladder of the dashboard and the filter panel. */
export const INACTIVITY_PRESETS: ReadonlyArray<{ days: number; label: string }> = [
  { days: 3, label: '3 days' },
  { days: 7, label: '7 days' },
  { days: 14, label: '14 days' },
  { days: 21, label: '21 days' },
  { days: 30, label: '1 month' },
  { days: 90, label: '3 months' },
  { days: 180, label: '6 months' },
];

/** Bounds the server accepts for `inactiveDays`. */
export const MIN_DAYS = 1;
export const MAX_DAYS = 36_500;

/** "3 months" for a preset, else "45 days". */
export function describeDays(days: number): string {
  return (
    INACTIVITY_PRESETS.find((p) => p.days === days)?.label ?? `${days} day${days === 1 ? '' : 's'}`
  );
}

/** A whole number of days the server accepts, or null. */
export function parseDays(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\s*\d+\s*$/.test(text)) return null;
  const days = Number(text);
  return days >= MIN_DAYS && days <= MAX_DAYS ? days : null;
}

export const ROLES: ReadonlyArray<{ value: Role; label: string }> = [
  { value: 'orgAdmin', label: 'Org admin' },
  { value: 'siteAdmin', label: 'Site admin' },
  { value: 'userAccessAdmin', label: 'User access admin' },
  { value: 'productAdmin', label: 'Product admin' },
  { value: 'guest', label: 'Guest' },
  { value: 'customer', label: 'Customer' },
  { value: 'basic', label: 'Basic (no admin role)' },
];

export const STATUSES: ReadonlyArray<{ value: UserStatusValue; label: string }> = [
  { value: 'active', label: 'Active' },
  { value: 'suspended', label: 'Suspended' },
  { value: 'deactivated', label: 'Deactivated' },
  { value: 'notInvited', label: 'Not invited' },
];

export const ACCOUNT_TYPES: ReadonlyArray<{ value: AccountTypeValue; label: string }> = [
  { value: 'atlassian', label: 'Atlassian account' },
  { value: 'app', label: 'App' },
  { value: 'customer', label: 'Customer' },
];

/** "not_invited" / "notInvited" → "notinvited", so both spellings compare equal. */
function squash(value: string): string {
  return value.replace(/[_\s-]/g, '').toLowerCase();
}

/** Label of a role as rows spell it (camelCase); unknown ones humanized. */
export function roleLabel(role: string): string {
  return (
    ROLES.find((r) => squash(r.value) === squash(role))?.label ??
    role
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .replace(/[_-]+/g, ' ')
      .replace(/^./, (c) => c.toUpperCase())
  );
}

/** The filter's value of a status as rows spell it (`not_invited`) or filters do (`notInvited`). */
export function statusValue(status: string): UserStatusValue | undefined {
  return STATUSES.find((s) => squash(s.value) === squash(status))?.value;
}

/** Label of a status in either spelling; unknown ones humanized. */
export function statusLabel(status: string): string {
  const value = statusValue(status);
  return STATUSES.find((s) => s.value === value)?.label ?? roleLabel(status);
}

/** Label of an account type. */
export function accountTypeLabel(type: string): string {
  return ACCOUNT_TYPES.find((t) => t.value === type)?.label ?? type;
}

/** "example.com, @Acme.org  foo.io" → ["example.com", "acme.org", "foo.io"]. */
export function parseDomains(text: string): string[] {
  const domains = text
    .split(/[\s,;]+/)
    .map((d) => d.trim().replace(/^@+/, '').toLowerCase())
    .filter((d) => d !== '');
  return [...new Set(domains)];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}

function oneOf<T extends string>(value: unknown, allowed: ReadonlyArray<{ value: T }>): T[] {
  return strings(value).filter((v): v is T => allowed.some((a) => a.value === v));
}

/**
 * The filter without empty parts, in a fixed key order, so equal filters serialize alike.
 * Keeps only what the server's model knows (it rejects unknown fields).
 */
export function normalizeFilter(input: unknown): Filter {
  if (!isRecord(input)) return {};
  const out: Filter = {};
  // A pasted tab or line break becomes a space: the server refuses control characters.
  const search =
    typeof input.search === 'string' ? input.search.replace(/\p{Cc}+/gu, ' ').trim() : '';
  if (search !== '') out.search = search;
  if (typeof input.inactiveDays === 'number' && parseDays(String(input.inactiveDays)) !== null) {
    out.inactiveDays = input.inactiveDays;
  }
  if (input.neverActive === true) out.neverActive = true;
  const products: ProductRef[] = Array.isArray(input.products)
    ? input.products.flatMap((p): ProductRef[] =>
        isRecord(p) && typeof p.productKey === 'string' && p.productKey !== ''
          ? [
              typeof p.siteId === 'string' && p.siteId !== ''
                ? { productKey: p.productKey, siteId: p.siteId }
                : { productKey: p.productKey },
            ]
          : [],
      )
    : [];
  if (products.length > 0) out.products = products;
  const sites = strings(input.sites);
  if (sites.length > 0) out.sites = sites;
  const groups = strings(input.groups);
  if (groups.length > 0) out.groups = groups;
  const roles = oneOf(input.roles, ROLES);
  if (roles.length > 0) out.roles = roles;
  const statuses = strings(input.statuses).flatMap((v) => statusValue(v) ?? []);
  if (statuses.length > 0) out.statuses = [...new Set(statuses)];
  const accountTypes = oneOf(input.accountTypes, ACCOUNT_TYPES);
  if (accountTypes.length > 0) out.accountTypes = accountTypes;
  const domains = strings(input.emailDomains).flatMap(parseDomains);
  if (domains.length > 0) out.emailDomains = [...new Set(domains)];
  if (typeof input.billable === 'boolean') out.billable = input.billable;
  return out;
}

/** The filter of a `?filter=` value; a missing or broken one is the empty filter. */
export function parseFilterParam(param: string | null): Filter {
  if (!param) return {};
  try {
    return normalizeFilter(JSON.parse(param));
  } catch {
    return {};
  }
}

/** The `?filter=` value of a filter, or null for the empty filter. */
export function filterParam(filter: Filter): string | null {
  const normalized = normalizeFilter(filter);
  return Object.keys(normalized).length === 0 ? null : JSON.stringify(normalized);
}

/** How many criteria a filter sets (for "Filters (3)"). */
export function countCriteria(filter: Filter): number {
  return Object.keys(normalizeFilter(filter)).length;
}

/** Names of sites and products (from the dashboard) and, where known, of groups. */
export interface Catalog {
  siteName(siteId: string): string;
  productName(productKey: string): string;
  /** A group's name; without it (or for an unknown group) chips show the id. */
  groupName?(groupId: string): string;
}

/** Names unknown to a catalog fall back to the ids. */
export const EMPTY_CATALOG: Catalog = { siteName: (id) => id, productName: (key) => key };

/** One removable part of a filter, for chips. */
export interface Criterion {
  key: string;
  label: string;
  /** The filter without this part. */
  without: Filter;
}

/** "Confluence on acme" or "Confluence (all sites)". */
export function describeProduct(ref: ProductRef, catalog: Catalog): string {
  const product = catalog.productName(ref.productKey);
  return ref.siteId ? `${product} on ${catalog.siteName(ref.siteId)}` : `${product} (every site)`;
}

/** A filter in words, one removable criterion per value. */
export function describeFilter(input: Filter, catalog: Catalog = EMPTY_CATALOG): Criterion[] {
  const filter = normalizeFilter(input);
  const out: Criterion[] = [];
  const without = (patch: Partial<Filter>): Filter => normalizeFilter({ ...filter, ...patch });
  if (filter.search)
    out.push({
      key: 'search',
      label: `Name or email contains “${filter.search}”`,
      without: without({ search: undefined }),
    });
  if (filter.neverActive)
    out.push({ key: 'never', label: 'Never active', without: without({ neverActive: undefined }) });
  if (filter.inactiveDays) {
    out.push({
      key: 'inactive',
      label: `Inactive ≥ ${describeDays(filter.inactiveDays)}`,
      without: without({ inactiveDays: undefined }),
    });
  }
  filter.products?.forEach((p, i) =>
    out.push({
      key: `product:${p.productKey}:${p.siteId ?? ''}`,
      label: `Product: ${describeProduct(p, catalog)}`,
      without: without({ products: filter.products?.filter((_, j) => j !== i) }),
    }),
  );
  filter.sites?.forEach((s) =>
    out.push({
      key: `site:${s}`,
      label: `Site: ${catalog.siteName(s)}`,
      without: without({ sites: filter.sites?.filter((x) => x !== s) }),
    }),
  );
  filter.groups?.forEach((g) =>
    out.push({
      key: `group:${g}`,
      label: `Group: ${catalog.groupName?.(g) ?? g}`,
      without: without({ groups: filter.groups?.filter((x) => x !== g) }),
    }),
  );
  filter.roles?.forEach((r) =>
    out.push({
      key: `role:${r}`,
      label: `Role: ${roleLabel(r)}`,
      without: without({ roles: filter.roles?.filter((x) => x !== r) }),
    }),
  );
  filter.statuses?.forEach((s) =>
    out.push({
      key: `status:${s}`,
      label: `Status: ${statusLabel(s)}`,
      without: without({ statuses: filter.statuses?.filter((x) => x !== s) }),
    }),
  );
  filter.accountTypes?.forEach((t) =>
    out.push({
      key: `type:${t}`,
      label: `Account type: ${accountTypeLabel(t)}`,
      without: without({ accountTypes: filter.accountTypes?.filter((x) => x !== t) }),
    }),
  );
  filter.emailDomains?.forEach((d) =>
    out.push({
      key: `domain:${d}`,
      label: `Email domain: ${d}`,
      without: without({ emailDomains: filter.emailDomains?.filter((x) => x !== d) }),
    }),
  );
  if (filter.billable !== undefined && filter.billable !== null) {
    out.push({
      key: 'billable',
      label: filter.billable ? 'Billable' : 'Not billable',
      without: without({ billable: undefined }),
    });
  }
  return out;
}
