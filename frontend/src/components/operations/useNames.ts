import { useMemo } from 'react';
import { useGroups } from '../../api/operationQueries';
import { useCatalog } from '../../catalog';
import type { Names } from './describe';

/** Names of sites, products (dashboard) and groups (mirror); ids until they have loaded. */
export function useNames(): Names {
  const catalog = useCatalog();
  const groups = useGroups();
  const data = groups.data;
  return useMemo(() => {
    const byId = new Map((data ?? []).map((g) => [g.id, g.name]));
    return {
      siteName: catalog.siteName,
      productName: catalog.productName,
      groupName: (id: string) => byId.get(id) ?? id,
    };
  }, [catalog, data]);
}
