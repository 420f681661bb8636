// A stand-in stack for the browser tests while the real one (cloudsim + orgwarden) is not at hand:
// a Jira-like host page with a minimal postMessage all.js on one origin, and frontend/dist plus a
// fake /api/v1 on another, as in Jira. It checks that every API call carries a fresh context
// token. The fake API holds a small organization (2 sites, 40 users) with a sync that takes a few
// polls, the dashboard, user search, select and detail. Build the SPA first
// (npm run build --prefix frontend).
//
//   node tests/browser/mock-stack.mjs          prints ORGWARDEN_HOST_URL and stays up
//   node tests/browser/mock-stack.mjs --run    runs run.mjs against it and exits with its status
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '../../frontend/dist');
const RIGHT_KEY = 'mock-right-key';
const ORG = { orgId: 'mock-org-1', orgName: 'Mock Organization' };

if (!existsSync(join(dist, 'index.html'))) {
  console.error(`no ${dist}/index.html: run \`npm run build --prefix frontend\` first`);
  process.exit(2);
}

const ALL_JS = `(() => {
  let next = 0;
  const waiting = new Map();
  window.addEventListener('message', (event) => {
    const data = event.data || {};
    if (data.ow === 'token' && waiting.has(data.id)) {
      waiting.get(data.id)(data.token);
      waiting.delete(data.id);
    }
  });
  const post = (message) => window.parent.postMessage(message, '*');
  window.AP = {
    context: {
      getToken(callback) {
        const id = ++next;
        const token = new Promise((resolve) => waiting.set(id, resolve));
        post({ ow: 'getToken', id });
        if (callback) token.then(callback);
        return token;
      },
    },
    resize(width, height) {
      const px = parseInt(height, 10);
      post({ ow: 'resize', height: Number.isFinite(px) ? px : document.documentElement.scrollHeight });
    },
    sizeToParent() { post({ ow: 'sizeToParent' }); },
    flag: { create(options) { post({ ow: 'flag', options }); return { close() {} }; } },
    navigator: { go(target, context) { post({ ow: 'go', target, context }); } },
  };
})();`;

