// App access control (`/api/v1/settings/access`): which admins besides org admins may use the app,
// and whether they see the whole organization or only what they administer.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type { AccessSettings, AccessSettingsInput } from './types';

/** The tenant's access rules. */
export function useAccessSettings() {
  return useQuery<AccessSettings, ApiError>({
    queryKey: queryKeys.accessSettings,
    queryFn: () => call(api.GET('/api/v1/settings/access')),
    staleTime: 60_000,
  });
}

/** Saves the access rules (org admins only; others get 403). */
export function useSaveAccessSettings() {
  const client = useQueryClient();
  return useMutation<AccessSettings, ApiError, AccessSettingsInput>({
    mutationFn: (body) => call(api.PUT('/api/v1/settings/access', { body })),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.accessSettings, saved);
    },
  });
}
