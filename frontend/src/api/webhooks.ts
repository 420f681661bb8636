// Webhooks (`/api/v1/webhooks`): signed notifications of what happens while nobody is looking,
// with a delivery log per webhook.
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { ApiError } from './errors';
import { queryKeys } from './queries';
import type {
  CreatedWebhook,
  DeliveryDetail,
  DeliveryList,
  DeliveryView,
  WebhookInput,
  WebhookView,
} from './types';

/** How often lists with a delivery still pending are asked again. */
export const PENDING_REFRESH_MS = 3_000;
/** Deliveries per page of the log. */
export const DELIVERY_PAGE = 50;

/** True while a delivery waits for its (next) attempt. */
export function isPending(delivery: { state: string } | null | undefined): boolean {
  return delivery?.state === 'pending';
}

/** Every webhook of the tenant (never their secrets); refreshed while a last delivery is pending. */
export function useWebhooks() {
  return useQuery<WebhookView[], ApiError>({
    queryKey: queryKeys.webhooks,
    queryFn: async () => (await call(api.GET('/api/v1/webhooks'))).items,
    refetchInterval: (query) =>
      query.state.data?.some((w) => isPending(w.lastDelivery)) ? PENDING_REFRESH_MS : false,
  });
}

/**
 * Creates a webhook. A generated secret is only in the mutation's result (never in the query
 * cache): `reset()` the mutation once it has been passed on.
 */
export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation<CreatedWebhook, ApiError, WebhookInput>({
    mutationFn: (body) => call(api.POST('/api/v1/webhooks', { body })),
    gcTime: 0,
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

/** Changes a webhook (also switches it on or off); an empty secret keeps the current one. */
export function useUpdateWebhook() {
  const client = useQueryClient();
  return useMutation<WebhookView, ApiError, { id: WebhookView['id']; body: WebhookInput }>({
    mutationFn: ({ id, body }) =>
      call(api.PUT('/api/v1/webhooks/{id}', { params: { path: { id } }, body })),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

/**
 * Deletes a webhook and its delivery log. The list drops it at once (so its open log closes) and
 * its deliveries leave the cache without being asked for again (they are gone).
 */
export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation<void, ApiError, WebhookView['id']>({
    mutationFn: async (id) => {
      await call(api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } }));
    },
    onSuccess: (_, id) => {
      client.setQueryData<WebhookView[]>(queryKeys.webhooks, (list) =>
        list?.filter((w) => w.id !== id),
      );
      client.removeQueries({ queryKey: queryKeys.deliveries(id) });
      void client.invalidateQueries({ queryKey: queryKeys.webhooks, exact: true });
    },
  });
}

/**
 * A webhook's deliveries, newest first, a page at a time ("Show older deliveries"); every page
 * loaded is refreshed while one of them holds a pending delivery.
 */
export function useDeliveries(id: WebhookView['id']) {
  return useInfiniteQuery<DeliveryList, ApiError>({
    queryKey: queryKeys.deliveries(id),
    initialPageParam: '',
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: {
            path: { id },
            query: { limit: DELIVERY_PAGE, ...(pageParam ? { cursor: String(pageParam) } : {}) },
          },
        }),
      ),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: (query) =>
      query.state.data?.pages.some((page) => page.items.some(isPending))
        ? PENDING_REFRESH_MS
        : false,
  });
}

/** One delivery with its payload and every attempt's response; refreshed while pending. */
export function useDelivery(id: WebhookView['id'], deliveryId: DeliveryView['id']) {
  return useQuery<DeliveryDetail, ApiError>({
    queryKey: queryKeys.delivery(id, deliveryId),
    queryFn: () =>
      call(
        api.GET('/api/v1/webhooks/{id}/deliveries/{deliveryId}', {
          params: { path: { id, deliveryId } },
        }),
      ),
    refetchInterval: (query) => (isPending(query.state.data) ? PENDING_REFRESH_MS : false),
  });
}

/** "Send test": queues a `test` event to the webhook; answers its delivery's id. */
export function useSendTest() {
  const client = useQueryClient();
  return useMutation<{ deliveryId: DeliveryView['id'] }, ApiError, WebhookView['id']>({
    mutationFn: (id) => call(api.POST('/api/v1/webhooks/{id}/test', { params: { path: { id } } })),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}

/** "Redeliver": sends a delivery's event again, as a new attempt. */
export function useRedeliver() {
  const client = useQueryClient();
  return useMutation<unknown, ApiError, { id: WebhookView['id']; deliveryId: DeliveryView['id'] }>({
    mutationFn: ({ id, deliveryId }) =>
      call(
        api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id, deliveryId } },
        }),
      ),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.webhooks }),
  });
}
