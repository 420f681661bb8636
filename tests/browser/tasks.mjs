// End-to-end: automated tasks. A saved filter that selects one user → "Create task…" → the
// editor (actions, weekly schedule, review with the live preview naming the user) → a dry run that
// plans "Would change" and changes nothing in cloudsim → a real run that puts the user in the
// group → the user's detail names the run → the run's results opened by a Jira deep link (Connect `ac.` parameters) → switched off →
// duplicated → the copy and the task deleted after confirmations that name them.
//
// Called from run.mjs with its page and helpers; needs ORGWARDEN_SIM_URL (set by
// scripts/browser-tests.sh). ORGWARDEN_OPERATION_TIMEOUT_MS: how long a run may take (default
// 180000; it syncs before and after its changes).
import { actionable, plainGroup, simOrg } from './operations.mjs';

/** The host page URL with Connect `ac.` parameters for the app's iframe. */
function deepLink(hostUrl, params) {
  const url = new URL(hostUrl);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(`ac.${name}`, value);
  return url.toString();
}

/** The task list's row of the task named `name`. */
function rowOf(byId, name) {
  return byId('task-row').filter({ has: byId('task-link').getByText(name, { exact: true }) });
}

/**
 * The automated-tasks flow. `ctx`: run.mjs's `page`, `app` (the SPA's frame), `byId`, `shot`,
 * `check`, `until`, `text` and `hostUrl`.
 */
