// TanStack Query hooks, one per resource call.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import { ApiError } from './errors';
import type { ApiKeyCheck, ApiKeyInput, ApiKeyView, Me } from './types';

/** Query keys, so mutations know what to refresh. */
export const queryKeys = {
  me: ['me'] as const,
  apiKey: ['settings', 'api-key'] as const,
};

/** The error code the server uses when no Organization API key is saved. */
export const API_KEY_NOT_SET = 'api_key_not_set';

/** Who is signed in, on which Jira site. */
export function useMe() {
  return useQuery<Me, ApiError>({
    queryKey: queryKeys.me,
    queryFn: () => call(api.GET('/api/v1/me')),
    staleTime: 5 * 60_000,
  });
}

/** The saved Organization API key (masked), or null when none is saved. */
export function useApiKey() {
  return useQuery<ApiKeyView | null, ApiError>({
    queryKey: queryKeys.apiKey,
    queryFn: async () => {
      try {
        return await call(api.GET('/api/v1/settings/api-key'));
      } catch (error) {
        if (error instanceof ApiError && error.code === API_KEY_NOT_SET) return null;
        throw error;
      }
    },
    staleTime: 30_000,
  });
}

/** "Check API key": validates against the Admin API, saves nothing. */
export function useCheckApiKey() {
  return useMutation<ApiKeyCheck, ApiError, ApiKeyInput>({
    mutationFn: (body) => call(api.POST('/api/v1/settings/api-key/check', { body })),
  });
}

/**
 * Saves (or replaces) the Organization API key. `onSaved` runs even when the form that saved
 * has unmounted (it does, as soon as the cache holds the new key).
 */
export function useSaveApiKey(onSaved?: (view: ApiKeyView) => void) {
  const client = useQueryClient();
  return useMutation<ApiKeyView, ApiError, ApiKeyInput>({
    mutationFn: (body) => call(api.PUT('/api/v1/settings/api-key', { body })),
    onSuccess: (view) => {
      onSaved?.(view);
      client.setQueryData(queryKeys.apiKey, view);
    },
  });
}

/** Removes the Organization API key; `onRemoved` runs even if the caller has unmounted. */
export function useRemoveApiKey(onRemoved?: () => void) {
  const client = useQueryClient();
  return useMutation<void, ApiError, void>({
    mutationFn: async () => {
      try {
        await call(api.DELETE('/api/v1/settings/api-key'));
      } catch (error) {
        // Already gone (removed in another tab): the outcome the user asked for.
        if (!(error instanceof ApiError && error.code === API_KEY_NOT_SET)) throw error;
      }
    },
    onSuccess: () => {
      onRemoved?.();
      client.setQueryData(queryKeys.apiKey, null);
    },
  });
}
