// The bridge to the Jira host page (`AP`, from Atlassian Connect's `all.js`).
//
// Jira names itself in the iframe's `?xdm_e=`; that only tells us we are inside a host. Where
// `all.js` comes from is never taken from the query string (anyone can craft a link): the server
// writes it into the page as `<meta name="orgwarden-all-js">` — Atlassian's CDN, or cloudsim's
// compatible copy in demo mode — and the page's Content-Security-Policy allows that origin only.
// Context tokens are never cached: each API call asks `AP` for a fresh one, since they expire
// within minutes.
import { ApiError, CLIENT_CODES } from './api/errors';
import { pushLocalFlag } from './localFlags';

/** Flag options as `AP.flag.create` takes them. */
export interface FlagOptions {
  title: string;
  body?: string;
  type?: 'info' | 'success' | 'warning' | 'error';
  close?: 'manual' | 'auto';
}

/** The part of Atlassian Connect's `AP` that orgwarden uses. */
export interface ConnectAP {
  context: { getToken(callback?: (token: string) => void): Promise<string> | void };
  resize?(width?: string, height?: string): void;
  sizeToParent?(): void;
  flag?: { create(options: FlagOptions): unknown };
  navigator?: { go(target: string, context?: Record<string, unknown>): void };
  /** The host page's anchor (`#!…`), for page modules. */
  history?: {
    getState(type?: string, callback?: (state: string) => void): string | Promise<string> | void;
    replaceState(state: string): void;
  };
}

declare global {
  interface Window {
    AP?: ConnectAP;
  }
}

/** Atlassian's CDN copy of the bridge, used inside real Jira Cloud and when the page names none. */
export const ATLASSIAN_ALL_JS = 'https://connect-cdn.atl-paas.net/all.js';
/** The `<meta>` in which the server names the `all.js` URL. */
export const ALL_JS_META = 'orgwarden-all-js';
const LOAD_TIMEOUT_MS = 15_000;
const TOKEN_TIMEOUT_MS = 15_000;

/**
 * Where to load `all.js` from: the URL the server wrote into the page, else Atlassian's CDN;
 * null outside a Jira host (no `xdm_e` in the query string) or when the page names a non-http URL.
 */
export function allJsUrl(search: string, doc: Document = document): string | null {
  if (!new URLSearchParams(search).get('xdm_e')) return null;
  const named = doc.querySelector<HTMLMetaElement>(`meta[name="${ALL_JS_META}"]`)?.content;
  if (!named) return ATLASSIAN_ALL_JS;
  let url: URL;
  try {
    url = new URL(named);
  } catch {
    return null;
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

let loading: Promise<ConnectAP | null> | undefined;

function injectScript(src: string): Promise<ConnectAP | null> {
  return new Promise((resolve) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = true;
    script.onload = () => resolve(window.AP ?? null);
    script.onerror = () => resolve(null);
    document.head.appendChild(script);
  });
}

/**
 * Loads the host bridge once. Resolves to null when the page is not inside a Jira host
 * (no `xdm_e`) or the script cannot be loaded.
 */
export function loadAp(): Promise<ConnectAP | null> {
  if (!loading) {
    if (window.AP) {
      loading = Promise.resolve(window.AP);
    } else {
      const src = allJsUrl(window.location.search);
      loading = src
        ? withTimeout(
            injectScript(src),
            LOAD_TIMEOUT_MS,
            () => new Error('all.js timed out'),
          ).catch(() => null)
        : Promise.resolve(null);
    }
  }
  return loading;
}

/** Forgets the loaded bridge (tests only). */
export function resetApForTests(): void {
  loading = undefined;
}

/** A fresh context JWT for one API call (`qsh: "context-qsh"`), never cached. */
export async function getContextToken(): Promise<string> {
  const ap = await loadAp();
  if (!ap) {
    throw new ApiError(
      0,
      CLIENT_CODES.noHost,
      'orgwarden runs inside Jira. Open it from the Apps menu or from Jira settings → Apps.',
    );
  }
  const unavailable = () =>
    new ApiError(
      0,
      CLIENT_CODES.tokenUnavailable,
      'Jira did not provide a session token. Reload the page and try again.',
    );
  const token = await withTimeout(
    new Promise<string>((resolve, reject) => {
      const answer = ap.context.getToken((value) => resolve(value));
      if (answer && typeof answer.then === 'function') answer.then(resolve, reject);
    }),
    TOKEN_TIMEOUT_MS,
    unavailable,
  ).catch((error: unknown) => {
    throw error instanceof ApiError ? error : unavailable();
  });
  if (typeof token !== 'string' || token === '') throw unavailable();
  return token;
}

/**
 * Keeps the Jira iframe as tall as our content. `sizeToParent` fills the host's content area
 * instead (for full-page modules).
 */
export async function fitToHost(mode: 'content' | 'parent' = 'content'): Promise<void> {
  const ap = await loadAp();
  if (!ap) return;
  if (mode === 'parent' && ap.sizeToParent) {
    ap.sizeToParent();
    return;
  }
  if (!ap.resize) return;
  const resize = ap.resize.bind(ap);
  // Our root element (class "ac-content", which all.js also knows); the body may be styled to
  // the iframe's height and so never change size.
  const content = document.getElementById('root') ?? document.body;
  let scheduled = false;
  const update = () => {
    scheduled = false;
    resize('100%', `${Math.ceil(content.getBoundingClientRect().height)}px`);
  };
  new ResizeObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(update);
  }).observe(content);
  update();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A Jira flag (toast) through `AP.flag.create`, or our own flag outside Jira. */
export async function showFlag(options: FlagOptions): Promise<void> {
  const ap = await loadAp();
  const flag = { close: 'auto' as const, type: 'info' as const, ...options };
  if (ap?.flag) {
    // The host renders `body` as HTML.
    ap.flag.create({ ...flag, body: flag.body === undefined ? undefined : escapeHtml(flag.body) });
  } else {
    pushLocalFlag(flag);
  }
}

/** Navigates the host page (`AP.navigator.go`), e.g. `go('addonmodule', {moduleKey})`. */
export async function navigateHost(
  target: string,
  context?: Record<string, unknown>,
): Promise<boolean> {
  const ap = await loadAp();
  if (!ap?.navigator) return false;
  ap.navigator.go(target, context);
  return true;
}

/**
 * Inside Jira the iframe is as tall as its content, and a modal sits at the top of the iframe: when
 * the user has scrolled the host page down (to a button low on the page), it opens out of sight.
 * This scrolls the host page to the top of the app if that top is hidden (browsers let an iframe
 * scroll its ancestors into view). Returns a cleanup for effects.
 */
export function revealAppTop(): () => void {
  const root = document.getElementById('root');
  if (!root || window.parent === window || typeof IntersectionObserver === 'undefined')
    return () => {};
  const observer = new IntersectionObserver((entries) => {
    observer.disconnect();
    const entry = entries[entries.length - 1];
    if (!entry) return;
    // Where the visible part of the app starts, below its top (in the iframe's coordinates).
    const hiddenAbove = entry.intersectionRect.top - entry.boundingClientRect.top;
    if (!entry.isIntersecting || hiddenAbove > 1) root.scrollIntoView({ block: 'start' });
  });
  observer.observe(root);
  return () => observer.disconnect();
}
