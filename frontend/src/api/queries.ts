// TanStack Query hooks, one per resource call.
import {
  keepPreviousData,
  useMutation,
  useQueries,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, call } from './client';
import { ApiError } from './errors';
import type {
  ApiKeyCheck,
  ApiKeyInput,
  ApiKeyView,
  Dashboard,
  DashboardHistory,
  DashboardQuery,
  Filter,
  HistoryEntry,
  HistoryQuery,
  Me,
  Selection,
  Settings,
  SyncStatus,
  UserDetail,
  UserPage,
  UserSearchRequest,
} from './types';

/** Query keys, so mutations know what to refresh. Everything read from the mirror sits under `mirror`. */
export const queryKeys = {
  me: ['me'] as const,
  apiKey: ['settings', 'api-key'] as const,
  sync: ['sync'] as const,
  /** The recent sync runs (under `sync`: whatever refreshes the sync state refreshes them). */
  syncRuns: (limit: number) => ['sync', 'runs', limit] as const,
  mirror: ['mirror'] as const,
  dashboard: (query: DashboardQuery) => ['mirror', 'dashboard', query] as const,
  /** Every dashboard query: tiles and history (seat prices and the threshold change them). */
  dashboards: ['mirror', 'dashboard'] as const,
  history: (query: HistoryQuery) => ['mirror', 'dashboard', 'history', query] as const,
  /** Distinct billable users of one product on every site (inactive ones when `inactiveDays` is set). */
  productCount: (productKey: string, inactiveDays: number | null) =>
    ['mirror', 'dashboard', 'product', productKey, inactiveDays] as const,
  /** The license counts the mirror's billable users: refreshed with it. */
  license: ['mirror', 'license'] as const,
  settings: ['settings', 'general'] as const,
  accessSettings: ['settings', 'access'] as const,
  tokens: ['tokens'] as const,
  /** The webhooks; their deliveries sit under them (whatever refreshes the list refreshes the logs). */
  webhooks: ['webhooks'] as const,
  deliveries: (id: number) => ['webhooks', id, 'deliveries'] as const,
  delivery: (id: number, deliveryId: string) => ['webhooks', id, 'deliveries', deliveryId] as const,
  savedFilters: ['filters'] as const,
  users: (request: UserSearchRequest) => ['mirror', 'users', request] as const,
  user: (accountId: string) => ['mirror', 'user', accountId] as const,
  /** Under the user, so whatever refreshes the user (or the mirror, as operations end) refreshes it. */
  userHistory: (accountId: string) => ['mirror', 'user', accountId, 'history'] as const,
};

/** The error code the server uses when no Organization API key is saved. */
export const API_KEY_NOT_SET = 'api_key_not_set';
/** `GET /api/v1/sync` answers 404 with this code before the first sync. */
export const NO_SYNC_YET = 'no_sync_yet';
/** Mirror reads answer 409 with this code until the first sync has completed. */
export const NOT_SYNCED = 'not_synced';

/** True while a sync run is waiting or working. */
export function isSyncActive(status: SyncStatus | null | undefined): boolean {
  return status?.state === 'queued' || status?.state === 'running';
}

/** Who is signed in, on which Jira site, and whether (as whom) they may use the app. */
export function useMe() {
  return useQuery<Me, ApiError>({
    queryKey: queryKeys.me,
    queryFn: () => call(api.GET('/api/v1/me')),
    staleTime: 5 * 60_000,
  });
}

/**
 * True for an admin confined to what they administer (`/me`'s `scope`): automated tasks and
 * webhooks, which act on the whole organization, are not theirs to read.
 */
export function useConfined(): boolean {
  return useMe().data?.access.scope != null;
}

/**
 * The saved Organization API key (masked), or null when none is saved. A Jira admin in setup
 * (`/me` says `jiraAdmin`) is let in only while no key is saved: then the answer is known and the
 * server is not asked (it would answer 404). While Atlassian rejects the saved key (`/me` says
 * `keyRejected`) only a new key may be saved: the form shows, as with none.
 */
