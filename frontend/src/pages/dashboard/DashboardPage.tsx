import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Label } from '@atlaskit/form';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import Select from '@atlaskit/select';
import Spinner from '@atlaskit/spinner';
import { useId } from 'react';
import { useApiKey, useDashboard } from '../../api/queries';
import type { ProductTile } from '../../api/types';
import { sitesOf } from '../../catalog';
import { DaysPicker } from '../../components/DaysPicker';
import { MirrorError } from '../../components/MirrorError';
import { daysUntil, describeDays as describeExpiry, expiryState } from '../../expiry';
import { describeDays, filterParam, parseDays } from '../../filter';
import { useRouter } from '../../route';

function percent(part: number, total: number): number {
  return total > 0 ? (part / total) * 100 : 0;
}

interface TileProps {
  tile: ProductTile;
  inactiveDays: number;
  showSite: boolean;
  onOpen: (tile: ProductTile) => void;
}

/** One product on one site: active and inactive billable users, and a bar; opens the user browser. */
function Tile({ tile, inactiveDays, showSite, onOpen }: TileProps) {
  const threshold = describeDays(inactiveDays);
  return (
    <li className="ow-tile-item">
      <button
        type="button"
        className="ow-tile"
        onClick={() => onOpen(tile)}
        data-testid="dashboard-tile"
        data-product-key={tile.productKey}
        data-site-id={tile.siteId}
        aria-label={`${tile.productName} on ${tile.siteName}: ${tile.inactive} of ${tile.total} billable users inactive for ${threshold} or more. Show them in Users.`}
      >
        <span className="ow-tile-title">{tile.productName}</span>
        {showSite && <span className="ow-tile-site">{tile.siteName}</span>}
        <span className="ow-tile-counts">
          <span>
            <span className="ow-tile-number" data-testid="tile-inactive">
              {tile.inactive.toLocaleString()}
            </span>{' '}
            inactive
          </span>
          <span>
            <span className="ow-tile-number ow-tile-number-active" data-testid="tile-active">
              {tile.active.toLocaleString()}
            </span>{' '}
            active
          </span>
        </span>
        <span className="ow-bar" aria-hidden="true">
          <span className="ow-bar-active" style={{ width: `${percent(tile.active, tile.total)}%` }} />
          <span className="ow-bar-inactive" style={{ width: `${percent(tile.inactive, tile.total)}%` }} />
        </span>
        <span className="ow-tile-total">
          <span data-testid="tile-total">{tile.total.toLocaleString()}</span> billable · inactive ≥ {threshold}
        </span>
      </button>
    </li>
  );
}

/** Tiles of one site, or of all sites grouped by site. */
function Tiles({ tiles, inactiveDays, grouped, onOpen }: { tiles: ProductTile[]; inactiveDays: number; grouped: boolean; onOpen: (t: ProductTile) => void }) {
  if (tiles.length === 0) {
    return (
      <SectionMessage appearance="information" title="No products" testId="dashboard-empty">
        <p>No product was found on {grouped ? 'any site' : 'this site'} in the last sync.</p>
      </SectionMessage>
    );
  }
  if (!grouped) {
    return (
      <ul className="ow-tiles">
        {tiles.map((t) => (
          <Tile key={`${t.siteId}/${t.productKey}`} tile={t} inactiveDays={inactiveDays} showSite={false} onOpen={onOpen} />
        ))}
      </ul>
    );
  }
  return (
    <Stack space="space.300">
      {sitesOf(tiles).map((site) => (
        <section key={site.siteId} aria-labelledby={`site-${site.siteId}`} data-testid="dashboard-site">
          <Heading size="small" as="h2" id={`site-${site.siteId}`}>
            {site.siteName}
          </Heading>
          <ul className="ow-tiles">
            {tiles
              .filter((t) => t.siteId === site.siteId)
              .map((t) => (
                <Tile key={`${t.siteId}/${t.productKey}`} tile={t} inactiveDays={inactiveDays} showSite={false} onOpen={onOpen} />
              ))}
          </ul>
        </section>
      ))}
    </Stack>
  );
}

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

/** Seats per product: tiles with active/inactive bars, a site selector and the inactivity threshold. */
export default function DashboardPage() {
  const { route, update, navigate } = useRouter();
  const siteSelectId = useId();
  const siteId = route.params.get('site');
  const days = parseDays(route.params.get('days'));
  const base = days === null ? {} : { inactiveDays: days };
  // Every site's tiles (also the site list); one site's when one is chosen.
  const all = useDashboard(base);
  const one = useDashboard({ ...base, siteId: siteId ?? undefined }, siteId !== null);
  const current = siteId === null ? all : one;
  const data = current.data;
  const inactiveDays = days ?? data?.inactiveDays ?? all.data?.inactiveDays ?? 90;

  const sites = sitesOf(all.data?.products ?? []);
  const siteOptions: SiteOption[] = [{ label: 'All sites', value: '' }, ...sites.map((s) => ({ label: s.siteName, value: s.siteId }))];
  const selectedSite = siteOptions.find((o) => o.value === (siteId ?? '')) ?? { label: siteId ?? '', value: siteId ?? '' };

  const openTile = (tile: ProductTile) =>
    navigate('users', {
      filter: filterParam({ products: [{ productKey: tile.productKey, siteId: tile.siteId }], inactiveDays }),
    });

  let body;
  if (current.isPending) {
    body = <Spinner size="medium" label="Loading the dashboard" />;
  } else if (current.isError && !data) {
    body = <MirrorError error={current.error} onRetry={() => void current.refetch()} />;
  } else if (data) {
    body = (
      <div className={current.isFetching ? 'ow-refreshing' : undefined} aria-busy={current.isFetching}>
        <Tiles tiles={data.products} inactiveDays={data.inactiveDays} grouped={siteId === null} onOpen={openTile} />
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
        Billable users per product. Inactive: no activity on the product for at least the chosen time (users who never
        used it count from the day they joined). Select a product to see its users.
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
    </Stack>
  );
}
