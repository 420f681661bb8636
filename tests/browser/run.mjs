// End-to-end: the SPA inside the Jira-like host page: Settings → Organization API key, the first
// sync in the header, Dashboard tile → filtered User Browser, filter + paging, select all matching,
// the license panel, saved filters across a reload, CSV export, CSV import of a selection, and
// seat prices (Settings → General) turned into savings on the dashboard; the first hour (a clean
// first load before a key and after the sync, one tile per product over all sites against
// cloudsim's counts, the groups filter kept in a saved filter, sync history); bulk operations; API
// tokens (created, shown once, revoked) and app access control (a product admin sees the no-access
// page until the org admin lets product admins in); the Audit log (filter by kind, details, CSV
// export); automated tasks (created from a saved filter, dry run, run, deep link, switched off,
// duplicated, deleted); webhooks (added with a secret shown once, a test delivered to cloudsim's
// Automation receiver and seen in the delivery log, deleted).
//
//   ORGWARDEN_HOST_URL=<host page URL> ORGWARDEN_TEST_API_KEY=<valid key> ORGWARDEN_SIM_URL=<cloudsim URL> \
//     node tests/browser/run.mjs
//
// Optional: ORGWARDEN_TEST_WRONG_KEY (default: a key Atlassian never issued),
// ORGWARDEN_TEST_KEY_EXPIRY (YYYY-MM-DD; default: 180 days from today),
// ORGWARDEN_APP_FRAME (CSS selector of the app's iframe; default "iframe"),
// CHROMIUM_PATH (default /usr/bin/chromium), ORGWARDEN_BROWSER_ARTIFACTS (default ./artifacts),
// ORGWARDEN_BROWSER_TIMEOUT_MS (default 30000), ORGWARDEN_SYNC_TIMEOUT_MS (how long the first sync may
// take; default 180000).
//
// Screenshots go to the artifacts folder, one per step, plus failure.png when a step fails.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { accessFlow, tokensFlow } from './access.mjs';
import { auditFlow } from './audit.mjs';
import { dashboardAndUsersFlow } from './dashboard-users.mjs';
import { firstHourFlow, watchLoad } from './first-hour.mjs';
import { operationsFlow } from './operations.mjs';
import { webhooksFlow } from './webhooks.mjs';
import { tasksFlow } from './tasks.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`${name} is not set (see the top of tests/browser/run.mjs)`);
    process.exit(2);
  }
  return value;
}

