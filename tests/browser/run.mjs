// End-to-end: the SPA inside the Jira-like host page, Settings → Organization API key.
//
//   ORGWARDEN_HOST_URL=<host page URL> ORGWARDEN_TEST_API_KEY=<valid key> node tests/browser/run.mjs
//
// Optional: ORGWARDEN_TEST_WRONG_KEY (default: a key Atlassian never issued),
// ORGWARDEN_TEST_KEY_EXPIRY (YYYY-MM-DD; default: 180 days from today),
// ORGWARDEN_APP_FRAME (CSS selector of the app's iframe; default "iframe"),
// CHROMIUM_PATH (default /usr/bin/chromium), ORGWARDEN_BROWSER_ARTIFACTS (default ./artifacts),
// ORGWARDEN_BROWSER_TIMEOUT_MS (default 30000).
//
// Screenshots go to the artifacts folder, one per step, plus failure.png when a step fails.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

const app = page.frameLocator(frameSelector).first();
const byId = (id) => app.getByTestId(id);

async function fillKey(key) {
  await byId('api-key-input').fill(key);
  await byId('api-key-expiry').fill(expiry);
}

let failed = false;
try {
  console.log(`host page: ${hostUrl}`);
  await page.goto(hostUrl, { waitUntil: 'load' });

  console.log('1. the host page loads the SPA inside its iframe');
  const ready = byId('connect-prompt').or(byId('api-key-input')).or(byId('api-key-summary')).or(byId('connected'));
  await ready.first().waitFor();
  await byId('navigation').waitFor();
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
  await byId('api-key-save').click();
  const masked = (await byId('masked-key').innerText()).trim();
  check(masked.length > 0, 'the masked key is empty');
  check(!masked.includes(rightKey), 'the saved key is shown in full');
  const savedOrg = (await byId('org-name').innerText()).trim();
  check(savedOrg === orgName, `saved organization "${savedOrg}" differs from checked "${orgName}"`);
  console.log(`  masked key: ${masked}`);
  await shot('saved-masked-key');

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
