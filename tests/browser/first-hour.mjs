// End-to-end: what an admin hits in the first hour (issue 19).
//
// - A clean first load: `watchLoad` records console errors, page errors, failed requests and
//   answers with a status of 400 or more while a first screen loads; run.mjs checks the very first
//   screen (no key saved yet) and `firstHourFlow` a fresh load of the synced app.
// - One tile per product over all sites: each tile's total equals an oracle from cloudsim's
//   `/__sim/org`: the distinct billable users holding the product on any site (billable as the
//   server's sync decides it: status `active`, account type `atlassian`, some product access);
//   a product tile opens the users it counts.
// - The groups filter: pick a group in the User Browser's filter panel (searchable by name, with
//   its member count), see the chip name it, save the filter, reload, apply the saved filter: still
//   that group's members.
// - Sync history: the header's "Sync history" opens Settings at the list of runs; the first sync is
//   there with its counts; a manual sync appears and is followed until it succeeds.
//
// Called by run.mjs with its page and helpers, after the dashboard and User Browser flows and
// before bulk operations change the organization. Needs ORGWARDEN_SIM_URL.

/** cloudsim's whole organization (`GET /__sim/org`). */
async function simOrg(simUrl) {
  const response = await fetch(`${simUrl}/__sim/org`);
  if (!response.ok) throw new Error(`GET /__sim/org answered ${response.status}`);
  return response.json();
}

/** Billable as orgwarden's sync decides it: an active Atlassian account holding some product access. */
function billable(user) {
  return (
    user.status === 'active' && user.accountType === 'atlassian' && user.productAccess.length > 0
  );
}

/**
 * Records problems on `page` while a first screen loads: console errors, page errors, failed
 * requests and answers with a status ≥ 400 (but not the host page's missing favicon). `start()` begins a window; `stop()` ends it and returns
 * what it saw.
 */
