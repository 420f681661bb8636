// End-to-end: Settings → Notifications. A webhook to cloudsim's Automation incoming webhook
// receiver is added (its generated whsec_ secret shown once), "Send test" queues a delivery that
// the log follows from pending to succeeded, its details show the payload and the receiver's
// answer, the receiver got it with the secret as its Automation token and a Standard Webhooks
// signature that verifies, and the webhook is deleted after a confirmation naming it (closing its
// log). From the first click to the last, the app logs no error and no request fails.
//
// Called from run.mjs with its page and helpers; needs ORGWARDEN_SIM_URL (cloudsim's base URL).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `signature` (`v1,<base64> …`) signs `id.timestamp.body` with the whsec_ secret. */
export function verifySignature(secret, headers, body) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`)
    .digest();
  return (headers['webhook-signature'] ?? '').split(' ').some((part) => {
    const [version, value] = part.split(',');
    const given = Buffer.from(value ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Clicks `locator` in a modal: inside Jira the iframe is as tall as the app and a modal is fixed
 * to its top, so a tall modal's footer can sit below the window, where no scrolling inside the
 * iframe reaches it; the host page is scrolled instead, as a person would.
 */
async function clickInModal(page, locator) {
  await locator.waitFor();
  const box = await locator.boundingBox();
  const height = page.viewportSize()?.height ?? 900;
  if (box && box.y + box.height > height)
    await page.evaluate((dy) => window.scrollBy(0, dy), box.y + box.height - height + 16);
  await locator.click();
}

async function simJson(simUrl, path, init) {
  const answer = await fetch(`${simUrl}${path}`, init);
  if (!answer.ok) throw new Error(`cloudsim ${path} answered ${answer.status}`);
  return answer.json();
}

/**
 * The webhooks flow. `ctx`: run.mjs's `page`, `app`, `byId`, `shot`, `check`, `until`, `text` and
 * `watcher` (from `watchLoad`).
 */
export async function webhooksFlow(ctx) {
  const { page, app, byId, shot, check, until, text, watcher } = ctx;
  const simUrl = process.env.ORGWARDEN_SIM_URL;
  check(Boolean(simUrl), 'ORGWARDEN_SIM_URL is not set (scripts/browser-tests.sh sets it)');
  const hookPath = `browser-${Date.now()}`;
  const name = `Automation ${hookPath}`;

  console.log('webhooks 1. Settings → Notifications: the form checks its fields before sending');
  watcher.start();
  await byId('nav-settings').click();
  const section = byId('notifications');
  await section.waitFor();
  await section.scrollIntoViewIfNeeded();
  await byId('webhook-add').click();
  const form = byId('webhook-form-modal');
  await form.waitFor();
  await clickInModal(page, byId('webhook-save'));
  const errors = await until(
    'the field errors',
    () => form.getByTestId('webhook-field-error').allInnerTexts(),
    (v) => Array.isArray(v) && v.length === 3,
  );
  console.log(`  ${errors.join(' / ')}`);

  console.log(
    'webhooks 2. add a webhook to cloudsim’s Automation receiver; its secret is shown once',
  );
  await byId('webhook-name').fill(name);
  await byId('webhook-url').fill(`${simUrl}/automation/webhooks/${hookPath}`);
  await byId('webhook-event-syncFailed--checkbox-label').click();
  await byId('webhook-event-operationFinished--checkbox-label').click();
  await shot('webhook-form');
  await clickInModal(page, byId('webhook-save'));
  const secretModal = byId('webhook-secret-modal');
  await secretModal.waitFor();
  const secret = await byId('webhook-created-secret').inputValue();
  check(
    /^whsec_[A-Za-z0-9+/]+=*$/.test(secret),
    `the generated secret is not whsec_…: "${secret.slice(0, 8)}…"`,
  );
  check(
    (await text(byId('webhook-secret-warning'))).includes("won't be shown again"),
    'no warning that the secret is shown once',
  );
  await byId('copy-webhook-secret').click();
  await until(
    'the copy status',
    () => text(byId('webhook-copy-status')),
    (v) => v !== '',
  );
  await shot('webhook-secret');
  await clickInModal(page, byId('webhook-secret-done'));
  await secretModal.waitFor({ state: 'detached' });
  check(
    !(await app.locator('body').innerText()).includes(secret),
    'the secret is still on the page after the modal closed',
  );
  // The receiver checks the secret as its Automation token.
  await simJson(simUrl, '/__sim/automation/webhooks', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ path: hookPath, token: secret }),
  });

  const row = app.locator('[data-testid="webhook-row"]', { hasText: name });
  await row.waitFor();
  const rowText = await text(row);
  check(
    rowText.includes('Sync failed') &&
      rowText.includes('Bulk operation finished') &&
      rowText.includes('Active'),
    `unexpected row: ${rowText}`,
  );
  check(rowText.includes('None yet'), `a new webhook already has a delivery: ${rowText}`);

  console.log('webhooks 3. "Send test": the log shows the delivery until it has succeeded');
  await row.getByTestId('webhook-test').click();
  const log = byId('delivery-log');
  await log.waitFor();
  const delivery = log.getByTestId('delivery-row').first();
  await delivery.waitFor();
  const finalState = await until(
    'the test delivery to succeed',
    () => delivery.getAttribute('data-state'),
    (v) => v === 'succeeded' || v === 'failed',
  );
  const deliveryText = await text(delivery);
  check(finalState === 'succeeded', `the test delivery ${finalState}: ${deliveryText}`);
  check(
    deliveryText.startsWith('Test') &&
      (await text(delivery.getByTestId('delivery-status'))) === '200',
    `unexpected delivery row: ${deliveryText}`,
  );
  const deliveryId = await delivery.getAttribute('data-delivery-id');
  console.log(`  ${deliveryId}: ${deliveryText}`);
  await until(
    'the list’s last delivery',
    () => text(row.getByTestId('webhook-row-last')),
    (v) => v.includes('Succeeded') && v.includes('HTTP 200'),
  );

  console.log('webhooks 4. its details show the payload sent and the receiver’s answer');
  await delivery.getByTestId('delivery-expand').click();
  const details = byId('delivery-detail');
  await details.waitFor();
  const payload = JSON.parse(await byId('delivery-payload').innerText());
  check(
    payload.id === deliveryId,
    `the payload's id ${payload.id} is not the delivery's ${deliveryId}`,
  );
  check(
    JSON.stringify(payload).includes('"test"'),
    `the payload does not name the test event: ${JSON.stringify(payload).slice(0, 200)}`,
  );
  const outcome = await text(details.getByTestId('delivery-attempt-outcome').first());
  check(outcome.startsWith('HTTP 200'), `the attempt says "${outcome}"`);
  check(
    (await text(details.getByTestId('delivery-attempt-response').first())).includes('"ok"'),
    'the receiver’s answer is not shown',
  );
  await shot('webhook-delivery-log');

  console.log(
    'webhooks 5. the receiver got it once, with the Automation token and a signature that verifies',
  );
  const { items } = await simJson(
    simUrl,
    `/__sim/automation/deliveries?path=${encodeURIComponent(hookPath)}`,
  );
  const got = items.filter((r) => r.headers['webhook-id'] === deliveryId);
  check(got.length === 1, `cloudsim got the delivery ${got.length} times`);
  const [received] = got;
  check(
    received.accepted && received.headers['x-automation-webhook-token'] === secret,
    'cloudsim did not get the secret as the Automation token',
  );
  check(
    verifySignature(secret, received.headers, received.body),
    'the webhook-signature does not verify with the secret',
  );
  check(JSON.parse(received.body).id === deliveryId, 'the body received is not the payload shown');

  console.log('webhooks 6. delete it, after a confirmation naming it');
  await row.getByTestId('webhook-delete').click();
  const confirm = byId('delete-webhook-modal');
  await confirm.waitFor();
  check((await text(confirm)).includes(name), 'the confirmation does not name the webhook');
  await clickInModal(page, byId('delete-webhook-confirm'));
  await confirm.waitFor({ state: 'detached' });
  await row.waitFor({ state: 'detached' });
  await log.waitFor({ state: 'detached' });
  await page.waitForTimeout(1_500);
  const problems = watcher.stop();
  check(problems.length === 0, `the webhooks flow had problems:\n  ${problems.join('\n  ')}`);
}
