// End-to-end specs of the diagram's failure badges and of
// the diagram on a phone: at the worst moment of the zone-kill
// story no badge covers a zone, node or region label or takes its clicks, at
// 1280 px, at 375 px and in the embed; on a phone the diagram shows that it
// scrolls sideways, and zone c is reachable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { screenshot } from './support/browser.mjs';
import { badgeReport, textSizes } from './support/diagram.mjs';

const session = specSession();

const openApp = (query, viewport) => session.openApp(query, viewport);

function assertClear(report, where) {
  assert.ok(report.badges.some((b) => /req\/s failing/.test(b)), `${where}: no failure badge drawn: ${JSON.stringify(report.badges)}`);
  assert.ok(report.labels >= 6, `${where}: only ${report.labels} labels found`);
  assert.deepEqual(report.overlaps, [], `${where}: badges cover labels`);
  assert.deepEqual(report.grabbing, [], `${where}: badges take pointer events`);
}

test('zone outage, just after zone b dies: no badge covers a label or takes its clicks', async () => {
  const { page, app, watch } = await openApp('?s=zone-outage&seed=42');
  // Zone b dies at T+0 (t = 600 s); its dead pods keep failing requests until
  // the health checks notice (3 × 10 s): the peak of the badges.
  await app.play(100);
  await app.waitForSimTime(585, 60000);
  await app.pause();
  await app.play(10);
  await app.waitForSimTime(603);
  await app.pause();
  const t = await app.simSeconds();
  assert.ok(t >= 603 && t <= 625, `paused at t = ${t} s, not just after the kill`);
  await page.waitForFunction(() => /zone b — DOWN/.test(document.querySelector('.layer-regions')?.textContent ?? ''));
  const report = await badgeReport(page);
  assertClear(report, `t = ${t} s`);
  // The dead zone's badge gives the count and the biggest reason; the zone's
  // inspector lists every reason.
  assert.ok(report.badges.some((b) => /req\/s failing.*dead pod not yet detected/.test(b)), report.badges.join(' | '));
  await screenshot(page, 'badges-zone-outage-1280', { fullPage: false });
  // A click on a badge's zone reaches the zone: zone b's badge sits under its box.
  const badge = page.locator('svg.diagram .badge', { hasText: 'dead pod' });
  const r = await badge.boundingBox();
  await page.mouse.click(r.x + r.width / 2, r.y - 8);
  await page.getByRole('heading', { name: /^Zone b / }).waitFor();
  assert.match(await page.locator('.failure-reasons').innerText(), /dead pod not yet detected/);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('the same moment at 375 px and in the embed: badges still cover no label', async () => {
  const link = '?s=zone-outage&seed=42&t=605';
  for (const [query, viewport, name] of [
    [link, { width: 375, height: 800 }, 'badges-zone-outage-375'],
    [`${link}&embed=1`, { width: 800, height: 560 }, 'badges-zone-outage-embed'],
  ]) {
    const { page, watch } = await openApp(query, viewport);
    await page.waitForFunction(() => document.querySelectorAll('svg.diagram .badge').length > 0);
    // On the phone the diagram scrolls sideways: check every zone in turn.
    const scroller = page.locator('.diagram-scroll');
    for (const left of [0, 10000]) {
      await scroller.evaluate((el, x) => { el.scrollLeft = x; }, left);
      assertClear(await badgeReport(page), `${name}, scrolled to ${left}`);
    }
    await scroller.evaluate((el) => { el.scrollLeft = 0; });
    const { svg } = await textSizes(page);
    assert.ok(svg.px >= 10, `${name}: diagram text "${svg.text}" renders at ${svg.px.toFixed(1)} px`);
    await page.locator('svg.diagram').scrollIntoViewIfNeeded();
    await screenshot(page, name, { fullPage: false });
    assert.deepEqual(await watch.all(), []);
    await page.close();
  }
});

test('black friday at its peak with zone b killed: badges cover no label', async () => {
  // The spike starts at T+1:00; at T+2:30 the pods are saturated. Kill zone b there.
  const { page, watch } = await openApp('?s=black-friday&seed=42&a=150_kz_us-east-1b&t=156');
  await page.waitForFunction(() => /DOWN/.test(document.querySelector('.layer-regions')?.textContent ?? ''));
  const report = await badgeReport(page);
  assertClear(report, 'black friday, t = 156 s');
  await screenshot(page, 'badges-black-friday-1280', { fullPage: false });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('at 375 px the diagram shows it scrolls sideways, and zone c is reachable', async () => {
  const { page, watch } = await openApp('?s=zone-outage&seed=42', { width: 375, height: 800 });
  const scroller = page.locator('.diagram-scroll');
  const hint = page.getByText('Scroll sideways for more zones');
  await page.waitForFunction(() => document.querySelector('.side-scroller')?.classList.contains('more-right'));
  assert.ok(await hint.isVisible(), 'the hint shows while more lies to the right');
  // The right edge fades while more lies there (the fade eases in over 0.2 s).
  await page.waitForFunction(() => getComputedStyle(document.querySelector('.side-scroller'), '::after').opacity === '1', null, { timeout: 2000 });
  await page.evaluate(() => window.scrollTo(0, document.querySelector('svg.diagram').getBoundingClientRect().top + scrollY - 40));
  await screenshot(page, 'phone-diagram-scroll-start', { fullPage: false });
  // Zone c lies past the right edge; a tap on it scrolls it in and opens it.
  const zoneC = page.getByRole('button', { name: /^Zone c:/ });
  // A tap on its title line (nodes fill the rest of the box).
  await zoneC.click({ position: { x: 30, y: 8 } });
  await page.getByRole('heading', { name: /^Zone c / }).waitFor();
  // At the end of the scroll the hint and the fade go.
  await scroller.evaluate((el) => { el.scrollLeft = el.scrollWidth; });
  await page.waitForFunction(() => !document.querySelector('.side-scroller').classList.contains('more-right'));
  assert.equal(await hint.isVisible(), false, 'the hint stays at the end of the scroll');
  const box = await zoneC.boundingBox();
  assert.ok(box.x >= 0 && box.x + box.width <= 375, `zone c is not in view: ${JSON.stringify(box)}`);
  // Keyboard users get there too: Tab from zone b lands on zone c and scrolls it into view.
  await scroller.evaluate((el) => { el.scrollLeft = 0; });
  await page.getByRole('button', { name: /^Zone b:/ }).focus();
  await page.keyboard.press('Tab');
  assert.match(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), /^Zone c:/);
  const focused = await zoneC.boundingBox();
  assert.ok(focused.x >= 0 && focused.x + focused.width <= 375, `focus left zone c out of view: ${JSON.stringify(focused)}`);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /^Zone c / }).waitFor();
  await page.evaluate(() => window.scrollTo(0, document.querySelector('svg.diagram').getBoundingClientRect().top + scrollY - 40));
  await screenshot(page, 'phone-diagram-scroll-end', { fullPage: false });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
