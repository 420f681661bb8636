import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../api/types';
import { baseRoutes, renderApp, productAdminMe } from '../../test/app';
import { installFakeAp, installFakeFetch } from '../../test/fakeServer';

function entry(patch: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 12,
    at: '2026-01-02T10:00:00Z',
    kind: 'settings.updated',
    actor: { accountId: 'acc-admin', name: 'Grace Hopper', via: 'jwt', tokenId: null },
    summary: 'Changed settings: inactiveDays',
    details: { changes: { inactiveDays: { old: 90, new: 45 } } },
    hash: 'a'.repeat(64),
    prevHash: 'b'.repeat(64),
    detailsAbridged: false,
    detailsLength: 52,
    ...patch,
  };
}

const OPERATION = entry({
  id: 11,
  kind: 'operation.created',
  summary: 'Started operation 7 (suspend) on 1 users',
  details: { operationId: 7, selection: { accountIds: ['acc-maria'] } },
});

describe('Audit log', () => {
  beforeEach(() => {
    installFakeAp();
  });

  it('lists entries, filters by kind, opens details with links, pages older entries', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/audit': (_body, url) => {
        if (url.searchParams.get('cursor') === '11')
          return {
            status: 200,
            body: { items: [entry({ id: 3, summary: 'Older' })], nextCursor: null },
          };
        if (url.searchParams.get('kind') === 'operation')
          return { status: 200, body: { items: [OPERATION], nextCursor: null } };
        return { status: 200, body: { items: [entry(), OPERATION], nextCursor: '11' } };
      },
    });
    renderApp('?view=audit');
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(2));
    const [settings] = screen.getAllByTestId('audit-row');
    expect(settings).toHaveTextContent('Grace Hopper');
    expect(settings).toHaveTextContent('Settings changed');

    await user.click(within(settings!).getByTestId('audit-toggle'));
    const details = within(settings!).getByTestId('audit-details');
    expect(details).toHaveTextContent('inactiveDays');
    expect(details).toHaveTextContent('90');
    expect(details).toHaveTextContent('45');

    await user.click(screen.getByTestId('audit-more'));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(3));

    await user.click(screen.getByLabelText('Kind'));
    await user.type(screen.getByLabelText('Kind'), 'Operations (all){Enter}');
    await waitFor(() =>
      expect(new URLSearchParams(window.location.search).get('kind')).toBe('operation'),
    );
    await waitFor(() => expect(screen.getAllByTestId('audit-row')).toHaveLength(1));
    expect(
      calls.some((c) => c.path === '/api/v1/audit' && c.query.includes('kind=operation')),
    ).toBe(true);
    const [op] = screen.getAllByTestId('audit-row');
    await user.click(within(op!).getByTestId('audit-toggle'));
    await user.click(within(op!).getByTestId('audit-operation-link'));
    await waitFor(() => expect(new URLSearchParams(window.location.search).get('op')).toBe('7'));
    expect(new URLSearchParams(window.location.search).get('view')).toBe('operations');
  });

  it('verifies the chain and names a broken entry', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/audit': () => ({ status: 200, body: { items: [entry()], nextCursor: null } }),
      'GET /api/v1/audit/verify': () => ({
        status: 200,
        body: { ok: false, checked: 5, firstBrokenId: 4, reason: 'link' },
      }),
    });
    renderApp('?view=audit');
    const user = userEvent.setup();
    await screen.findByTestId('audit-row');
    await user.click(screen.getByTestId('audit-verify'));
    expect(await screen.findByTestId('audit-verified')).toHaveTextContent(
      'Entry #4 no longer links to the entry before it',
    );
  });

  it('says how far the trail is sealed, and what a cut tail means', async () => {
    let answer: Record<string, unknown> = {
      ok: true,
      checked: 9,
      firstBrokenId: null,
      reason: null,
      sealedThrough: 12,
    };
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/audit': () => ({ status: 200, body: { items: [entry()], nextCursor: null } }),
      'GET /api/v1/audit/verify': () => ({ status: 200, body: answer }),
    });
    renderApp('?view=audit');
    const user = userEvent.setup();
    await screen.findByTestId('audit-row');
    await user.click(screen.getByTestId('audit-verify'));
    expect(await screen.findByTestId('audit-verified')).toHaveTextContent(
      'All 9 entries verified and sealed through #12.',
    );
    answer = { ok: false, checked: 7, firstBrokenId: 12, reason: 'removed', sealedThrough: null };
    await user.click(screen.getByTestId('audit-verify'));
    await waitFor(() =>
      expect(screen.getByTestId('audit-verified')).toHaveTextContent(
        'Entry #12 was sealed and is gone',
      ),
    );
    answer = { ok: false, checked: 0, firstBrokenId: 3, reason: 'checkpoint', sealedThrough: null };
    await user.click(screen.getByTestId('audit-verify'));
    await waitFor(() =>
      expect(screen.getByTestId('audit-verified')).toHaveTextContent(
        'Retention did not write the checkpoint at deleted entry #3',
      ),
    );
  });

  it('tells an admin limited to what they administer that they see their own actions only, with no chain to verify', async () => {
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/me': () => ({
        status: 200,
        body: productAdminMe([{ siteId: 'site-a', productKey: 'jira-software' }]),
      }),
      'GET /api/v1/audit': () => ({ status: 200, body: { items: [entry()], nextCursor: null } }),
    });
    renderApp('?view=audit&actor=acc-admin');
    await screen.findByTestId('audit-row');
    expect(screen.getByTestId('audit-own-only')).toHaveTextContent('only your own actions');
    expect(screen.getByTestId('audit-own-only')).toHaveTextContent(
      'the syncs and operations you started',
    );
    expect(screen.queryByLabelText('Actor (account id)')).toBeNull();
    expect(screen.queryByTestId('audit-verify')).toBeNull();
    const listed = calls.filter((c) => c.path === '/api/v1/audit');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((c) => !c.query.includes('actor='))).toBe(true);
  });

  it('shows abridged details, then all of them when asked', async () => {
    const ids = Array.from({ length: 25 }, (_, n) => `acc-${n}`);
    const abridged = entry({
      ...OPERATION,
      details: { operationId: 7, users: 25, selection: { accountIds: ids.slice(0, 20) } },
      detailsAbridged: true,
      detailsLength: 40_123,
    });
    const whole = {
      ...abridged,
      details: { operationId: 7, users: 25, selection: { accountIds: ids } },
    };
    const calls = installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/audit': () => ({ status: 200, body: { items: [abridged], nextCursor: null } }),
      'GET /api/v1/audit/{id}': () => ({
        status: 200,
        body: { ...whole, detailsAbridged: false },
      }),
    });
    renderApp('?view=audit');
    const user = userEvent.setup();
    const row = await screen.findByTestId('audit-row');
    await user.click(within(row).getByTestId('audit-toggle'));
    const details = within(row).getByTestId('audit-details');
    expect(within(details).getByTestId('audit-abridged')).toHaveTextContent('40,123 characters');
    expect(details).toHaveTextContent('acc-19');
    expect(details).not.toHaveTextContent('acc-24');
    expect(calls.some((c) => c.path === '/api/v1/audit/11')).toBe(false);

    await user.click(within(details).getByRole('button', { name: 'Show all details' }));
    await waitFor(() => expect(details).toHaveTextContent('acc-24'));
    expect(within(details).queryByTestId('audit-abridged')).toBeNull();
    expect(calls.filter((c) => c.path === '/api/v1/audit/11')).toHaveLength(1);
  });

  it('says when “To” is before “From”', async () => {
    installFakeFetch({
      ...baseRoutes(),
      'GET /api/v1/audit': () => ({ status: 200, body: { items: [], nextCursor: null } }),
    });
    renderApp('?view=audit&from=2026-03-10&to=2026-03-01');
    expect(await screen.findByTestId('audit-range-error')).toHaveTextContent(
      '“To” is before “From”',
    );
  });
});
