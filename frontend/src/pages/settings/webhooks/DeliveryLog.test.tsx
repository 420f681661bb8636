import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DeliveryDetail, DeliveryView } from '../../../api/types';
import { DELIVERY_PAGE, PENDING_REFRESH_MS } from '../../../api/webhooks';
import { renderApp } from '../../../test/app';
import { installFakeAp, installFakeFetch } from '../../../test/fakeServer';
import { deliveryView, webhookRoutes, webhookView } from '../../../test/webhooks';
import { attemptOutcome, formatPayload } from './DeliveryDetail';

const NOW = Date.parse('2026-01-02T10:00:00Z');

const RETRYING = deliveryView({
  id: 'msg_sync',
  event: 'syncFailed',
  attempt: 3,
  state: 'pending',
  statusCode: 503,
  durationMs: 1200,
  at: '2026-01-02T09:50:00Z',
  nextAttemptAt: '2026-01-02T10:20:30Z',
});
const DONE = deliveryView({ id: 'msg_key', event: 'orgKeyExpiry', at: '2026-01-02T08:00:00Z' });

const PAYLOAD = {
  id: 'msg_sync',
  event: 'syncFailed',
  occurredAt: '2026-01-02T09:30:00Z',
  tenant: { clientKey: 'ck-1', baseUrl: 'https://acme.atlassian.net' },
  data: {
    trigger: 'syncFailed',
    deepLink: 'https://acme.atlassian.net/plugins/servlet/ac/x?ac.view=settings',
  },
};

function detail(delivery: DeliveryView) {
  return {
    ...delivery,
    createdAt: '2026-01-02T09:30:00Z',
    // The OpenAPI document types the payload as a bare object.
    payload: PAYLOAD as unknown as DeliveryDetail['payload'],
    attempts: [
      {
        attempt: 1,
        at: '2026-01-02T09:30:00Z',
        statusCode: null,
        durationMs: 10_000,
        response: null,
        error: 'timed out after 10 s',
      },
      {
        attempt: 2,
        at: '2026-01-02T09:35:00Z',
        statusCode: 502,
        durationMs: 40,
        response: '<html>Bad gateway</html>',
        error: null,
      },
      {
        attempt: 3,
        at: '2026-01-02T09:50:00Z',
        statusCode: 503,
        durationMs: 1200,
        response: '{"busy":true}',
        error: null,
        nextAttemptAt: '2026-01-02T10:20:30Z',
      },
    ],
  };
}

