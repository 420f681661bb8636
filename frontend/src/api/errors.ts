// Every failure the UI shows is an `ApiError`: the server's envelope
// `{"error": {"code", "message", "details"}}` when there is one, otherwise a
// client-made error with a stable code and a message a person can act on.

/** Codes made on the client side (the server's own codes are snake_case too). */
export const CLIENT_CODES = {
  network: 'network_error',
  noHost: 'not_in_jira',
  tokenUnavailable: 'context_token_unavailable',
} as const;

/** An error answer of the orgwarden API, or a failure to reach it. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The request never got an answer (offline, DNS, CORS, connection reset). */
  static network(cause: unknown): ApiError {
    const err = new ApiError(
      0,
      CLIENT_CODES.network,
      'orgwarden could not be reached. Check your connection and try again.',
    );
    (err as { cause?: unknown }).cause = cause;
    return err;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What to say when the body carries no envelope (a proxy's HTML page, an empty 502...). */
function fallbackMessage(status: number): string {
  if (status === 401)
    return 'Your Jira session could not be verified. Reload the page and try again.';
  if (status === 403) return 'You do not have permission to do this in orgwarden.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many requests. Wait a moment and try again.';
  if (status >= 500) return `orgwarden's server failed (HTTP ${status}). Try again in a moment.`;
  return `The request failed (HTTP ${status}).`;
}

/**
 * Turns an error response body (parsed JSON, raw text or nothing) into an `ApiError`.
 * Accepts only a well-formed envelope; anything else gets a status-based message.
 */
export function parseErrorEnvelope(status: number, body: unknown): ApiError {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      value = undefined;
    }
  }
  if (isRecord(value) && isRecord(value.error)) {
    const { code, message, details } = value.error;
    if (typeof code === 'string' && code !== '' && typeof message === 'string' && message !== '') {
      return new ApiError(status, code, message, details ?? undefined);
    }
  }
  return new ApiError(status, `http_${status}`, fallbackMessage(status));
}

/** `ApiError` as is; anything else thrown while calling the API becomes a network error. */
export function toApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : ApiError.network(error);
}

/** The one field a server error is about (`details.field`, the server's convention), or null. */
export function errorField(error: ApiError): string | null {
  const details = error.details;
  return isRecord(details) && typeof details.field === 'string' ? details.field : null;
}

/**
 * Field-level messages from `details` of a `validation_failed`, flattened to `[field, message]`.
 * Accepts `{"fields": {"key": "..."}}` or a flat `{"key": "..."}` map; none for the server's
 * `{"field": "key"}`, whose message is the error's own, nor for other codes, whose details
 * (such as the tasks a refusal names) their message already says.
 */
export function fieldMessages(error: ApiError): Array<[string, string]> {
  const details = error.details;
  if (error.code !== 'validation_failed' || !isRecord(details)) return [];
  if (errorField(error) !== null && !isRecord(details.fields)) return [];
  const source = isRecord(details.fields) ? details.fields : details;
  return Object.entries(source).flatMap(([field, message]): Array<[string, string]> => {
    if (typeof message === 'string') return [[field, message]];
    if (Array.isArray(message) && message.every((m) => typeof m === 'string')) {
      return [[field, message.join(' ')]];
    }
    return [];
  });
}
