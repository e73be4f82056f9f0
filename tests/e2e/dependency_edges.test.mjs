// The pods' own calls as a learner meets them (issue 14): in the retry-amplification
// scenario the diagram draws the card network as a "Dependency" box with its own edge;
// when the network goes down the edge reads ×27 (3 attempts on each of 3 hops), then
// turns dashed red as the pods' breaker opens; the "Pods → dependency" fieldset turns
// the retries and the breaker off mid-run, as actions in the timeline and the link.
// Then a scenario with request priorities shows the Degraded mode switch for shedding,
// and once it is on, the refusals per class chart draws the classes shed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import path from 'node:path';
import { screenshot, SHOTS_DIR } from './support/browser.mjs';
import { seriousViolations } from './support/axe.mjs';

const s = specSession();

test('the dependency edge shows the amplification and the open breaker, and its controls act', async () => {
  // Two seconds into the outage (a link to T+5:02): every layer has multiplied by 3.
  const { page, app, watch } = await s.openApp('?s=retry-amplification&t=302');
  const edge = page.locator('.edge[data-from="pods"][data-to="external"]');
  await edge.waitFor();
  await page.getByRole('button', { name: 'Dependency' }).waitFor();
  const storm = await edge.locator('text').textContent();
  assert.match(storm, /calls\/s \u00d727/, storm);
  // Two fieldsets: the shoppers' app and the pods' calls.
  const pods = page.getByRole('group', { name: 'Pods \u2192 dependency' });
  await page.getByRole('group', { name: 'Clients' }).waitFor();
  assert.equal(await pods.getByLabel('Max attempts').inputValue(), '3');
  assert.ok(await pods.getByLabel('Circuit breaker').isChecked());
  // Later the pods' breaker is open: the edge is dashed red and says so.
  await app.play(10);
  await app.waitForSimTime(330, 60000);
  await app.pause();
  await page.waitForFunction(
    () => document.querySelector('.edge[data-to="external"]')?.classList.contains('breaker-open'),
    null,
    { timeout: 5000 },
  );
  assert.match(await edge.locator('text').textContent(), /breaker open/);
  await screenshot(page, 'dependency-breaker-open');
  // The Protection chart draws the dependency's breaker as a lane under its plot, and
  // leaves out the lanes of the edges without a breaker.
  const protection = page.locator('figure[data-chart="chart-protection"]');
  await page.waitForFunction(() => document.getElementById('chart-protection')?.height === 170 + 14);
  const now = await protection.locator('.chart-latest').innerText();
  assert.match(now, /dependency breaker open/, now);
  assert.doesNotMatch(now, /database breaker|cache breaker/, now);
  await protection.screenshot({ path: path.join(SHOTS_DIR, 'chart-protection-lanes.png') });
  // One attempt and no breaker: every call reaches the network once.
  await pods.getByLabel('Max attempts').fill('1');
  await pods.getByLabel('Max attempts').press('Tab');
  await pods.getByLabel('Circuit breaker').uncheck();
  const log = await app.eventLog();
  assert.ok(
    log.some((l) => /pods no longer retry dependency calls: one attempt per call/.test(l)),
    log.join(' | '),
  );
  assert.ok(log.some((l) => /pods' dependency circuit breaker off/.test(l)), log.join(' | '));
  await app.play(10);
  await app.waitForSimTime(345, 60000);
  await app.pause();
  const label = await edge.locator('text').textContent();
  assert.doesNotMatch(label, /\u00d7|breaker/, label);
  assert.doesNotMatch(await edge.getAttribute('class'), /breaker-open/);
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Link to this run').inputValue();
  assert.match(link, /_rt_1_n_n_0_ex(~|&|$)/);
  assert.match(link, /_bk_0_ex(~|&|$)/);
  assert.deepEqual(await seriousViolations(page), []);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('a scenario with request priorities offers load shedding as a switch', async () => {
  const { page, app, watch } = await s.openApp('?s=first-spike');
  const degraded = page.getByRole('group', { name: 'Degraded mode' });
  await degraded.waitFor();
  const shed = degraded.getByLabel('Load shedding by priority');
  assert.equal(await shed.isChecked(), false);
  await shed.check();
  const log = await app.eventLog();
  assert.ok(log.some((l) => /load shedding on/.test(l)), log.join(' | '));
  assert.ok(await shed.isChecked());
  // The scenario with one class has nothing to shed first: no switch.
  await page.goto(s.server.url + '?s=retry-storm');
  await page.getByRole('group', { name: 'Clients' }).waitFor();
  assert.equal(await page.getByRole('group', { name: 'Degraded mode' }).count(), 0);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('turning load shedding on in the sale draws the classes it sheds', async () => {
  // Ten seconds before the flash sale's push at 12:00 (T+1:00:00).
  const { page, app, watch } = await s.openApp('?s=flash-sale&t=3590');
  const refusals = page.locator('figure[data-chart="chart-refusals"]');
  const empty = refusals.locator('.chart-empty');
  await empty.waitFor();
  assert.match(await empty.innerText(), /Load shedding by priority/);
  await page.getByRole('group', { name: 'Degraded mode' }).getByLabel('Load shedding by priority').check();
  await app.play(60);
  await app.waitForSimTime(3720, 60000);
  await app.pause();
  await refusals.locator('canvas').waitFor();
  assert.equal(await empty.count(), 0);
  // Checkout has the highest priority: only the other classes are shed.
  const now = await refusals.locator('.chart-latest').innerText();
  assert.match(now, /product_pages \(priority 2\) shed [\d.]+k? req\/s/, now);
  assert.doesNotMatch(now, /checkout/, now);
  await refusals.screenshot({ path: path.join(SHOTS_DIR, 'chart-refusals-flash-sale.png') });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
