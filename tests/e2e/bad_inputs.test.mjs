// Bad inputs from people: links with a huge spike, NaN, an unknown zone, a
// truncated action code or an out-of-range knob, a knob typed out of range, and
// progress stored in an older format or by a newer Scalesim. Each gets the CLI's message (the field and
// what is accepted) on the page, nothing traps, and the page still runs:
// Play advances the clock and the charts draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { screenshot } from './support/browser.mjs';

const session = specSession();
const shot = (name) => new URL(`./shots/${name}.png`, import.meta.url).pathname;

/** Play works: the clock moves and the replicas chart has ink. */
async function stillRuns(page, app) {
  const t0 = await app.simSeconds();
  await app.play(10);
  await app.waitForSimTime(t0 + 20);
  await app.pause();
  assert.ok(await page.evaluate(() => {
    const c = document.querySelector('#chart-replicas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1]) ink++;
    return ink > 2000;
  }), 'the replicas chart looks blank');
}

const fromStart = /This link could not be replayed:[\s\S]*Black Friday: a 10x spike for two hours opens from T\+0:00 without the link's actions, knobs and time\./;

for (const [name, query, words] of [
  ['a huge spike', '?s=black-friday&seed=42&a=60_sp_1e308_0_600_0',
    /a\[0\]\.multiplier: must be from 0 to 1,000 × \(at most a thousandfold surge\), got 1e308/],
  ['NaN', '?s=black-friday&seed=42&a=60_sp_NaN_0_600_0',
    /a\[0\]\.multiplier: must be a finite number, got nan/],
  ['an unknown zone', '?s=black-friday&seed=42&a=30_kp_1_~95_kz_nope',
    /a\[1\]\.zone: there is no zone “nope” in this scenario; its zones are us-east-1a, us-east-1b, us-east-1c/],
  ['an action on a tier the scenario lacks', '?s=black-friday&seed=42&a=30_cf',
    /a\[0\]\.kind: “[^”]+” acts on the cache, and this scenario has none \(no \[cache\] table\), so it would change nothing/],
  ['a truncated code', '?s=black-friday&seed=42&a=60_sp_10_30',
    /a\[0\]: too few values: it ends before its hold_s \(was the link cut short\?\)/],
  ['an out-of-range knob', '?s=black-friday&seed=42&k=hmax:100000',
    /k=hmax: hpa\.maxReplicas: must be a whole number from 3 to 60, got 100,000/],
]) {
  test(`a link with ${name} is named with what is accepted, and the page still runs`, async () => {
    const { page, app, watch } = await session.openApp(query);
    const alert = page.locator('.link-error');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, words);
    assert.match(text, fromStart);
    // The link's scenario and seed opened, from the start.
    assert.match(await page.locator('.scenario-intro summary').innerText(), /Black Friday/);
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '42');
    await stillRuns(page, app);
    if (name === 'a huge spike') await alert.screenshot({ path: shot('bad-link-huge-spike') });
    if (name === 'an unknown zone') await screenshot(page, 'bad-link-unknown-zone', { fullPage: false });
    assert.deepEqual(await watch.all(), []);
    await page.close();
  });
}

test('several problems are listed together; an ignored page option keeps the run', async () => {
  {
    const { page, watch } = await session.openApp('?s=black-friday&seed=42&a=60_sp_inf_0_1_0~70_zz_1&k=hmax:nan');
    const items = await page.locator('.link-error li').allInnerTexts();
    // In the link's order.
    assert.deepEqual(items, [
      'a[0].multiplier: must be a finite number, got inf',
      'a[1]: unknown action “zz” (a link from a newer Scalesim?)',
      'hpa.maxReplicas (k=hmax): must be a finite number, got nan',
    ]);
    assert.deepEqual(await watch.all(), []);
    await page.close();
  }
  {
    const { page, app, watch } = await session.openApp('?s=black-friday&seed=42&a=30_kp_1_&t=60&zap=1');
    const text = await page.locator('.link-error').innerText();
    assert.match(text, /Part of this link was ignored:[\s\S]*unknown part “zap”; it is ignored[\s\S]*The rest of the link applies\./);
    assert.ok((await app.simSeconds()) >= 60, 'the link’s time applies');
    assert.ok((await app.eventLog()).some((l) => /kill/i.test(l)), 'the link’s action applies');
    assert.deepEqual(await watch.all(), []);
    await page.close();
  }
});

test('a knob typed out of range is refused in the knob panel and the run goes on', async () => {
  const { page, app, watch } = await session.openApp('?s=black-friday&seed=42');
  await app.play(10);
  await app.waitForSimTime(30);
  await app.pause();
  const before = await app.simSeconds();
  await page.getByText('Scenario knobs', { exact: true }).click();
  const input = page.locator('.knobs input[type=number]').first();
  const was = await input.inputValue();
  await input.fill('1e9');
  await input.press('Enter');
  await input.blur();
  const alert = page.locator('.knobs [role=alert]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /^hpa\.\w+: must be a whole number from [\d,]+ to [\d,]+, got 1,000,000,000$/);
  assert.equal(await input.inputValue(), was, 'the input shows the run’s value again');
  assert.equal(await app.simSeconds(), before, 'the run stays where it was');
  await alert.screenshot({ path: shot('bad-knob') });
  await stillRuns(page, app);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('progress from an older format or a newer Scalesim is kept aside, and the learner is told', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(`${session.server.url}interview.html`);
  await page.locator('.interview').waitFor({ timeout: 15000 });
  for (const [stored, why] of [
    ['{"attempts":[]}', /progress saved without a version cannot be read/],
    ['{"version":99,"attempts":[]}', /from a newer Scalesim \(schema 99; this page reads up to \d+\)/],
  ]) {
    await page.evaluate((o) => { localStorage.clear(); localStorage.setItem('scalesim.progress', o); }, stored);
    await page.reload();
    await page.locator('.interview').waitFor({ timeout: 15000 });
    const alert = page.locator('.progress-box [role=alert]');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, why);
    assert.match(text, /It is kept unchanged under “scalesim\.progress\.unreadable\.\d+”/);
    const kept = await page.evaluate(() =>
      Object.keys(localStorage).filter((k) => k.startsWith('scalesim.progress.unreadable.')).map((k) => localStorage.getItem(k)));
    assert.deepEqual(kept, [stored]);
    assert.equal(await page.evaluate(() => localStorage.getItem('scalesim.progress')), stored, 'nothing is written over it on opening');
  }
  await page.close();
});
