// The app's own license (`GET /api/v1/license`): limit, usage, state and what is allowed.
import { useQuery } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type { paths } from './schema';

/** The license evaluation. */
export type License =
  paths['/api/v1/license']['get']['responses'][200]['content']['application/json'];

/** The app's Marketplace license on the Jira site (`null` in an answer: Jira reports none). */
export type MarketplaceLicense = NonNullable<License['marketplaceLicense']>;

export type MarketplaceStanding = 'active' | 'evaluation' | 'inactive' | 'none';

/** The Marketplace license of an answer: undefined when the answer does not carry it. */
export function marketplaceOf(
  license: License,
): { standing: MarketplaceStanding; type: string | null } | undefined {
  const m: MarketplaceLicense | null | undefined = license.marketplaceLicense;
  if (m === undefined) return undefined;
  if (m === null) return { standing: 'none', type: null };
  const type = m.type ?? null;
  if (!m.active) return { standing: 'inactive', type };
  return {
    standing: m.evaluation || type?.toUpperCase() === 'EVALUATION' ? 'evaluation' : 'active',
    type,
  };
}

/** "Standard", "Advanced", "Custom (×3)", "Fixed limit". */
export function editionLabel(edition: string): string {
  const [kind = '', n] = edition.split(':');
  switch (kind) {
    case 'standard':
      return 'Standard';
    case 'advanced':
      return 'Advanced';
    case 'custom':
      return n ? `Custom (×${n})` : 'Custom';
    case 'fixed':
      return 'Fixed limit';
    default:
      return edition || 'Unknown';
  }
}

/** The app's license; re-read with the mirror after every sync (managed users change). */
export function useLicense() {
  return useQuery<License, ApiError>({
    queryKey: queryKeys.license,
    queryFn: () => call(api.GET('/api/v1/license')),
    staleTime: 5 * 60_000,
  });
}
