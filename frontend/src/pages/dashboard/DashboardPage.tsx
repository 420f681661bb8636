import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Label } from '@atlaskit/form';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import { useId, useMemo } from 'react';
import {
  productTileFilter,
  useApiKey,
  useDashboard,
  useDashboardHistory,
  useMirrorReady,
} from '../../api/queries';
import type { ProductTile } from '../../api/types';
import { sitesOf } from '../../catalog';
import { DaysPicker } from '../../components/DaysPicker';
import { MirrorError, NotSyncedMessage } from '../../components/MirrorError';
import { daysUntil, describeDays as describeExpiry, expiryState } from '../../expiry';
import { filterParam, parseDays } from '../../filter';
import { useRouter } from '../../route';
import './dashboard.css';
import { seriesByTile } from './history';
import { LicensePanel } from './LicensePanel';
import { ProductTiles } from './ProductTiles';
import { SavingsSummary } from './SavingsSummary';
import { Tiles } from './Tiles';

/** How many days of daily snapshots the trend charts show. */
const HISTORY_DAYS = 30;

function KeyExpiryWarning() {
  const apiKey = useApiKey();
  const { navigate } = useRouter();
  if (!apiKey.data) return null;
  const days = daysUntil(apiKey.data.expiresAt);
  const state = expiryState(days);
  if (days === null || (state !== 'soon' && state !== 'expired')) return null;
  return (
    <SectionMessage
      appearance={state === 'expired' ? 'error' : 'warning'}
      title="Organization API key"
      testId="key-expiry-warning"
      actions={<Button onClick={() => navigate('settings')}>Open Settings</Button>}
    >
      <p>The Organization API key {describeExpiry(days)}.</p>
    </SectionMessage>
  );
}

interface SiteOption {
  label: string;
  value: string;
}

/**
 * Seats per product: with "All sites", one tile per product over every site (each person once),
 * then the per-site tiles with active/inactive bars, trends and potential savings, a site selector
 * and the inactivity threshold; this app's license below.
 */
export default function DashboardPage() {
  const { route, update, navigate } = useRouter();
  const siteSelectId = useId();
  const mirror = useMirrorReady();
  const siteId = route.params.get('site');
  const days = parseDays(route.params.get('days'));
  const base = days === null ? {} : { inactiveDays: days };
  // Every site's tiles (also the site list); one site's when one is chosen.
  const all = useDashboard(base);
  const one = useDashboard({ ...base, siteId: siteId ?? undefined }, siteId !== null);
  const current = siteId === null ? all : one;
  const data = current.data;
  const inactiveDays = days ?? data?.inactiveDays ?? all.data?.inactiveDays ?? 90;
  const history = useDashboardHistory({ days: HISTORY_DAYS, siteId: siteId ?? undefined });
  const points = history.data?.points;
  const trends = useMemo(() => seriesByTile(points ?? []), [points]);

  const sites = sitesOf(all.data?.products ?? []);
  const siteOptions: SiteOption[] = [
    { label: 'All sites', value: '' },
    ...sites.map((s) => ({ label: s.siteName, value: s.siteId })),
  ];
  const selectedSite = siteOptions.find((o) => o.value === (siteId ?? '')) ?? {
    label: siteId ?? '',
    value: siteId ?? '',
  };

  const openTile = (tile: ProductTile) =>
    navigate('users', {
      filter: filterParam({
        products: [{ productKey: tile.productKey, siteId: tile.siteId }],
        inactiveDays,
      }),
    });

  const openProduct = (productKey: string) =>
    navigate('users', { filter: filterParam(productTileFilter(productKey, inactiveDays)) });

  let body;
  if (!mirror.ready) {
    // Before the first sync completes there is nothing to read: no request that would fail.
    body = mirror.known ? (
      <NotSyncedMessage />
    ) : (
      <Spinner size="medium" label="Loading the dashboard" />
    );
  } else if (current.isPending) {
    body = <Spinner size="medium" label="Loading the dashboard" />;
  } else if (current.isError && !data) {
    body = <MirrorError error={current.error} onRetry={() => void current.refetch()} />;
  } else if (data) {
    body = (
      <div
        className={current.isFetching ? 'ow-refreshing' : undefined}
        aria-busy={current.isFetching}
      >
        <Stack space="space.200">
          <SavingsSummary dashboard={data} />
          {siteId === null && data.products.length > 0 && (
            <>
              <ProductTiles
                tiles={data.products}
                inactiveDays={data.inactiveDays}
                onOpen={openProduct}
              />
              <Heading size="small" as="h2">
                Per site
              </Heading>
            </>
          )}
          <Tiles
            tiles={data.products}
            currency={data.currency}
            inactiveDays={data.inactiveDays}
            grouped={siteId === null}
            trends={trends}
            onOpen={openTile}
            siteHeading={siteId === null ? 'h3' : 'h2'}
          />
          {[...trends.values()].some((series) => series.length > 1) ? (
            <p className="ow-subtle ow-trend-legend">
              Trends: the last {HISTORY_DAYS} days of daily snapshots, billable users in grey and
              inactive ones in amber (at the default threshold of the day).
            </p>
          ) : (
            history.isSuccess && (
              <p className="ow-subtle ow-trend-legend" data-testid="trend-pending">
                Trends appear on each tile from the second daily snapshot, recorded on each day a
                sync completes.
              </p>
            )
          )}
        </Stack>
      </div>
    );
  }

  return (
    <Stack space="space.300" testId="dashboard">
      <Heading size="large" as="h1">
        Dashboard
      </Heading>
      <KeyExpiryWarning />
      <p className="ow-subtle">
        Billable users per product. Inactive: no activity on the product for at least the chosen
        time (users who never used it count from the day they joined). Select a product to see its
        users.
      </p>
      <div className="ow-toolbar">
        <div className="ow-toolbar-field">
          <Label htmlFor={siteSelectId}>Site</Label>
          <Select<SiteOption>
            inputId={siteSelectId}
            options={siteOptions}
            value={selectedSite}
            isSearchable={sites.length > 8}
            spacing="compact"
            testId="dashboard-site"
            onChange={(option) => update({ site: option?.value || null })}
          />
        </div>
        <div className="ow-toolbar-field">
          <DaysPicker
            label="Inactive for at least"
            value={{ kind: 'days', days: inactiveDays }}
            onChange={(v) => update({ days: v.kind === 'days' ? String(v.days) : null })}
            testId="dashboard-threshold"
          />
        </div>
      </div>
      {body}
      <LicensePanel />
    </Stack>
  );
}
