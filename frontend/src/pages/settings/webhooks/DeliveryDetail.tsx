import Heading from '@atlaskit/heading';
import { Stack } from '@atlaskit/primitives';
import Spinner from '@atlaskit/spinner';
import type { DeliveryAttempt, DeliveryView, WebhookView } from '../../../api/types';
import { useDelivery } from '../../../api/webhooks';
import { ErrorMessage } from '../../../components/ErrorMessage';
import { absoluteTime, timeUntil } from '../../../time';

/** The payload as sent, indented (a text payload as it is). */
export function formatPayload(payload: unknown): string {
  if (typeof payload === 'string') {
    try {
      return JSON.stringify(JSON.parse(payload), null, 2);
    } catch {
      return payload;
    }
  }
  return JSON.stringify(payload, null, 2) ?? '';
}

/** "HTTP 503 in 120 ms", "No answer in 10000 ms: connection refused". */
export function attemptOutcome(attempt: DeliveryAttempt): string {
  const took = ` in ${attempt.durationMs} ms`;
  if (typeof attempt.statusCode === 'number') return `HTTP ${attempt.statusCode}${took}`;
  return `No answer${took}${attempt.error ? `: ${attempt.error}` : ''}`;
}

function Attempt({ attempt, now }: { attempt: DeliveryAttempt; now: number }) {
  return (
    <li data-testid="delivery-attempt" data-attempt={attempt.attempt}>
      <div>
        <strong>Attempt {attempt.attempt}</strong> ·{' '}
        <time dateTime={attempt.at}>{absoluteTime(attempt.at)}</time> ·{' '}
        <span data-testid="delivery-attempt-outcome">{attemptOutcome(attempt)}</span>
        {attempt.nextAttemptAt && (
          <>
            {' '}
            ·{' '}
            <time dateTime={attempt.nextAttemptAt} title={absoluteTime(attempt.nextAttemptAt)}>
              Next attempt {timeUntil(attempt.nextAttemptAt, now)}
            </time>
          </>
        )}
      </div>
      {attempt.response ? (
        <pre className="ow-code" data-testid="delivery-attempt-response">
          <code>{attempt.response}</code>
        </pre>
      ) : (
        <div className="ow-subtle">No response body.</div>
      )}
    </li>
  );
}

/** What a delivery sent and what each attempt got back. */
export function DeliveryDetail({
  webhookId,
  delivery,
  now,
}: {
  webhookId: WebhookView['id'];
  delivery: DeliveryView;
  now: number;
}) {
  const detail = useDelivery(webhookId, delivery.id);
  if (detail.isPending) return <Spinner size="small" label="Loading the delivery" />;
  if (detail.isError)
    return (
      <ErrorMessage
        error={detail.error}
        title="The delivery could not be loaded"
        onRetry={() => void detail.refetch()}
      />
    );
  const attempts = [...detail.data.attempts].sort((a, b) => b.attempt - a.attempt);
  return (
    <div className="ow-delivery-detail" data-testid="delivery-detail">
      <Stack space="space.150">
        <div>
          <Heading size="xxsmall" as="h4">
            Payload
          </Heading>
          <p className="ow-subtle">
            Sent with webhook-id <code className="ow-mono">{delivery.id}</code>.
          </p>
          <pre className="ow-code ow-payload" data-testid="delivery-payload">
            <code>{formatPayload(detail.data.payload)}</code>
          </pre>
        </div>
        <div>
          <Heading size="xxsmall" as="h4">
            Attempts
          </Heading>
          {attempts.length === 0 ? (
            <p className="ow-subtle">Not attempted yet.</p>
          ) : (
            <ol className="ow-attempts" reversed>
              {attempts.map((a) => (
                <Attempt key={a.attempt} attempt={a} now={now} />
              ))}
            </ol>
          )}
        </div>
      </Stack>
    </div>
  );
}
