// The HPA explorer against `scalesim hpa`: the page and the native CLI are fed the same
// manifest, load curve and options, and every row (time, replicas before and after, ready pods,
// CPU, proposal, reason) must be the same. Then the plot's axes and the table at 375 px.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './support/static_server.mjs';
import { launch, watchProblems, screenshot } from './support/browser.mjs';
import { AppPage } from './support/app_page.mjs';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DIST = process.env.DIST_DIR ?? path.join(ROOT, 'dist');
const example = (name) => path.join(ROOT, 'examples', 'hpa', name);

/** `scalesim hpa … --json`: the debug binary when `cargo test` built it, else `cargo run`. */
function cli(args) {
  const bin = path.join(ROOT, 'target', 'debug', 'scalesim');
  const [cmd, pre] = existsSync(bin)
    ? [bin, []]
    : ['cargo', ['run', '--quiet', '--bin', 'scalesim', '--']];
  const out = execFileSync(cmd, [...pre, 'hpa', ...args, '--json'], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out);
}

/** "T+2:05" or "T+1:02:03", as the engine's `clock`. */
function clock(t) {
  const s = Math.round(t);
  const two = (n) => String(n).padStart(2, '0');
  return s >= 3600
    ? `T+${Math.floor(s / 3600)}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`
    : `T+${Math.floor(s / 60)}:${two(s % 60)}`;
}

// At least one scale-up and one scale-down from above minReplicas; options the CLI takes.
const CASES = [
  {
    name: 'the example HPA under a 10x spike (scale-up, every default)',
    hpa: 'seed001-hpa.yaml',
    load: 'spike-10x.csv',
    options: {},
  },
  {
    name: 'the example HPA at night from 12 pods (scale-down, pods ready after 30 s)',
    hpa: 'seed001-hpa.yaml',
    load: 'night-drop.csv',
    options: { '--initial-replicas': '12', '--ready-delay-s': '30' },
  },
  {
    name: 'the example HPA with all three metrics: CPU, then memory, then requests per second drive it',
    hpa: 'seed001-hpa-all-metrics.yaml',
    load: 'seed001-all-metrics.csv',
    options: {},
  },
  {
    name: 'the legacy path from 12 pods with a CPU limit, a 30 s sync and an end time',
    hpa: 'legacy-hpa.yaml',
    load: 'night-drop.csv',
    options: {
      '--initial-replicas': '12',
      '--cpu-request-m': '500',
      '--cpu-limit-m': '800',
      '--sync-period-s': '30',
      '--until-s': '1500',
    },
  },
];

let server;
let browser;

before(async () => {
  server = await startStaticServer(DIST, '/');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.close();
});

async function openExplorer(viewport) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const watch = await watchProblems(page, server.origin);
  await new AppPage(page).open(`${server.url}hpa.html`);
  await page.getByRole('region', { name: 'Decisions per sync' }).waitFor();
  return { page, watch };
}

/** Types a case into the explorer: manifest, load curve and each option in its field. */
async function enter(page, c) {
  await page.getByLabel('HPA manifest (YAML or JSON)').fill(readFileSync(example(c.hpa), 'utf8'));
  await page.getByLabel(/^Load curve/).fill(readFileSync(example(c.load), 'utf8'));
  for (const flag of ['--initial-replicas', '--cpu-request-m', '--cpu-limit-m', '--ready-delay-s', '--until-s', '--sync-period-s']) {
    const field = page.getByLabel(flag);
    await field.fill(c.options[flag] ?? '');
    await field.press('Tab'); // commits the field (change event)
  }
}

/** The table as rows of the CLI's JSON keys, plus the time as written. */
async function readTable(page) {
  return page.$$eval('table.hpa-decisions tbody tr', (trs) => trs.map((tr) => {
    const cell = (c) => tr.querySelector(`.${c}`).textContent.trim();
    const cpu = cell('hpa-cpu');
    return {
      t_s: Number(tr.dataset.tS),
      time: cell('hpa-time'),
      replicas_before: Number(cell('hpa-before')),
      ready: Number(cell('hpa-ready')),
      utilization_pct: cpu === '\u2013' ? null : Number(cpu),
      proposal: Number(cell('hpa-proposal')),
      replicas_after: Number(cell('hpa-after')),
      limited_by: cell('hpa-reason'),
    };
  }));
}

