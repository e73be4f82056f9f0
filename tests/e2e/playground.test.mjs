// End-to-end specs of the playground, driven like a person in Chromium:
// spike, zone kill, replay from a link, a bad HPA manifest, a broken link,
// keyboard use, the embed layout and an axe-core scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { specSession } from './support/session.mjs';
import { watchProblems, screenshot } from './support/browser.mjs';
import { AppPage, parseClock } from './support/app_page.mjs';
import { seriousViolations } from './support/axe.mjs';

const session = specSession();
/** The path of an element screenshot under tests/e2e/shots/. */
const shot = (name) => new URL(`./shots/${name}.png`, import.meta.url).pathname;

const openApp = (query, viewport) => session.openApp(query, viewport);

const hpaLine = /HPA: (\d+) → (\d+) pods/;

test('spike: a 10x spike makes the HPA raise desired replicas within 60 simulated seconds', async () => {
  const { page, app, watch } = await openApp('?s=reference&seed=42');
  const before = Number((await app.readout('Desired replicas')).split(' ')[0]);
  await app.play(10);
  await app.waitForSimTime(20);
  await app.page.getByLabel('Spike magnitude [×]').fill('10');
  await app.action('Trigger spike').click();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('.event-log li')].some((l) => /Learner: .*traffic spike/.test(l.textContent)));
  const spikeLine = (await app.eventLog()).find((l) => /Learner: .*traffic spike/.test(l));
  const spikeAt = parseClock(spikeLine);
  await page.waitForFunction((t0) => [...document.querySelectorAll('.event-log li')].some((l) => {
    const m = l.textContent.match(/^T\+(\d+):(\d+) HPA: (\d+) → (\d+)/);
    return m && Number(m[1]) * 60 + Number(m[2]) >= t0 && Number(m[4]) > Number(m[3]);
  }), spikeAt, { timeout: 30000 });
  await app.pause();
  const rise = (await app.eventLog()).find((l) => hpaLine.test(l) && parseClock(l) >= spikeAt
    && Number(l.match(hpaLine)[2]) > Number(l.match(hpaLine)[1]));
  assert.ok(parseClock(rise) - spikeAt <= 60, `HPA rose at ${rise}, spike at ${spikeLine}`);
  const after = Number((await app.readout('Desired replicas')).split(' ')[0]);
  assert.ok(after > before, `desired replicas ${before} → ${after}`);
  // The action is a chart marker and a timeline line; the replicas chart has ink.
  assert.ok(await page.evaluate(() => {
    const c = document.querySelector('#chart-replicas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1]) ink++;
    return ink > 2000;
  }), 'the replicas chart looks blank');
  await screenshot(page, 'spike-desktop');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('zone kill: its pods die, errors spike and traffic moves to the other zones', async () => {
  const { page, app, watch } = await openApp('?s=reference&seed=42');
  await app.play(10);
  await app.waitForSimTime(30);
  await app.action('Kill zone b').click();
  await page.waitForFunction(() => /zone b — DOWN/.test(document.querySelector('.layer-regions')?.textContent ?? ''));
  // Errors: dead pods get traffic until health checks notice them.
  await page.waitForFunction(() => {
    const kv = [...document.querySelectorAll('dl.live-numbers .kv')].find((k) => k.querySelector('dt').textContent === 'Failing now');
    return kv && kv.querySelector('dd').textContent !== 'nothing';
  }, null, { timeout: 20000 });
  await screenshot(page, 'zone-kill-errors');
  await app.region('Architecture diagram').screenshot({ path: shot('zone-kill-diagram') });
  // The live region speaks to screen readers and stays out of sight.
  await page.waitForFunction(() => document.querySelector('#announcer')?.textContent.trim().length > 0);
  const announcer = await page.evaluate(() => {
    const a = document.querySelector('#announcer');
    const r = a.getBoundingClientRect();
    return { text: a.textContent, width: r.width, height: r.height, position: getComputedStyle(a).position };
  });
  assert.match(announcer.text, /T\+\d+:\d\d /, 'a failure is announced with its time');
  assert.deepEqual([announcer.position, announcer.width <= 1, announcer.height <= 1], ['absolute', true, true],
    'the live region is visually hidden');
  // The zone inspector says why zone b's requests fail: the LB still sends to its dead pods.
  await app.pause();
  await page.getByRole('button', { name: /^Zone b: down/ }).click();
  const reasons = page.getByRole('list', { name: 'Failing requests, by reason' });
  const reasonText = await reasons.textContent();
  assert.match(reasonText, /dead pod not yet detected: [\d,.]+ req\/s/);
  await page.getByLabel('Inspector').screenshot({ path: shot('zone-inspector-failures') });
  await app.play(10);
  const zoneB = page.getByRole('button', { name: /^Zone b: down/ });
  await zoneB.waitFor();
  // Traffic moves: zone b's edge carries nothing, the others carry it all.
  await page.waitForFunction(() => {
    const labels = [...document.querySelectorAll('.layer-edges .edge[data-from="lb"] text')].map((t) => t.textContent);
    return labels.length === 3 && labels[1] === '0 req/s' && labels[0] !== '0 req/s' && labels[2] !== '0 req/s';
  }, null, { timeout: 30000 });
  await app.pause();
  const log = await app.eventLog();
  assert.ok(log.some((l) => /Learner: kill zone b/.test(l)), 'no kill-zone line');
  assert.ok(log.some((l) => /pod \d+ (killed|lost with its node)/.test(l)), 'no pod died');
  assert.match(await zoneB.getAttribute('aria-label'), /0 of \d+ pods ready|0 of 0 pods ready/);
  await zoneB.focus();
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Zone b \(region/ }).waitFor();
  assert.equal(await page.getByLabel('Inspector').getByRole('button', { name: 'Restore zone b' }).count(), 1);
  await screenshot(page, 'zone-kill-desktop');
  // The SLO panel: the burn rate over every alert window, with its threshold and state.
  const burn = page.locator('.burn-table');
  assert.equal(await burn.locator('tbody tr').count(), 3);
  const burnText = await burn.textContent();
  for (const w of ['5 min:', '30 min:', '1 h:', '6 h:', '3 d:', 'both above 14.4×', 'both above 6.00×', 'both above 1.00×']) {
    assert.ok(burnText.includes(w), `${w} missing from the burn table: ${burnText}`);
  }
  assert.match(burnText, /5 min: [1-9][\d.]*×/, 'the zone kill does not burn the 5 min window');
  await page.locator('.slo-panel').screenshot({ path: shot('slo-panel') });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('kill by id: the node inspector kills the very pod and node it shows', async () => {
  const { page, app, watch } = await openApp('?s=reference&seed=42');
  await app.play(10);
  await app.waitForSimTime(20);
  await app.pause();
  await page.getByRole('button', { name: /^Node \d+ · \d+ % req/ }).first().click();
  const inspector = page.getByLabel('Inspector');
  const killPod = inspector.getByRole('button', { name: /^Kill pod \d+$/ }).first();
  const pod = (await killPod.textContent()).match(/\d+/)[0];
  const killNode = inspector.getByRole('button', { name: /^Kill node \d+$/ });
  const node = (await killNode.textContent()).match(/\d+/)[0];
  await inspector.screenshot({ path: shot('node-inspector') });
  await killPod.click();
  await app.play(10);
  const has = (re) => page.waitForFunction((src) => [...document.querySelectorAll('.event-log li')]
    .some((l) => new RegExp(src).test(l.textContent)), re.source, { timeout: 20000 });
  await has(new RegExp(`Learner: kill pod ${pod}$`));
  await has(new RegExp(`pod ${pod} killed`));
  await app.pause();
  const killed = (await app.eventLog()).filter((l) => /pod \d+ killed/.test(l));
  assert.deepEqual(killed.map((l) => l.match(/pod (\d+) killed/)[1]), [pod], killed.join(' | '));
  await inspector.getByRole('button', { name: `Kill node ${node}` }).click();
  await app.play(10);
  await has(new RegExp(`Learner: kill node ${node} and its pods`));
  await has(new RegExp(`node ${node} in zone \\S+ died`));
  await app.pause();
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('replay: the copied link opens the same run with the same event log', async () => {
  const { page, app, watch } = await openApp('?s=black-friday&seed=9');
  await app.play(100);
  await app.waitForSimTime(40);
  await app.action('Kill pod').click();
  await app.waitForSimTime(120);
  await app.action('Kill zone us-east-1c').click();
  await app.waitForSimTime(300);
  await app.pause();
  await page.getByRole('button', { name: 'Copy link' }).click();
  const link = await page.getByLabel('Link to this run').inputValue();
  assert.match(link, /[?&]s=black-friday&seed=9&a=\d[^&]*_kp_1_~\d[^&]*_kz_us-east-1c&t=\d/);
  const original = await app.eventLog();
  assert.ok(original.length > 5, 'the run logged too little');
  await screenshot(page, 'replay-original');

  const copy = await session.browser.context.newPage();
  const watch2 = await watchProblems(copy, session.server.origin);
  const app2 = new AppPage(copy);
  await app2.open(link);
  await app2.waitForSim();
  await copy.waitForFunction((n) => document.querySelectorAll('.event-log li').length >= n, original.length);
  assert.deepEqual(await app2.eventLog(), original);
  assert.equal(await app2.simSeconds(), await app.simSeconds());
  await screenshot(copy, 'replay-copy');
  assert.deepEqual(await watch.all(), []);
  assert.deepEqual(await watch2.all(), []);
  await copy.close();
  await page.close();
});

test('the scrubber goes back by re-simulating and forward by simulating on', async () => {
  const { page, app, watch } = await openApp('?s=black-friday&seed=3');
  await app.play(100);
  await app.waitForSimTime(200);
  await app.pause();
  const full = await app.eventLog();
  const slider = page.getByRole('slider', { name: 'Scrub simulated time' });
  await slider.fill('30');
  await page.waitForFunction(() => /T\+0:[23]\d /.test(document.querySelector('.sim-clock').textContent));
  const back = await app.eventLog();
  const now = await app.simSeconds();
  assert.ok(back.every((l) => parseClock(l) <= now + 1), `lines after the scrub point: ${back.join(' | ')}`);
  // Re-simulated from the seed and the actions: the same run, so the same first lines.
  assert.deepEqual(back, full.slice(0, back.length));
  assert.ok(back.length < full.length, `${back.length} lines back, ${full.length} before`);
  await screenshot(page, 'scrubbed-back');
  await slider.fill('300');
  await page.waitForFunction(() => /T\+5:0\d /.test(document.querySelector('.sim-clock').textContent));
  assert.ok((await app.eventLog()).length >= full.length);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('an old ?view=hpa link opens the HPA explorer\'s own page', async () => {
  const page = await session.browser.context.newPage();
  await page.goto(session.server.url + '?view=hpa');
  await page.getByLabel('HPA manifest (YAML or JSON)').waitFor({ timeout: 15000 });
  assert.match(page.url(), /\/hpa\.html$/);
  await page.close();
});

test('bad input: a malformed HPA manifest gets an error naming the field, and no crash', async () => {
  const { page, watch } = await openApp('hpa.html');
  const manifest = page.getByLabel('HPA manifest (YAML or JSON)');
  await manifest.waitFor();
  await page.getByRole('region', { name: 'Decisions per sync' }).waitFor();
  await screenshot(page, 'hpa-explorer-good');
  await manifest.fill('spec:\n  minReplicas: 2\n  maxReplicas: many\n');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /maxReplicas/);
  await screenshot(page, 'hpa-explorer-bad-manifest');
  await manifest.fill('{"spec": {"minReplicas": 1, "maxReplicas": 5, "behavior": {"scaleUp": {"policies": [{"type": "Pods", "value": 2}]}}}}');
  assert.match(await page.getByRole('alert').innerText(), /periodSeconds|policies/);
  await manifest.fill('{"spec": {"minReplicas": 1, "maxReplicas": 5}}');
  await page.getByRole('region', { name: 'Decisions per sync' }).waitFor();
  assert.ok((await page.locator('table.decisions tbody tr').count()) > 10);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('a broken link says what is wrong and falls back to the scenario picker', async () => {
  const { page, watch } = await openApp('?s=black-friday&seed=1&a=5_zz_1');
  const alert = page.locator('.link-error');
  await alert.waitFor();
  assert.match(await alert.innerText(), /unknown action.*zz/);
  await page.getByLabel('Scenario', { exact: true }).waitFor();
  await screenshot(page, 'broken-link');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('embed=1 gives a compact layout with the diagram, key charts and actions', async () => {
  const { page, app, watch } = await openApp('?s=reference&seed=42&embed=1', { width: 900, height: 700 });
  for (const name of ['Architecture diagram', 'Charts', 'Actions']) assert.equal(await app.region(name).count(), 1);
  for (const name of ['Timeline', 'Interview', 'Error budget (SLO)']) assert.equal(await app.region(name).count(), 0);
  assert.equal(await page.locator('canvas[id^="chart-"]').count(), 3);
  await screenshot(page, 'embed');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('at 375 px the playground works by touch-sized controls and keyboard, with no sideways scroll', async () => {
  const { page, app, watch } = await openApp('?s=reference&seed=42', { width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow} px wider than the screen`);
  const small = await page.evaluate(() => [...document.querySelectorAll('.region-actions button')]
    .filter((b) => b.getBoundingClientRect().height < 40).map((b) => b.textContent));
  assert.deepEqual(small, [], 'buttons smaller than 40 px');
  // The diagram's text stays readable: it scrolls sideways in its own box instead of shrinking.
  const diagram = await page.evaluate(() => {
    const svg = document.querySelector('svg.diagram');
    const box = svg.closest('.diagram-scroll');
    const text = [...svg.querySelectorAll('text')].find((t) => t.textContent.includes('Load balancer'));
    return { textPx: text.getBoundingClientRect().height, scrolls: box.scrollWidth > box.clientWidth };
  });
  assert.ok(diagram.textPx >= 9, `diagram text is ${diagram.textPx} px tall`);
  assert.ok(diagram.scrolls, 'the diagram box scrolls sideways');
  await page.getByRole('button', { name: 'Play', exact: true }).focus();
  await page.keyboard.press('Enter');
  await app.waitForSimTime(3);
  await page.keyboard.press('Enter');
  await screenshot(page, 'playground-phone-375');
  await screenshot(page, 'playground-phone-375-top', { fullPage: false });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('axe-core finds no serious or critical accessibility violations', async () => {
  for (const query of ['?s=reference&seed=42', 'hpa.html']) {
    const { page, app } = await openApp(query);
    if (!query.includes('hpa')) {
      await app.play(100);
      await app.waitForSimTime(60);
      await app.pause();
    }
    const v = await seriousViolations(page);
    assert.deepEqual(v, [], `${query}: ${v.join('\n')}`);
    await page.close();
  }
});

test('a newcomer on the bare page spikes it, kills a zone and, one click away, flips the consistency mode', async () => {
  const { page, app, watch } = await openApp('');
  await app.play(10);
  await app.action('Trigger spike').click();
  await app.waitForSimTime(20);
  await page.getByRole('button', { name: /^Kill zone / }).first().click();
  await page.waitForFunction(() => /— DOWN/.test(document.querySelector('.layer-regions')?.textContent ?? ''));
  const log = await app.eventLog();
  assert.ok(log.some((l) => /Learner: .*spike/i.test(l)) && log.some((l) => /Learner: kill zone/i.test(l)), log.join(' | '));
  // The default scenario has no data tier: the Actions panel offers one that has.
  await page.getByRole('button', { name: 'Open a scenario with consistency modes' }).first().click();
  await page.waitForFunction(() => new URL(location.href).searchParams.get('s') === 'consistency-tradeoff');
  await page.getByLabel('Consistency mode', { exact: true }).selectOption('eventual');
  await app.play(10);
  await app.waitForSimTime(5);
  assert.ok((await app.eventLog()).some((l) => /consistency.*eventual/i.test(l)), (await app.eventLog()).join(' | '));
  await screenshot(page, 'newcomer-consistency');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
