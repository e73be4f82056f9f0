// End-to-end specs of the page before the app runs: the
// title and a loading line show while the wasm downloads, and a clear message
// with what to try when it fails to load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { watchProblems, screenshot } from './support/browser.mjs';
import { AppPage } from './support/app_page.mjs';

const session = specSession();

test('while the wasm downloads (2 s), the title and a loading line show; the app replaces them', async () => {
  const page = await session.browser.context.newPage();
  const watch = await watchProblems(page, session.server.origin);
  let delayed = 0;
  await page.route('**/*.wasm', async (route) => {
    delayed++;
    await new Promise((r) => setTimeout(r, 2000));
    await route.continue();
  });
  const started = Date.now();
  await page.goto(session.server.url, { waitUntil: 'domcontentloaded' });
  const loading = page.getByText('Loading the simulator…');
  await loading.waitFor({ timeout: 1000 });
  assert.ok(await page.getByText('Scalesim', { exact: true }).isVisible(), 'the title shows while loading');
  assert.equal(await page.getByRole('banner').count(), 0, 'the app is not up yet');
  await screenshot(page, 'loading-line', { fullPage: false });
  const app = new AppPage(page);
  await app.banner().waitFor({ timeout: 15000 });
  assert.ok(Date.now() - started >= 2000, 'the app came up before the wasm arrived');
  assert.ok(delayed >= 1, 'the wasm request was not delayed');
  assert.equal(await loading.count(), 0, 'the loading line stays after the app mounted');
  assert.equal(await page.locator('#boot').count(), 0);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('when the wasm fails to load, the page says so and what to try', async () => {
  const page = await session.browser.context.newPage();
  const watch = await watchProblems(page, session.server.origin);
  await page.route('**/*.wasm', (route) => route.abort('connectionfailed'));
  await page.goto(session.server.url);
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout: 10000 });
  const text = await alert.innerText();
  assert.match(text, /The simulator could not start/);
  assert.match(text, /Reload the page/);
  assert.match(text, /application\/wasm/);
  assert.equal(await page.getByText('Loading the simulator…').count(), 0, 'the loading line goes');
  assert.equal(await page.getByRole('banner').count(), 0);
  await screenshot(page, 'loading-failed', { fullPage: false });
  // The aborted wasm request (and the browser's note of it) is this test's
  // doing; anything else is a problem.
  const problems = (await watch.all()).filter((p) => !/\.wasm\b/.test(p) && !/Failed to load resource/.test(p));
  assert.deepEqual(problems, []);
  await page.close();
});
