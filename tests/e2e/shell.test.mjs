// End-to-end specs of the app shell, driven like a person in Chromium:
// layout regions, the chart, themes, narrow screens, sub-path hosting and the
// security baseline (CSP, no cross-origin requests, no console errors).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer } from './support/static_server.mjs';
import { launch, watchProblems, screenshot, DIST_DIR } from './support/browser.mjs';
import { AppPage, REGIONS } from './support/app_page.mjs';

let server;
let subServer;
let browser;

before(async () => {
  server = await startStaticServer(DIST_DIR, '/');
  subServer = await startStaticServer(DIST_DIR, '/courses/scaling/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
  subServer?.close();
});

async function openApp(url, origin, viewport) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const watch = await watchProblems(page, origin);
  const app = new AppPage(page);
  await app.open(url);
  return { page, app, watch };
}

test('the page loads with its title, every layout region and a drawn chart', async () => {
  const { page, app, watch } = await openApp(server.url, server.origin);
  assert.equal(await page.title(), 'Scalesim: scaling playground');
  await assert.doesNotReject(app.banner().getByRole('heading', { name: 'Scalesim' }).waitFor());
  for (const name of REGIONS) {
    assert.equal(await app.region(name).count(), 1, `region "${name}" is missing`);
    assert.ok(await app.region(name).isVisible(), `region "${name}" is hidden`);
  }
  await app.waitForChart();
  const ink = await app.chartInk();
  assert.ok(ink > 3000, `the chart looks blank: ${ink} drawn pixels`);
  await page.getByText('Why autoscalers aim below 100 % CPU').click();
  assert.match(await page.locator('figure:has(#queueing-chart) figcaption').innerText(), /waits 4 service times.*waits 9/);
  await screenshot(page, 'shell-desktop-light');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('the theme follows the system, and the toggle overrides it and is remembered', async () => {
  const { page, app, watch } = await openApp(server.url, server.origin);
  await page.emulateMedia({ colorScheme: 'dark' });
  await app.waitForChart();
  const darkBg = await app.background();
  assert.equal(darkBg, 'rgb(17, 19, 24)', 'dark system scheme should give the dark theme');
  await screenshot(page, 'shell-desktop-dark');

  await app.themeToggle().click();
  assert.equal(await app.background(), 'rgb(247, 248, 250)', 'the toggle should switch to light');
  assert.equal(await app.themeToggle().getAttribute('aria-label'), 'Switch to dark theme');

  await page.reload();
  await app.banner().waitFor();
  assert.equal(await app.background(), 'rgb(247, 248, 250)', 'the choice should survive a reload');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('at 375 px wide the layout is one column with no sideways scrolling', async () => {
  const { page, app, watch } = await openApp(server.url, server.origin, { width: 375, height: 740 });
  await app.waitForChart();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow} px wider than the screen`);
  const boxes = [];
  for (const name of REGIONS) boxes.push(await app.region(name).boundingBox());
  for (const b of boxes) assert.ok(b.x >= 0 && b.x + b.width <= 375, `region outside the screen: ${JSON.stringify(b)}`);
  for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].y > boxes[i - 1].y, 'regions should stack vertically');
  await screenshot(page, 'shell-phone-375');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('dist/ works when served from a sub-path', async () => {
  const { page, app, watch } = await openApp(subServer.url, subServer.origin);
  assert.ok(subServer.url.endsWith('/courses/scaling/'));
  await app.waitForChart();
  assert.ok((await app.chartInk()) > 3000);
  // The interview page, linked from the view tabs, fetches its scenario there too.
  await page.getByRole('link', { name: 'Interview', exact: true }).click();
  await page.locator('.interview-sheet').waitFor({ timeout: 15000 });
  assert.ok(page.url().startsWith(`${subServer.url}interview.html`), page.url());
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('the Content-Security-Policy is in force and blocks injected inline script', async () => {
  const { page, app, watch } = await openApp(server.url, server.origin);
  await app.waitForChart();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /'unsafe-eval'|script-src[^;]*'unsafe-inline'/);
  assert.deepEqual(await watch.all(), [], 'the app itself must not violate its CSP');
  // Deliberately inject an inline script: the policy must block it and report it.
  const ran = await page.evaluate(async () => {
    window.__injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true;';
    document.body.appendChild(s);
    await new Promise((r) => setTimeout(r, 50));
    return window.__injected;
  });
  assert.equal(ran, false, 'an injected inline script ran: the CSP is not in force');
  const reported = await page.evaluate(() => window.__cspViolations);
  assert.ok(reported.some((v) => v.startsWith('script-src')), `no violation reported: ${JSON.stringify(reported)}`);
  await page.close();
});
