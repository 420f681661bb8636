import Button from '@atlaskit/button/new';
import { DynamicTableStateless } from '@atlaskit/dynamic-table';
import type { HeadType, RowType } from '@atlaskit/dynamic-table/types';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useState } from 'react';
import { showFlag } from '../../ap';
import { type AuditFilters, downloadAudit, useAuditEntries, useVerifyAudit } from '../../api/audit';
import { useMe } from '../../api/queries';
import { ErrorMessage } from '../../components/ErrorMessage';
import { ShowOlder } from '../../components/ShowOlder';
import { useNow } from '../../hooks';
import { useRouter } from '../../route';
import { absoluteTime, relativeTime } from '../../time';
import { AuditDetails } from './AuditDetails';
import { AuditFilterBar } from './AuditFilterBar';
import { kindLabel } from './kinds';
import './audit.css';

const HEAD: HeadType = {
  cells: [
    { key: 'when', content: 'When' },
    { key: 'who', content: 'Who' },
    { key: 'what', content: 'What' },
    { key: 'summary', content: 'Summary' },
  ],
};

function appearance(kind: string) {
  if (kind.endsWith('.failed') || kind.endsWith('.denied') || kind.endsWith('checkFailed'))
    return 'removed' as const;
  if (kind.endsWith('.deleted') || kind.endsWith('.revoked') || kind.endsWith('.cancelled'))
    return 'moved' as const;
  if (kind.startsWith('export.')) return 'new' as const;
  return 'default' as const;
}

/** What a failed verification means, in words, for each reason the server gives. */
function brokenMessage(id: number | null | undefined, reason: string | null | undefined) {
  const entry = `Entry #${id ?? '?'}`;
  switch (reason) {
    case 'content':
      return `${entry} was changed after it was recorded (content).`;
    case 'link':
      return `${entry} no longer links to the entry before it: that one was changed or removed (link).`;
    case 'rehashed':
      return `${entry} differs from what was sealed: it or an earlier entry was rewritten and the chain hashed again (rehashed).`;
    case 'removed':
      return `${entry} was sealed and is gone: entries were removed (removed).`;
    case 'seal':
      return `The seal of entry #${id ?? '?'} was not made by this app (seal).`;
    case 'checkpoint':
      return `Retention did not write the checkpoint at deleted entry #${id ?? '?'}: entries were removed from the start (checkpoint).`;
    default:
      return `${entry} is broken (${reason ?? 'unknown'}).`;
  }
}

/** The Audit log: who did what and when, filtered, with each entry's details and exports. */
export default function AuditPage() {
  const { route, update } = useRouter();
  // A caller limited to what they administer reads only their own entries (the server says so
  // too): no actor filter for them, and no verifying the whole chain.
  const ownOnly = useMe().data?.access.scope != null;
  const filters: AuditFilters = {
    kind: route.params.get('kind') ?? '',
    actor: ownOnly ? '' : (route.params.get('actor') ?? ''),
    from: route.params.get('from') ?? '',
    to: route.params.get('to') ?? '',
  };
  const entries = useAuditEntries(filters);
  const verify = useVerifyAudit();
  const [open, setOpen] = useState<Set<number>>(new Set());
  const [exporting, setExporting] = useState<'csv' | 'json' | null>(null);
  const now = useNow(60_000);
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const exportAs = async (format: 'csv' | 'json') => {
    setExporting(format);
    try {
      await downloadAudit(filters, format);
    } catch (e) {
      showFlag({
        title: 'The export failed',
        body: e instanceof Error ? e.message : String(e),
        type: 'error',
      });
    } finally {
      setExporting(null);
    }
  };

  const items = entries.data?.pages.flatMap((p) => p.items) ?? [];
  const rows: RowType[] = items.map((entry) => ({
    key: String(entry.id),
    testId: 'audit-row',
    cells: [
      {
        content: (
          <time dateTime={entry.at} title={absoluteTime(entry.at)} className="ow-nowrap">
            {relativeTime(entry.at, now)}
          </time>
        ),
      },
      {
        content:
          entry.actor.via === 'system' ? (
            <span className="ow-subtle">{entry.actor.name}</span>
          ) : (
            entry.actor.name
          ),
      },
      { content: <Lozenge appearance={appearance(entry.kind)}>{kindLabel(entry.kind)}</Lozenge> },
      {
        content: (
          <div>
            <button
              type="button"
              className="ow-link ow-audit-summary"
              aria-expanded={open.has(entry.id)}
              onClick={() => toggle(entry.id)}
              data-testid="audit-toggle"
            >
              {entry.summary}
            </button>
            {open.has(entry.id) ? <AuditDetails entry={entry} /> : null}
          </div>
        ),
      },
    ],
  }));

  let body;
  if (entries.isPending) body = <Spinner size="large" label="Loading the audit log" />;
  else if (entries.isError && !entries.data)
    body = (
      <ErrorMessage
        error={entries.error}
        title="The audit log could not be loaded"
        onRetry={() => void entries.refetch()}
      />
    );
  else
    body = (
      <Stack space="space.100">
        <div className="ow-table-scroll">
          <DynamicTableStateless
            label="Audit log"
            head={HEAD}
            rows={rows}
            isLoading={entries.isFetching && !entries.isFetchingNextPage}
            emptyView={<p className="ow-empty">No entries match these filters.</p>}
            testId="audit-table"
          />
        </div>
        <ShowOlder pages={entries} label="Show older entries" testId="audit-more" />
      </Stack>
    );

  return (
    <Stack space="space.200" testId="audit">
      <Heading size="large" as="h1">
        Audit log
      </Heading>
      <p className="ow-subtle">
        Every change to settings, keys, tokens and filters, every operation, sync and download,
        newest first. Each entry is chained to the one before it and the chain is sealed hourly with
        this app&apos;s key, so a changed or removed entry is found, even one rewritten in the
        database.
      </p>
      {ownOnly ? (
        <p data-testid="audit-own-only">
          Your access is limited to the sites and products you administer, so you see only your own
          actions here, and what the app did for them (the syncs and operations you started). An
          organization admin sees everyone&apos;s.
        </p>
      ) : null}
      <AuditFilterBar filters={filters} onChange={(patch) => update(patch)} ownOnly={ownOnly} />
      <Inline space="space.100" alignBlock="center">
        <Button
          onClick={() => void exportAs('csv')}
          isLoading={exporting === 'csv'}
          testId="audit-export-csv"
        >
          Export CSV
        </Button>
        <Button
          onClick={() => void exportAs('json')}
          isLoading={exporting === 'json'}
          testId="audit-export-json"
        >
          Export JSON
        </Button>
        {ownOnly ? null : (
          <Button
            appearance="subtle"
            onClick={() => verify.mutate()}
            isLoading={verify.isPending}
            testId="audit-verify"
          >
            Verify the chain
          </Button>
        )}
        {verify.data ? (
          <span
            data-testid="audit-verified"
            className={verify.data.ok ? 'ow-subtle' : 'ow-audit-broken'}
          >
            {verify.data.ok
              ? `All ${verify.data.checked.toLocaleString()} entries verified${
                  verify.data.sealedThrough == null
                    ? ''
                    : ` and sealed through #${verify.data.sealedThrough}`
                }.`
              : brokenMessage(verify.data.firstBrokenId, verify.data.reason)}
          </span>
        ) : null}
        {verify.isError ? (
          <ErrorMessage error={verify.error} title="The chain could not be verified" />
        ) : null}
      </Inline>
      {body}
    </Stack>
  );
}
