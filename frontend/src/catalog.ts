// Sites and products of the organization, derived from the dashboard's tiles (one per product
// per site): names for ids, and the choices of the filter panel.
import { useMemo } from 'react';
import { useDashboard } from './api/queries';
import type { ProductTile } from './api/types';
import type { Catalog } from './filter';

export interface SiteInfo {
  siteId: string;
  siteName: string;
}

export interface OrgCatalog extends Catalog {
  sites: SiteInfo[];
  /** Every product of every site, by site then product (as the dashboard orders them). */
  products: ProductTile[];
}

/** Sites in the order their tiles come, each once. */
export function sitesOf(tiles: readonly ProductTile[]): SiteInfo[] {
  const seen = new Map<string, SiteInfo>();
  for (const tile of tiles) {
    if (!seen.has(tile.siteId)) seen.set(tile.siteId, { siteId: tile.siteId, siteName: tile.siteName });
  }
  return [...seen.values()];
}

export function catalogOf(tiles: readonly ProductTile[]): OrgCatalog {
  const sites = sitesOf(tiles);
  const siteNames = new Map(sites.map((s) => [s.siteId, s.siteName]));
  const productNames = new Map(tiles.map((t) => [t.productKey, t.productName]));
  return {
    sites,
    products: [...tiles],
    siteName: (id) => siteNames.get(id) ?? id,
    productName: (key) => productNames.get(key) ?? key,
  };
}

/** The catalog (empty until the dashboard answers: names then fall back to ids). */
export function useCatalog(): OrgCatalog {
  const dashboard = useDashboard({});
  const tiles = dashboard.data?.products;
  return useMemo(() => catalogOf(tiles ?? []), [tiles]);
}