describe('delivery log', () => {
  let ap: ReturnType<typeof installFakeAp>;
  beforeEach(() => {
    ap = installFakeAp();
    vi.useFakeTimers({
      shouldAdvanceTime: true,
      toFake: ['Date', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'],
    });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists the deliveries: event, attempt, state, status, duration, time, next attempt', async () => {
    const { routes } = webhookRoutes({
      webhooks: [webhookView()],
      deliveries: [RETRYING, DONE],
      detail,
    });
    installFakeFetch(routes);
    renderApp('?view=settings&webhook=4');
    const log = await screen.findByTestId('delivery-log');
    expect(log).toHaveTextContent('Deliveries to “Key expiry ticket”');
    await waitFor(() => expect(within(log).getAllByTestId('delivery-row')).toHaveLength(2));
    const headers = within(within(log).getByTestId('deliveries-table'))
      .getAllByRole('columnheader')
      .map((h) => h.textContent);
    expect(headers).toEqual([
      'Event',
      'Attempt',
      'State',
      'Status',
      'Duration',
      'Time',
      'Next attempt',
      'Actions',
    ]);
    const [retrying, done] = within(log).getAllByTestId('delivery-row');
    expect(
      Array.from(retrying!.querySelectorAll('td'))
        .slice(0, 7)
        .map((td) => td.textContent),
    ).toEqual(['Sync failed', '3', 'Pending', '503', '1200 ms', '10 min ago', 'in 20 min']);
    expect(within(retrying!).getByTestId('delivery-redeliver')).toBeDisabled();
    expect(done).toHaveTextContent('Organization API key expiring');
    expect(within(done!).getByTestId('delivery-next')).toHaveTextContent('—');
    expect(within(log).getByTestId('deliveries-refreshing')).toBeInTheDocument();
  });

  it('shows older deliveries a page at a time', async () => {
    const many = Array.from({ length: DELIVERY_PAGE + 7 }, (_, n) =>
      deliveryView({ id: `msg_${n}`, event: 'orgKeyExpiry', at: '2026-01-02T08:00:00Z' }),
    );
    const { routes } = webhookRoutes({ webhooks: [webhookView()], deliveries: many, detail });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('?view=settings&webhook=4');
    const log = await screen.findByTestId('delivery-log');
    await waitFor(() =>
      expect(within(log).getAllByTestId('delivery-row')).toHaveLength(DELIVERY_PAGE),
    );
    await user.click(within(log).getByTestId('deliveries-older'));
    await waitFor(() =>
      expect(within(log).getAllByTestId('delivery-row')).toHaveLength(DELIVERY_PAGE + 7),
    );
    const shown = within(log)
      .getAllByTestId('delivery-row')
      .map((row) => row.getAttribute('data-delivery-id'));
    expect(shown).toEqual(many.map((d) => d.id));
    expect(within(log).queryByTestId('deliveries-older')).not.toBeInTheDocument();
    const pages = calls.filter((c) => c.path === '/api/v1/webhooks/4/deliveries');
    expect(pages.map((c) => c.query)).toEqual([
      `?limit=${DELIVERY_PAGE}`,
      `?limit=${DELIVERY_PAGE}&cursor=${DELIVERY_PAGE}`,
    ]);
  });

  it('expands a delivery to its payload and each attempt’s response', async () => {
    const { routes } = webhookRoutes({ webhooks: [webhookView()], deliveries: [RETRYING], detail });
    installFakeFetch(routes);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('?view=settings&webhook=4');
    const row = await screen.findByTestId('delivery-row');
    await user.click(within(row).getByTestId('delivery-expand'));
    const shown = await screen.findByTestId('delivery-detail');
    expect(within(shown).getByTestId('delivery-payload').textContent).toBe(formatPayload(PAYLOAD));
    expect(shown).toHaveTextContent('Sent with webhook-id msg_sync');
    const attempts = within(shown).getAllByTestId('delivery-attempt');
    expect(attempts.map((a) => a.getAttribute('data-attempt'))).toEqual(['3', '2', '1']);
    expect(within(attempts[0]!).getByTestId('delivery-attempt-response')).toHaveTextContent(
      '{"busy":true}',
    );
    expect(attempts[0]).toHaveTextContent('Next attempt in 20 min');
    expect(attempts[1]).not.toHaveTextContent('Next attempt');
    expect(within(attempts[1]!).getByTestId('delivery-attempt-outcome')).toHaveTextContent(
      'HTTP 502 in 40 ms',
    );
    expect(within(attempts[1]!).getByTestId('delivery-attempt-response')).toHaveTextContent(
      '<html>Bad gateway</html>',
    );
    expect(within(attempts[2]!).getByTestId('delivery-attempt-outcome')).toHaveTextContent(
      'No answer in 10000 ms: timed out after 10 s',
    );
    expect(attempts[2]).toHaveTextContent('No response body.');
    await user.click(within(row).getByTestId('delivery-expand'));
    expect(screen.queryByTestId('delivery-detail')).not.toBeInTheDocument();
  });

  it('sends a test, shows it pending, and refreshes until it is delivered', async () => {
    const { routes, state } = webhookRoutes({
      webhooks: [webhookView()],
      deliveries: [DONE],
      detail,
    });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('?view=settings');
    await user.click(
      await screen.findByRole('button', { name: 'Send a test to Key expiry ticket' }),
    );

    const log = await screen.findByTestId('delivery-log');
    await waitFor(() =>
      expect(within(log).getAllByTestId('delivery-row')[0]).toHaveAttribute(
        'data-state',
        'pending',
      ),
    );
    expect(calls.find((c) => c.method === 'POST')?.path).toBe('/api/v1/webhooks/4/test');
    expect(ap.flag?.create).toHaveBeenCalledWith(
      expect.objectContaining({ title: 'Test sent to “Key expiry ticket”' }),
    );
    expect(within(log).getByTestId('deliveries-refreshing')).toBeInTheDocument();

    // The worker delivers it; the log asks again while it is pending, then stops.
    state.deliveries = state.deliveries.map((d) =>
      d.id === 'msg_test'
        ? { ...d, state: 'succeeded', attempt: 1, statusCode: 204, durationMs: 12 }
        : d,
    );
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_REFRESH_MS);
    });
    await waitFor(() =>
      expect(within(log).getAllByTestId('delivery-row')[0]).toHaveAttribute(
        'data-state',
        'succeeded',
      ),
    );
    expect(
      within(within(log).getAllByTestId('delivery-row')[0]!).getByTestId('delivery-status'),
    ).toHaveTextContent('204');
    expect(within(log).queryByTestId('deliveries-refreshing')).not.toBeInTheDocument();
    const asked = calls.filter((c) => c.path === '/api/v1/webhooks/4/deliveries').length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_REFRESH_MS * 3);
    });
    expect(calls.filter((c) => c.path === '/api/v1/webhooks/4/deliveries').length).toBe(asked);
  });

  it('redelivers a finished delivery', async () => {
    const { routes } = webhookRoutes({ webhooks: [webhookView()], deliveries: [DONE], detail });
    const calls = installFakeFetch(routes);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('?view=settings');
    await user.click(
      await screen.findByRole('button', { name: 'Deliveries of Key expiry ticket' }),
    );
    const row = await screen.findByTestId('delivery-row');
    await user.click(within(row).getByTestId('delivery-redeliver'));
    await waitFor(() =>
      expect(ap.flag?.create).toHaveBeenCalledWith(
        expect.objectContaining({
          title: 'Organization API key expiring queued again for “Key expiry ticket”',
        }),
      ),
    );
    expect(calls.find((c) => c.method === 'POST')?.path).toBe(
      '/api/v1/webhooks/4/deliveries/msg_key/redeliver',
    );
  });

  it('offers no redelivery while the webhook is switched off, and says why', async () => {
    const off = webhookView({ active: false });
    const { routes } = webhookRoutes({ webhooks: [off], deliveries: [DONE], detail });
    installFakeFetch(routes);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    renderApp('?view=settings');
    await user.click(
      await screen.findByRole('button', { name: 'Deliveries of Key expiry ticket' }),
    );
    const row = await screen.findByTestId('delivery-row');
    expect(within(row).getByTestId('delivery-redeliver')).toBeDisabled();
    expect(screen.getByTestId('deliveries-off')).toHaveTextContent('switched off');
  });

  it('words an attempt without an answer', () => {
    expect(
      attemptOutcome({
        attempt: 1,
        at: '',
        statusCode: null,
        durationMs: 3,
        response: null,
        error: 'connection refused',
      }),
    ).toBe('No answer in 3 ms: connection refused');
    expect(formatPayload('{"a":1}')).toBe('{\n  "a": 1\n}');
    expect(formatPayload('not json')).toBe('not json');
  });
});