function hostPage(appOrigin, hostOrigin) {
  const query = new URLSearchParams({
    lic: 'active',
    xdm_e: hostOrigin,
    xdm_c: 'channel-io.orgwarden.app__admin',
    cp: '',
    cv: '1001.0.0',
    jwt: 'mock-page-load-jwt',
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>Jira (mock host)</title>
<style>body{margin:0;font-family:sans-serif}header{background:#0c66e4;color:#fff;padding:12px 24px}
#flags{position:fixed;right:16px;bottom:16px}#flags div{background:#fff;border:1px solid #ccc;padding:8px;margin-top:8px}
iframe{border:0;width:100%;height:600px;display:block}</style></head><body>
<header>Jira · Apps · orgwarden (mock host)</header>
<iframe id="app-frame" name="app-frame" src="${appOrigin}/admin?${query}"></iframe>
<div id="flags" role="status"></div>
<script>
let issued = 0;
const frame = document.getElementById('app-frame');
window.addEventListener('message', (event) => {
  if (event.origin !== ${JSON.stringify(appOrigin)}) return;
  const data = event.data || {};
  if (data.ow === 'getToken') {
    issued += 1;
    event.source.postMessage({ ow: 'token', id: data.id, token: 'mock-context-' + issued }, event.origin);
  } else if (data.ow === 'resize') {
    frame.style.height = data.height + 'px';
  } else if (data.ow === 'flag') {
    const div = document.createElement('div');
    div.textContent = data.options.title + (data.options.body ? ' — ' + data.options.body : '');
    document.getElementById('flags').appendChild(div);
  }
});
</script></body></html>`;
}

const TYPES = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type });
  res.end(type === 'application/json' && body !== undefined ? JSON.stringify(body) : body);
}

const fail = (res, status, code, message) => send(res, status, { error: { code, message } });

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return null;
  }
}

let saved = null;
const usedTokens = new Set();

// ---- a small organization ----
const DAY = 86_400_000;
const NOW = Date.now();
const SITES = [
  { siteId: 'mock-site-1', siteName: 'mock', products: ['confluence', 'jira-software'] },
  { siteId: 'mock-site-2', siteName: 'mock-eng', products: ['confluence'] },
];
const PRODUCT_NAMES = { confluence: 'Confluence', 'jira-software': 'Jira Software' };
const FIRST = ['Ada', 'Ben', 'Cleo', 'Dan', 'Eve', 'Finn', 'Gia', 'Hugo', 'Ivy', 'Jon'];
const LAST = ['Adams', 'Brown', 'Chen', 'Diaz'];
const STATUSES = ['active', 'active', 'active', 'active', 'suspended', 'active', 'active', 'deactivated', 'active', 'not_invited'];
const iso = (ms) => new Date(ms).toISOString();
const USERS = Array.from({ length: 40 }, (_, i) => {
  const status = STATUSES[i % STATUSES.length];
  const hasAccess = status === 'active' || status === 'suspended';
  const products = [];
  if (hasAccess) {
    SITES.forEach((site, s) =>
      site.products.forEach((productKey, p) => {
        if ((i + s + p) % 3 !== 0) {
          const daysAgo = (i * 7 + s * 11 + p * 5) % 200;
          products.push({ siteId: site.siteId, productKey, lastActive: (i + p) % 5 === 0 ? null : iso(NOW - daysAgo * DAY) });
        }
      }),
    );
  }
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  return {
    accountId: `mock-acc-${String(i + 1).padStart(2, '0')}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@${i % 8 === 0 ? 'contractor.io' : 'mock.example'}`,
    status,
    accountType: i === 39 ? 'app' : 'atlassian',
    billable: products.length > 0,
    sites: [...new Set(products.map((p) => p.siteId))],
    products,
    groups: products.map((p) => ({ id: `g-${p.productKey}-${p.siteId}`, name: `${p.productKey}-users-${p.siteId}` })),
    roles: i === 0 ? ['orgAdmin'] : i % 11 === 0 ? ['productAdmin'] : [],
    lastActive: null,
    addedToOrg: iso(NOW - (400 + i) * DAY),
  };
});

let syncRun = null; // {id, state, polls, syncedAt}
let syncedAt = null;
function startSync(kind) {
  if (syncRun && (syncRun.state === 'queued' || syncRun.state === 'running')) return syncRun;
  syncRun = { id: (syncRun?.id ?? 0) + 1, kind, state: 'queued', polls: 0, createdAt: iso(Date.now()) };
  return syncRun;
}
function syncView() {
  const r = syncRun;
  const running = r.state === 'running';
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    phase: r.state === 'succeeded' ? 'done' : running ? 'users and groups' : 'queued',
    counts: { users: running ? 20 : r.state === 'succeeded' ? USERS.length : 0, groups: 0, sites: SITES.length },
    requests: r.polls,
    createdAt: r.createdAt,
    startedAt: r.state === 'queued' ? null : r.createdAt,
    finishedAt: r.state === 'succeeded' ? syncedAt : null,
    error: null,
    syncedAt,
  };
}
/** Each poll moves a sync on: queued → running → succeeded. */
function advanceSync() {
  if (!syncRun) return;
  syncRun.polls += 1;
  if (syncRun.state === 'queued') syncRun.state = 'running';
  else if (syncRun.state === 'running' && syncRun.polls >= 3) {
    syncRun.state = 'succeeded';
    syncedAt = iso(Date.now());
  }
}

/** Last activity on the given product refs (or on all), never-active counting from joining. */
function lastSeen(user, refs) {
  const access = refs ? user.products.filter((a) => refs(a)) : user.products;
  const times = access.map((a) => a.lastActive).filter(Boolean).sort();
  return times.at(-1) ?? null;
}

function matches(user, f) {
  const search = (f.search || '').toLowerCase();
  if (search && !`${user.name}\n${user.email}`.toLowerCase().includes(search)) return false;
  const productRefs = f.products?.length
    ? (a) => f.products.some((p) => p.productKey === a.productKey && (!p.siteId || p.siteId === a.siteId))
    : null;
  const siteRefs = f.sites?.length ? (a) => f.sites.includes(a.siteId) : null;
  const refs = productRefs && siteRefs ? (a) => productRefs(a) && siteRefs(a) : productRefs || siteRefs;
  if (refs && !user.products.some(refs)) return false;
  const seen = lastSeen(user, refs);
  if (f.neverActive && seen !== null) return false;
  if (f.inactiveDays) {
    const since = Date.parse(seen ?? user.addedToOrg);
    if (since > NOW - f.inactiveDays * DAY) return false;
  }
  if (f.statuses?.length && !f.statuses.some((s) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) === user.status)) return false;
  if (f.roles?.length && !f.roles.some((r) => (r === 'basic' ? user.roles.length === 0 : user.roles.includes(r)))) return false;
  if (f.accountTypes?.length && !f.accountTypes.includes(user.accountType)) return false;
  if (f.emailDomains?.length && !f.emailDomains.includes(user.email.split('@')[1])) return false;
  if (typeof f.billable === 'boolean' && user.billable !== f.billable) return false;
  return true;
}

function rowOf(user, f) {
  const refs = f.products?.length
    ? (a) => f.products.some((p) => p.productKey === a.productKey && (!p.siteId || p.siteId === a.siteId))
    : f.sites?.length
      ? (a) => f.sites.includes(a.siteId)
      : null;
  return { ...user, lastActive: lastSeen(user, refs) };
}

function search(body) {
  const f = body.filter || {};
  const size = body.pageSize ?? 25;
  const page = body.page ?? 1;
  if (![10, 25, 50, 100].includes(size)) return { error: 'pageSize: must be 10, 25, 50 or 100' };
  const field = body.sort?.field || 'name';
  const key = (u) => (field === 'lastActive' ? u.lastActive || '' : String(u[field] ?? '').toLowerCase());
  const rows = USERS.filter((u) => matches(u, f)).map((u) => rowOf(u, f));
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.accountId < b.accountId ? -1 : 1));
  if (body.sort?.descending) rows.reverse();
  return { total: rows.length, page, pageSize: size, items: rows.slice((page - 1) * size, page * size), all: rows };
}

function dashboard(query) {
  const days = Number(query.get('inactiveDays') || 90);
  const siteId = query.get('siteId') || null;
  const products = [];
  for (const site of SITES) {
    if (siteId && site.siteId !== siteId) continue;
    for (const productKey of site.products) {
      const ref = { products: [{ productKey, siteId: site.siteId }] };
      const billable = USERS.filter((u) => u.billable && matches(u, ref));
      const inactive = billable.filter((u) => matches(u, { ...ref, inactiveDays: days })).length;
      products.push({
        productKey,
        productName: PRODUCT_NAMES[productKey],
        siteId: site.siteId,
        siteName: site.siteName,
        active: billable.length - inactive,
        inactive,
        total: billable.length,
      });
    }
  }
  return { inactiveDays: days, siteId, syncedAt, products };
}

async function api(req, res, path, query) {
  const auth = req.headers.authorization || '';
  const token = auth.startsWith('JWT ') ? auth.slice(4) : '';
  if (!token.startsWith('mock-context-')) {
    return fail(res, 401, 'unauthorized', 'Missing or invalid context token.');
  }
  if (usedTokens.has(token)) return fail(res, 401, 'unauthorized', 'Context token reused.');
  usedTokens.add(token);

  const validate = (body) => {
    if (!body || typeof body.key !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(body.expiresAt || '')) {
      fail(res, 422, 'validation_failed', 'Enter the key and its expiry date (YYYY-MM-DD).');
      return false;
    }
    if (body.key !== RIGHT_KEY) {
      fail(res, 400, 'invalid_api_key', 'Atlassian did not accept this API key. Check that you copied all of it.');
      return false;
    }
    return true;
  };

  if (req.method === 'GET' && path === '/api/v1/me') {
    return send(res, 200, {
      tenant: { clientKey: 'mock-client-key', baseUrl: 'https://mock.atlassian.net' },
      accountId: 'mock-admin',
      role: 'admin',
    });
  }
  if (path === '/api/v1/settings/api-key/check' && req.method === 'POST') {
    const body = await readJson(req);
    if (validate(body)) send(res, 200, { valid: true, ...ORG });
    return;
  }
  if (path === '/api/v1/settings/api-key') {
    if (req.method === 'GET') {
      return saved ? send(res, 200, saved) : fail(res, 404, 'api_key_not_set', 'No Organization API key is saved.');
    }
    if (req.method === 'PUT') {
      const body = await readJson(req);
      if (!validate(body)) return;
      saved = { ...ORG, maskedKey: `${body.key.slice(0, 4)}…${body.key.slice(-3)}`, expiresAt: body.expiresAt };
      startSync('initial');
      return send(res, 200, saved);
    }
    if (req.method === 'DELETE') {
      saved = null;
      res.writeHead(204).end();
      return;
    }
  }
  if (path === '/api/v1/sync') {
    if (req.method === 'POST') {
      if (!saved) return fail(res, 409, 'api_key_not_set', 'Save an Organization API key in Settings before syncing.');
      startSync('manual');
      return send(res, 202, syncView());
    }
    if (req.method === 'GET') {
      if (!syncRun) return fail(res, 404, 'no_sync_yet', 'No sync has run yet.');
      advanceSync();
      return send(res, 200, syncView());
    }
  }
  const mirrorPaths = ['/api/v1/dashboard', '/api/v1/users/search', '/api/v1/users/select'];
  if ((mirrorPaths.includes(path) || path.startsWith('/api/v1/users/')) && !syncedAt) {
    return fail(res, 409, 'not_synced', 'The organization has not been synced yet: wait for the first sync.');
  }
  if (req.method === 'GET' && path === '/api/v1/dashboard') return send(res, 200, dashboard(query));
  if (req.method === 'POST' && path === '/api/v1/users/search') {
    const result = search((await readJson(req)) || {});
    if (result.error) return fail(res, 400, 'validation_failed', result.error);
    const { all: _all, ...page } = result;
    return send(res, 200, page);
  }
  if (req.method === 'POST' && path === '/api/v1/users/select') {
    const { all } = search({ filter: ((await readJson(req)) || {}).filter, pageSize: 10 });
    return send(res, 200, { total: all.length, accountIds: all.map((u) => u.accountId) });
  }
  if (req.method === 'GET' && path.startsWith('/api/v1/users/')) {
    const user = USERS.find((u) => u.accountId === decodeURIComponent(path.slice('/api/v1/users/'.length)));
    if (!user) return fail(res, 404, 'not_found', 'No such user in the organization (as of the last sync).');
    const access = user.products.map((a) => ({
      ...a,
      viaGroups: [{ id: `g-${a.productKey}-${a.siteId}`, name: `${a.productKey}-users-${a.siteId}`, idpSynced: false }],
      direct: false,
    }));
    return send(res, 200, { ...rowOf(user, {}), access });
  }
  fail(res, 404, 'not_found', 'No such endpoint.');
}

function listen(handler) {
  const server = createServer((req, res) => {
    handler(req, res).catch((error) => {
      console.error(error);
      fail(res, 500, 'internal', 'Mock server error.');
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const appServer = await listen(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname, url.searchParams);
  if (url.pathname === '/admin' || url.pathname === '/app') {
    if (!url.searchParams.get('jwt')) return send(res, 401, 'page-load JWT missing', 'text/plain');
    return send(res, 200, readFileSync(join(dist, 'index.html')), 'text/html');
  }
  if (url.pathname.startsWith('/assets/')) {
    const file = normalize(join(dist, url.pathname));
    if (file.startsWith(join(dist, 'assets')) && existsSync(file)) {
      return send(res, 200, readFileSync(file), TYPES[extname(file)] || 'application/octet-stream');
    }
  }
  send(res, 404, 'not found', 'text/plain');
});
const appOrigin = `http://127.0.0.1:${appServer.address().port}`;

const hostServer = await listen(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const hostOrigin = `http://127.0.0.1:${hostServer.address().port}`;
  if (url.pathname === '/connect/all.js') return send(res, 200, ALL_JS, 'text/javascript');
  if (url.pathname.startsWith('/jira/')) return send(res, 200, hostPage(appOrigin, hostOrigin), 'text/html');
  send(res, 404, 'not found', 'text/plain');
});
const hostUrl = `http://127.0.0.1:${hostServer.address().port}/jira/mock/plugins/servlet/ac/io.orgwarden.app/orgwarden-admin`;

if (process.argv.includes('--run')) {
  const child = spawn(process.execPath, [join(here, 'run.mjs')], {
    stdio: 'inherit',
    env: { ...process.env, ORGWARDEN_HOST_URL: hostUrl, ORGWARDEN_TEST_API_KEY: RIGHT_KEY },
  });
  child.on('exit', (code) => {
    appServer.close();
    hostServer.close();
    process.exit(code ?? 1);
  });
} else {
  console.log(`ORGWARDEN_HOST_URL=${hostUrl}\nORGWARDEN_TEST_API_KEY=${RIGHT_KEY}\n(Ctrl-C stops)`);
}
