// The playground as a newcomer meets it: every built-in scenario opened from the
// picker in one page shows the same world as a fresh load of its link; picking
// a scenario starts it; hand-written links and every link in the README and docs
// open; the scenario says what it is for; an action that cannot show says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { specSession } from './support/session.mjs';

const session = specSession();
const shot = (name) => new URL(`./shots/${name}.png`, import.meta.url).pathname;
const repo = new URL('../../', import.meta.url).pathname;

const openApp = (query, viewport) => session.openApp(query, viewport);

/** What identifies the world on screen: names in the diagram, action buttons, chart gates, the intro. */
async function fingerprint(page) {
  return page.evaluate(() => {
    const texts = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent.trim());
    return {
      regions: texts('.layer-regions .region-box text'),
      zones: texts('.layer-regions .zone-box text'),
      services: texts('.layer-services .service-box text'),
      buttons: [...document.querySelectorAll('#actions .action-panel button')].map((b) => b.textContent.trim()),
      charts: [...document.querySelectorAll('figure[data-chart]')].map((f) =>
        `${f.dataset.chart}:${f.querySelector('.chart-empty') ? 'empty' : 'drawn'}`),
      intro: document.querySelector('.scenario-intro summary')?.textContent.trim(),
      nodes: document.querySelectorAll('.layer-nodes .node-box').length,
      log: texts('.event-log li').length,
    };
  });
}

