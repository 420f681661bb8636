// The typed client of the orgwarden JSON API (types generated from openapi/openapi.json).
//
// Every request carries `Authorization: JWT <fresh context token>` from `AP.context.getToken()`;
// every failure comes out as an `ApiError` (see errors.ts). A 403 `access_denied` from any route
// (the caller may not use the app) is also reported to accessDenied.ts: the app then shows only
// the no-access page.
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
  async onResponse({ response }) {
    if (response.status !== 403) return undefined;
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    const error = parseErrorEnvelope(403, body);
    if (error.code === ACCESS_DENIED) reportAccessDenied(error);
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
