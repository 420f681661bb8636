// TanStack Query hooks of bulk operations, their guards (groups, exemptions) and results.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys, useMirrorReady } from './queries';
import type {
  Exemption,
  ExemptionInput,
  ExemptionKind,
  GroupInfo,
  OperationPage,
  OperationRequest,
  OperationView,
  Preview,
  StepsPage,
} from './types';

/** Query keys of this file; groups are read from the mirror, so they sit under `mirror`. */
export const operationKeys = {
  all: ['operations'] as const,
  list: (page: number, pageSize: number) => ['operations', 'list', page, pageSize] as const,
  detail: (id: number) => ['operations', 'detail', id] as const,
  steps: (id: number, outcome: string, cursor: string, live: boolean) =>
    ['operations', 'steps', id, outcome, cursor, live] as const,
  groups: ['mirror', 'groups'] as const,
  exemptions: ['settings', 'exemptions'] as const,
};

/** States in which an operation is still waiting or working (its progress can change). */
export const ACTIVE_STATES: readonly string[] = ['queued', 'syncing', 'running', 'cancelling'];

/** True while an operation is waiting or working. */
export function isOperationActive(op: Pick<OperationView, 'state'> | undefined): boolean {
  return op !== undefined && ACTIVE_STATES.includes(op.state);
}

/** Every group of the organization (as of the last sync), with IdP-synced and modifiable flags. */
export function useGroups(enabled = true) {
  const mirror = useMirrorReady();
  return useQuery<GroupInfo[], ApiError>({
    queryKey: operationKeys.groups,
    queryFn: () => call(api.GET('/api/v1/groups')),
    enabled: enabled && mirror.ready,
    staleTime: 60_000,
  });
}

/** "Preview": what an operation would do; nothing changes. */
export function usePreviewOperation() {
  return useMutation<Preview, ApiError, OperationRequest>({
    mutationFn: (body) => call(api.POST('/api/v1/operations/preview', { body })),
  });
}

/** Starts an operation (202 with its id and state). */
export function useCreateOperation() {
  const client = useQueryClient();
  return useMutation<OperationView, ApiError, OperationRequest>({
    mutationFn: (body) => call(api.POST('/api/v1/operations', { body })),
    onSuccess: (view) => {
      client.setQueryData(operationKeys.detail(view.id), view);
      void client.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}

/** One page of the tenant's operations, newest first; polls while one of them is active. */
export function useOperations(page: number, pageSize: number) {
  return useQuery<OperationPage, ApiError>({
    queryKey: operationKeys.list(page, pageSize),
    queryFn: () => call(api.GET('/api/v1/operations', { params: { query: { page, pageSize } } })),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data?.items.some(isOperationActive) ? 3_000 : false),
  });
}

/**
 * One operation with live progress: polls every second while it is queued or running. When it
 * ends, the mirror's pages (users' histories among them) and the sync state are read again (it
 * synced its users at the end).
 */
export function useOperation(id: number) {
  const client = useQueryClient();
  const query = useQuery<OperationView, ApiError>({
    queryKey: operationKeys.detail(id),
    queryFn: () => call(api.GET('/api/v1/operations/{id}', { params: { path: { id } } })),
    refetchInterval: (q) => (isOperationActive(q.state.data) ? 1_000 : false),
  });
  const active = isOperationActive(query.data);
  const wasActive = useRef(active);
  useEffect(() => {
    if (wasActive.current && !active) {
      void client.invalidateQueries({ queryKey: queryKeys.mirror });
      void client.invalidateQueries({ queryKey: queryKeys.sync });
      void client.invalidateQueries({ queryKey: operationKeys.all });
    }
    wasActive.current = active;
  }, [active, client]);
  return query;
}

/** Steps of an operation shown per page. */
export const STEPS_PER_PAGE = 50;

/**
 * One page of an operation's steps in plan order: those with `outcome` (all when empty), from
 * `cursor` (the `nextCursor` of the page before; the first page without it); read again every
 * second while `live`.
 */
export function useOperationSteps(
  id: number,
  outcome: string,
  cursor: string | undefined,
  live: boolean,
) {
  return useQuery<StepsPage, ApiError>({
    // Live and settled pages are kept apart: the page is read once more when the run ends.
    queryKey: operationKeys.steps(id, outcome, cursor ?? '', live),
    queryFn: () =>
      call(
        api.GET('/api/v1/operations/{id}/steps', {
          params: {
            path: { id },
            query: {
              limit: STEPS_PER_PAGE,
              ...(outcome ? { outcome } : {}),
              ...(cursor ? { cursor } : {}),
            },
          },
        }),
      ),
    refetchInterval: live ? 1_000 : false,
    placeholderData: keepPreviousData,
  });
}

/** Stops an operation: no new step starts. */
export function useCancelOperation(id: number) {
  const client = useQueryClient();
  return useMutation<OperationView, ApiError, void>({
    mutationFn: () =>
      call(api.POST('/api/v1/operations/{id}/cancel', { params: { path: { id } } })),
    onSuccess: (view) => {
      client.setQueryData(operationKeys.detail(id), view);
      void client.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}

/** What reverting operation `id` would do (nothing changes). */
export function useRevertPreview(id: number) {
  return useMutation<Preview, ApiError, { reason?: string }>({
    mutationFn: async ({ reason }) => {
      const data = await call(
        api.POST('/api/v1/operations/{id}/revert', {
          params: { path: { id } },
          body: { preview: true, reason },
        }),
      );
      return data as Preview;
    },
  });
}

/** Starts the revert of operation `id`: a new operation. */
export function useStartRevert(id: number) {
  const client = useQueryClient();
  return useMutation<OperationView, ApiError, { reason?: string }>({
    mutationFn: async ({ reason }) => {
      const data = await call(
        api.POST('/api/v1/operations/{id}/revert', {
          params: { path: { id } },
          body: { preview: false, reason },
        }),
      );
      return data as OperationView;
    },
    onSuccess: (view) => {
      client.setQueryData(operationKeys.detail(view.id), view);
      void client.invalidateQueries({ queryKey: operationKeys.all });
    },
  });
}

/** The exemption list. */
export function useExemptions() {
  return useQuery<Exemption[], ApiError>({
    queryKey: operationKeys.exemptions,
    queryFn: () => call(api.GET('/api/v1/settings/exemptions')),
  });
}

/** Adds a user or group to the exemption list (or updates its note). */
export function useAddExemption() {
  const client = useQueryClient();
  return useMutation<Exemption, ApiError, ExemptionInput>({
    mutationFn: (body) => call(api.POST('/api/v1/settings/exemptions', { body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: operationKeys.exemptions }),
  });
}

/** Removes an exemption. */
export function useRemoveExemption() {
  const client = useQueryClient();
  return useMutation<void, ApiError, { kind: ExemptionKind; id: string }>({
    mutationFn: async (query) => {
      await call(api.DELETE('/api/v1/settings/exemptions', { params: { query } }));
    },
    onSuccess: () => void client.invalidateQueries({ queryKey: operationKeys.exemptions }),
  });
}

/**
 * Downloads an operation's results as a file. The app runs in Jira's iframe, where a plain link
 * would carry no token: the file is fetched with one, then saved from a Blob.
 */
export async function downloadResults(id: number, format: 'csv' | 'json'): Promise<void> {
  const blob = await call(
    api.GET('/api/v1/operations/{id}/results', {
      params: { path: { id }, query: { format } },
      parseAs: 'blob',
    }),
  );
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `operation-${id}.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Let the browser start reading the file before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