function inDays(days) {
  const d = new Date(Date.now() + days * 86_400_000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

const hostUrl = required('ORGWARDEN_HOST_URL');
const rightKey = required('ORGWARDEN_TEST_API_KEY');
const wrongKey = process.env.ORGWARDEN_TEST_WRONG_KEY || 'ATATT-orgwarden-browser-test-wrong-key';
const expiry = process.env.ORGWARDEN_TEST_KEY_EXPIRY || inDays(180);
const frameSelector = process.env.ORGWARDEN_APP_FRAME || 'iframe';
const timeout = Number(process.env.ORGWARDEN_BROWSER_TIMEOUT_MS || 30_000);
const syncTimeout = Number(process.env.ORGWARDEN_SYNC_TIMEOUT_MS || 180_000);
const artifacts = resolve(process.env.ORGWARDEN_BROWSER_ARTIFACTS || join(here, 'artifacts'));
mkdirSync(artifacts, { recursive: true });

const userDataDir = mkdtempSync(join(tmpdir(), 'orgwarden-chromium-'));
// A fresh profile each run (playwright passes it as --user-data-dir).
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(timeout);
const problems = [];
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  if (message.type() === 'error') {
    const where = message.location().url;
    problems.push(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  }
});

let step = 0;
async function shot(name) {
  step += 1;
  const file = join(artifacts, `${String(step).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`  screenshot ${file}`);
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Problems while a first screen loads (console errors, failed requests, answers ≥ 400).
const watcher = watchLoad(page);

const app = page.frameLocator(frameSelector).first();
const byId = (id) => app.getByTestId(id);

async function fillKey(key) {
  await byId('api-key-input').fill(key);
  await byId('api-key-expiry').fill(expiry);
}

/** Polls `read` until `accept(value)` holds; returns the value. */
async function until(what, read, accept, ms = timeout) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await read().catch((error) => `(${error.message.split('\n')[0]})`);
    if (accept(last)) return last;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await page.waitForTimeout(250);
  }
}

const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();
const toNumber = (s) => Number(String(s).replace(/[^0-9]/g, ''));

/** "1–25 of 131 users" → {from: 1, to: 25, total: 131}; "No users" → zeros. */
async function range() {
  const value = await text(byId('users-range'));
  const match = value.match(/([\d,]+)\D+([\d,]+) of ([\d,]+) users/);
  return match
    ? { from: toNumber(match[1]), to: toNumber(match[2]), total: toNumber(match[3]), text: value }
    : { from: 0, to: 0, total: 0, text: value };
}

/** Picks `option` in the Atlaskit Select whose testId is `testId` (react-select under the hood). */
async function choose(testId, option) {
  await app.locator(`[data-testid="${testId}-select--control"]`).click();
  await app.getByRole('option', { name: option, exact: true }).click();
}

let failed = false;
try {
  console.log(`host page: ${hostUrl}`);
  watcher.start();
  await page.goto(hostUrl, { waitUntil: 'load' });

  console.log(
    '1. the host page loads the SPA inside its iframe, with no console error and no failed request',
  );
  const ready = byId('connect-prompt')
    .or(byId('api-key-input'))
    .or(byId('api-key-summary'))
    .or(byId('dashboard'));
  await ready.first().waitFor();
  await byId('navigation').waitFor();
  await page.waitForTimeout(1_500);
  const firstLoad = watcher.stop();
  check(firstLoad.length === 0, `the first screen had problems:\n  ${firstLoad.join('\n  ')}`);
  await shot('app-in-host');

  // Reach the key form from wherever the page opened (Overview or Settings, key saved or not).
  if (!(await byId('api-key-input').isVisible()) && !(await byId('api-key-summary').isVisible())) {
    await byId('nav-settings').click();
  }
  await byId('api-key-input').or(byId('api-key-summary')).first().waitFor();
  if (await byId('api-key-summary').isVisible()) await byId('api-key-replace').click();
  await byId('api-key-input').waitFor();

  console.log('2. a wrong key shows its error');
  await fillKey(wrongKey);
  await byId('api-key-check').click();
  const error = byId('error-message');
  await error.waitFor();
  const errorText = (await error.innerText()).trim();
  check(errorText.length > 0, 'the error message is empty');
  console.log(`  error shown: ${errorText.replace(/\s+/g, ' ')}`);
  await shot('wrong-key-error');

  console.log('3. the right key shows the organization name');
  await fillKey(rightKey);
  await byId('api-key-check').click();
  const orgName = (await byId('checked-org-name').innerText()).trim();
  check(orgName.length > 0, 'no organization name after a successful check');
  console.log(`  organization: ${orgName}`);
  await shot('right-key-org-name');

  console.log('4. saving shows the masked key');
  // From saving until the first sync has finished, the app sends nothing expected to fail (no
  // mirror read before the mirror exists).
  watcher.start();
  await byId('api-key-save').click();
  const masked = (await byId('masked-key').innerText()).trim();
  check(masked.length > 0, 'the masked key is empty');
  check(!masked.includes(rightKey), 'the saved key is shown in full');
  const savedOrg = (await byId('org-name').innerText()).trim();
  check(savedOrg === orgName, `saved organization "${savedOrg}" differs from checked "${orgName}"`);
  console.log(`  masked key: ${masked}`);
  await shot('saved-masked-key');

  console.log('5. the header follows the sync until it has finished (no failed request meanwhile)');
  // The dashboard at once: "first sync in progress" while it runs (no 409 from a mirror read), or
  // already its tiles.
  await byId('nav-dashboard').click();
  await byId('not-synced').or(byId('dashboard-tile').first()).first().waitFor();
  console.log(
    `  dashboard right after saving: ${(await byId('not-synced').isVisible()) ? 'the first sync is in progress' : 'synced already'}`,
  );
  const syncText = byId('sync-state-text');
  await until(
    'the header to say "Synced"',
    async () => `${await byId('sync-state').getAttribute('data-state')}: ${await text(syncText)}`,
    (v) => /^succeeded: Synced/.test(v),
    syncTimeout,
  );
  console.log(`  header: ${await text(syncText)}`);
  await page.waitForTimeout(1_000);
  const duringSync = watcher.stop();
  check(
    duringSync.length === 0,
    `saving the key and the first sync had problems:\n  ${duringSync.join('\n  ')}`,
  );
  await shot('synced-header');

  console.log(
    '6. a dashboard tile opens the user browser filtered to its product, site and threshold',
  );
  await byId('nav-dashboard').click();
  await byId('dashboard-tile').first().waitFor();
  const tiles = byId('dashboard-tile');
  const tileCount = await tiles.count();
  check(tileCount > 0, 'the dashboard shows no tiles');
  let tile = null;
  for (let i = 0; i < tileCount; i += 1) {
    const candidate = tiles.nth(i);
    if (toNumber(await text(candidate.getByTestId('tile-inactive'))) > 0) {
      tile = candidate;
      break;
    }
  }
  check(tile !== null, 'no tile has inactive users');
  const tileProduct = await text(tile.locator('.ow-tile-title'));
  const tileInactive = toNumber(await text(tile.getByTestId('tile-inactive')));
  const tileTotal = toNumber(await text(tile.getByTestId('tile-total')));
  const tileSite = await tile.getAttribute('data-site-id');
  console.log(
    `  ${tileCount} tiles; opening ${tileProduct} (site ${tileSite}): ${tileInactive} of ${tileTotal} inactive`,
  );
  await shot('dashboard');
  await tile.click();
  await byId('users').waitFor();
  await byId('user-row').first().waitFor();
  const summary = await text(byId('filter-summary'));
  check(
    summary.includes(tileProduct),
    `the filter summary "${summary}" does not name ${tileProduct}`,
  );
  check(/Inactive ≥/.test(summary), `the filter summary "${summary}" has no inactivity threshold`);
  const fromTile = await until('the filtered total', range, (r) => r.total > 0);
  check(
    fromTile.total === tileInactive,
    `the browser lists ${fromTile.total} users, the tile counts ${tileInactive} inactive`,
  );
  await until(
    'a first page of rows',
    () => byId('user-row').count(),
    (n) => n === Math.min(25, fromTile.total),
  );
  console.log(`  filter: ${summary} → ${fromTile.text}`);
  await shot('tile-filtered-users');

  console.log('7. filter and paging');
  await byId('filter-clear').click();
  const everyone = await until('every user', range, (r) => r.total > fromTile.total);
  await byId('filter-toggle').click();
  await byId('filter-panel').waitFor();
  await choose('filter-statuses', 'Active');
  await until(
    'the "Status: Active" chip',
    () => text(byId('filter-summary')),
    (v) => v.includes('Status: Active'),
  );
  const active = await until('active users', range, (r) => r.total > 0 && r.total < everyone.total);
  console.log(`  all users: ${everyone.total}; active: ${active.total}`);
  await choose('page-size', '10');
  const firstPage = await until(
    'pages of 10',
    range,
    (r) => r.to - r.from === Math.min(9, r.total - 1),
  );
  // The range line follows the page size at once; the rows follow when the new page arrives.
  await until(
    '10 rows on the page',
    () => byId('user-row').count(),
    (n) => n === Math.min(10, active.total),
  );
  check(firstPage.total === active.total, 'the page size changed the total');
  const firstName = await text(byId('user-name').first());
  if (active.total > 10) {
    await app.getByRole('button', { name: 'Next page' }).click();
    const second = await until('page 2', range, (r) => r.from === 11);
    check(second.total === active.total, 'paging changed the total');
    // The range text can update before the rows re-render: wait for the rows themselves.
    await until(
      'page 2 rows',
      () => text(byId('user-name').first()),
      (v) => v !== firstName,
    );
    console.log(`  page 2: ${second.text}`);
  }
  await shot('filter-and-paging');

  console.log('8. "select all matching" selects every matching user');
  await byId('select-all-matching').click();
  const selected = await until(
    '"N of N users are selected"',
    () => text(byId('selection-count')),
    (v) =>
      v ===
      `${active.total.toLocaleString('en-US')} of ${active.total.toLocaleString('en-US')} users are selected`,
  );
  console.log(`  ${selected}`);
  await shot('select-all-matching');

  console.log("9. a user's detail opens beside the list");
  await byId('user-name').first().click();
  await byId('user-detail').waitFor();
  await until(
    "the user's detail",
    () => text(byId('user-detail')),
    (v) => v.includes('Access') && v.includes('Groups'),
  );
  await shot('user-detail');
  await page.keyboard.press('Escape');
  await byId('user-detail').waitFor({ state: 'detached' });

  // What every flow is handed; each takes the parts it uses.
  const flow = { page, app, byId, shot, check, until, text, toNumber, range };
  await dashboardAndUsersFlow({ ...flow, choose, allUsers: everyone.total });

  await firstHourFlow({ ...flow, hostUrl, watcher, syncTimeout });

  await operationsFlow(flow);

  await auditFlow({ ...flow, choose, hostUrl, frameSelector });

  await tasksFlow({ ...flow, hostUrl });

  await tokensFlow({ ...flow, frameSelector });

  await webhooksFlow({ ...flow, watcher });

  await accessFlow({ ...flow, hostUrl, frameSelector });

  console.log('browser tests passed');
} catch (error) {
  failed = true;
  console.error(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  await page
    .screenshot({ path: join(artifacts, 'failure.png'), fullPage: true })
    .then(() => console.error(`  screenshot ${join(artifacts, 'failure.png')}`))
    .catch(() => {});
} finally {
  if (problems.length > 0) console.log(`browser console:\n  ${problems.join('\n  ')}`);
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