export function watchLoad(page) {
  let seen = null;
  const note = (what) => {
    if (seen) seen.push(what);
  };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url ?? '';
    // Chromium asks every top-level page for /favicon.ico; cloudsim's host page has none. That is
    // the host's, not the app's (the response event does not report it).
    if (new URL(where, 'http://x').pathname === '/favicon.ico') return;
    note(`console error: ${message.text()}${where ? ` (${where})` : ''}`);
  });
  page.on('pageerror', (error) => note(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    note(
      `request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? '?'})`,
    ),
  );
  page.on('response', (response) => {
    if (response.status() >= 400)
      note(`answered ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  return {
    start() {
      seen = [];
    },
    stop() {
      const out = seen ?? [];
      seen = null;
      return out;
    },
  };
}

/** Lets late requests of a first screen (polls, lazy chunks) happen before a window closes. */
async function settle(page, ms = 1_500) {
  await page.waitForTimeout(ms);
}

/**
 * The flows. `ctx`: run.mjs's `page`, `app`, `byId`, `shot`, `check`, `until`, `text`, `toNumber`,
 * `range`, `hostUrl`, `watcher` (from `watchLoad`), `syncTimeout`.
 */
export async function firstHourFlow(ctx) {
  const {
    page,
    app,
    byId,
    shot,
    check,
    until,
    text,
    toNumber,
    range,
    hostUrl,
    watcher,
    syncTimeout,
  } = ctx;
  const simUrl = (process.env.ORGWARDEN_SIM_URL || '').replace(/\/$/, '');
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');

  console.log('15. a fresh load of the synced app: no console error, no failed request');
  // Leave the app first, so requests it still had in flight are not counted as the new load's.
  await page.goto('about:blank');
  await settle(page, 500);
  watcher.start();
  await page.goto(hostUrl, { waitUntil: 'load' });
  await byId('product-tile').first().waitFor();
  await byId('dashboard-tile').first().waitFor();
  await until(
    'the license panel',
    () => text(byId('license-edition')),
    (v) => v.length > 0,
  );
  await settle(page);
  const reloadProblems = watcher.stop();
  check(
    reloadProblems.length === 0,
    `the first screen had problems:\n  ${reloadProblems.join('\n  ')}`,
  );
  console.log('  dashboard loaded cleanly');

  console.log(
    '16. one tile per product over all sites: distinct billable people, as cloudsim counts them',
  );
  const org = await simOrg(simUrl);
  const people = org.users.filter(billable);
  const productTiles = byId('product-tile');
  const tileCount = await productTiles.count();
  const keys = new Set(people.flatMap((u) => u.productAccess.map((a) => a.productKey)));
  check(
    tileCount === keys.size,
    `${tileCount} product tiles, cloudsim's billable users hold ${keys.size} products`,
  );
  let overlapping = 0;
  let opened = null;
  for (let i = 0; i < tileCount; i += 1) {
    const tile = productTiles.nth(i);
    const key = await tile.getAttribute('data-product-key');
    const total = toNumber(await text(tile.getByTestId('tile-total')));
    const inactive = toNumber(await text(tile.getByTestId('tile-inactive')));
    const active = toNumber(await text(tile.getByTestId('tile-active')));
    const holders = people.filter((u) => u.productAccess.some((a) => a.productKey === key));
    const seats = people.reduce(
      (n, u) => n + u.productAccess.filter((a) => a.productKey === key).length,
      0,
    );
    check(
      total === holders.length,
      `${key}: the tile counts ${total} billable people, cloudsim ${holders.length}`,
    );
    check(
      active + inactive === total,
      `${key}: ${active} active + ${inactive} inactive ≠ ${total}`,
    );
    // The per-site tiles of the product add up to its seats: a person on two sites twice.
    const perSite = app.locator(`[data-testid="dashboard-tile"][data-product-key="${key}"]`);
    let siteSum = 0;
    for (let j = 0; j < (await perSite.count()); j += 1)
      siteSum += toNumber(await text(perSite.nth(j).getByTestId('tile-total')));
    check(
      siteSum === seats,
      `${key}: the per-site tiles add up to ${siteSum}, cloudsim has ${seats} billable seats`,
    );
    overlapping += seats - holders.length;
    console.log(`  ${key}: ${total} people (${inactive} inactive), ${seats} seats on the sites`);
    if (!opened && inactive > 0) opened = { tile, key, inactive };
  }
  console.log(`  ${overlapping} seats belong to people counted on another site too`);
  await shot('product-tiles');
  check(opened !== null, 'no product tile has inactive users');
  await opened.tile.click();
  await byId('users').waitFor();
  const summary = await until(
    'the product filter',
    () => text(byId('filter-summary')),
    (v) => v.includes('(every site)'),
  );
  check(
    summary.includes('Billable'),
    `the filter "${summary}" is not the tile's (billable) filter`,
  );
  const fromProduct = await until(
    "the product tile's users",
    range,
    (r) => r.total === opened.inactive,
  );
  console.log(`  ${opened.key}: ${summary} → ${fromProduct.text}`);

  console.log(
    '17. the groups filter: pick a group by name, save the filter, reload, apply it again',
  );
  const everyone = org.users.length;
  const group = [...org.groups]
    .filter((g) => g.memberIds.length > 1 && g.memberIds.length < everyone)
    .sort((a, b) => b.memberIds.length - a.memberIds.length || a.name.localeCompare(b.name))[0];
  check(group !== undefined, 'cloudsim has no group with a few members');
  await byId('filter-clear').click();
  await until('every user', range, (r) => r.total === everyone);
  await byId('filter-toggle').click();
  await byId('filter-panel').waitFor();
  const groupsInput = app.getByLabel('Groups', { exact: true });
  await groupsInput.click();
  await groupsInput.fill(group.name);
  const option = app.locator(`[data-testid="group-option"][data-group-id="${group.id}"]`);
  await option.waitFor();
  const optionText = await text(option);
  check(optionText.includes(group.name), `the option "${optionText}" does not name ${group.name}`);
  const members = toNumber(optionText.match(/([\d,]+) members?/)?.[1] ?? '');
  check(
    members === group.memberIds.length,
    `the picker says ${members} members, cloudsim ${group.memberIds.length}`,
  );
  await shot('group-picker');
  await option.click();
  await page.keyboard.press('Escape');
  await until(
    `the "Group: ${group.name}" chip`,
    () => text(byId('filter-summary')),
    (v) => v.includes(`Group: ${group.name}`),
  );
  const inGroup = await until(
    `${group.name}'s members`,
    range,
    (r) => r.total === group.memberIds.length,
  );
  console.log(
    `  ${group.name}${group.managedBy === 'external' ? ' (IdP-managed)' : ''}: ${inGroup.text}`,
  );
  await shot('group-filtered');
  const filterName = `Group ${group.name} ${Date.now()}`;
  await byId('save-filter').click();
  await byId('save-filter-modal').waitFor();
  await byId('filter-name-input').fill(filterName);
  await byId('save-filter-new').click();
  await until(
    'the applied saved filter',
    () => text(byId('saved-filter-name')),
    (v) => v === filterName,
  );
  await page.reload({ waitUntil: 'load' });
  await byId('navigation').waitFor();
  await byId('nav-users').click();
  await until('the unfiltered list after the reload', range, (r) => r.total === everyone);
  await byId('saved-filters').click();
  await byId('saved-filters--content')
    .getByRole('menuitem', { name: filterName, exact: true })
    .click();
  await until(
    'the saved group filter after the reload',
    () => text(byId('filter-summary')),
    (v) => v.includes(`Group: ${group.name}`),
  );
  const again = await until("the group's members again", range, (r) => r.total === inGroup.total);
  console.log(`  after the reload, "${filterName}": ${again.text}`);
  await shot('group-filter-saved');

  console.log('18. sync history: the header opens it; a manual sync appears and is followed');
  await byId('sync-history-link').click();
  const history = byId('sync-history');
  await history.waitFor();
  const rows = history.getByTestId('sync-run');
  await rows.first().waitFor();
  const before = await rows.count();
  const initial = rows.nth(before - 1);
  check(
    (await initial.getAttribute('data-kind')) === 'initial',
    'the oldest run listed is not the first sync',
  );
  check(
    (await initial.getAttribute('data-state')) === 'succeeded',
    'the first sync did not succeed',
  );
  const users = toNumber(await text(initial.getByTestId('sync-run-users')));
  const groups = toNumber(await text(initial.getByTestId('sync-run-groups')));
  const sites = toNumber(await text(initial.getByTestId('sync-run-sites')));
  const requests = toNumber(await text(initial.getByTestId('sync-run-requests')));
  check(
    users === org.users.length,
    `the first sync counted ${users} users, cloudsim has ${org.users.length}`,
  );
  check(
    groups === org.groups.length,
    `the first sync counted ${groups} groups, cloudsim has ${org.groups.length}`,
  );
  check(
    sites === org.sites.length,
    `the first sync counted ${sites} sites, cloudsim has ${org.sites.length}`,
  );
  check(requests > 0, 'the first sync sent no requests');
  check(
    (await text(initial.getByTestId('sync-run-duration'))) !== '—',
    'the first sync has no duration',
  );
  console.log(
    `  ${before} run(s); first sync: ${users} users, ${groups} groups, ${sites} sites, ${requests} requests`,
  );
  await byId('sync-now').click();
  await until(
    'the manual sync to succeed in the history',
    async () =>
      `${await rows.count()} ${await rows.first().getAttribute('data-kind')} ${await rows.first().getAttribute('data-state')}`,
    (v) => v === `${before + 1} manual succeeded`,
    syncTimeout,
  );
  console.log(`  manual sync: ${await text(rows.first())}`);
  await history.scrollIntoViewIfNeeded();
  await shot('sync-history');
}
