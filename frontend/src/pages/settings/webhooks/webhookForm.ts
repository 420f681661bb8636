// The webhook form's values, their checks and the body they make.
import type { WebhookEvent, WebhookInput, WebhookView } from '../../../api/types';

/** Longest name the form takes. */
export const MAX_NAME = 100;
/** Longest notes the form takes. */
export const MAX_NOTES = 1000;
/** Longest URL the form takes. */
export const MAX_URL = 2000;

/** What the form holds; `secret` empty means "generate one" (new) or "keep it" (edit). */
export interface WebhookDraft {
  name: string;
  url: string;
  events: WebhookEvent[];
  secret: string;
  notes: string;
  active: boolean;
}

/** The form's fields that can be wrong. */
export type DraftField = 'name' | 'url' | 'events' | 'secret' | 'notes';
export type DraftErrors = Partial<Record<DraftField, string>>;

/** An empty draft (a new webhook starts active). */
export const EMPTY_DRAFT: WebhookDraft = {
  name: '',
  url: '',
  events: [],
  secret: '',
  notes: '',
  active: true,
};

/** The draft of an existing webhook (its secret is never shown, so it stays empty). */
export function draftOf(webhook: WebhookView): WebhookDraft {
  return {
    name: webhook.name,
    url: webhook.url,
    events: webhook.events.filter((e) => e !== 'test'),
    secret: '',
    notes: webhook.notes ?? '',
    active: webhook.active,
  };
}

/** Whether `draft` differs from `start` (the events in any order). */
export function draftChanged(draft: WebhookDraft, start: WebhookDraft): boolean {
  const sameEvents =
    draft.events.length === start.events.length &&
    draft.events.every((e) => start.events.includes(e));
  return (
    !sameEvents ||
    draft.name !== start.name ||
    draft.url !== start.url ||
    draft.secret !== start.secret ||
    draft.notes !== start.notes ||
    draft.active !== start.active
  );
}

const PRIVATE_V4 = [
  /^127\./,
  /^10\./,
  /^192\.168\./,
  /^172\.(1[6-9]|2\d|3[01])\./,
  /^169\.254\./,
  /^0\.0\.0\.0$/,
];

/**
 * A host on this machine or a private network (where plain http is allowed for a demo or test
 * receiver, if the server allows private targets at all): localhost, `*.localhost`, `*.local`,
 * `*.internal`, single-label names, loopback, private and link-local addresses.
 */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (host === 'localhost' || /\.(localhost|local|internal)$/.test(host)) return true;
  if (host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host)) return true;
  if (PRIVATE_V4.some((re) => re.test(host))) return true;
  return !host.includes('.') && !host.includes(':');
}

function checkUrl(value: string): string | undefined {
  const text = value.trim();
  if (text === '') return 'Enter the URL that receives the notifications.';
  if (text.length > MAX_URL) return `Use a URL of at most ${MAX_URL} characters.`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Enter a full URL, starting with https://.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'Use an https:// URL.';
  if (url.username !== '' || url.password !== '')
    return 'Leave the user name and password out of the URL; the secret signs each delivery.';
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    return 'Use https:// : plain http is only for receivers on this machine or a private network.';
  }
  return undefined;
}

/** Bytes of a base64 text, or null when it is not base64. */
function base64Bytes(text: string): number | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return null;
  return (text.length / 4) * 3 - (text.match(/=+$/)?.[0].length ?? 0);
}

/** The server's rules: `whsec_` and base64 of 24–64 bytes, or any 8–200 characters without spaces. */
function checkSecret(value: string): string | undefined {
  if (value === '') return undefined;
  if (/\s/.test(value)) return 'The secret cannot contain spaces or line breaks.';
  if (value.startsWith('whsec_')) {
    const bytes = base64Bytes(value.slice('whsec_'.length));
    if (bytes === null || bytes < 24 || bytes > 64) {
      return 'A whsec_ secret is whsec_ and base64 of 24 to 64 bytes: paste it whole, or leave the field empty to get one.';
    }
    return undefined;
  }
  if (value.length < 8 || value.length > 200)
    return 'Use 8 to 200 characters, or leave the field empty to get a secret.';
  return undefined;
}

/** What is wrong with the draft, field by field (empty when it can be sent). */
export function validateDraft(draft: WebhookDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.name.trim() === '') errors.name = 'Enter a name for the webhook.';
  // eslint-disable-next-line no-control-regex -- control characters are what this looks for
  else if (/[\u0000-\u001f\u007f]/.test(draft.name))
    errors.name = 'Use a name without line breaks or tabs.';
  else if (draft.name.trim().length > MAX_NAME)
    errors.name = `Use a name of at most ${MAX_NAME} characters.`;
  const url = checkUrl(draft.url);
  if (url) errors.url = url;
  if (draft.events.length === 0) errors.events = 'Choose at least one event.';
  const secret = checkSecret(draft.secret);
  if (secret) errors.secret = secret;
  if (draft.notes.length > MAX_NOTES)
    errors.notes = `Use notes of at most ${MAX_NOTES} characters.`;
  return errors;
}

/** The request body of a checked draft; no secret when none was typed. */
export function inputOf(draft: WebhookDraft): WebhookInput {
  const notes = draft.notes.trim();
  return {
    name: draft.name.trim(),
    url: draft.url.trim(),
    events: draft.events,
    active: draft.active,
    ...(draft.secret === '' ? {} : { secret: draft.secret }),
    ...(notes === '' ? {} : { notes }),
  };
}
