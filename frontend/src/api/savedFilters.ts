// Saved filters: list, create, update (rename or new definition), delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type { SavedFilter, SavedFilterInput } from './types';

/** Every saved filter of the tenant, by name. */
export function useSavedFilters() {
  return useQuery<SavedFilter[], ApiError>({
    queryKey: queryKeys.savedFilters,
    queryFn: () => call(api.GET('/api/v1/filters')),
    staleTime: 30_000,
  });
}

/** Saves a new filter (name and definition). */
export function useCreateSavedFilter() {
  const client = useQueryClient();
  return useMutation<SavedFilter, ApiError, SavedFilterInput>({
    mutationFn: (body) => call(api.POST('/api/v1/filters', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.savedFilters }),
  });
}

/** Changes a saved filter's name, definition or both. */
export function useUpdateSavedFilter() {
  const client = useQueryClient();
  return useMutation<SavedFilter, ApiError, { id: number; input: SavedFilterInput }>({
    mutationFn: ({ id, input }) =>
      call(api.PATCH('/api/v1/filters/{id}', { params: { path: { id } }, body: input })),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.savedFilters }),
  });
}

/** Deletes a saved filter. */
export function useDeleteSavedFilter() {
  const client = useQueryClient();
  return useMutation<void, ApiError, number>({
    mutationFn: async (id) => {
      await call(api.DELETE('/api/v1/filters/{id}', { params: { path: { id } } }));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.savedFilters }),
  });
}
