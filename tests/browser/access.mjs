// End-to-end: who may use orgwarden, and API tokens.
//
// Tokens (as the org admin the host page shows by default): Settings → API tokens → create one
// (read and write, with an expiry) → the token is shown once, with its curl example → it answers
// GET /api/v1/me → Done: it is gone from the page, its row shows the prefix only → revoke it, after
// a confirmation naming it → it is refused.
//
// Access: a product admin (a member of a `<product>-admins-<site>` group, i.e. `atlassian/admin` on
// a product, but no org admin, site admin or user access admin) opens the app and sees only the
// no-access page; the org admin switches product admins on through the API
// (`PUT /api/v1/settings/access` with their context token); the product admin reloads and sees the
// dashboard; switched off again, the product admin's next click lands on the no-access page
// (a 403 access_denied). The rules are then put back as they were.
//
// Who acts: cloudsim's host page takes the viewing account from `?as=<accountId>` (its "Viewing
// as" select reloads with it; without it, the first active org admin), and its AP.context.getToken
// asks cloudsim's `POST /__sim/context-token {accountId, appKey, site}` for that account. This
// flow calls the same endpoint for the org admin's API call.
//
// Called by run.mjs with its page and helpers, after the other flows (a synced organization).
// Needs ORGWARDEN_SIM_URL; ORGWARDEN_URL (orgwarden's base URL, set by scripts/browser-tests.sh)
// is optional: without it the app iframe's origin is used.

/** cloudsim's whole organization (`GET /__sim/org`). */
async function simOrg(simUrl) {
  const response = await fetch(`${simUrl}/__sim/org`);
  if (!response.ok) throw new Error(`GET /__sim/org answered ${response.status}`);
  return response.json();
}

/** `site` and `appKey` of a host page URL `/jira/{site}/plugins/servlet/ac/{appKey}/{moduleKey}`. */
function hostParts(hostUrl) {
  const match = new URL(hostUrl).pathname.match(
    /^\/jira\/([^/]+)\/plugins\/servlet\/ac\/([^/]+)\/([^/]+)/,
  );
  if (!match) throw new Error(`not a cloudsim host page URL: ${hostUrl}`);
  return { site: decodeURIComponent(match[1]), appKey: decodeURIComponent(match[2]) };
}

/** The host page URL viewing as `accountId`. */
function hostAs(hostUrl, accountId) {
  const url = new URL(hostUrl);
  url.searchParams.set('as', accountId);
  return url.toString();
}