export async function tasksFlow(ctx) {
  const { page, app, byId, shot, check, until, text, hostUrl } = ctx;
  const simUrl = process.env.ORGWARDEN_SIM_URL;
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');
  const runTimeout = Number(process.env.ORGWARDEN_OPERATION_TIMEOUT_MS || 180_000);
  const stamp = Date.now();

  console.log('tasks 1. a saved filter that selects one user, and "Create task…" from it');
  const before = await simOrg(simUrl);
  const group = plainGroup(before);
  const user = before.users.find((u) => actionable(u, group) && u.email);
  check(user !== undefined, `no user to add to ${group.name}`);
  await byId('nav-users').click();
  await byId('user-row').first().waitFor();
  if (await byId('filter-clear').isVisible()) await byId('filter-clear').click();
  await byId('user-search').fill(user.email);
  await until(
    'the one user',
    () => byId('user-row').count(),
    (n) => n === 1,
  );
  const filterName = `Task filter ${stamp}`;
  await byId('save-filter').click();
  await byId('save-filter-modal').waitFor();
  await byId('filter-name-input').fill(filterName);
  await byId('save-filter-new').click();
  await until(
    'the applied saved filter',
    () => text(byId('saved-filter-name')),
    (v) => v === filterName,
  );
  await byId('saved-filter-create-task').click();
  await byId('task-editor').waitFor();
  console.log(`  ${filterName}: ${user.name} (${user.email}); group: ${group.name}`);

  console.log(
    'tasks 2. the editor: name, filter, actions, schedule, review with who it would touch now',
  );
  const taskName = `Browser task ${stamp}`;
  await byId('task-name').fill(taskName);
  await page.keyboard.press('Enter');
  await until(
    'the chosen saved filter',
    () => text(byId('task-filter-select--container')),
    (v) => v.includes(filterName),
  );
  await byId('task-next').click();
  await byId('add-action-addToGroups').click();
  await app.locator('[data-testid="groups-addToGroups-select--control"]').click();
  await page.keyboard.type(group.name);
  await app.getByRole('option', { name: group.name, exact: true }).click();
  await byId('task-reason').fill('Browser test: automated tasks');
  await byId('task-next').click();
  await byId('schedule-kind-weekly--radio-input').check();
  await byId('schedule-time').fill('09:30');
  const words = await until(
    'the schedule in words',
    () => text(byId('schedule-words')),
    (v) => v.startsWith('Every Monday at 09:30'),
  );
  await shot('task-schedule');
  await byId('task-next').click();
  const preview = await until(
    'the live preview',
    () => text(byId('task-preview-count')),
    (v) => /^1 user:/.test(v),
  );
  check(preview.includes(user.name), `the preview does not name ${user.name}: "${preview}"`);
  console.log(`  ${words}; preview: ${preview}`);
  await shot('task-review');
  await byId('task-save').click();
  await byId('task-detail').waitFor();
  const taskId = new URLSearchParams(
    await app.locator('body').evaluate(() => window.location.search),
  ).get('task');
  check(Boolean(taskId), 'the task page has no task id in its URL');

  console.log('tasks 3. a dry run plans the change and changes nothing');
  await byId('task-dry-run').click();
  await byId('run-detail').waitFor();
  await until(
    'the dry run to end',
    () => byId('run-state').first().getAttribute('data-state'),
    (v) => v !== 'running',
    runTimeout,
  );
  const dryState = await byId('run-state').first().getAttribute('data-state');
  check(dryState === 'succeeded', `the dry run ended ${dryState}`);
  await until(
    'the planned step',
    () => byId('result-row').count(),
    (n) => n >= 1,
  );
  const planned = await text(byId('result-row').first());
  check(
    planned.includes(user.name) && planned.includes('Would change'),
    `the dry run's step: "${planned}"`,
  );
  const dryProcess = (await text(byId('run-facts'))).match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0];
  check(Boolean(dryProcess), 'the run shows no process id');
  const afterDry = await simOrg(simUrl);
  check(
    !afterDry.groups.find((g) => g.id === group.id)?.memberIds.includes(user.accountId),
    'the dry run changed cloudsim',
  );
  console.log(`  dry run ${dryProcess}: ${await text(byId('run-counts'))}; cloudsim unchanged`);
  await shot('task-dry-run');

  console.log('tasks 4. a real run does what the preview said');
  await byId('run-back').click();
  await byId('task-run').click();
  await byId('run-task-confirm').click();
  await byId('run-detail').waitFor();
  await until(
    'the run to end',
    () => byId('run-state').first().getAttribute('data-state'),
    (v) => v !== 'running',
    runTimeout,
  );
  const runState = await byId('run-state').first().getAttribute('data-state');
  check(runState === 'succeeded', `the run ended ${runState}: ${await text(byId('run-counts'))}`);
  await until(
    'the done step',
    () => text(byId('result-row').first()),
    (v) => v.includes('Done'),
  );
  const afterRun = await simOrg(simUrl);
  check(
    afterRun.groups.find((g) => g.id === group.id)?.memberIds.includes(user.accountId),
    `${user.name} is not in ${group.name} on cloudsim`,
  );
  console.log(`  run: ${await text(byId('run-counts'))}; cloudsim: ${user.name} in ${group.name}`);
  await shot('task-run');

  console.log("tasks 5. the user's detail lists the run that changed them");
  await byId('nav-users').click();
  await byId('user-search').fill(user.email);
  await app.locator(`[data-testid="user-name"][data-account-id="${user.accountId}"]`).click();
  await byId('user-detail').waitFor();
  await until(
    "the user's history",
    () => text(byId('user-history')),
    (v) => v.includes(`Run of the task “${taskName}”`),
  );
  await shot('task-user-history');

  console.log("tasks 6. a deep link opens the dry run's results");
  await page.goto(deepLink(hostUrl, { view: 'tasks', task: taskId, process: dryProcess }), {
    waitUntil: 'load',
  });
  await byId('run-detail').waitFor();
  await until(
    'the dry run of the task',
    () => text(byId('run-detail')),
    (v) => v.includes(dryProcess) && v.includes(`Dry run of ${taskName}`),
  );
  await shot('task-deep-link');

  console.log('tasks 7. switched off from the list');
  await byId('run-back').click();
  await byId('tasks-back').click();
  const row = rowOf(byId, taskName);
  await row.waitFor();
  const toggle = row.getByRole('checkbox', { name: `Active: ${taskName}` });
  check(await toggle.isChecked(), 'the new task is not active');
  await toggle.click({ force: true });
  await until(
    'the task switched off',
    () => text(row),
    (v) => v.includes('Off'),
  );
  await shot('task-switched-off');

  console.log('tasks 8. duplicated, then the copy and the task deleted');
  const copyName = `${taskName} (copy)`;
  await row.getByTestId('task-menu').click();
  await byId('task-duplicate').click();
  await rowOf(byId, copyName).waitFor();
  for (const name of [copyName, taskName]) {
    await rowOf(byId, name).getByTestId('task-menu').click();
    await byId('task-delete').click();
    const title = await text(byId('delete-task-modal'));
    check(
      title.includes(`Delete the task “${name}”?`),
      `the confirmation does not name the task: "${title}"`,
    );
    await byId('delete-task-confirm').click();
    await rowOf(byId, name).waitFor({ state: 'detached' });
  }
  await shot('tasks-deleted');
}
