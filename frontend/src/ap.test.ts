import { afterEach, describe, expect, it } from 'vitest';
import { ALL_JS_META, ATLASSIAN_ALL_JS, allJsUrl, getContextToken, resetApForTests } from './ap';
import { ApiError } from './api/errors';
import { installFakeAp } from './test/fakeServer';

describe('allJsUrl', () => {
  afterEach(() => {
    document.head.querySelectorAll(`meta[name="${ALL_JS_META}"]`).forEach((m) => m.remove());
  });

  function nameAllJs(url: string) {
    const meta = document.createElement('meta');
    meta.name = ALL_JS_META;
    meta.content = url;
    document.head.appendChild(meta);
  }

  it('loads the URL the server names in the page', () => {
    nameAllJs(ATLASSIAN_ALL_JS);
    expect(allJsUrl('?xdm_e=https%3A%2F%2Facme.atlassian.net&xdm_c=x')).toBe(ATLASSIAN_ALL_JS);
    document.head.querySelector(`meta[name="${ALL_JS_META}"]`)?.remove();
    nameAllJs('http://127.0.0.1:9090/connect/all.js');
    expect(allJsUrl('?xdm_e=http%3A%2F%2F127.0.0.1%3A9090%2Fjira%2Fsite1&cp=')).toBe(
      'http://127.0.0.1:9090/connect/all.js',
    );
  });

  it('never takes the origin from the query string', () => {
    expect(allJsUrl('?xdm_e=https%3A%2F%2Fevil.example%2Fjira')).toBe(ATLASSIAN_ALL_JS);
    expect(allJsUrl('?xdm_e=http%3A%2F%2F127.0.0.1%3A9090%2Fjira%2Fsite1')).toBe(ATLASSIAN_ALL_JS);
    nameAllJs(ATLASSIAN_ALL_JS);
    expect(allJsUrl('?xdm_e=https%3A%2F%2Fevil.example')).toBe(ATLASSIAN_ALL_JS);
  });

  it('loads nothing outside a host or from a non-http URL', () => {
    expect(allJsUrl('')).toBeNull();
    expect(allJsUrl('?jwt=abc')).toBeNull();
    nameAllJs('javascript:alert(1)');
    expect(allJsUrl('?xdm_e=https%3A%2F%2Facme.atlassian.net')).toBeNull();
  });
});

describe('getContextToken', () => {
  afterEach(() => {
    delete window.AP;
    resetApForTests();
  });

  it('asks AP for a fresh token every time', async () => {
    const ap = installFakeAp();
    expect(await getContextToken()).toBe('token-1');
    expect(await getContextToken()).toBe('token-2');
    expect(ap.tokensIssued()).toBe(2);
  });

  it('explains that the app runs inside Jira when there is no host', async () => {
    resetApForTests();
    await expect(getContextToken()).rejects.toBeInstanceOf(ApiError);
    await expect(getContextToken()).rejects.toMatchObject({ code: 'not_in_jira' });
  });
});
