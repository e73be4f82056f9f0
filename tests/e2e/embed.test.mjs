// End-to-end specs of the embed: the page inside a real
// iframe of a host page, as a course page would hold it, at 800 × 560 and
// 560 × 800: no header, the main actions in view without scrolling, text of
// at least 10 px; `show=` chooses the parts and the share link keeps it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { watchProblems, screenshot } from './support/browser.mjs';
import { textSizes } from './support/diagram.mjs';
import { seriousViolations } from './support/axe.mjs';

const session = specSession();

/** A course page holding the app in a `width` × `height` iframe; returns the page and the frame. */
async function hostPage(query, width, height) {
  const page = await session.browser.context.newPage();
  await page.setViewportSize({ width: width + 80, height: height + 160 });
  const watch = await watchProblems(page, session.server.origin);
  await page.setContent(`<!DOCTYPE html><html><body style="margin:0;padding:20px 40px;font:16px serif">
    <h1 style="margin:0 0 12px;font-size:24px">Lesson 4: losing a zone</h1>
    <iframe title="Scalesim" src="${session.server.url}${query}" width="${width}" height="${height}" style="border:1px solid #999"></iframe>
    <p>Press Play, then kill a zone.</p></body></html>`);
  const frame = page.frame({ url: (u) => u.href.startsWith(session.server.url) });
  await frame.getByRole('timer', { name: 'Simulated time' }).waitFor({ timeout: 15000 });
  await frame.waitForFunction(() => document.querySelectorAll('svg.diagram .pod, canvas').length > 0);
  return { page, frame, watch };
}

/** Names of the buttons in `names` that are not wholly inside the frame's viewport. */
async function outOfView(frame, names) {
  return frame.evaluate((names) => {
    const buttons = [...document.querySelectorAll('button')];
    return names.filter((name) => {
      const b = buttons.find((x) => (x.getAttribute('aria-label') ?? x.textContent.trim()) === name);
      if (!b) return true;
      const r = b.getBoundingClientRect();
      return !(r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth);
    });
  }, names);
}

const MAIN_ACTIONS = ['Play', 'Trigger spike', 'Kill zone a', 'Kill zone b', 'Kill zone c', 'Restore'];

for (const [width, height] of [[800, 560], [560, 800]]) {
  test(`at ${width} × ${height} in an iframe: no header, the main actions in view, text of 10 px or more`, async () => {
    const { page, frame, watch } = await hostPage('?s=zone-outage&seed=42&embed=1', width, height);
    assert.equal(await frame.getByRole('banner').count(), 0, 'the embed has no header');
    assert.equal(await frame.getByRole('navigation', { name: 'Views' }).count(), 0, 'the embed has no view tabs');
    for (const name of ['Architecture diagram', 'Actions', 'Charts']) {
      assert.equal(await frame.getByRole('region', { name, exact: true }).count(), 1, `region ${name}`);
    }
    assert.equal(await frame.getByRole('region', { name: 'Timeline', exact: true }).count(), 0);
    assert.deepEqual(await outOfView(frame, MAIN_ACTIONS), [], 'actions below the fold or off the side');
    const sizes = await textSizes(frame);
    assert.ok(sizes.svg.px >= 10, `diagram text "${sizes.svg.text}" renders at ${sizes.svg.px.toFixed(1)} px`);
    assert.ok(sizes.svg.box >= 10, `diagram text "${sizes.svg.text}" is ${sizes.svg.box.toFixed(1)} px tall`);
    assert.ok(sizes.html.px >= 10, `text "${sizes.html.text}" is ${sizes.html.px} px`);
    // Chart labels are drawn at 11 px on a canvas shown at the width it was drawn:
    // scaled by at least 10/11, they stay at 10 px or more.
    await frame.waitForFunction(() => [...document.querySelectorAll('figure[data-chart] canvas')]
      .filter((c) => c.getBoundingClientRect().width > 0).every((c) => c.width === Math.round(c.getBoundingClientRect().width - 2)));
    const scales = await frame.evaluate(() => [...document.querySelectorAll('figure[data-chart] canvas')]
      .filter((c) => c.getBoundingClientRect().width > 0)
      .map((c) => ({ id: c.id, scale: c.getBoundingClientRect().width / c.width })));
    assert.ok(scales.length >= 2, JSON.stringify(scales));
    for (const { id, scale } of scales) assert.ok(scale * 11 >= 10, `${id}: 11 px labels shown at ${(scale * 11).toFixed(1)} px`);
    // The whole diagram fits across the frame: nothing to scroll sideways.
    const scroll = await frame.evaluate(() => {
      const s = document.querySelector('.diagram-scroll');
      return { box: s.scrollWidth - s.clientWidth, page: document.documentElement.scrollWidth - innerWidth };
    });
    assert.deepEqual(scroll, { box: 0, page: 0 }, 'sideways scrolling in the embed');
    const layout = await frame.evaluate(() => {
      const r = (id) => document.getElementById(id).getBoundingClientRect();
      return { diagram: r('diagram'), charts: r('charts') };
    });
    if (width > height) {
      assert.ok(Math.abs(layout.charts.top - layout.diagram.top) < 1 && layout.charts.left > layout.diagram.right - 1, 'wide frame: diagram and charts side by side');
    } else {
      assert.ok(layout.charts.top >= layout.diagram.bottom - 1, 'narrow frame: charts under the diagram');
    }
    const violations = await seriousViolations(frame);
    assert.deepEqual(violations, [], violations.join('\n'));
    // The actions work from inside the frame.
    await frame.getByRole('button', { name: 'Kill zone a', exact: true }).click();
    await frame.getByRole('button', { name: 'Restore zone a', exact: true }).waitFor();
    await screenshot(page, `embed-iframe-${width}x${height}`);
    assert.deepEqual(await watch.all(), []);
    await page.close();
  });
}

test('show= picks the parts, and the share link keeps them', async () => {
  const { page, frame, watch } = await hostPage('?s=zone-outage&seed=42&embed=1&show=diagram,actions', 800, 560);
  assert.equal(await frame.getByRole('region', { name: 'Charts', exact: true }).count(), 0);
  assert.equal(await frame.locator('canvas').count(), 0);
  assert.equal(await frame.getByRole('region', { name: 'Architecture diagram', exact: true }).count(), 1);
  assert.deepEqual(await outOfView(frame, MAIN_ACTIONS), []);
  await frame.getByRole('button', { name: 'Copy link' }).click();
  const link = frame.getByLabel('Link to this run');
  await frame.waitForFunction(() => document.querySelector('.share-field input')?.value);
  const url = new URL(await link.inputValue());
  assert.equal(url.searchParams.get('embed'), '1');
  assert.equal(url.searchParams.get('show'), 'diagram,actions');
  assert.equal(url.searchParams.get('s'), 'zone-outage');
  // "Open full page" leads to the same run without the embed.
  const full = new URL(await frame.getByRole('link', { name: /Open full page/ }).getAttribute('href'));
  assert.equal(full.searchParams.get('s'), 'zone-outage');
  assert.equal(full.searchParams.get('embed'), null);
  await screenshot(page, 'embed-iframe-show-diagram-actions');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('an unknown part in show= is named, with the valid ones', async () => {
  const { page, frame, watch } = await hostPage('?s=zone-outage&seed=42&embed=1&show=diagram,graphs', 800, 560);
  const alert = frame.locator('.link-error');
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /“graphs”/);
  assert.match(text, /diagram, charts, actions/);
  assert.equal(await frame.getByRole('banner').count(), 0, 'still an embed');
  await screenshot(page, 'embed-iframe-bad-part');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
