import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import { useMemo } from 'react';
import { type ProductCount, useProductCounts } from '../../api/queries';
import type { ProductTile } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { describeDays } from '../../filter';
import { TileCounts } from './TileCounts';

/** A product of the organization: its name and the sites that have it. */
export interface ProductSummary {
  productKey: string;
  productName: string;
  siteNames: string[];
}

/** Products in the order their first tile comes, each with its sites. */
export function productsOf(tiles: readonly ProductTile[]): ProductSummary[] {
  const byKey = new Map<string, ProductSummary>();
  for (const tile of tiles) {
    const product = byKey.get(tile.productKey) ?? {
      productKey: tile.productKey,
      productName: tile.productName,
      siteNames: [],
    };
    if (!product.siteNames.includes(tile.siteName)) product.siteNames.push(tile.siteName);
    byKey.set(tile.productKey, product);
  }
  return [...byKey.values()].sort((a, b) => a.productName.localeCompare(b.productName));
}

/** "on 2 sites" / "on acme". */
function sitesText(product: ProductSummary): string {
  return product.siteNames.length === 1
    ? `on ${product.siteNames[0]}`
    : `on ${product.siteNames.length} sites`;
}

interface TileProps {
  product: ProductSummary;
  count: ProductCount;
  inactiveDays: number;
  onOpen: (productKey: string) => void;
}

/** One product over every site: distinct billable users, active and inactive. */
function Tile({ product, count, inactiveDays, onOpen }: TileProps) {
  const threshold = describeDays(inactiveDays);
  const label =
    `${product.productName}, all sites (${sitesText(product)}): ${count.inactive} of ${count.total} billable people inactive ` +
    `for ${threshold} or more; each person counts once, however many sites they hold it on. Show them in Users.`;
  return (
    <li className="ow-tile-item">
      <button
        type="button"
        className="ow-tile ow-tile-product"
        onClick={() => onOpen(product.productKey)}
        data-testid="product-tile"
        data-product-key={product.productKey}
        aria-label={label}
      >
        <span className="ow-tile-title">{product.productName}</span>
        <span className="ow-tile-site" data-testid="tile-sites">
          All sites · {sitesText(product)}
        </span>
        <TileCounts active={count.active} inactive={count.inactive} total={count.total} />
        <span className="ow-tile-total">
          <span data-testid="tile-total">{count.total.toLocaleString()}</span> billable people ·
          inactive ≥ {threshold}
        </span>
      </button>
    </li>
  );
}

interface ProductTilesProps {
  /** Every site's tiles (the products and their sites). */
  tiles: readonly ProductTile[];
  inactiveDays: number;
  onOpen: (productKey: string) => void;
}

/**
 * "All sites": one tile per product, counted over every site that has it. A person who holds a
 * product on two sites counts once (the per-site tiles below count them on each site).
 */
export function ProductTiles({ tiles, inactiveDays, onOpen }: ProductTilesProps) {
  const products = useMemo(() => productsOf(tiles), [tiles]);
  const keys = useMemo(() => products.map((p) => p.productKey), [products]);
  const counts = useProductCounts(keys, inactiveDays, keys.length > 0);
  if (products.length === 0) return null;

  let body;
  if (counts.data) {
    body = (
      <ul className="ow-tiles" aria-busy={counts.isFetching}>
        {products.map((product, i) => (
          <Tile
            key={product.productKey}
            product={product}
            count={counts.data![i]!}
            inactiveDays={inactiveDays}
            onOpen={onOpen}
          />
        ))}
      </ul>
    );
  } else if (counts.error) {
    body = <ErrorMessage error={counts.error} title="The products could not be counted" />;
  } else {
    body = <Spinner size="medium" label="Counting users per product" />;
  }

  return (
    <section aria-labelledby="products-heading" data-testid="product-tiles">
      <Stack space="space.050">
        <Heading size="small" as="h2" id="products-heading">
          Products on all sites
        </Heading>
        <p className="ow-subtle ow-trend-legend" data-testid="product-tiles-help">
          Each person counts once per product: a person who holds Confluence on two sites counts
          once here, and once on each site below.
        </p>
      </Stack>
      {body}
    </section>
  );
}
