import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import type { ProductTile } from '../../api/types';
import { sitesOf } from '../../catalog';
import { describeDays } from '../../filter';
import { money } from '../../money';
import { type TrendPoint, describeTrend, tileKey } from './history';
import { TrendChart } from './TrendChart';
import { TileCounts } from './TileCounts';

interface TileProps {
  tile: ProductTile;
  currency: string;
  inactiveDays: number;
  trend: readonly TrendPoint[];
  onOpen: (tile: ProductTile) => void;
}

/** One product on one site: active and inactive billable users, a bar, the trend and savings. */
function Tile({ tile, currency, inactiveDays, trend, onOpen }: TileProps) {
  const threshold = describeDays(inactiveDays);
  const trendText = describeTrend(trend);
  // A price of 0 (a free product) saves nothing worth a line.
  const savings = tile.seatPrice ? (tile.monthlySavings ?? null) : null;
  const label = [
    `${tile.productName} on ${tile.siteName}: ${tile.inactive} of ${tile.total} billable users inactive for ${threshold} or more.`,
    savings !== null ? `Potential savings ${money(savings, currency)} per month.` : '',
    trendText ? `Trend: ${trendText}.` : '',
    'Show them in Users.',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <li className="ow-tile-item">
      <button
        type="button"
        className="ow-tile"
        onClick={() => onOpen(tile)}
        data-testid="dashboard-tile"
        data-product-key={tile.productKey}
        data-site-id={tile.siteId}
        aria-label={label}
      >
        <span className="ow-tile-title">{tile.productName}</span>
        <TileCounts active={tile.active} inactive={tile.inactive} total={tile.total} />
        <span className="ow-tile-total">
          <span data-testid="tile-total">{tile.total.toLocaleString()}</span> billable · inactive ≥{' '}
          {threshold}
        </span>
        <TrendChart series={trend} />
        {trendText && <span className="ow-tile-total">{trendText}</span>}
        {savings !== null && tile.seatPrice !== null && tile.seatPrice !== undefined && (
          <span className="ow-tile-savings" data-testid="tile-savings">
            {money(savings, currency)}/month potential savings ({tile.inactive.toLocaleString()} ×{' '}
            {money(tile.seatPrice, currency)})
          </span>
        )}
      </button>
    </li>
  );
}

interface TilesProps {
  tiles: ProductTile[];
  /** Currency of the seat prices (ISO 4217). */
  currency: string;
  inactiveDays: number;
  /** All sites: one group per site. */
  grouped: boolean;
  trends: ReadonlyMap<string, TrendPoint[]>;
  onOpen: (t: ProductTile) => void;
  /** The sites' heading level: h3 under the dashboard's "Per site" heading. */
  siteHeading?: 'h2' | 'h3';
}

/** Tiles of one site, or of all sites grouped by site. */
export function Tiles({
  tiles,
  currency,
  inactiveDays,
  grouped,
  trends,
  onOpen,
  siteHeading = 'h2',
}: TilesProps) {
  if (tiles.length === 0) {
    return (
      <SectionMessage appearance="information" title="No products" testId="dashboard-empty">
        <p>No product was found on {grouped ? 'any site' : 'this site'} in the last sync.</p>
      </SectionMessage>
    );
  }
  const list = (items: ProductTile[]) => (
    <ul className="ow-tiles">
      {items.map((t) => (
        <Tile
          key={tileKey(t.siteId, t.productKey)}
          tile={t}
          currency={currency}
          inactiveDays={inactiveDays}
          trend={trends.get(tileKey(t.siteId, t.productKey)) ?? []}
          onOpen={onOpen}
        />
      ))}
    </ul>
  );
  if (!grouped) return list(tiles);
  return (
    <Stack space="space.300">
      {sitesOf(tiles).map((site) => (
        <section
          key={site.siteId}
          aria-labelledby={`site-${site.siteId}`}
          data-testid="dashboard-site"
        >
          <Heading size="small" as={siteHeading} id={`site-${site.siteId}`}>
            {site.siteName}
          </Heading>
          {list(tiles.filter((t) => t.siteId === site.siteId))}
        </section>
      ))}
    </Stack>
  );
}
