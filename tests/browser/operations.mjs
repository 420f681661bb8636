// End-to-end: bulk operations. In the User Browser a few users are selected → Bulk actions → add
// to a group + remove app access → preview → confirm → the operation's page follows it to
// "completed" with its counts and results (naming the users); then cloudsim's own state shows the
// users in the group, and a changed user's detail lists the operation in its history.
//
// Called at the end of run.mjs with its page and helpers; needs ORGWARDEN_SIM_URL (cloudsim's base
// URL, set by scripts/browser-tests.sh). ORGWARDEN_OPERATION_TIMEOUT_MS: how long the operation may
// take (default 180000; it runs a sync before and after its changes).

/** How many users the flow selects. */
const PICK = 3;

/** cloudsim's whole organization (`GET /__sim/org`). */
export async function simOrg(simUrl) {
  const response = await fetch(`${simUrl.replace(/\/$/, '')}/__sim/org`);
  if (!response.ok) throw new Error(`GET /__sim/org answered ${response.status}`);
  return response.json();
}

/** A group orgwarden may change and that grants nothing (no admin roles, no product access). */
export function plainGroup(org) {
  const group = org.groups.find(
    (g) =>
      g.managedBy !== 'external' &&
      g.roles.length === 0 &&
      !/admin/i.test(g.name) &&
      g.memberIds.length > 0,
  );
  if (!group) throw new Error('cloudsim has no plain, modifiable group');
  return group;
}

/** True for a user the operation must act on: active, not an org admin, not yet in `group`. */
export function actionable(user, group) {
  return (
    user.status === 'active' &&
    user.accountType === 'atlassian' &&
    !user.platformRoles.includes('atlassian/org-admin') &&
    !group.memberIds.includes(user.accountId) &&
    user.productAccess.length > 0
  );
}

/**
 * The bulk-operations flow. `ctx`: run.mjs's `page`, `app` (the SPA's frame), `byId`, `shot`,
 * `check`, `until`, `text` and `toNumber`.
 */
