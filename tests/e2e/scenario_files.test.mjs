// The built-in scenarios reach the page as JSON files (dist/scenarios/<name>.json,
// made from scenarios/*.toml): each is fetched, relative to the page, when it
// first opens, and kept; while one loads the page says which; a file that cannot
// be loaded is named with its HTTP status, and the run on screen goes on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { screenshot } from './support/browser.mjs';

const session = specSession();

/** Waits until the intro names `title` and the clock is back at T+0:00. */
async function waitForScenario(page, title) {
  await page.waitForFunction((t) =>
    document.querySelector('.scenario-intro summary')?.textContent.includes(t)
      && /T\+0:00 /.test(document.querySelector('.sim-clock')?.textContent ?? ''), title, { timeout: 15000 });
}

/** Waits until the intro names `title` (a run that was playing plays on). */
const waitForIntro = (page, title) => page.waitForFunction((t) =>
  document.querySelector('.scenario-intro summary')?.textContent.includes(t), title, { timeout: 15000 });

const titleOf = (page, name) => page.locator(`select[aria-label="Scenario"] option[value="${name}"]`).innerText();

test('each scenario file is fetched once, relative to the page, when the scenario first opens', async () => {
  const page = await session.browser.context.newPage();
  const fetched = [];
  page.on('request', (r) => {
    if (/\.json$/.test(new URL(r.url()).pathname)) fetched.push(new URL(r.url()).pathname);
  });
  await page.goto(session.server.url);
  await page.locator('main#main').waitFor({ timeout: 15000 });
  await waitForScenario(page, await titleOf(page, 'first-spike'));
  assert.deepEqual(fetched, ['/scenarios/first-spike.json'], 'the first view fetches only its own scenario');
  const picker = page.getByLabel('Scenario', { exact: true });
  for (const name of ['black-friday', 'first-spike', 'black-friday', 'zone-outage', 'first-spike']) {
    await picker.selectOption(name);
    await waitForScenario(page, await titleOf(page, name));
  }
  assert.deepEqual(fetched, ['/scenarios/first-spike.json', '/scenarios/black-friday.json', '/scenarios/zone-outage.json'],
    'switching back to a scenario does not fetch it again');
  await page.close();
});

test('while a scenario file loads the page says which, and the run on screen goes on', async () => {
  const { page, app, watch } = await session.openApp('?s=black-friday&seed=3');
  await page.route('**/scenarios/zone-outage.json', async (route) => {
    await new Promise((r) => setTimeout(r, 1500));
    await route.continue();
  });
  await app.play(100);
  await app.waitForSimTime(60);
  const title = await titleOf(page, 'zone-outage');
  await page.getByLabel('Scenario', { exact: true }).selectOption('zone-outage');
  const loading = page.getByRole('status').filter({ hasText: `Loading ${title}…` });
  await loading.waitFor({ timeout: 1000 });
  await screenshot(page, 'scenario-loading', { fullPage: false });
  // Still Black Friday meanwhile, and still running.
  assert.match(await page.locator('.scenario-intro summary').innerText(), /Black Friday/);
  const before = await page.locator('.sim-clock').innerText();
  await page.waitForFunction((b) => document.querySelector('.sim-clock').textContent !== b, before, { timeout: 1000 });
  await waitForIntro(page, title);
  assert.equal(await loading.count(), 0, 'the loading line goes once the scenario is open');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('a scenario file that cannot be loaded is named with its HTTP status, and the run on screen stays', async () => {
  const { page, app, watch } = await session.openApp('?s=black-friday&seed=3');
  await page.route('**/scenarios/kafka-burst.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await app.play(100);
  await app.waitForSimTime(60);
  const picker = page.getByLabel('Scenario', { exact: true });
  await picker.selectOption('kafka-burst');
  // Said by the picker, where the learner acted.
  const alert = page.locator('.control-bar').getByRole('alert').filter({ hasText: 'scenarios/kafka-burst.json' });
  await alert.waitFor({ timeout: 5000 });
  assert.match(await alert.innerText(), /This scenario could not open: .*HTTP 404/);
  await screenshot(page, 'scenario-file-missing', { fullPage: false });
  // Nothing the learner had is lost: the same scenario, its seed, and the run goes on.
  assert.equal(await picker.inputValue(), 'black-friday');
  assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '3');
  assert.match(await page.locator('.scenario-intro summary').innerText(), /Black Friday/);
  const before = await page.locator('.sim-clock').innerText();
  await page.waitForFunction((b) => document.querySelector('.sim-clock').textContent !== b, before, { timeout: 1000 });
  // Another scenario that opens clears the message.
  await page.unroute('**/scenarios/kafka-burst.json');
  await picker.selectOption('zone-outage');
  await waitForIntro(page, await titleOf(page, 'zone-outage'));
  assert.equal(await alert.count(), 0, 'the message goes once another scenario opens');
  // The 404 is this test's doing; anything else is a problem.
  const problems = (await watch.all()).filter((p) => !/kafka-burst\.json/.test(p) && !/Failed to load resource/.test(p));
  assert.deepEqual(problems, []);
  await page.close();
});

test('a link whose scenario file cannot be loaded says so and opens the default scenario', async () => {
  const page = await session.browser.context.newPage();
  await page.route('**/scenarios/zone-outage.json', (route) => route.fulfill({ status: 500, body: 'oops' }));
  await page.goto(`${session.server.url}?s=zone-outage&seed=7`);
  const alert = page.getByRole('alert').filter({ hasText: 'This link could not be replayed' });
  await alert.waitFor({ timeout: 15000 });
  const text = await alert.innerText();
  assert.match(text, /scenarios\/zone-outage\.json/);
  assert.match(text, /HTTP 500/);
  assert.match(text, /default scenario is loaded instead/);
  await waitForScenario(page, await titleOf(page, 'first-spike'));
  assert.equal(await alert.count(), 1, 'the message stays once the default scenario has opened');
  await page.close();
});
