// Fixtures of webhooks and a fake webhooks API for page tests.
import type {
  CreatedWebhook,
  DeliveryDetail,
  DeliveryView,
  WebhookInput,
  WebhookView,
} from '../api/types';
import { baseRoutes } from './app';
import { envelope } from './fakeServer';

/** The generated secret the fake server hands out. */
export const GENERATED_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

/** A webhook to Automation for key expiry; `patch` changes any field. */
export function webhookView(patch: Partial<WebhookView> = {}): WebhookView {
  return {
    id: 4,
    name: 'Key expiry ticket',
    url: 'https://automation.atlassian.com/pro/hooks/abc123',
    events: ['orgKeyExpiry', 'syncFailed'],
    notes: 'Opens an IT ticket',
    active: true,
    disabledReason: null,
    failingSince: null,
    createdBy: 'acc-1',
    createdAt: '2026-01-01T09:00:00Z',
    updatedBy: 'acc-1',
    updatedAt: '2026-01-01T09:00:00Z',
    lastDelivery: {
      id: 'msg_last',
      event: 'test',
      state: 'succeeded',
      at: '2026-01-02T09:00:00Z',
      statusCode: 200,
    },
    ...patch,
  };
}

/** A delivery; `patch` changes any field. */
export function deliveryView(patch: Partial<DeliveryView> = {}): DeliveryView {
  return {
    id: 'msg_2b7c',
    event: 'test',
    attempt: 1,
    state: 'succeeded',
    statusCode: 200,
    durationMs: 84,
    at: '2026-01-02T09:00:00Z',
    nextAttemptAt: null,
    ...patch,
  };
}

interface FakeWebhooks {
  webhooks?: WebhookView[];
  deliveries?: DeliveryView[];
  detail?: (delivery: DeliveryView) => DeliveryDetail;
}

/** The base routes plus a fake webhooks API that the calls change. */
export function webhookRoutes({ webhooks = [], deliveries = [], detail }: FakeWebhooks = {}) {
  let list = [...webhooks];
  const state = { deliveries: [...deliveries] };
  const idOf = (url: URL) => Number(url.pathname.split('/')[4]);
  return {
    state,
    routes: {
      ...baseRoutes(),
      'GET /api/v1/webhooks': () => ({ status: 200, body: { items: list } }),
      'POST /api/v1/webhooks': (body: unknown) => {
        const input = body as WebhookInput;
        if (input.url.includes('blocked')) {
          return {
            status: 400,
            body: envelope(
              'validation_failed',
              'url: blocked.example resolves to a private address (10.0.0.7)',
              { field: 'url' },
            ),
          };
        }
        const created: CreatedWebhook = {
          ...webhookView({ id: 9, lastDelivery: null }),
          name: input.name,
          url: input.url,
          events: input.events,
          notes: input.notes ?? '',
          active: input.active,
          secret: input.secret ?? GENERATED_SECRET,
        };
        const { secret: _secret, ...view } = created;
        list = [...list, view];
        return { status: 201, body: created };
      },
      'PUT /api/v1/webhooks/{id}': (body: unknown, url: URL) => {
        const input = body as WebhookInput;
        list = list.map((w) =>
          w.id === idOf(url)
            ? {
                ...w,
                ...input,
                notes: input.notes ?? '',
                disabledReason: input.active ? null : w.disabledReason,
              }
            : w,
        );
        return { status: 200, body: list.find((w) => w.id === idOf(url)) };
      },
      'DELETE /api/v1/webhooks/{id}': (_: unknown, url: URL) => {
        list = list.filter((w) => w.id !== idOf(url));
        return { status: 204 };
      },
      // Cursor pages, as the server pages them (here the cursor is the next page's offset).
      'GET /api/v1/webhooks/{id}/deliveries': (_: unknown, url: URL) => {
        const limit = Number(url.searchParams.get('limit') ?? 50);
        const from = Number(url.searchParams.get('cursor') || 0);
        const more = from + limit < state.deliveries.length;
        return {
          status: 200,
          body: {
            items: state.deliveries.slice(from, from + limit),
            nextCursor: more ? String(from + limit) : null,
          },
        };
      },
      'GET /api/v1/webhooks/{id}/deliveries/{deliveryId}': (_: unknown, url: URL) => {
        const found = state.deliveries.find((d) => d.id === url.pathname.split('/')[6]);
        return found && detail
          ? { status: 200, body: detail(found) }
          : { status: 404, body: envelope('not_found', 'No such delivery.') };
      },
      'POST /api/v1/webhooks/{id}/test': () => {
        const queued = deliveryView({
          id: 'msg_test',
          state: 'pending',
          statusCode: null,
          durationMs: null,
          attempt: 0,
        });
        state.deliveries = [queued, ...state.deliveries];
        return { status: 202, body: { deliveryId: queued.id } };
      },
      'POST /api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver': () => ({ status: 202 }),
    },
  };
}
