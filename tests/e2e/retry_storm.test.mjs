// The retry storm as a learner meets it: the scenario played on the playground, where the
// pods are OOM-killed again after the bad release is rolled back (the clients' retries
// keep the service down); then the interview drill, where the learner rolls back and
// calms the clients with the Clients controls (exponential backoff, full jitter, a retry
// budget), finishes, and the interview page grades the drill as passed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { watchProblems, screenshot } from './support/browser.mjs';
import { AppPage, parseClock } from './support/app_page.mjs';
import { seriousViolations } from './support/axe.mjs';

const s = specSession();

/** Seconds of the "T+m:ss" a log line starts with. */
const at = (line) => parseClock(line);

test('the retry storm: after the rollback the retries OOM-kill the pods again', async () => {
  const { page, app, watch } = await s.openApp('?s=retry-storm');
  const clients = page.getByRole('group', { name: 'Clients' });
  await clients.waitFor();
  // The scenario's clients, as the controls show them: 4 attempts at once, in step.
  assert.equal(await clients.getByLabel('Max attempts').inputValue(), '4');
  assert.equal(await clients.getByLabel('Backoff').inputValue(), 'none');
  assert.ok(await clients.getByLabel('Jitter').isDisabled(), 'no backoff: no jitter to pick');
  assert.equal(await clients.getByLabel('Retry budget (20 %)').isChecked(), false);
  assert.equal(await clients.getByLabel('Circuit breaker').isChecked(), false);
  await app.play(100);
  // The release fails every login from T+5:00 and is rolled back at T+7:00.
  await app.waitForSimTime(540, 60000);
  await app.pause();
  const log = await app.eventLog();
  const rollback = log.find((l) => /Fault cleared: bad release \(rolled back\)/.test(l));
  assert.ok(rollback, log.join(' | '));
  const ooms = log.filter((l) => /OOM-killed/.test(l)).map(at);
  assert.ok(ooms.some((t) => t < at(rollback)), `OOM kills while the release failed: ${ooms}`);
  const again = ooms.filter((t) => t > at(rollback));
  assert.ok(again.length >= 3, `pods OOM-killed again after the rollback at ${at(rollback)} s: ${again}`);
  // The Retries chart is on: the storm shows there too.
  await page.getByRole('img', { name: /Attempts against first tries, retries/ }).first().waitFor();
  await page.getByRole('region', { name: 'Charts' }).screenshot({ path: await shotPath('retry-storm-charts') });
  await screenshot(page, 'retry-storm-second-crash');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('the storm drill: roll back and calm the clients with the Clients controls, and it passes', async () => {
  const page = await s.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const watch = await watchProblems(page, s.server.origin);
  await page.goto(s.server.url + 'interview.html?interview=retry-storm');
  await page.locator('.interview-sheet').waitFor({ timeout: 15000 });
  await page.getByRole('button', { name: 'Start the drill' }).click();
  const banner = page.getByRole('region', { name: 'Drill' });
  await banner.waitFor({ timeout: 15000 });
  assert.match(new URL(page.url()).search, /^\?s=retry-storm.*&drill=storm/);
  const app = new AppPage(page);
  await page.waitForFunction(
    () => /the fault struck/.test(document.querySelector('.drill-banner')?.textContent ?? ''),
    null,
    { timeout: 30000 },
  );
  // The learner reads the charts for about 20 s of the run (the playbook acts at 20 s:
  // a rollback right away would end the fault before any storm), then stops the clock
  // to act: the rollback, then the clients.
  const struck = await app.simSeconds();
  await app.waitForSimTime(struck + 18);
  await app.pause();
  await app.action('Restore').click();
  const clients = page.getByRole('group', { name: 'Clients' });
  await clients.getByLabel('Backoff').selectOption('exponential');
  await clients.getByLabel('Jitter').selectOption('full');
  await clients.getByLabel('Retry budget (20 %)').check();
  assert.equal(await clients.getByLabel('Jitter').inputValue(), 'full');
  assert.ok(await clients.getByLabel('Retry budget (20 %)').isChecked());
  const log = await app.eventLog();
  assert.ok(
    log.some((l) => /clients now retry up to 3 times \(4 attempts\), exponential backoff with full jitter, retry budget 20 %/.test(l)),
    log.join(' | '),
  );
  // The actions are in the share link too.
  await page.getByRole('button', { name: 'Copy link' }).click();
  assert.match(await page.getByLabel('Link to this run').inputValue(), /_rt_4_e_f_1(~|&|$)/);
  await page.getByRole('region', { name: 'Actions' }).screenshot({ path: await shotPath('retry-storm-drill-clients') });
  assert.deepEqual(await seriousViolations(page), []);
  await app.play();
  // The run's end finishes the drill: four actions kept for the interview page.
  await page.getByText(/Drill done: your 4 actions are kept/).waitFor({ timeout: 90000 });
  await page.getByRole('link', { name: /Back to the interview/ }).click();
  const debrief = page.getByRole('article', { name: 'Debrief of storm' });
  await debrief.waitFor({ timeout: 60000 });
  const title = await debrief.locator('h4').innerText();
  const pct = Number(title.match(/\((\d+) %\)/)[1]);
  assert.ok(pct >= 70, `passed: ${title}`);
  assert.match(title, /\u2713/);
  assert.equal(await debrief.getAttribute('class'), 'debrief passed');
  // The calm policy is what counted: without it the run does worse.
  const lines = await debrief.locator('li').allInnerTexts();
  const calm = lines.find((l) => /full jitter, retry budget 20 %/.test(l));
  assert.match(calm ?? lines.join(' | '), /: counted/);
  await screenshot(page, 'retry-storm-drill-debrief');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

/** A path under the shots folder for an element screenshot. */
async function shotPath(name) {
  const { SHOTS_DIR } = await import('./support/browser.mjs');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(SHOTS_DIR, { recursive: true });
  return `${SHOTS_DIR}/${name}.png`;
}