test('the explorer and `scalesim hpa --json` make the same decisions, row by row, on the same files', async () => {
  const { page, watch } = await openExplorer();
  // The defaults are the CLI's: the ready delay field says 0, the initial replicas minReplicas.
  assert.equal(await page.getByLabel('--ready-delay-s').getAttribute('placeholder'), 'default: 0');
  assert.equal(await page.getByLabel('--initial-replicas').getAttribute('placeholder'), 'default: minReplicas');
  const directions = new Set();
  for (const c of CASES) {
    const args = ['--hpa', example(c.hpa), '--load', example(c.load)];
    for (const [flag, value] of Object.entries(c.options)) args.push(flag, value);
    const want = cli(args).map((r) => ({ ...r, time: clock(r.t_s) }));
    await enter(page, c);
    // The table redraws when the run changes: wait for the CLI's first and last rows.
    await page.waitForFunction(([n, first, last]) => {
      const trs = document.querySelectorAll('table.hpa-decisions tbody tr');
      return trs.length === n
        && trs[0].querySelector('.hpa-before').textContent === String(first)
        && trs[n - 1].dataset.tS === String(last);
    }, [want.length, want[0].replicas_before, want.at(-1).t_s], { timeout: 10000 });
    const got = await readTable(page);
    assert.equal(got.length, want.length, c.name);
    for (let i = 0; i < want.length; i++) {
      const { time, ...w } = want[i];
      assert.deepEqual(got[i], { ...w, time }, `${c.name}: row ${i} (${time})`);
    }
    for (const r of want) {
      if (r.replicas_after > r.replicas_before) directions.add('up');
      if (r.replicas_after < r.replicas_before) directions.add('down');
    }
    if (c.options['--initial-replicas']) {
      assert.equal(got[0].replicas_before, Number(c.options['--initial-replicas']), c.name);
      assert.ok(got.some((r) => r.replicas_after < r.replicas_before), `${c.name}: no scale-down`);
    }
    if (c === CASES[1]) await screenshot(page, 'hpa-explorer-scale-down-1280');
  }
  assert.deepEqual([...directions].sort(), ['down', 'up']);
  // A bad option names its flag, field and range, as the CLI's error does.
  await page.getByLabel('--sync-period-s').fill('0');
  await page.getByLabel('--sync-period-s').press('Tab');
  assert.match(await page.getByRole('alert').innerText(), /HPA sync period \[s\]: --sync-period-s expects seconds in 1–3600, got `0`/);
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('the plot has axes with round tick values and units', async () => {
  const { page, watch } = await openExplorer();
  const plot = page.getByRole('img', { name: /Replicas \[pods\] and CPU demand/ });
  await plot.waitFor();
  const texts = await plot.locator('text').allTextContents();
  for (const unit of ['replicas [pods]', 'demand [m CPU]', 'CPU utilization [%]', 'simulated time', 'target 70 %']) {
    assert.ok(texts.includes(unit), `no "${unit}" in ${JSON.stringify(texts)}`);
  }
  // Time ticks: T+m:ss at round steps from T+0:00 (the example runs to T+40:15: every 10 min).
  const times = await plot.locator('.hpa-time-tick').allTextContents();
  assert.deepEqual(times, ['T+0:00', 'T+10:00', 'T+20:00', 'T+30:00', 'T+40:00']);
  // Value ticks are 1, 2 or 5 × 10ⁿ apart, from 0.
  const ticks = await plot.locator('text.hpa-tick:not(.hpa-time-tick)').allTextContents();
  assert.ok(ticks.includes('0') && ticks.includes('20') && ticks.includes('10k'), JSON.stringify(ticks));
  await plot.screenshot({ path: path.join(ROOT, 'tests', 'e2e', 'shots', 'hpa-explorer-plot.png') });
  assert.deepEqual(await watch.all(), []);
  await page.close();
});

test('at 375 px the decisions stay readable: after and the reason are on screen', async () => {
  const { page, watch } = await openExplorer({ width: 375, height: 800 });
  await enter(page, CASES[1]);
  await page.waitForFunction(() => document.querySelector('table.hpa-decisions tbody tr .hpa-before')?.textContent === '12');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  const wrap = await page.getByRole('region', { name: 'Decisions per sync' }).boundingBox();
  const row = page.locator('table.hpa-decisions tbody tr').filter({ hasText: 'scale-down policy' }).first();
  await row.scrollIntoViewIfNeeded();
  for (const cls of ['hpa-time', 'hpa-before', 'hpa-after', 'hpa-reason']) {
    const b = await row.locator(`.${cls}`).boundingBox();
    assert.ok(b && b.x >= wrap.x && b.x + b.width <= wrap.x + wrap.width + 0.5,
      `.${cls} is cut off: ${JSON.stringify(b)} in ${JSON.stringify(wrap)}`);
  }
  const fontPx = await row.locator('.hpa-reason').evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  assert.ok(fontPx >= 12, `reason text is ${fontPx} px`);
  assert.equal(await row.locator('.hpa-after').innerText(), '9');
  // The plot's tick labels stay readable on the phone.
  const tick = await page.locator('.hpa-time-tick').first().boundingBox();
  assert.ok(tick.height >= 10, `time ticks are ${tick.height} px tall`);
  await page.locator('svg.hpa-plot').screenshot({ path: path.join(ROOT, 'tests', 'e2e', 'shots', 'hpa-explorer-plot-375.png') });
  await screenshot(page, 'hpa-explorer-375');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