export function useApiKey() {
  const client = useQueryClient();
  return useQuery<ApiKeyView | null, ApiError>({
    queryKey: queryKeys.apiKey,
    queryFn: async () => {
      const access = client.getQueryData<Me>(queryKeys.me)?.access;
      if (access?.as === 'jiraAdmin' || access?.keyRejected) return null;
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
      // Saving a key starts the initial sync: show it in the header.
      void client.invalidateQueries({ queryKey: queryKeys.sync });
      // With a key, the organization's admin rules decide who may use the app (a Jira admin who
      // set it up may no longer).
      void client.invalidateQueries({ queryKey: queryKeys.me });
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
      client.removeQueries({ queryKey: queryKeys.sync });
      client.removeQueries({ queryKey: queryKeys.mirror });
      // Without a key, Jira admins may set one up again.
      void client.invalidateQueries({ queryKey: queryKeys.me });
    },
  });
}

/**
 * The tenant's latest sync, or null before the first one. Polls every 2 s while a sync is queued
 * or running, and now and then before the first one (saving a key starts it).
 */
export function useSyncStatus(enabled = true) {
  return useQuery<SyncStatus | null, ApiError>({
    queryKey: queryKeys.sync,
    queryFn: async () => {
      try {
        return await call(api.GET('/api/v1/sync'));
      } catch (error) {
        if (error instanceof ApiError && error.code === NO_SYNC_YET) return null;
        throw error;
      }
    },
    enabled,
    // Pages and hooks that wait for the mirror read this too: mounting them must not ask again.
    staleTime: 5_000,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (isSyncActive(data)) return 2_000;
      return data === null ? 10_000 : false;
    },
  });
}

/** The tenant's recent syncs, newest first; polls every 2 s while one is queued or running. */
export function useSyncRuns(limit = 20, enabled = true) {
  return useQuery<SyncStatus[], ApiError>({
    queryKey: queryKeys.syncRuns(limit),
    queryFn: () => call(api.GET('/api/v1/sync/runs', { params: { query: { limit } } })),
    enabled,
    refetchInterval: (query) => (query.state.data?.some(isSyncActive) ? 2_000 : false),
  });
}

/**
 * Whether the mirror exists (a sync has completed, so `syncedAt` is set). Mirror reads answer 409
 * `not_synced` until then, so they wait for it instead of failing. `known` is false while the sync
 * state loads; when it cannot be read, mirror reads go ahead and show their own errors.
 */
export function useMirrorReady(): { ready: boolean; known: boolean } {
  const apiKey = useApiKey();
  const sync = useSyncStatus(apiKey.data !== null && apiKey.data !== undefined);
  if (sync.isError) return { ready: true, known: true };
  return { ready: typeof sync.data?.syncedAt === 'string', known: sync.data !== undefined };
}

/** "Sync users": starts a manual sync, or answers the one already queued or running. */
export function useStartSync() {
  const client = useQueryClient();
  return useMutation<SyncStatus, ApiError, void>({
    mutationFn: () => call(api.POST('/api/v1/sync')),
    onSuccess: (status) => {
      client.setQueryData(queryKeys.sync, status);
      void client.invalidateQueries({ queryKey: ['sync', 'runs'] });
    },
  });
}

/** Seats per product and site for a threshold (`inactiveDays` absent: the server's default). */
export function useDashboard(query: DashboardQuery, enabled = true) {
  const mirror = useMirrorReady();
  return useQuery<Dashboard, ApiError>({
    queryKey: queryKeys.dashboard(query),
    queryFn: () => call(api.GET('/api/v1/dashboard', { params: { query } })),
    enabled: enabled && mirror.ready,
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });
}

/** One product over every site: distinct billable users, and those inactive for the threshold. */
export interface ProductCount {
  productKey: string;
  /** Billable users holding the product on any site, each counted once. */
  total: number;
  /** Of them, those inactive on the product (on every site) for at least the threshold. */
  inactive: number;
  active: number;
}

/** The filter a product's all-sites tile counts (and opens in Users). */
export function productTileFilter(productKey: string, inactiveDays?: number): Filter {
  return inactiveDays === undefined
    ? { products: [{ productKey }], billable: true }
    : { products: [{ productKey }], inactiveDays, billable: true };
}

/**
 * Per-product counts over every site. The dashboard's rows are per site and product, so summing
 * them counts a person who holds a product on two sites twice; the user search counts distinct
 * users, so each product is counted with it (only `total` is read, on the smallest page).
 * `data` is undefined until every count has arrived.
 */