/** A context token for `accountId`, as the host page's AP.context.getToken gets one. */
async function contextToken(simUrl, hostUrl, accountId) {
  const response = await fetch(`${simUrl}/__sim/context-token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ accountId, ...hostParts(hostUrl) }),
  });
  if (!response.ok)
    throw new Error(
      `POST /__sim/context-token answered ${response.status}: ${await response.text()}`,
    );
  return (await response.json()).token;
}

/** Calls orgwarden's API as `accountId`; answers {status, body}. */
export async function apiAs(ctx, accountId, method, path, body) {
  const token = await contextToken(ctx.simUrl, ctx.hostUrl, accountId);
  const response = await fetch(`${ctx.apiUrl}${path}`, {
    method,
    headers: {
      Authorization: `JWT ${token}`,
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON: keep the text for the message.
  }
  return { status: response.status, body: parsed };
}

/**
 * An active member of the organization who administers a product (directly or through a group
 * with `atlassian/admin`) and is neither org admin, site admin nor user access admin.
 */
function productAdmin(org) {
  const adminGroups = new Set(
    org.groups.filter((g) => g.roles.some((r) => r.role === 'atlassian/admin')).map((g) => g.id),
  );
  return org.users.find(
    (u) =>
      u.status === 'active' &&
      u.accountType === 'atlassian' &&
      u.platformRoles.length === 0 &&
      !(u.directRoles ?? []).some(
        (r) => r.role === 'atlassian/user-access-admin' || r.role === 'atlassian/site-admin',
      ) &&
      (u.groupIds.some((id) => adminGroups.has(id)) ||
        (u.directRoles ?? []).some((r) => r.role === 'atlassian/admin')),
  );
}

/** orgwarden's base URL: ORGWARDEN_URL, else the app iframe's origin. */
export async function orgwardenUrl(page, frameSelector) {
  if (process.env.ORGWARDEN_URL) return process.env.ORGWARDEN_URL.replace(/\/$/, '');
  const src = await page.locator(frameSelector).first().getAttribute('src');
  return new URL(src).origin;
}

/** `YYYY-MM-DD`, `days` from today. */
function inDays(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * API tokens: create, shown once, works, revoke, refused. `ctx`: run.mjs's `page`, `app`, `byId`,
 * `shot`, `check`, `until`, `text`, and `frameSelector`.
 */
export async function tokensFlow(ctx) {
  const { page, app, byId, shot, check, until, text, frameSelector } = ctx;
  const apiUrl = await orgwardenUrl(page, frameSelector);

  console.log('tokens 1. Settings → API tokens: create a read and write token with an expiry date');
  await byId('nav-settings').click();
  const section = byId('api-tokens');
  await section.waitFor();
  await section.scrollIntoViewIfNeeded();
  const name = `Browser test ${Date.now()}`;
  await byId('token-name').fill(name);
  await byId('token-scope-write--radio-label').click();
  check(await byId('token-scope-write--radio-input').isChecked(), '"Read and write" is not chosen');
  await byId('token-expiry').fill(inDays(30));
  await shot('token-form');
  await byId('token-create').click();

  console.log('tokens 2. the token is shown once, with a copy button and a curl example');
  const modal = byId('token-created-modal');
  await modal.waitFor();
  const token = await byId('created-token').inputValue();
  check(token.startsWith('owt_'), `the token does not start with owt_: "${token.slice(0, 8)}…"`);
  check(
    (await text(byId('token-once-warning'))).includes("won't be shown again"),
    'no warning that the token is shown once',
  );
  const curl = await text(byId('token-curl'));
  check(
    curl === `curl -H "Authorization: Bearer ${token}" ${apiUrl}/api/v1/me`,
    `unexpected curl example: ${curl.replace(token, 'owt_…')}`,
  );
  await byId('copy-token').click();
  const copied = await until(
    'the copy status',
    () => text(byId('copy-status')),
    (v) => v !== '',
  );
  console.log(`  ${token.slice(0, 8)}… ; copy: ${copied}`);
  await shot('token-created');

  console.log('tokens 3. the token answers GET /api/v1/me, as the curl example does');
  const me = await fetch(`${apiUrl}/api/v1/me`, { headers: { Authorization: `Bearer ${token}` } });
  check(me.ok, `GET /api/v1/me with the new token answered ${me.status}`);

  console.log('tokens 4. Done: the token is gone from the page; its row shows the prefix');
  await byId('token-created-done').click();
  await modal.waitFor({ state: 'detached' });
  const body = await app.locator('body').innerText();
  check(!body.includes(token), 'the token is still on the page after the modal closed');
  const row = app.locator('[data-testid="token-row"]', { hasText: name });
  await row.waitFor();
  const prefix = await row.getAttribute('data-prefix');
  check(
    Boolean(prefix) && token.startsWith(prefix),
    `the row's prefix "${prefix}" is not the token's`,
  );
  const rowText = await text(row);
  check(
    rowText.includes('Read and write') && rowText.includes('Never'),
    `unexpected row: ${rowText}`,
  );
  console.log(`  ${rowText}`);
  await shot('token-listed');

  console.log('tokens 5. revoke it, after a confirmation naming it; it is refused from then on');
  await row.getByTestId('token-revoke').click();
  const confirm = byId('revoke-token-modal');
  await confirm.waitFor();
  check((await text(confirm)).includes(name), 'the confirmation does not name the token');
  await shot('token-revoke-confirm');
  await byId('revoke-token-confirm').click();
  await confirm.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  const refused = await fetch(`${apiUrl}/api/v1/me`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  check(
    refused.status === 401 || refused.status === 403,
    `the revoked token answered ${refused.status}`,
  );
  console.log(`  revoked: GET /api/v1/me answers ${refused.status}`);
}

/**
 * App access control: a product admin is refused until the org admin switches product admins on.
 * `ctx`: run.mjs's `page`, `app`, `byId`, `shot`, `check`, `until`, `text`, `hostUrl` and
 * `frameSelector`.
 */
export async function accessFlow(ctx) {
  const { page, app, byId, shot, check, until, text, hostUrl, frameSelector } = ctx;
  const simUrl = (process.env.ORGWARDEN_SIM_URL || '').replace(/\/$/, '');
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');

  // The org admin is whoever the host page views as now (by default its first active org admin).
  await page.goto(hostUrl, { waitUntil: 'load' });
  const orgAdminId = await page.locator('#as-user').inputValue();
  const org = await simOrg(simUrl);
  const orgAdmin = org.users.find((u) => u.accountId === orgAdminId);
  check(
    orgAdmin?.platformRoles.includes('atlassian/org-admin'),
    `the host page views as ${orgAdminId}, no org admin`,
  );
  const admin = productAdmin(org);
  check(
    Boolean(admin),
    'cloudsim has no product admin who is not also an org, site or user access admin',
  );
  const api = { simUrl, hostUrl, apiUrl: await orgwardenUrl(page, frameSelector) };

  const before = await apiAs(api, orgAdminId, 'GET', '/api/v1/settings/access');
  check(
    before.status === 200,
    `GET /api/v1/settings/access answered ${before.status}: ${JSON.stringify(before.body)}`,
  );
  console.log(
    `access 1. rules now: ${JSON.stringify(before.body)}; product admin: ${admin.name} (${admin.accountId})`,
  );
  if (before.body.productAdmins) {
    const off = await apiAs(api, orgAdminId, 'PUT', '/api/v1/settings/access', {
      ...before.body,
      productAdmins: false,
    });
    check(off.status === 200, `switching product admins off answered ${off.status}`);
  }

  try {
    console.log('access 2. the product admin opens the app: only the no-access page');
    await page.goto(hostAs(hostUrl, admin.accountId), { waitUntil: 'load' });
    check(
      (await page.locator('#as-user').inputValue()) === admin.accountId,
      'the host page does not view as the product admin',
    );
    await byId('no-access').waitFor();
    const heading = await text(byId('no-access').getByRole('heading', { level: 1 }));
    check(heading === "You don't have access to orgwarden", `no-access heading: "${heading}"`);
    const reason = await until(
      'the reason',
      () => text(byId('no-access-reason')),
      (v) => v.length > 0,
    );
    check(
      (await text(byId('no-access-who'))).includes('Settings → App access control'),
      'the page does not say who can grant access',
    );
    check((await byId('navigation').count()) === 0, 'the no-access page shows the navigation');
    console.log(`  reason: ${reason}`);
    await shot('no-access');

    console.log('access 3. the org admin switches product admins on (PUT /api/v1/settings/access)');
    const rules = { productAdmins: true, userAccessAdmins: false, scope: 'organization' };
    const put = await apiAs(api, orgAdminId, 'PUT', '/api/v1/settings/access', rules);
    check(
      put.status === 200,
      `PUT /api/v1/settings/access answered ${put.status}: ${JSON.stringify(put.body)}`,
    );
    check(
      JSON.stringify(put.body) === JSON.stringify(rules),
      `PUT answered ${JSON.stringify(put.body)}`,
    );
    // The product admin may not change the rules themselves.
    const own = await apiAs(api, admin.accountId, 'PUT', '/api/v1/settings/access', {
      ...rules,
      userAccessAdmins: true,
    });
    check(own.status === 403, `the product admin's PUT answered ${own.status}`);

    console.log('access 4. the product admin reloads: the dashboard');
    await page.reload({ waitUntil: 'load' });
    await byId('dashboard').waitFor();
    await byId('navigation').waitFor();
    check((await byId('no-access').count()) === 0, 'the no-access page is still shown');
    const as = await app.locator('.ow-signed-in').getAttribute('data-access');
    check(as === 'productAdmin', `the header says the product admin uses orgwarden as "${as}"`);
    await byId('dashboard-tile').first().waitFor();
    await shot('product-admin-dashboard');

    console.log(
      'access 5. switched off again while the app is open: the next call shows the no-access page',
    );
    const offAgain = await apiAs(api, orgAdminId, 'PUT', '/api/v1/settings/access', {
      ...rules,
      productAdmins: false,
    });
    check(offAgain.status === 200, `switching product admins off answered ${offAgain.status}`);
    await byId('nav-users').click();
    await byId('no-access').waitFor();
    check((await byId('navigation').count()) === 0, 'the no-access page shows the navigation');
    await shot('no-access-after-revoke');
  } finally {
    // Put the rules back, and the host page back to the org admin.
    const restore = await apiAs(api, orgAdminId, 'PUT', '/api/v1/settings/access', before.body);
    if (restore.status !== 200)
      console.error(`  restoring the access rules answered ${restore.status}`);
    await page.goto(hostUrl, { waitUntil: 'load' });
  }
}
