// The bridge to the Jira host page (`AP`, from Atlassian Connect's `all.js`).
//
// Jira passes its own origin in the iframe's `?xdm_e=`. Real Atlassian hosts get `all.js` from
// Atlassian's CDN; any other host (cloudsim's Jira-like page in demo mode) serves a compatible
// one at `/connect/all.js`. Context tokens are never cached: each API call asks `AP` for a fresh
// one, since they expire within minutes.
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
}

declare global {
  interface Window {
    AP?: ConnectAP;
  }
}

/** Atlassian's CDN copy of the bridge, used inside real Jira Cloud. */
export const ATLASSIAN_ALL_JS = 'https://connect-cdn.atl-paas.net/all.js';
const ATLASSIAN_HOST_SUFFIXES = ['.atlassian.net', '.jira.com', '.jira-dev.com', '.atlassian.com'];
const LOAD_TIMEOUT_MS = 15_000;
const TOKEN_TIMEOUT_MS = 15_000;

/** True for Jira Cloud's own hosts (production and Atlassian staging). */
export function isAtlassianHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return ATLASSIAN_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/** Where to load `all.js` from, given the iframe's query string; null outside a Jira host. */
export function allJsUrl(search: string): string | null {
  const xdmE = new URLSearchParams(search).get('xdm_e');
  if (!xdmE) return null;
  let host: URL;
  try {
    host = new URL(xdmE);
  } catch {
    return null;
  }
  if (host.protocol !== 'https:' && host.protocol !== 'http:') return null;
  return isAtlassianHost(host.hostname) ? ATLASSIAN_ALL_JS : `${host.origin}/connect/all.js`;
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
        ? withTimeout(injectScript(src), LOAD_TIMEOUT_MS, () => new Error('all.js timed out')).catch(
            () => null,
          )
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
export async function navigateHost(target: string, context?: Record<string, unknown>): Promise<boolean> {
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
  if (!root || window.parent === window || typeof IntersectionObserver === 'undefined') return () => {};
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