/** Waits until the intro names `title` and the clock is back at T+0:00. */
async function waitForScenario(page, title) {
  await page.waitForFunction((t) =>
    document.querySelector('.scenario-intro summary')?.textContent.includes(t)
      && /T\+0:00 /.test(document.querySelector('.sim-clock')?.textContent ?? ''), title, { timeout: 15000 });
  // One more animation frame so every layer has drawn the new frame.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

test('switching through every built-in in one page shows the same world as a fresh load of each', async () => {
  const { page, watch } = await openApp('');
  const options = await page.getByLabel('Scenario', { exact: true }).locator('option').evaluateAll((os) =>
    os.map((o) => ({ name: o.value, title: o.textContent.trim() })));
  assert.ok(options.length >= 10, JSON.stringify(options));
  // Twice round, so every scenario is reached from a different one than its neighbour the first time.
  const order = [...options.slice(1), options[0], ...options.slice().reverse()];
  const fresh = new Map();
  const seeds = new Map();
  for (const o of options) {
    const { page: p, watch: w } = await openApp(`?s=${o.name}`);
    await waitForScenario(p, o.title);
    fresh.set(o.name, await fingerprint(p));
    seeds.set(o.name, await p.getByLabel('Seed', { exact: true }).inputValue());
    assert.deepEqual(await w.all(), []);
    await p.close();
  }
  for (const o of order) {
    await page.getByLabel('Scenario', { exact: true }).selectOption(o.name);
    await waitForScenario(page, o.title);
    // The picker runs a scenario with its own seed, as its link does.
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), seeds.get(o.name), o.name);
    const got = await fingerprint(page);
    assert.deepEqual(got, fresh.get(o.name), `after switching to ${o.name}`);
    await page.waitForURL(new RegExp(`[?&]s=${o.name}&`));
  }
  await page.getByLabel('Scenario', { exact: true }).selectOption('cache-stampede');
  await waitForScenario(page, options.find((o) => o.name === 'cache-stampede').title);
  await page.screenshot({ path: shot('switched-to-cache-stampede'), fullPage: false });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('picking a scenario starts it: the clock resets, a playing run plays the new one, Restart runs it again', async () => {
  const { page, app, watch } = await openApp('?s=black-friday&seed=3');
  await app.play(100);
  await app.waitForSimTime(120);
  await page.getByLabel('Scenario', { exact: true }).selectOption('zone-outage');
  await page.waitForFunction(() => document.querySelector('.scenario-intro summary')?.textContent.includes('Zone outage'));
  // Still playing, now the zone-outage world: its zones are a, b, c in us-east-1.
  assert.equal(await page.getByRole('button', { name: 'Pause', exact: true }).count(), 1);
  const zones = await page.locator('.layer-regions .zone-box text').allTextContents();
  assert.deepEqual(zones.map((z) => z.replace(/ — DOWN$/, '')), ['zone a', 'zone b', 'zone c']);
  await app.waitForSimTime(60);
  await app.pause();
  await page.screenshot({ path: shot('picked-zone-outage-while-playing') });
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.waitForFunction(() => /T\+0:00 /.test(document.querySelector('.sim-clock')?.textContent ?? ''));
  // Zone outage runs with its own seed (7), as its link does; Restart keeps a seed the learner types.
  await page.waitForURL(/s=zone-outage&seed=7/);
  await page.getByLabel('Seed', { exact: true }).fill('3');
  await page.getByLabel('Seed', { exact: true }).dispatchEvent('change');
  await page.getByRole('button', { name: 'Restart', exact: true }).click();
  await page.waitForURL(/s=zone-outage&seed=3/);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('hand-written links: no seed runs the scenario\'s own seed; an unknown scenario or zone is named', async () => {
  {
    const { page, watch } = await openApp('?s=zone-outage');
    assert.equal(await page.getByRole('alert').count(), 0);
    assert.equal(await page.getByLabel('Seed', { exact: true }).inputValue(), '7');
    await page.waitForFunction(() => document.querySelector('.scenario-intro summary')?.textContent.includes('Zone outage'));
    assert.deepEqual(await watch.all(), []);
    await page.close();
  }
  {
    const { page } = await openApp('?s=nope');
    const alert = await page.locator('.link-error').innerText();
    assert.match(alert, /no scenario called “nope”/);
    assert.match(alert, /black-friday/);
    assert.match(alert, /zone-outage/);
    await page.locator('.link-error').screenshot({ path: shot('link-unknown-scenario') });
    // Once another scenario is picked, the link's problem no longer applies.
    await page.getByLabel('Scenario', { exact: true }).selectOption('zone-outage');
    await page.locator('.link-error').waitFor({ state: 'detached' });
    await page.close();
  }
  {
    const { page } = await openApp('?s=black-friday&a=95_kz_b');
    const alert = await page.locator('.link-error').innerText();
    assert.match(alert, /no zone “b”/);
    assert.match(alert, /us-east-1a, us-east-1b, us-east-1c/);
    // What the link got right stays: its scenario opens, and the message says so.
    assert.match(alert, /Black Friday: a 10x spike for two hours opens from T\+0:00 without the link's actions/);
    assert.match(await page.locator('.scenario-intro summary').innerText(), /Black Friday/);
    await page.locator('.link-error').screenshot({ path: shot('link-unknown-zone') });
    await page.close();
  }
});

test('every link in the README and the docs opens without an error', async () => {
  const files = ['README.md', ...readdirSync(`${repo}docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
  const links = new Set();
  for (const f of files) {
    const text = readFileSync(`${repo}${f}`, 'utf8');
    // Links in code spans (`?s=…`) and the query of every example page address (iframe src, href).
    for (const m of text.matchAll(/`(\?[a-z]+=[^`\s]*)`/g)) links.add(m[1]);
    for (const m of text.matchAll(/(?:src|href)="https?:\/\/[^"?]*(\?[^"\s]+)"/g)) links.add(m[1]);
  }
  assert.ok(links.size >= 4, [...links].join(' '));
  for (const link of links) {
    const { page, watch } = await openApp(link);
    assert.equal(await page.locator('.link-error').count(), 0, `${link}: ${await page.locator('.link-error').allInnerTexts()}`);
    assert.deepEqual(await watch.all(), []);
    await page.close();
  }
});

test('the scenario says what it is for, and an action that cannot show says why', async () => {
  const { page, app, watch } = await openApp('');
  const intro = page.locator('.scenario-intro');
  assert.equal(await intro.getAttribute('open'), '');
  assert.match(await intro.innerText(), /Try first:/);
  assert.ok((await intro.locator('.intro-goals li').count()) >= 2);
  await intro.screenshot({ path: shot('scenario-intro') });
  // The default world has room: a spike moves desired replicas, with no notice.
  await app.action('Trigger spike').click();
  assert.equal(await page.locator('.action-notice').isVisible(), false);
  await app.action('Kill zone b').click();
  // Black Friday at its peak: replicas are already at maxReplicas 20.
  await page.getByLabel('Scenario', { exact: true }).selectOption('black-friday');
  await app.play(1000);
  await page.waitForFunction(() => /^20 \(/.test([...document.querySelectorAll('dl.live-numbers .kv')]
    .find((k) => /Desired replicas/.test(k.textContent))?.querySelector('dd')?.textContent ?? ''), null, { timeout: 30000 });
  await app.pause();
  await app.action('Trigger spike').click();
  const notice = page.locator('.action-notice');
  await notice.waitFor({ state: 'visible' });
  assert.match(await notice.innerText(), /maxReplicas 20/);
  assert.match(await notice.innerText(), /HPA max replicas/);
  await page.locator('#actions').screenshot({ path: shot('notice-at-max-replicas') });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