export async function operationsFlow(ctx) {
  const { page, app, byId, shot, check, until, text, toNumber } = ctx;
  const simUrl = process.env.ORGWARDEN_SIM_URL;
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');
  const opTimeout = Number(process.env.ORGWARDEN_OPERATION_TIMEOUT_MS || 180_000);

  console.log(
    'operations 1. bulk actions: select a few users, add them to a group and remove an app',
  );
  const before = await simOrg(simUrl);
  const group = plainGroup(before);
  const simUsers = new Map(before.users.map((u) => [u.accountId, u]));

  await byId('nav-users').click();
  await byId('user-row').first().waitFor();
  await until(
    'an empty selection',
    () => text(byId('selection-count')),
    (v) => v.startsWith('0 of'),
  );
  const rows = byId('user-row');
  const picked = [];
  for (let i = 0; i < (await rows.count()) && picked.length < PICK; i += 1) {
    const row = rows.nth(i);
    const accountId = await row.getByTestId('user-name').getAttribute('data-account-id');
    const user = simUsers.get(accountId);
    if (!user || !actionable(user, group)) continue;
    await row.getByRole('checkbox').check();
    picked.push(user);
  }
  check(picked.length === PICK, `only ${picked.length} actionable users on the first page`);
  await until(
    'the selection count',
    () => text(byId('selection-count')),
    (v) => v.startsWith(`${PICK} of`),
  );
  const target = picked[0].productAccess[0];
  console.log(
    `  users: ${picked.map((u) => u.name).join(', ')}; group: ${group.name}; app: ${target.productKey} on ${target.siteId}`,
  );

  await byId('bulk-actions').click();
  const modal = byId('bulk-actions-modal');
  await modal.waitFor();
  await byId('add-action-addToGroups').click();
  await app.locator('[data-testid="groups-addToGroups-select--control"]').click();
  await page.keyboard.type(group.name);
  await app.getByRole('option', { name: group.name, exact: true }).click();
  await byId('add-action-removeAppAccess').click();
  const tile = app.locator(
    `[data-testid="app-tile"][data-site-id="${target.siteId}"][data-product-key="${target.productKey}"]`,
  );
  await tile.click();
  check((await tile.getAttribute('aria-pressed')) === 'true', 'the app tile is not chosen');
  await byId('bulk-reason').fill('Browser test: bulk operations');
  await shot('bulk-actions-chosen');

  console.log('operations 2. the preview counts changes and skips per action');
  await byId('bulk-preview').click();
  await byId('preview-summary').waitFor();
  const totals = await text(byId('preview-totals'));
  console.log(`  ${totals}`);
  check(
    totals.startsWith(`${PICK} users selected`),
    `the preview names another number of users: "${totals}"`,
  );
  const perAction = byId('preview-action-row');
  check((await perAction.count()) === 2, 'the preview does not count two actions');
  const addRow = await text(perAction.nth(0));
  check(addRow.startsWith('1. Add to groups'), `first action row: "${addRow}"`);
  check(
    toNumber(await text(perAction.nth(0).getByTestId('preview-act'))) === PICK,
    `not every user is added to the group: "${addRow}"`,
  );
  const removeRow = await text(perAction.nth(1));
  console.log(`  ${addRow} | ${removeRow}`);
  check((await byId('preview-item').count()) > 0, 'the preview lists no steps');
  await shot('bulk-preview');

  console.log('operations 3. confirm: the operation runs to "completed"');
  await byId('bulk-continue').click();
  const confirmation = await text(byId('bulk-confirmation'));
  check(
    confirmation.includes(`${PICK} users`) && confirmation.includes(`Add to groups: ${group.name}`),
    `the confirmation does not name the users and actions: "${confirmation}"`,
  );
  await shot('bulk-confirm');
  await byId('bulk-run').click();
  await byId('operation-detail').waitFor();
  const heading = await text(app.getByRole('heading', { level: 1 }));
  const state = await until(
    'the operation to finish',
    async () =>
      `${await byId('operation-state').getAttribute('data-state')}: ${await text(byId('progress-text'))}`,
    (v) => /^(completed|failed|cancelled):/.test(v),
    opTimeout,
  );
  check(state.startsWith('completed'), `the operation ended ${state}`);
  const done = toNumber(await text(byId('progress-done')));
  const failed = toNumber(await text(byId('progress-failed')));
  const skipped = toNumber(await text(byId('progress-skipped')));
  console.log(`  ${heading}: ${state}; done ${done}, skipped ${skipped}, failed ${failed}`);
  check(done >= PICK, `only ${done} steps done`);
  check(failed === 0, `${failed} steps failed`);
  await until(
    'the results table',
    () => byId('result-row').count(),
    (n) => n >= PICK,
  );
  const firstResult = await text(byId('result-row').first());
  check(
    picked.some((u) => firstResult.includes(u.name)),
    `the first result does not name its user: "${firstResult}"`,
  );
  await shot('operation-completed');

  console.log('operations 4. cloudsim: the selected users are in the group');
  const after = await simOrg(simUrl);
  const members = after.groups.find((g) => g.id === group.id)?.memberIds ?? [];
  const missing = picked.filter((u) => !members.includes(u.accountId));
  check(
    missing.length === 0,
    `not in ${group.name} on cloudsim: ${missing.map((u) => u.accountId).join(', ')}`,
  );
  const stillThere = picked.filter((u) =>
    after.users
      .find((a) => a.accountId === u.accountId)
      ?.productAccess.some((p) => p.siteId === target.siteId && p.productKey === target.productKey),
  );
  console.log(
    `  all ${PICK} in ${group.name}; ${PICK - stillThere.length} of ${PICK} no longer reach ${target.productKey} (the others were skipped with a reason)`,
  );

  await byId('nav-operations').click();
  await byId('operation-row').first().waitFor();
  const newest = await text(byId('operation-row').first());
  check(
    newest.includes('Completed'),
    `the newest operation in the list is not completed: "${newest}"`,
  );
  await shot('operations-list');

  console.log("operations 5. a changed user's detail lists the operation in its history");
  await byId('nav-users').click();
  await app.locator(`[data-testid="user-name"][data-account-id="${picked[0].accountId}"]`).click();
  await byId('user-detail').waitFor();
  await until(
    "the user's operation history",
    () => text(byId('user-history')),
    (v) => v.includes(`Add to groups: ${group.name}`) && v.includes('Done'),
  );
  await shot('user-history');
  await page.keyboard.press('Escape');
  await byId('user-detail').waitFor({ state: 'detached' });
}
