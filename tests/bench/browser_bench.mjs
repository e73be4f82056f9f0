// Browser benchmark of the built app (dist/): frame times at 1x, 100x and 1000x
// with every chart live, the wasm engine's speed against native, time to
// interactive, and the wasm gzip size.
//
//   trunk build --release --skip-version-check && node tests/bench/browser_bench.mjs
//
// Native speed: `cargo bench --bench engine` (the same reference day); pass its
// "simulated s per wall s" figure as NATIVE_SIM_S_PER_S=… or let this script run it.
import { readdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startStaticServer } from '../e2e/support/static_server.mjs';
import { launch, DIST_DIR } from '../e2e/support/browser.mjs';

const SECONDS_PER_SPEED = Number(process.env.BENCH_SECONDS ?? 5);

function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.floor(q * (sorted.length - 1) + 0.5));
  return sorted[i];
}

function nativeSpeed() {
  if (process.env.NATIVE_SIM_S_PER_S) return Number(process.env.NATIVE_SIM_S_PER_S);
  const out = execFileSync('cargo', ['bench', '--bench', 'engine'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const m = out.match(/simulated s per wall s\s+([\d.]+)/);
  if (!m) throw new Error(`cannot read the native figure from:\n${out}`);
  return Number(m[1]);
}

/** Per-frame work the app recorded (ui::sim_loop::frame_stats) since `reset`. */
async function work(page) {
  return page.evaluate(() => {
    const s = window.__scalesimStats;
    const out = { frames: s.frames.slice(), charts: s.charts.slice(), counts: { ...s.counts }, mutations: { ...s.mutations } };
    s.frames.length = 0;
    s.charts.length = 0;
    s.counts = {};
    for (const k of Object.keys(s.mutations)) s.mutations[k] = 0;
    return out;
  });
}

function summarise(w, seconds) {
  const q = (xs, p) => quantile(xs.slice().sort((a, b) => a - b), p);
  const steps = w.frames.map((f) => f.steps);
  const perChart = {};
  for (const c of w.charts) (perChart[c.id] ??= []).push(c.ms);
  return {
    steps_mean: steps.reduce((a, b) => a + b, 0) / Math.max(1, steps.length),
    steps_max: Math.max(0, ...steps),
    step_ms_p95: q(w.frames.map((f) => f.step_ms), 0.95),
    publish_ms_p95: q(w.frames.filter((f) => f.publish_ms > 0).map((f) => f.publish_ms), 0.95),
    publishes_per_s: w.frames.filter((f) => f.publish_ms > 0).length / seconds,
    work_ms_median: q(w.frames.filter((f) => f.work_ms !== undefined).map((f) => f.work_ms), 0.5),
    work_ms_p95: q(w.frames.filter((f) => f.work_ms !== undefined).map((f) => f.work_ms), 0.95),
    chart_draws_per_s: w.charts.length / seconds,
    chart_ms_p95: q(w.charts.map((c) => c.ms), 0.95),
    charts: Object.fromEntries(Object.entries(perChart).map(([id, ms]) => [id, { draws: ms.length, ms_median: q(ms, 0.5) }])),
    memos_per_s: Object.fromEntries(Object.entries(w.counts).map(([k, n]) => [k, n / seconds])),
    diagram_mutations_per_publication: Object.fromEntries(Object.entries(w.mutations)
      .map(([k, n]) => [k, n / Math.max(1, w.frames.filter((f) => f.publish_ms > 0).length)])),
  };
}

async function frameTimes(page, speed) {
  await page.getByLabel('Speed', { exact: true }).selectOption(String(speed));
  const play = page.getByRole('button', { name: 'Play', exact: true });
  if (await play.count()) await play.click();
  await page.waitForTimeout(500);
  const deltas = await page.evaluate((seconds) => new Promise((resolve) => {
    const out = [];
    let last = performance.now();
    const end = last + seconds * 1000;
    function tick(ts) {
      out.push(ts - last);
      last = ts;
      if (ts < end) requestAnimationFrame(tick); else resolve(out);
    }
    requestAnimationFrame((ts) => { last = ts; requestAnimationFrame(tick); });
  }), SECONDS_PER_SPEED);
  const recorded = summarise(await work(page), SECONDS_PER_SPEED);
  const behind = await page.locator('.keep-up.behind').count();
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  if (await pause.count()) await pause.click();
  const sorted = deltas.slice(1).sort((a, b) => a - b);
  return {
    frames: sorted.length,
    median: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
    missed: sorted.filter((d) => d > 25).length,
    behind: behind > 0,
    work: recorded,
  };
}

const server = await startStaticServer(DIST_DIR, '/');
const browser = await launch({ viewport: { width: 1440, height: 900 } });
const results = {};
try {
  const page = await browser.context.newPage();
  // The app records each frame's work when this exists before it starts.
  await page.addInitScript(() => {
    window.__scalesimStats = { frames: [], charts: [], counts: {} };
    // How much of the diagram each publication changes in the DOM.
    const mutations = { attributes: 0, text: 0, added: 0, removed: 0 };
    window.__scalesimStats.mutations = mutations;
    const watch = () => {
      const svg = document.querySelector('svg.diagram');
      if (!svg) return requestAnimationFrame(watch);
      new MutationObserver((list) => {
        for (const m of list) {
          if (m.type === 'attributes') mutations.attributes++;
          else if (m.type === 'characterData') mutations.text++;
          else { mutations.added += m.addedNodes.length; mutations.removed += m.removedNodes.length; }
        }
      }).observe(svg, { subtree: true, attributes: true, characterData: true, childList: true });
    };
    addEventListener('DOMContentLoaded', watch);
  });
  // Time to interactive: navigation start → the Play button is on screen and the first frame is drawn
  // (the scenario's file fetched: the clock's end is the run's, not T+0:00).
  await page.goto(`${server.url}?s=reference&seed=42`);
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  await page.waitForFunction(() => {
    const t = (document.querySelector('.sim-clock')?.textContent ?? '').trim();
    return /T\+/.test(t) && !t.endsWith('/ T+0:00');
  });
  results.interactive_ms = await page.evaluate(() => performance.now());

  for (const speed of [1, 100, 1000]) {
    await work(page);
    results[`frames_${speed}x`] = await frameTimes(page, speed);
  }

  await page.getByText('Engine speed on this device').click();
  let best = 0;
  for (let i = 0; i < 3; i++) {
    await page.getByRole('button', { name: 'Measure engine speed' }).click();
    await page.waitForFunction(() => /simulated seconds/.test(document.querySelector('#engine-speed')?.textContent ?? ''));
    const text = await page.locator('#engine-speed').innerText();
    best = Math.max(best, Number(text.split(' ')[0].replaceAll(',', '')));
  }
  results.wasm_sim_s_per_s = best;
  await page.close();

  // Grading: Black Friday's configure question (3 h at 1 s ticks) on its 3
  // seeds, plus the reference and nobody-acting runs for the ghost lines, in
  // slices across frames. Longest gap between two animation frames meanwhile.
  const g = await browser.context.newPage();
  await g.goto(`${server.url}interview.html?interview=black-friday`);
  await g.locator('.interview-sheet').waitFor();
  await g.evaluate(() => {
    window.__gaps = [];
    let last = performance.now();
    const tick = (t) => { window.__gaps.push(t - last); last = t; if (!window.__stopGaps) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  await g.waitForTimeout(200);
  const t0 = await g.evaluate(() => { window.__gaps = []; return performance.now(); });
  await g.getByRole('button', { name: 'Submit for grading' }).click();
  await g.waitForFunction(() => Number(document.querySelector('.debriefs')?.dataset.graded) > 0, null, { timeout: 60000 });
  const graded = await g.evaluate((start) => {
    window.__stopGaps = true;
    return { ms: performance.now() - start, longest: Math.max(...window.__gaps), frames: window.__gaps.length };
  }, t0);
  results.grade_ms = graded.ms;
  results.grade_longest_frame_ms = graded.longest;
  results.grade_frames = graded.frames;
  await g.close();
} finally {
  await browser.close();
  server.close();
}
results.native_sim_s_per_s = nativeSpeed();
// Each page's wasm: the playground (scalesim-web) and interview mode (scalesim-interview).
const gz = (prefix) => {
  const f = readdirSync(DIST_DIR).find((n) => n.startsWith(prefix) && n.endsWith('.wasm'));
  return gzipSync(readFileSync(path.join(DIST_DIR, f)), { level: 9 }).length;
};
results.wasm_gzip_bytes = gz('scalesim-web-');
results.interview_wasm_gzip_bytes = gz('scalesim-interview-');
results.hpa_wasm_gzip_bytes = gz('scalesim-hpa-');

const f = (x) => x.toFixed(1);
const ratio = results.native_sim_s_per_s / results.wasm_sim_s_per_s;
console.log('browser benchmark (headless Chromium, dist/ release build)');
for (const speed of [1, 100, 1000]) {
  const r = results[`frames_${speed}x`];
  console.log(`  frame time at ${String(speed).padStart(4)}x   median ${f(r.median)} ms  p95 ${f(r.p95)} ms  (${r.frames} frames, ${r.missed} over 25 ms${r.behind ? ', sim behind' : ''})`);
  const w = r.work;
  console.log(`    per frame: ${f(w.steps_mean)} sim steps (max ${w.steps_max}), stepping p95 ${f(w.step_ms_p95)} ms; `
    + `${f(w.publishes_per_s)} publications/s, publish p95 ${f(w.publish_ms_p95)} ms; `
    + `all work to the next task median ${f(w.work_ms_median)} ms, p95 ${f(w.work_ms_p95)} ms`);
  console.log(`    charts: ${f(w.chart_draws_per_s)} redraws/s, p95 ${f(w.chart_ms_p95)} ms each; `
    + Object.entries(w.charts).map(([id, c]) => `${id.replace('chart-', '')} ${c.draws}x ${f(c.ms_median)} ms`).join(', '));
  console.log(`    memos: ${Object.entries(w.memos_per_s).map(([k, n]) => `${k} ${f(n)}/s`).join('; ') || 'none'}`);
  const m = w.diagram_mutations_per_publication;
  console.log(`    diagram DOM per publication: ${f(m.attributes)} attributes, ${f(m.text)} texts, ${f(m.added)} nodes added, ${f(m.removed)} removed`);
}
console.log(`  engine, wasm             ${Math.round(results.wasm_sim_s_per_s).toLocaleString('en')} sim-s per wall-s`);
console.log(`  engine, native           ${Math.round(results.native_sim_s_per_s).toLocaleString('en')} sim-s per wall-s (wasm is ${ratio.toFixed(2)}x slower)`);
console.log(`  time to interactive      ${Math.round(results.interactive_ms)} ms`);
console.log(`  grading (3 h x 3 seeds)  ${Math.round(results.grade_ms)} ms over ${results.grade_frames} frames, longest frame ${f(results.grade_longest_frame_ms)} ms`);
console.log(`  wasm gzip, playground    ${results.wasm_gzip_bytes.toLocaleString('en-US')} B (${(results.wasm_gzip_bytes / 1000).toFixed(0)} KB)`);
console.log(`  wasm gzip, interview     ${results.interview_wasm_gzip_bytes.toLocaleString('en-US')} B (${(results.interview_wasm_gzip_bytes / 1000).toFixed(0)} KB)`);
console.log(`  wasm gzip, HPA explorer  ${results.hpa_wasm_gzip_bytes.toLocaleString('en-US')} B (${(results.hpa_wasm_gzip_bytes / 1000).toFixed(0)} KB)`);
const bars = [
  // One 60 Hz refresh is 16.7 ms; rAF timestamps jitter by a few tenths of a millisecond.
  ['p95 frame at 100x <= 16.7 ms (one refresh, +0.5 ms jitter)', results.frames_100x.p95 <= 17.2],
  ['p95 frame at 1000x <= 16.7 ms (one refresh, +0.5 ms jitter)', results.frames_1000x.p95 <= 17.2],
  ['wasm within 2.5x of native', ratio <= 2.5],
  ['interactive <= 1500 ms', results.interactive_ms <= 1500],
  ['playground wasm <= 600 KB (600,000 B) gzip', results.wasm_gzip_bytes <= 600_000],
  ['interview wasm <= 600 KB (600,000 B) gzip', results.interview_wasm_gzip_bytes <= 600_000],
  ['HPA explorer wasm <= 600 KB (600,000 B) gzip', results.hpa_wasm_gzip_bytes <= 600_000],
  ['grading a 3 h configure question on 3 seeds <= 2 s', results.grade_ms <= 2000],
  ['no frame over 50 ms while grading', results.grade_longest_frame_ms <= 50],
];
for (const [name, ok] of bars) console.log(`  bar ${name}: ${ok ? 'PASS' : 'FAIL'}`);
console.log(`bench: ${JSON.stringify(results)}`);
