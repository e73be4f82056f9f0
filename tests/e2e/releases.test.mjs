// Releases as a learner meets them (issue 15): in the canary-rollout scenario the
// Release fieldset says what the pods run; the learner sends the bad v1.1 out as a
// canary from the page, watches it take 1 % of the traffic, and sees the analysis roll
// it back at its first stage, in the fieldset's status and the timeline. A rolling
// update of the fixed version then replaces every pod. The actions are in the link.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { screenshot } from './support/browser.mjs';
import { seriousViolations } from './support/axe.mjs';

const s = specSession();

test('a canary of a bad release started from the page is rolled back at its first stage', async () => {
  // Ten minutes in, long before the scenario's own canary at T+25:00.
  const { page, app, watch } = await s.openApp('?s=canary-rollout&t=600');
  const release = page.getByRole('group', { name: 'Release' });
  await release.waitFor();
  assert.match(await release.innerText(), /Pods run v1\.0\./);
  const version = release.getByLabel('Version');
  assert.deepEqual(await version.locator('option').allInnerTexts(), ['v1.1', 'v1.1-fixed']);
  await version.selectOption('v1.1');
  await release.getByRole('button', { name: 'Canary', exact: true }).click();
  const status = release.locator('.release-status');
  await page.waitForFunction(
    () => /canary of v1\.1: stage 1 of 4, 1 % of the traffic/.test(document.querySelector('.release-status')?.textContent ?? ''),
    null,
    { timeout: 5000 },
  );
  assert.ok(await release.getByRole('button', { name: 'Canary', exact: true }).isDisabled());
  let log = await app.eventLog();
  assert.ok(log.some((l) => /canary: v1\.1 takes 1 % of the traffic beside v1\.0 \(stage 1 of 4\)/.test(l)), log.join(' | '));
  // Its pod is outlined in the diagram once the next frame draws it.
  await page.waitForFunction(() => document.querySelectorAll('.layer-pods .pod-new').length === 1, null, { timeout: 5000 });
  assert.match(await page.locator('.legend-release').innerText(), /outlined = v1\.1, being released/);
  await screenshot(page, 'release-canary-running');
  // One analysis interval after its pod is ready, the canary's 5 % errors against v1.0's
  // 0 % roll it back.
  await app.play(10);
  await app.waitForSimTime(700, 60000);
  await app.pause();
  assert.match(await status.innerText(), /canary of v1\.1 rolled back at stage 1: error rate/);
  assert.equal(await page.locator('.layer-pods .pod-new').count(), 0);
  assert.equal(await page.locator('.legend-release').count(), 0);
  log = await app.eventLog();
  const rollback = log.find((l) => /canary ROLLED BACK at stage 1 \(1 % of the traffic\)/.test(l));
  assert.ok(rollback, log.join(' | '));
  assert.match(rollback, /its error rate [\d.]+ % passed the stable version's \+ allowance, 0\.5 %/);
  assert.ok(!(await release.getByRole('button', { name: 'Canary', exact: true }).isDisabled()));
  await screenshot(page, 'release-canary-rolled-back');
  // The fixed version as a rolling update: every pod is replaced.
  await version.selectOption('v1.1-fixed');
  await release.getByRole('button', { name: 'Roll out', exact: true }).click();
  log = await app.eventLog();
  assert.ok(log.some((l) => /Deployment: rolling update v1\.0 \u2192 v1\.1-fixed/.test(l)), log.join(' | '));
  await app.play(10);
  await app.waitForSimTime(900, 60000);
  await app.pause();
  assert.match(await release.innerText(), /Pods run v1\.1-fixed\./);
  assert.match(await status.innerText(), /rolled out v1\.1-fixed/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Link to this run').inputValue();
  assert.match(link, /_cn_v1\.1(~|&|$)/, link);
  assert.match(link, /_ro_v1\.1-fixed(~|&|$)/, link);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
