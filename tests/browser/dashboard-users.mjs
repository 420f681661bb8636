// End-to-end flows of the dashboard and the User Browser beyond the basics: the license panel,
// a saved filter applied again after a reload, a CSV export checked against the total and the
// order shown, a CSV import as the selection, and a seat price (Settings → General) turned into
// savings.
//
// Called by run.mjs with its page and helpers, after the basic flows (a synced organization).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function csvRecords(csv) {
  const records = [];
  let field = '';
  let record = [];
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);
  return records;
}

/** The first `n` rows' names, to compare two lists. */
async function firstNames(byId, n = 5) {
  const names = await byId('user-name').allInnerTexts();
  return names.slice(0, n).join(' | ');
}

/**
 * The flows. `ctx`: run.mjs's `page`, `app` (the SPA's frame), `byId`, `shot`, `check`, `until`,
 * `text`, `toNumber`, `range`, `choose`, and `allUsers` (how many users the unfiltered list has).
 */
export async function dashboardAndUsersFlow(ctx) {
  const { page, app, byId, shot, check, until, text, toNumber, range, choose, allUsers } = ctx;

  console.log('10. the license panel is on the dashboard');
  await byId('nav-dashboard').click();
  const panel = byId('license-panel');
  await panel.waitFor();
  const limit = await until(
    'the license limit',
    () => text(byId('license-limit')),
    (v) => /^\d[\d,]*$/.test(v),
  );
  const managed = await text(byId('license-managed'));
  const edition = await text(byId('license-edition'));
  const licenseState = await text(byId('license-state'));
  check(
    (await byId('license-usage').getAttribute('role')) === 'meter',
    'the license panel has no usage bar',
  );
  console.log(`  ${edition}: ${managed} managed of ${limit} (${licenseState})`);
  await panel.scrollIntoViewIfNeeded();
  await shot('license-panel');

  console.log('11. filter, save it, reload the page, apply the saved filter: the same users');
  await byId('nav-users').click();
  await byId('user-row').first().waitFor();
  if (await byId('filter-clear').isVisible()) await byId('filter-clear').click();
  await byId('filter-toggle').click();
  await byId('filter-panel').waitFor();
  await choose('filter-statuses', 'Active');
  await until(
    'the "Status: Active" chip',
    () => text(byId('filter-summary')),
    (v) => v.includes('Status: Active'),
  );
  const beforeSave = await until('active users', range, (r) => r.total > 0 && r.total < allUsers);
  const namesBefore = await firstNames(byId);
  const filterName = `Active users ${Date.now()}`;
  await byId('save-filter').click();
  await byId('save-filter-modal').waitFor();
  await byId('filter-name-input').fill(filterName);
  await byId('save-filter-new').click();
  await until(
    'the applied saved filter',
    () => text(byId('saved-filter-name')),
    (v) => v === filterName,
  );
  await shot('saved-filter');
  await page.reload({ waitUntil: 'load' });
  await byId('navigation').waitFor();
  await byId('nav-users').click();
  const unfiltered = await until(
    'the unfiltered list after the reload',
    range,
    (r) => r.total === allUsers,
  );
  console.log(
    `  saved "${filterName}" (${beforeSave.total} users); after the reload: ${unfiltered.text}`,
  );
  await byId('saved-filters').click();
  await byId('saved-filters--content')
    .getByRole('menuitem', { name: filterName, exact: true })
    .click();
  await until(
    'the applied saved filter after the reload',
    () => text(byId('saved-filter-name')),
    (v) => v === filterName,
  );
  const applied = await until(
    "the saved filter's users",
    range,
    (r) => r.total === beforeSave.total,
  );
  await until(
    'the same first rows',
    () => firstNames(byId),
    (v) => v === namesBefore,
  );
  check(
    (await text(byId('filter-summary'))).includes('Status: Active'),
    'the saved filter lost its criterion',
  );
  console.log(`  applied: ${applied.text}`);
  await shot('saved-filter-applied');

  console.log("12. export the filter's users as CSV");
  const downloadDir = mkdtempSync(join(tmpdir(), 'orgwarden-export-'));
  try {
    await byId('export').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      byId('export-csv').click(),
    ]);
    const file = join(downloadDir, download.suggestedFilename());
    await download.saveAs(file);
    const records = csvRecords(readFileSync(file, 'utf8'));
    const header = records[0] ?? [];
    check(
      header[0] === 'accountId' && header.includes('email') && header.includes('lastActive'),
      `unexpected CSV header: ${header.join(',')}`,
    );
    const rows = records.length - 1;
    check(rows === applied.total, `the CSV has ${rows} users, the browser shows ${applied.total}`);
    const csvFirst = records
      .slice(1, 6)
      .map((r) => r[header.indexOf('name')])
      .join(' | ');
    check(
      csvFirst === namesBefore,
      `the CSV is not in the table's order: "${csvFirst}" vs "${namesBefore}"`,
    );
    console.log(`  ${download.suggestedFilename()}: ${header.length} columns, ${rows} rows`);
  } finally {
    rmSync(downloadDir, { recursive: true, force: true });
  }

  console.log('13. import a CSV of emails as the selection');
  const rowTexts = await byId('user-row').allInnerTexts();
  const emails = [
    ...new Set(
      rowTexts.flatMap(
        (t) => t.replace(/\s*@\s*/g, '@').match(/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g) ?? [],
      ),
    ),
  ].slice(0, 3);
  check(emails.length === 3, `found ${emails.length} emails in the table`);
  const unknown = `nobody-${Date.now()}@example.invalid`;
  const importDir = mkdtempSync(join(tmpdir(), 'orgwarden-import-'));
  try {
    const csvFile = join(importDir, 'selection.csv');
    writeFileSync(csvFile, `email\n${emails.join('\n')}\n${unknown}\n`);
    await byId('import-file').setInputFiles(csvFile);
    const result = await until(
      'the import result',
      () => text(byId('import-result')),
      (v) => v.includes('matched'),
    );
    check(result.includes('3 matched, 1 not matched'), `import result: ${result}`);
    const unmatched = await text(byId('import-unmatched-row'));
    check(unmatched.includes(unknown), `the unmatched row "${unmatched}" does not name ${unknown}`);
    const total = allUsers.toLocaleString('en-US');
    const count = await until(
      '"3 of N users are selected"',
      () => text(byId('selection-count')),
      (v) => v === `3 of ${total} users are selected`,
    );
    console.log(`  ${emails.join(', ')} + ${unknown} → ${count}; unmatched: ${unmatched}`);
    await shot('import-selection');
  } finally {
    rmSync(importDir, { recursive: true, force: true });
  }
  // Leave the browser as the next flow expects it: nothing selected.
  await byId('import-result-dismiss').click();
  await byId('select-none').click();
  await until(
    'an empty selection',
    () => text(byId('selection-count')),
    (v) => v.startsWith('0 of'),
  );

  console.log(
    '14. a seat price in Settings → General turns inactive seats into savings on the dashboard',
  );
  await byId('nav-settings').click();
  await byId('general-settings-form').waitFor();
  await byId('seat-price-confluence').fill('10');
  await byId('general-settings-save').click();
  await shot('settings-general');
  await byId('nav-dashboard').click();
  await byId('dashboard-tile').first().waitFor();
  const confluence = app.locator('[data-testid="dashboard-tile"][data-product-key="confluence"]');
  let expected = 0;
  for (let i = 0; i < (await confluence.count()); i += 1) {
    expected += 10 * toNumber(await text(confluence.nth(i).getByTestId('tile-inactive')));
  }
  const savings = await until(
    'the total savings',
    () => text(byId('total-savings')),
    (v) => toNumber(v) === expected,
  );
  check(
    (await byId('tile-savings').count()) === (await confluence.count()),
    'not every Confluence tile shows its savings',
  );
  console.log(`  Confluence at $10/seat: ${savings} per month`);
  await shot('savings');
}
