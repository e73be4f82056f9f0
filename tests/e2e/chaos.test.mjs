// Chaos experiments and blue-green releases as a learner meets them (issue 15). In
// zone-outage the learner picks the Chaos Gorilla preset in the Chaos experiments panel,
// runs it, watches the steady state checked, the zone taken away, the bounds measured
// against their tolerances, and the verdict. In canary-rollout the bad v1.1 goes out
// blue-green: green takes all the traffic once ready, the analysis switches back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { screenshot } from './support/browser.mjs';
import { seriousViolations } from './support/axe.mjs';

const s = specSession();

test('the Chaos Gorilla preset runs from the page to its verdict', async () => {
  const { page, app, watch } = await s.openApp('?s=zone-outage&t=60');
  const panel = page.getByRole('group', { name: 'Chaos experiments' });
  await panel.waitFor();
  const picker = panel.getByLabel('Experiment');
  const titles = await picker.locator('option').allInnerTexts();
  assert.ok(titles.includes('Chaos Gorilla: lose a zone'), titles.join(' | '));
  await picker.selectOption('chaos-gorilla');
  await panel.getByRole('button', { name: 'Run experiment' }).click();
  await page.waitForFunction(
    () => /checking the steady state/.test(document.querySelector('.experiment-status')?.textContent ?? ''),
    null,
    { timeout: 5000 },
  );
  assert.ok(await panel.getByRole('button', { name: 'Run experiment' }).isDisabled());
  assert.ok(!(await panel.getByRole('button', { name: 'Abort' }).isDisabled()));
  assert.match(await panel.locator('.hypothesis').innerText(), /When zone a goes dark/);
  assert.equal(await panel.locator('table.bounds meter').count(), 2);
  // The method: zone a is taken away after the one-minute steady-state check.
  await app.play(10);
  await app.waitForSimTime(200, 60000);
  await app.pause();
  let log = await app.eventLog();
  assert.ok(log.some((l) => /experiment chaos-gorilla: the steady state held; the method starts/.test(l)), log.join(' | '));
  assert.ok(log.some((l) => /Experiment: kill zone a/.test(l)), log.join(' | '));
  await screenshot(page, 'chaos-gorilla-running');
  // Ten minutes of zone a gone, then its restore, then the verdict at T+17:00.
  await app.play(100);
  await app.waitForSimTime(1100, 90000);
  await app.pause();
  const verdict = panel.locator('.verdict');
  assert.match(await verdict.innerText(), /^Verdict: (hypothesis held|hypothesis refuted: the steady state deviated)$/);
  assert.match(await panel.locator('.experiment-status').innerText(), /cost [\d.]+ % of the error budget \(zone a\)/);
  log = await app.eventLog();
  assert.ok(log.some((l) => /Experiment: restore zone a/.test(l)), log.join(' | '));
  assert.ok(!(await panel.getByRole('button', { name: 'Run experiment' }).isDisabled()));
  await screenshot(page, 'chaos-gorilla-verdict');
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Link to this run').inputValue();
  assert.match(link, /_xr_chaos%2[Dd]gorilla|_xr_chaos-gorilla/, link);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('a bad release sent out blue-green is switched back by its analysis', async () => {
  const { page, app, watch } = await s.openApp('?s=canary-rollout&t=300');
  const release = page.getByRole('group', { name: 'Release' });
  await release.waitFor();
  await release.getByLabel('Version').selectOption('v1.1');
  await release.getByRole('button', { name: 'Blue-green', exact: true }).click();
  await page.waitForFunction(
    () => /blue-green: v1\.1 starting beside v1\.0, no traffic yet/.test(document.querySelector('.release-status')?.textContent ?? ''),
    null,
    { timeout: 5000 },
  );
  assert.ok(!(await release.getByRole('button', { name: 'Switch back', exact: true }).isDisabled()));
  await page.waitForFunction(() => document.querySelectorAll('.layer-pods .pod-new').length === 4, null, { timeout: 5000 });
  await screenshot(page, 'blue-green-staged');
  await app.play(10);
  await app.waitForSimTime(500, 60000);
  await app.pause();
  const log = await app.eventLog();
  assert.ok(log.some((l) => /the load balancer SWITCHED all traffic to v1\.1/.test(l)), log.join(' | '));
  assert.ok(log.some((l) => /blue-green SWITCHED BACK to v1\.0 at once: its error rate [\d.]+ % passed blue's before the switch \+ allowance/.test(l)), log.join(' | '));
  assert.match(await release.locator('.release-status').innerText(), /blue-green: switched back from v1\.1: error rate/);
  assert.ok(await release.getByRole('button', { name: 'Switch back', exact: true }).isDisabled());
  await screenshot(page, 'blue-green-switched-back');
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
