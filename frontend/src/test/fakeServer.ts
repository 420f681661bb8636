// A fetch stand-in for component tests: routes by "METHOD /path" and records every request.
import { vi } from 'vitest';
import { type ConnectAP, resetApForTests } from '../ap';

export interface Recorded {
  method: string;
  path: string;
  authorization: string | null;
  body: unknown;
}

type Handler = (body: unknown) => { status: number; body?: unknown };

/** Installs a fake `window.AP` handing out token-1, token-2, … (one per call). */
export function installFakeAp(): ConnectAP & { tokensIssued: () => number } {
  let issued = 0;
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
    tokensIssued: () => issued,
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
        authorization: input.headers.get('Authorization'),
        body,
      });
      const handler = routes[`${input.method} ${url.pathname}`];
      const answer = handler
        ? handler(body)
        : { status: 404, body: { error: { code: 'not_found', message: 'No such route.' } } };
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