export function useProductCounts(
  productKeys: readonly string[],
  inactiveDays: number,
  enabled = true,
) {
  const mirror = useMirrorReady();
  const count = (productKey: string, days: number | null) => ({
    queryKey: queryKeys.productCount(productKey, days),
    queryFn: async () => {
      const filter = productTileFilter(productKey, days ?? undefined);
      const page = await call(
        api.POST('/api/v1/users/search', { body: { filter, page: 1, pageSize: 10 } }),
      );
      return page.total;
    },
    enabled: enabled && mirror.ready,
    staleTime: 60_000,
    // Another threshold: the tiles keep the previous counts until the new ones arrive.
    placeholderData: keepPreviousData,
  });
  return useQueries({
    queries: productKeys.flatMap((key) => [count(key, null), count(key, inactiveDays)]),
    combine: (results) => {
      const error = results.find((r) => r.error)?.error as ApiError | undefined;
      const done = results.every((r) => r.data !== undefined);
      const data: ProductCount[] | undefined = done
        ? productKeys.map((productKey, i) => {
            const total = results[2 * i]?.data ?? 0;
            const inactive = results[2 * i + 1]?.data ?? 0;
            return { productKey, total, inactive, active: Math.max(0, total - inactive) };
          })
        : undefined;
      return { data, error, isFetching: results.some((r) => r.isFetching) };
    },
  });
}

/** One page of the user list; the previous page stays on screen while the next one loads. */
export function useUserSearch(request: UserSearchRequest) {
  const mirror = useMirrorReady();
  return useQuery<UserPage, ApiError>({
    queryKey: queryKeys.users(request),
    queryFn: () => call(api.POST('/api/v1/users/search', { body: request })),
    enabled: mirror.ready,
    staleTime: 30_000,
    placeholderData: keepPreviousData,
  });
}

/** "Select all N matching": every account id the filter matches. */
export function useSelectMatching() {
  return useMutation<Selection, ApiError, Filter>({
    mutationFn: (filter) => call(api.POST('/api/v1/users/select', { body: { filter } })),
  });
}

/** One user's detail: access per site and product and how it is granted. */
export function useUserDetail(accountId: string | null) {
  const mirror = useMirrorReady();
  return useQuery<UserDetail, ApiError>({
    queryKey: queryKeys.user(accountId ?? ''),
    queryFn: () =>
      call(
        api.GET('/api/v1/users/{accountId}', { params: { path: { accountId: accountId ?? '' } } }),
      ),
    enabled: accountId !== null && mirror.ready,
    staleTime: 30_000,
  });
}

/** How many steps of a user's history the detail view reads (the server allows 1–500). */
export const USER_HISTORY_LIMIT = 100;

/** Outcomes of a step that has not ended yet. */
const UNFINISHED_OUTCOMES: readonly string[] = ['pending', 'in_flight'];

/**
 * Every step operations ran on one user, newest first (the latest `USER_HISTORY_LIMIT`). Read again
 * each time it is shown, and every 3 s while a step is still pending or in flight.
 */
export function useUserHistory(accountId: string) {
  return useQuery<HistoryEntry[], ApiError>({
    queryKey: queryKeys.userHistory(accountId),
    queryFn: () =>
      call(
        api.GET('/api/v1/users/{accountId}/history', {
          params: { path: { accountId }, query: { limit: USER_HISTORY_LIMIT } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.some((e) => UNFINISHED_OUTCOMES.includes(e.outcome)) ? 3_000 : false,
  });
}

/** Daily snapshots of the dashboard's counts (all sites, or one). */
export function useDashboardHistory(query: HistoryQuery, enabled = true) {
  const mirror = useMirrorReady();
  return useQuery<DashboardHistory, ApiError>({
    queryKey: queryKeys.history(query),
    queryFn: () => call(api.GET('/api/v1/dashboard/history', { params: { query } })),
    enabled: enabled && mirror.ready,
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/** The tenant's settings (defaults until saved). */
export function useSettings() {
  return useQuery<Settings, ApiError>({
    queryKey: queryKeys.settings,
    queryFn: () => call(api.GET('/api/v1/settings')),
    staleTime: 60_000,
  });
}

/** Saves the settings; the dashboard follows (default threshold, seat prices). */
export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation<Settings, ApiError, Settings>({
    mutationFn: (body) => call(api.PUT('/api/v1/settings', { body })),
    onSuccess: (saved) => {
      client.setQueryData(queryKeys.settings, saved);
      void client.invalidateQueries({ queryKey: queryKeys.dashboards });
    },
  });
}
