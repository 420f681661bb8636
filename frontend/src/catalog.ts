// Sites and products of the organization, derived from the dashboard's tiles (one per product
// per site): names for ids, and the choices of the filter panel; groups from the groups list.
import { useMemo } from 'react';
import { useGroups } from './api/operationQueries';
import { useDashboard } from './api/queries';
import type { GroupInfo, ProductTile } from './api/types';
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
    if (!seen.has(tile.siteId))
      seen.set(tile.siteId, { siteId: tile.siteId, siteName: tile.siteName });
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

/** The catalog with the organization's groups: their names for chips, and the group picker's choices. */
export interface GroupCatalog extends OrgCatalog {
  /** Every group, by name; empty until the list has loaded. */
  groups: GroupInfo[];
  groupName(groupId: string): string;
}

export function withGroups(catalog: OrgCatalog, groups: readonly GroupInfo[]): GroupCatalog {
  const names = new Map(groups.map((g) => [g.id, g.name]));
  const sorted = [...groups].sort((a, b) => a.name.localeCompare(b.name));
  return { ...catalog, groups: sorted, groupName: (id) => names.get(id) ?? id };
}

/** The catalog with group names (`GET /api/v1/groups`, read from the mirror): for the User Browser. */
export function useGroupCatalog(): GroupCatalog {
  const catalog = useCatalog();
  const data = useGroups().data;
  return useMemo(() => withGroups(catalog, data ?? []), [catalog, data]);
}
