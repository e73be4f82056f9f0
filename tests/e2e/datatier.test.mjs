// End-to-end specs of the data tier: consistency modes and the Kafka queue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import path from 'node:path';
import { screenshot, SHOTS_DIR } from './support/browser.mjs';

const session = specSession();

const openApp = (query, viewport) => session.openApp(query, viewport);

const number = (text) => Number(text.replaceAll(',', '').match(/[\d.]+/)[0]);

test('consistency: from strong to eventual, write latency falls and stale reads appear', async () => {
  const { page, app, watch } = await openApp('?s=consistency-tradeoff&seed=1');
  await app.play(10);
  await app.waitForSimTime(60);
  await app.pause();
  const strongWrite = number(await app.readout('Write latency p50 / p99'));
  const strongStale = number(await app.readout('Stale reads'));
  await page.getByLabel('Consistency mode', { exact: true }).selectOption('eventual');
  await app.play(10);
  await app.waitForSimTime(150);
  await app.pause();
  const eventualWrite = number(await app.readout('Write latency p50 / p99'));
  const eventualStale = number(await app.readout('Stale reads'));
  assert.ok(eventualWrite < strongWrite, `write p50 ${strongWrite} → ${eventualWrite} ms`);
  assert.ok(eventualStale > strongStale, `stale reads ${strongStale} → ${eventualStale} %`);
  assert.ok((await app.eventLog()).some((l) => /consistency.*eventual/i.test(l)), (await app.eventLog()).join(" | "));
  await screenshot(page, 'consistency-eventual');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('queue: stopped consumers let the lag grow, and the consumer autoscaler reacts once they restart', async () => {
  const { page, app, watch } = await openApp('?s=kafka-burst&seed=1');
  await app.play(100);
  await app.waitForSimTime(30);
  await app.pause();
  const lagBefore = number(await app.readout('Kafka lag'));
  await app.action('Stop consumers').click();
  await app.play(100);
  // Well inside the 300 s stop, so a busy machine overshooting the pause
  // cannot reach the restart.
  await app.waitForSimTime(200);
  await app.pause();
  assert.equal(await app.readout('Consumers'), 'stopped');
  const lagStopped = number(await app.readout('Kafka lag'));
  assert.ok(lagStopped > lagBefore, `lag ${lagBefore} → ${lagStopped}`);
  await screenshot(page, 'queue-stopped');
  await app.play(100);
  // The consumers restart 300 s after the stop; the consumer autoscaler then scales on lag.
  const restartAt = (await app.eventLog()).map((l) => l).find((l) => /stop the Kafka consumers/.test(l));
  const stopAt = Number(restartAt.match(/T\+(\d+):(\d+)/).slice(1).reduce((m, s) => m * 60 + Number(s), 0));
  await page.waitForFunction((t0) => [...document.querySelectorAll('.event-log li')].some((l) => {
    const m = l.textContent.match(/^T\+(\d+):(\d+) Kafka: consumers (\d+) → (\d+)/);
    return m && Number(m[1]) * 60 + Number(m[2]) >= t0 + 300 && Number(m[4]) !== Number(m[3]);
  }), stopAt, { timeout: 60000 });
  await app.pause();
  await screenshot(page, 'queue-restarted');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

/** Saves a screenshot of one locator (a region) under tests/e2e/shots/. */
async function shoot(locator, name) {
  await locator.screenshot({ path: path.join(SHOTS_DIR, `${name}.png`) });
}

/** "dark" or "light": the theme the page shows now. */
async function themeOf(app) {
  return (await app.background()) === 'rgb(17, 19, 24)' ? 'dark' : 'light';
}

/** Canvas pixels that differ from its top-left (background) pixel. */
async function ink(page, id) {
  return page.evaluate((id) => {
    const c = document.getElementById(id);
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) n++;
    return n;
  }, id);
}

test('consistency per class: switching one class changes that class only', async () => {
  const { page, app, watch } = await openApp('?s=consistency-tradeoff&seed=1');
  await app.play(10);
  await app.waitForSimTime(20);
  await app.pause();
  const classes = ['cart', 'checkout', 'inventory', 'recommendations'];
  const mode = async (c) => (await app.readout(`Consistency of ${c}`)).split(':')[0].trim();
  const before = Object.fromEntries(await Promise.all(classes.map(async (c) => [c, await mode(c)])));
  assert.equal(before.cart, 'strong', JSON.stringify(before));
  // The classes differ, so the all-classes control shows "mixed".
  assert.equal(await page.getByLabel('Consistency mode', { exact: true }).inputValue(), '');
  for (const c of classes) {
    assert.equal(await page.getByLabel(`Consistency mode for ${c}`).inputValue(), before[c], c);
  }
  await page.getByLabel('Consistency mode for cart').selectOption('eventual');
  await app.play(10);
  await app.waitForSimTime(40);
  await app.pause();
  const after = Object.fromEntries(await Promise.all(classes.map(async (c) => [c, await mode(c)])));
  assert.equal(after.cart, 'eventual', JSON.stringify(after));
  for (const c of classes.filter((c) => c !== 'cart')) assert.equal(after[c], before[c], `${c} changed`);
  assert.equal(await page.getByLabel('Consistency mode for cart').inputValue(), 'eventual');
  assert.ok((await app.eventLog()).some((l) => /consistency.*cart.*eventual/i.test(l)), (await app.eventLog()).join(' | '));
  // The link replays the per-class switch.
  assert.match(page.url(), /cm_cart_eventual/);
  await shoot(app.region('Actions'), 'consistency-per-class-actions');
  await shoot(page.locator('figure[data-chart="chart-consistency"]'), 'chart-consistency-per-class');
  await shoot(page.locator('figure[data-chart="chart-database"]'), 'chart-database-consistency-tradeoff');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('charts: without a data tier the data charts say what is missing; with one they draw', async () => {
  const { page, app, watch } = await openApp('?s=black-friday&seed=1');
  await app.play(100);
  await app.waitForSimTime(120);
  await app.pause();
  const figure = (p, id) => p.locator(`figure[data-chart="${id}"]`);
  for (const [id, lacks, example] of [
    ['chart-queue', /Kafka topic/, /kafka-burst/],
    ['chart-database', /database/, /reference/],
    ['chart-consistency', /consistency mode/, /consistency-tradeoff/],
  ]) {
    const empty = figure(page, id).locator('.chart-empty');
    await empty.waitFor();
    const words = await empty.innerText();
    assert.match(words, /black-friday/, words);
    assert.match(words, lacks, words);
    assert.match(words, example, words);
    assert.equal(await figure(page, id).locator('canvas').isVisible(), false, `${id} still draws`);
  }
  assert.ok(await ink(page, 'chart-traffic') > 500, 'the traffic chart is blank');
  await shoot(app.region('Charts'), `charts-black-friday-${await themeOf(app)}`);
  await app.themeToggle().click();
  await page.waitForTimeout(300);
  await shoot(app.region('Charts'), `charts-black-friday-${await themeOf(app)}`);
  await page.close();

  for (const scenario of ['kafka-burst', 'reference']) {
    const { page: p, app: a, watch: w } = await openApp(`?s=${scenario}&seed=1`);
    await a.play(100);
    await a.waitForSimTime(300);
    await a.pause();
    const queue = figure(p, 'chart-queue');
    assert.equal(await queue.locator('.chart-empty').count(), 0, `${scenario}: the queue chart is empty`);
    assert.ok(await queue.locator('canvas').isVisible());
    await p.waitForFunction(() => {
      const c = document.getElementById('chart-queue');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0]) n++;
      return n > 500;
    });
    const now = await queue.locator('.chart-latest').innerText();
    assert.match(now, /lag [\d,.]+ messages, [\d.]+ consumers/, now);
    // Every "Now:" figure carries a unit.
    for (const t of await p.locator('.chart-latest').allInnerTexts()) {
      if (!t) continue;
      for (const part of t.replace(/^Now: /, '').split(', ')) {
        assert.match(part, /\d( ?(%|ms|req\/s|pods|nodes|messages|consumers|connections|keys|writes)|\u00d7|\/h)$/, `no unit in "${part}"`);
      }
    }
    if (scenario === 'reference') {
      for (let i = 0; i < 2; i++) {
        if (i) {
          await a.themeToggle().click();
          await p.waitForTimeout(300);
        }
        await shoot(a.region('Charts'), `charts-reference-${await themeOf(a)}`);
        await shoot(a.region('Architecture diagram'), `diagram-reference-${await themeOf(a)}`);
      }
    } else {
      await shoot(queue, 'chart-queue-kafka-burst');
      await shoot(a.region('Architecture diagram').locator('svg.diagram'), 'diagram-kafka-burst');
      // Without a cache the pods query the database directly; the topic feeds
      // the consumers, which write to the database.
      for (const [from, to, unit] of [['pods', 'database', 'queries/s'], ['pods', 'kafka', 'msg/s'], ['kafka', 'consumers', 'msg/s'], ['consumers', 'database', 'writes/s']]) {
        const label = await p.locator(`.layer-edges .edge[data-from="${from}"][data-to="${to}"] text`).textContent();
        assert.match(label, new RegExp(`^[\\d,]+ ${unit.replace('/', '\\/')}$`), `${from} → ${to}: ${label}`);
      }
      assert.equal(await p.locator('.layer-edges .edge[data-to="cache"]').count(), 0, 'kafka-burst has no cache');
    }
    assert.deepEqual(await w.all(), []);
    await p.close();
  }
  assert.deepEqual(await watch.all(), []);
});

test('data services: the diagram draws partitions, primaries and replicas, and their inspectors act on them', async () => {
  const { page, app, watch } = await openApp('?s=kafka-burst&seed=1');
  await app.play(10);
  await app.waitForSimTime(20);
  await app.pause();
  // One cell per partition inside the topic's box, and its inspector lists them in words.
  await page.getByRole('button', { name: 'Kafka topic', exact: true }).click();
  const partitions = page.getByRole('list', { name: 'Parts of the kafka topic' }).getByRole('listitem');
  const partitionCount = await partitions.count();
  assert.ok(partitionCount >= 12, `${partitionCount} partitions listed`);
  assert.equal(await page.locator('.layer-data-parts .part-partition').count(), partitionCount);
  assert.match(await partitions.first().textContent(), /^Partition 0: lag [\d,]+ msgs \(\d+ s\), (consumer \d+|no consumer)$/);
  // The database: a primary per shard; failing it from its inspector turns it red.
  await page.getByRole('button', { name: 'Database', exact: true }).click();
  const inspector = page.getByLabel('Inspector');
  assert.match(await inspector.textContent(), /Connections in use\s*[\d,]+ of [\d,]+/);
  assert.equal(await page.locator('.layer-data-parts .part-down').count(), 0);
  await inspector.getByRole('button', { name: /^Fail primary/ }).first().click();
  // Two ticks, one at a time: the failover has not happened yet.
  for (let i = 0; i < 2; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('.layer-data-parts .part-down').length === 1);
  const shards = page.getByRole('list', { name: 'Parts of the database' }).getByRole('listitem');
  assert.match(await shards.first().textContent(), /^Shard 0 primary: down$/);
  await page.getByRole('region', { name: 'Architecture diagram' }).screenshot({ path: path.join(SHOTS_DIR, 'data-parts-kafka-burst.png') });
  await inspector.screenshot({ path: path.join(SHOTS_DIR, 'inspector-database.png') });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
