// The typed client of the orgwarden JSON API (types generated from openapi/openapi.json).
//
// Every request carries `Authorization: JWT <fresh context token>` from `AP.context.getToken()`;
// every failure comes out as an `ApiError` (see errors.ts). A 403 `access_denied` from any route
// but `/me` is also reported to accessDenied.ts: the app then asks `/me` whether the caller may
// still use it, or was refused only this action.
import createClient, { type Middleware } from 'openapi-fetch';
import { ACCESS_DENIED, reportAccessDenied } from '../accessDenied';
import { getContextToken } from '../ap';
import { ApiError, parseErrorEnvelope, toApiError } from './errors';
import type { paths } from './schema';

const contextJwt: Middleware = {
  async onRequest({ request }) {
    request.headers.set('Authorization', `JWT ${await getContextToken()}`);
    return request;
  },
};

const accessDenied: Middleware = {
  async onResponse({ response, schemaPath }) {
    // `/me` answers for itself: asking it again would only repeat the refusal.
    if (response.status !== 403 || schemaPath === '/api/v1/me') return undefined;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const error = parseErrorEnvelope(403, body);
    if (error.code === ACCESS_DENIED) reportAccessDenied();
    return undefined;
  },
};

/** The API client; same origin as the page, which the orgwarden server serves. */
export const api = createClient<paths>({
  baseUrl: window.location.origin,
  // Looked up per call so tests can replace the global fetch.
  fetch: (request) => globalThis.fetch(request),
});
api.use(contextJwt, accessDenied);

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an `api.GET/PUT/...` call: its data on success, else throws an `ApiError`. */
export async function call<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  let result: FetchResult<T>;
  try {
    result = await pending;
  } catch (error) {
    throw toApiError(error);
  }
  if (!result.response.ok) throw parseErrorEnvelope(result.response.status, result.error);
  return result.data as T;
}

export { ApiError };
