// A stand-in stack for the browser tests while the real one (cloudsim + orgwarden) is not at hand:
// a Jira-like host page with a minimal postMessage all.js on one origin, and frontend/dist plus a
// fake /api/v1 on another, as in Jira. It checks that every API call carries a fresh context
// token. Build the SPA first (npm run build --prefix frontend).
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

async function api(req, res, path) {
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
      return send(res, 200, saved);
    }
    if (req.method === 'DELETE') {
      saved = null;
      res.writeHead(204).end();
      return;
    }
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
  if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname);
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
