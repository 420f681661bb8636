import { describe, expect, it } from 'vitest';
import {
  describeDays,
  describeFilter,
  filterParam,
  normalizeFilter,
  parseDays,
  parseDomains,
  parseFilterParam,
  statusLabel,
  statusValue,
} from './filter';

describe('filter', () => {
  it('normalizes: drops empty parts and unknown keys, keeps a fixed order', () => {
    expect(
      normalizeFilter({
        billable: false,
        search: '  ada ',
        roles: ['orgAdmin', 'wizard'],
        sites: [],
        products: [{ productKey: 'confluence', siteId: '' }, { productKey: '' }],
        inactiveDays: 0,
        extra: 1,
      }),
    ).toEqual({
      search: 'ada',
      products: [{ productKey: 'confluence' }],
      roles: ['orgAdmin'],
      billable: false,
    });
    expect(normalizeFilter('nope')).toEqual({});
  });

  it('round-trips through ?filter= and survives a broken one', () => {
    const filter = { inactiveDays: 30, products: [{ productKey: 'confluence', siteId: 's1' }] };
    expect(parseFilterParam(filterParam(filter))).toEqual(filter);
    expect(filterParam({ search: '' })).toBeNull();
    expect(normalizeFilter({ search: '\tAda\tLovelace\r\n' })).toEqual({ search: 'Ada Lovelace' });
    expect(parseFilterParam('{broken')).toEqual({});
    expect(parseFilterParam(null)).toEqual({});
  });

  it('speaks the preset ladder and custom days', () => {
    expect([3, 7, 14, 21, 30, 90, 180, 45, 1].map(describeDays)).toEqual([
      '3 days',
      '7 days',
      '14 days',
      '21 days',
      '1 month',
      '3 months',
      '6 months',
      '45 days',
      '1 day',
    ]);
    expect(parseDays('45')).toBe(45);
    expect(parseDays('0')).toBeNull();
    expect(parseDays('36501')).toBeNull();
    expect(parseDays('4.5')).toBeNull();
  });

  it('parses email domains as people type them', () => {
    expect(parseDomains('@Acme.com, example.org;  acme.com\nfoo.io')).toEqual([
      'acme.com',
      'example.org',
      'foo.io',
    ]);
  });

  it('describes each criterion, removable one by one', () => {
    const catalog = {
      siteName: (id: string) => (id === 's1' ? 'acme' : id),
      productName: (k: string) => (k === 'confluence' ? 'Confluence' : k),
    };
    const criteria = describeFilter(
      {
        products: [{ productKey: 'confluence', siteId: 's1' }],
        inactiveDays: 90,
        statuses: ['notInvited'],
        billable: true,
      },
      catalog,
    );
    expect(criteria.map((c) => c.label)).toEqual([
      'Inactive ≥ 3 months',
      'Product: Confluence on acme',
      'Status: Not invited',
      'Billable',
    ]);
    expect(criteria[1]?.without).toEqual({
      inactiveDays: 90,
      statuses: ['notInvited'],
      billable: true,
    });
  });

  it('labels statuses as rows spell them (Admin API) and as filters do (camelCase)', () => {
    const rows = ['active', 'suspended', 'deactivated', 'not_invited'];
    const filters = ['active', 'suspended', 'deactivated', 'notInvited'];
    const labels = ['Active', 'Suspended', 'Deactivated', 'Not invited'];
    expect(rows.map(statusLabel)).toEqual(labels);
    expect(filters.map(statusLabel)).toEqual(labels);
    expect(rows.map(statusValue)).toEqual(filters);
    expect(statusLabel('for_deletion')).toBe('For deletion');
    expect(statusValue('for_deletion')).toBeUndefined();
  });

  it('keeps a status of the filter in either spelling, once', () => {
    expect(normalizeFilter({ statuses: ['not_invited', 'notInvited', 'active', 'gone'] })).toEqual({
      statuses: ['notInvited', 'active'],
    });
  });
});
