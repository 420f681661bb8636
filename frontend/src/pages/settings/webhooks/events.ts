// The events a webhook can subscribe to, in words.
import type { WebhookEvent } from '../../../api/types';
import { labelOf } from '../../../components/operations/describeStates';

/** An event an admin can choose, with what makes it happen. */
export interface EventChoice {
  value: Exclude<WebhookEvent, 'test'>;
  label: string;
  help: string;
}

/** The events in the form's order (`test` is sent by "Send test" only). */
export const EVENT_CHOICES: readonly EventChoice[] = [
  {
    value: 'orgKeyExpiry',
    label: 'Organization API key expiring',
    help: '7 days before the saved key expires, and again on the day it expires.',
  },
  {
    value: 'taskSuccess',
    label: 'Automated task succeeded',
    help: 'An automated task ran and every step worked.',
  },
  {
    value: 'taskFailure',
    label: 'Automated task failed',
    help: 'An automated task ran and some or all steps failed.',
  },
  {
    value: 'operationFinished',
    label: 'Bulk operation finished',
    help: 'A bulk operation ended, whatever its outcome.',
  },
  {
    value: 'syncFailed',
    label: 'Sync failed',
    help: 'A sync of the organization from Atlassian failed.',
  },
  {
    value: 'licenseGrace',
    label: 'License grace period started',
    help: "This app's license entered its grace period.",
  },
];

/** Every event's name in words. */
export const EVENT_LABELS: Readonly<Record<string, string>> = {
  ...Object.fromEntries(EVENT_CHOICES.map((c) => [c.value, c.label])),
  test: 'Test',
};

/** The event's name in words; an unknown one humanized. */
export function eventLabel(event: string): string {
  return labelOf(EVENT_LABELS, event);
}
