import { Checkbox } from '@atlaskit/checkbox';
import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import SectionMessage from '@atlaskit/section-message';
import type { AppTarget } from '../../api/types';
import type { OrgCatalog } from '../../catalog';
import { hasTarget } from './drafts';

interface AppTilesProps {
  catalog: OrgCatalog;
  allApps: boolean;
  targets: AppTarget[];
  onChange: (allApps: boolean, targets: AppTarget[]) => void;
}

/** Remove app access: products as toggle tiles grouped by site, or "All apps". */
export function AppTiles({ catalog, allApps, targets, onChange }: AppTilesProps) {
  const toggle = (siteId: string, productKey: string) => {
    const next = hasTarget(targets, siteId, productKey)
      ? targets.filter((t) => !(t.siteId === siteId && t.productKey === productKey))
      : [...targets, { siteId, productKey }];
    onChange(false, next);
  };
  return (
    <Stack space="space.150">
      <Checkbox
        label="All apps (every product on every site)"
        isChecked={allApps}
        onChange={(e) => onChange(e.currentTarget.checked, targets)}
        testId="apps-all"
      />
      {catalog.products.length === 0 && (
        <SectionMessage appearance="information">
          <p>No products were found in the last sync.</p>
        </SectionMessage>
      )}
      {catalog.sites.map((site) => (
        <section key={site.siteId} aria-labelledby={`apps-${site.siteId}`} data-testid="apps-site">
          <Heading size="xxsmall" as="h4" id={`apps-${site.siteId}`}>
            {site.siteName}
          </Heading>
          <ul className="ow-tiles ow-app-tiles">
            {catalog.products
              .filter((p) => p.siteId === site.siteId)
              .map((p) => {
                const chosen = allApps || hasTarget(targets, p.siteId, p.productKey);
                return (
                  <li key={p.productKey} className="ow-tile-item">
                    <button
                      type="button"
                      className={
                        chosen ? 'ow-tile ow-app-tile ow-app-tile-chosen' : 'ow-tile ow-app-tile'
                      }
                      aria-pressed={chosen}
                      disabled={allApps}
                      onClick={() => toggle(p.siteId, p.productKey)}
                      data-testid="app-tile"
                      data-site-id={p.siteId}
                      data-product-key={p.productKey}
                    >
                      <span className="ow-tile-title">{p.productName}</span>
                      <span className="ow-tile-site">{p.siteName}</span>
                    </button>
                  </li>
                );
              })}
          </ul>
        </section>
      ))}
    </Stack>
  );
}
