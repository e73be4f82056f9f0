// End-to-end specs of the data tier: consistency modes and the Kafka queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer } from './support/static_server.mjs';
import { launch, watchProblems, screenshot, DIST_DIR } from './support/browser.mjs';
import { AppPage } from './support/app_page.mjs';

let server;
let browser;

before(async () => {
  server = await startStaticServer(DIST_DIR, '/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openApp(query) {
  const page = await browser.context.newPage();
  const watch = await watchProblems(page, server.origin);
  const app = new AppPage(page);
  await app.open(server.url + query);
  await app.waitForSim();
  return { page, app, watch };
}

const number = (text) => Number(text.replaceAll(',', '').match(/[\d.]+/)[0]);

test('consistency: from strong to eventual, write latency falls and stale reads appear', async () => {
  const { page, app, watch } = await openApp('?s=consistency-tradeoff&seed=1');
  await app.play(10);
  await app.waitForSimTime(60);
  await app.pause();
  const strongWrite = number(await app.readout('Write latency p50 / p99'));
  const strongStale = number(await app.readout('Stale reads'));
  await page.getByLabel('Consistency mode').selectOption('eventual');
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
  await app.waitForSimTime(300);
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
