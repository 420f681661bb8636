// A fetch stand-in for component tests: routes by "METHOD /path" and records every request.
import { vi } from 'vitest';
import { type ConnectAP, resetApForTests } from '../ap';

export interface Recorded {
  method: string;
  path: string;
  /** The query string (with its "?"), or "". */
  query: string;
  authorization: string | null;
  body: unknown;
}

/** A JSON answer (`body`), or a raw one (`raw` with its `headers`, e.g. a file download). */
type Handler = (
  body: unknown,
  url: URL,
) => { status: number; body?: unknown; raw?: string; headers?: Record<string, string> };

/** Installs a fake `window.AP` handing out token-1, token-2, … (one per call). */
export function installFakeAp(anchor = ''): ConnectAP & {
  tokensIssued: () => number;
  anchor: () => string;
} {
  let issued = 0;
  let state = anchor;
  const ap = {
    context: {
      getToken: (callback?: (token: string) => void) => {
        issued += 1;
        const token = `token-${issued}`;
        callback?.(token);
        return Promise.resolve(token);
      },
    },
    resize: vi.fn(),
    flag: { create: vi.fn() },
    navigator: { go: vi.fn() },
    // The host page's anchor (`#!state`), which `history` reads and replaces.
    history: {
      getState: (_type?: string, callback?: (value: string) => void) => {
        callback?.(state);
        return state;
      },
      replaceState: (value: string) => {
        state = value;
      },
    },
    tokensIssued: () => issued,
    anchor: () => state,
  };
  window.AP = ap;
  resetApForTests();
  return ap;
}

/** Replaces global fetch with the given routes; unknown routes answer 404 with an envelope. */
export function installFakeFetch(routes: Record<string, Handler>): Recorded[] {
  const recorded: Recorded[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: Request) => {
      const url = new URL(input.url);
      const text = await input.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      recorded.push({
        method: input.method,
        path: url.pathname,
        query: url.search,
        authorization: input.headers.get('Authorization'),
        body,
      });
      // "GET /api/v1/users/{accountId}"-style routes match one path segment.
      const handler =
        routes[`${input.method} ${url.pathname}`] ??
        Object.entries(routes).find(([route]) => {
          const [method, pattern = ''] = route.split(' ');
          if (method !== input.method || !pattern.includes('{')) return false;
          const re = new RegExp(`^${pattern.replace(/\{[^}]+\}/g, '[^/]+')}$`);
          return re.test(url.pathname);
        })?.[1];
      const answer = handler
        ? handler(body, url)
        : { status: 404, body: { error: { code: 'not_found', message: 'No such route.' } } };
      if (answer.raw !== undefined)
        return new Response(answer.raw, { status: answer.status, headers: answer.headers });
      return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
        status: answer.status,
        headers: answer.body === undefined ? {} : { 'Content-Type': 'application/json' },
      });
    }),
  );
  return recorded;
}

/** The envelope the server answers with. */
export function envelope(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
