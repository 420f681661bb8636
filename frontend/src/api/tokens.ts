// API tokens (`/api/v1/tokens`): scripts call the API with `Authorization: Bearer owt_…`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type { CreatedToken, TokenInput, TokenView } from './types';

/** Every token of the tenant (their prefixes, never the secrets). */
export function useTokens() {
  return useQuery<TokenView[], ApiError>({
    queryKey: queryKeys.tokens,
    queryFn: async () => (await call(api.GET('/api/v1/tokens'))).items,
    staleTime: 30_000,
  });
}

/**
 * Creates a token. Its secret is only in the mutation's result (never in the query cache):
 * `reset()` the mutation once it has been shown.
 */
export function useCreateToken() {
  const client = useQueryClient();
  return useMutation<CreatedToken, ApiError, TokenInput>({
    mutationFn: (body) => call(api.POST('/api/v1/tokens', { body })),
    // Nothing keeps the answer (and its secret) once the form has passed it on.
    gcTime: 0,
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.tokens }),
  });
}

/** Revokes a token: scripts using it are refused from then on. */
export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation<void, ApiError, TokenView['id']>({
    mutationFn: async (id) => {
      await call(api.DELETE('/api/v1/tokens/{id}', { params: { path: { id } } }));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.tokens }),
  });
}
