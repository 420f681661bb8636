// The webhook form's values, their checks and the body they make.
import type { WebhookEvent, WebhookInput, WebhookView } from '../../../api/types';

/** Longest name the form takes. */
export const MAX_NAME = 100;
/** Longest notes the form takes. */
export const MAX_NOTES = 2000;
/** Longest URL the form takes. */
export const MAX_URL = 2048;

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
export const EMPTY_DRAFT: WebhookDraft = { name: '', url: '', events: [], secret: '', notes: '', active: true };

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

const PRIVATE_V4 = [/^127\./, /^10\./, /^192\.168\./, /^172\.(1[6-9]|2\d|3[01])\./, /^169\.254\./, /^0\.0\.0\.0$/];

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
  if (url.username !== '' || url.password !== '') return 'Leave the user name and password out of the URL; the secret signs each delivery.';
  if (url.protocol === 'http:' && !isLocalHost(url.hostname)) {
    return 'Use https:// : plain http is only for receivers on this machine or a private network.';
  }
  return undefined;
}

function checkSecret(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.trim() !== value || /\s/.test(value)) return 'The secret cannot contain spaces.';
  if (value.startsWith('whsec_')) {
    const key = value.slice('whsec_'.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key) || key.length % 4 !== 0) {
      return 'A whsec_ secret is whsec_ followed by base64; paste it whole, or leave the field empty to get a new one.';
    }
  }
  if (value.length < 16) return 'Use a secret of at least 16 characters, or leave the field empty to get one.';
  return undefined;
}

/** What is wrong with the draft, field by field (empty when it can be sent). */
export function validateDraft(draft: WebhookDraft): DraftErrors {
  const errors: DraftErrors = {};
  if (draft.name.trim() === '') errors.name = 'Enter a name for the webhook.';
  else if (draft.name.trim().length > MAX_NAME) errors.name = `Use a name of at most ${MAX_NAME} characters.`;
  const url = checkUrl(draft.url);
  if (url) errors.url = url;
  if (draft.events.length === 0) errors.events = 'Choose at least one event.';
  const secret = checkSecret(draft.secret);
  if (secret) errors.secret = secret;
  if (draft.notes.length > MAX_NOTES) errors.notes = `Use notes of at most ${MAX_NOTES} characters.`;
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
