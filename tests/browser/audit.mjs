// End-to-end: the Audit log. After the earlier flows (key saved, syncs, exports, an operation),
// the log lists their entries; filtering by kind keeps only operations (and a reload of Jira's
// page comes back to them), an entry's details open,
// the CSV export holds the filtered entries, a long entry (a users export of 2,000 accounts,
// made through the API as the viewing org admin) comes abridged and whole on request, and
// verifying the chain seals it.
//
// Called from run.mjs with its page and helpers; needs ORGWARDEN_SIM_URL (scripts/browser-tests.sh
// sets it).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiAs, orgwardenUrl } from './access.mjs';

/** The rows of a CSV file (a small RFC 4180 reader: quotes, doubled quotes, CRLF). */
function csvRows(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

/**
 * A users export of 2,000 made-up accounts by whoever the host page views as (its entry records
 * them all: about 50,000 characters); answers the last account id.
 */
async function exportMany(ctx) {
  const { page, check, hostUrl, frameSelector } = ctx;
  const simUrl = (process.env.ORGWARDEN_SIM_URL || '').replace(/\/$/, '');
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');
  const api = { simUrl, hostUrl, apiUrl: await orgwardenUrl(page, frameSelector) };
  const viewer = await page.locator('#as-user').inputValue();
  const ids = Array.from({ length: 2000 }, (_, n) => `557058:browser-gone-${n}`);
  const body = { selection: { accountIds: ids }, format: 'csv' };
  const made = await apiAs(api, viewer, 'POST', '/api/v1/users/export', body);
  check(made.status === 200, `the users export answered ${made.status}`);
  return ids[ids.length - 1];
}

/**
 * The Audit log flow. `ctx`: run.mjs's `page`, `byId`, `shot`, `check`, `until`, `text`,
 * `choose`, `hostUrl` and `frameSelector`.
 */
export async function auditFlow(ctx) {
  const { page, byId, shot, check, until, text, choose } = ctx;

  console.log('audit 1. the Audit log lists what happened, newest first');
  await byId('nav-audit').click();
  await byId('audit-row').first().waitFor();
  const all = await byId('audit-row').allInnerTexts();
  check(
    all.some((t) => t.includes('API key saved')),
    'no "API key saved" entry in the log',
  );
  console.log(`  ${all.length} entries on the first page`);
  await shot('audit-log');

  console.log('audit 2. filtering by kind keeps only operations');
  await choose('audit-kind', 'Operations (all)');
  const onlyOperations = (rows) =>
    Array.isArray(rows) &&
    rows.length > 0 &&
    rows.every((t) => /Operation (started|finished|cancelled|reverted)/.test(t));
  const rows = async () => byId('audit-row').allInnerTexts();
  await until('only operation entries', rows, onlyOperations);
  await shot('audit-filtered');

  console.log("audit 2b. a reload of Jira's page comes back to the filtered log");
  await page.reload({ waitUntil: 'load' });
  await until('the filtered log after the reload', rows, onlyOperations);
  check(
    page.url().includes('#!') && page.url().includes('view=audit'),
    `the host page's address keeps no place: ${page.url()}`,
  );

  console.log('audit 3. an entry opens its details');
  const first = byId('audit-row').first();
  await first.getByTestId('audit-toggle').click();
  const details = first.getByTestId('audit-details');
  await details.waitFor();
  const shown = await text(details);
  check(
    shown.includes('operationId'),
    `the details do not name the operation: ${shown.slice(0, 200)}`,
  );
  check(await first.getByTestId('audit-operation-link').isVisible(), 'no link to the operation');
  await shot('audit-details');

  console.log('audit 4. the CSV export holds the filtered entries');
  const dir = mkdtempSync(join(tmpdir(), 'orgwarden-audit-'));
  try {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byId('audit-export-csv').click(),
    ]);
    const file = join(dir, download.suggestedFilename());
    await download.saveAs(file);
    const rows = csvRows(readFileSync(file, 'utf8'));
    const header = rows[0] ?? [];
    check(
      header.slice(0, 3).join(',') === 'id,at,kind',
      `unexpected audit CSV header: ${header.join(',')}`,
    );
    const kinds = rows.slice(1).map((r) => r[2]);
    check(kinds.length > 0, 'the audit CSV is empty');
    check(
      kinds.every((k) => k.startsWith('operation.')),
      `the CSV holds other kinds: ${[...new Set(kinds)].join(', ')}`,
    );
    console.log(`  ${download.suggestedFilename()}: ${kinds.length} entries`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log('audit 5. a long entry comes abridged, and all of it on request');
  const last = await exportMany(ctx);
  await choose('audit-kind', 'Downloads (all)');
  const newest = byId('audit-row').first();
  await until(
    'the users export of 2,000 accounts',
    async () => text(newest),
    (t) => /Downloaded \d+ users as CSV/.test(t),
  );
  await newest.getByTestId('audit-toggle').click();
  const abridged = newest.getByTestId('audit-abridged');
  await abridged.waitFor();
  const notice = await text(abridged);
  check(/[\d,]+ characters in all/.test(notice), `unexpected notice: ${notice}`);
  const long = newest.getByTestId('audit-details');
  check(!(await text(long)).includes(last), 'the abridged details hold the last account');
  await shot('audit-abridged');
  await newest.getByTestId('audit-whole').click();
  await until(
    'the whole details',
    async () => text(long),
    (t) => t.includes(last),
  );
  check(!(await abridged.isVisible()), 'the whole details still say they are abridged');
  await shot('audit-whole-details');

  console.log('audit 6. verifying the chain checks every entry and seals the newest');
  await byId('audit-verify').click();
  const verified = await until(
    'the verification',
    async () => text(byId('audit-verified')),
    (t) => /entries verified and sealed through #\d+\./.test(t) || /Entry #/.test(t),
  );
  check(
    /^All [\d,]+ entries verified and sealed through #\d+\.$/.test(verified),
    `unexpected verification: ${verified}`,
  );
  console.log(`  ${verified}`);
  await shot('audit-verified');
}
