// Interview mode as a learner meets it: the flash sale answered with reactive
// scaling only (fails, with the errors of 12:00-12:04 and the error budget
// measured per seed), then with minReplicas raised at 11:30 (passes); an
// explanation with its matched concepts; progress that survives a reload, an
// export, a cleared storage and an import; a corrupted record kept aside with a
// clear message; one question embedded; both themes, 375 px and axe. Interview
// mode is a page of its own (interview.html); a drill plays on the playground
// page (index.html?s=NAME&drill=ID) and its debrief shows back on the
// interview page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { specSession } from './support/session.mjs';
import { launch, watchProblems, screenshot } from './support/browser.mjs';
import { seriousViolations } from './support/axe.mjs';

const s = specSession();

/** Opens the interview page at `query` in a new page and waits for the interview sheet. */
async function openInterview(query, viewport = { width: 1280, height: 900 }, browser) {
  const page = await (browser ?? s.browser).context.newPage();
  await page.setViewportSize(viewport);
  const watch = await watchProblems(page, s.server.origin);
  await page.goto(s.server.url + 'interview.html' + query);
  await page.locator('.interview-sheet').waitFor({ timeout: 15000 });
  return { page, watch };
}

/** Clicks Submit and waits until this submission is graded. */
async function submit(page) {
  const before = Number(await page.locator('.debriefs').getAttribute('data-graded'));
  await page.getByRole('button', { name: 'Submit for grading' }).click();
  await page.waitForFunction(
    (n) => Number(document.querySelector('.debriefs')?.dataset.graded) > n,
    before,
    { timeout: 30000 },
  );
}

/** The check rows of the debrief of question `id`: [label, bound, seeds…, result]. */
async function checkRows(page, id) {
  return page
    .getByRole('article', { name: `Debrief of ${id}` })
    .locator('.check-table tbody tr')
    .evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent.trim())));
}

/** Number in a cell such as "1,349,665 requests" or "74.8 %". */
const num = (cell) => Number(cell.replace(/[^0-9.\-]/g, ''));

test('reactive scaling fails the flash sale, pre-scaling at 11:30 passes, the explanation is highlighted', async () => {
  const { page, watch } = await openInterview('?interview=flash-sale');
  await page.getByLabel(/Requests fail or time out/).check();
  // Reactive only: the configure question is submitted with nothing changed.
  await submit(page);
  let rows = await checkRows(page, 'plan');
  const errors = rows.find((r) => r[0].startsWith('failed requests from 12:00 to 12:04'));
  assert.ok(errors, `no 12:00-12:04 row in ${JSON.stringify(rows)}`);
  assert.match(errors[0], /T\+1:00:00\u2013T\+1:04:00/);
  const seeds = errors.slice(2, 5).map(num);
  assert.equal(seeds.length, 3);
  for (const v of seeds) assert.ok(v > 100000, `errors per seed ${seeds}`);
  assert.match(errors.at(-1), /missed/);
  const budget = rows.find((r) => r[0].startsWith('error budget spent'));
  assert.ok(budget && budget.slice(2, 5).every((c) => num(c) > 50), JSON.stringify(budget));
  const plan = page.getByRole('article', { name: 'Debrief of plan' });
  assert.match(await plan.locator('h4').textContent(), /plan: 0 \/ 5 points/);
  assert.equal(await plan.locator('canvas').count(), 2, 'charts with ghost lines');
  await screenshot(page, 'interview-flash-sale-reactive-fails');

  // Pre-scale: minReplicas 40 at T+30:00 (11:30).
  // The plan question's form (the degrade question has one too).
  const planForm = page.getByRole('group', { name: /Question 2: configure and run/ });
  await planForm.getByLabel('At (h:mm:ss)').fill('0:30:00');
  await planForm.getByRole('combobox', { name: /^Action/ }).selectOption({ label: 'set minReplicas to' });
  await planForm.getByLabel('Amount').fill('40');
  await planForm.getByRole('button', { name: 'Add action' }).click();
  await page.getByText('T+30:00: set the HPA').waitFor();
  await page.getByLabel(/Your explanation/).fill(
    'Autoscaling is reactive: it only sees the spike after 12:00, and a new node takes about four minutes, so I would pre-scale at 11:30 and scale back down after the sale.',
  );
  await submit(page);
  rows = await checkRows(page, 'plan');
  assert.ok(rows.every((r) => /^met/.test(r.at(-1))), JSON.stringify(rows));
  assert.match(await plan.locator('h4').textContent(), /plan: 5 \/ 5 points \(100 %\)/);
  const marks = await page.getByRole('article', { name: 'Debrief of why' }).locator('mark').allTextContents();
  assert.ok(marks.includes('reactive') && marks.includes('11:30'), `marks ${marks}`);
  assert.match(await page.getByRole('article', { name: 'Debrief of why' }).textContent(), /Concepts missed/);
  await screenshot(page, 'interview-flash-sale-prescaled-passes');
  assert.deepEqual(await watch.all(), []);

  // The progress is there after a reload.
  await page.reload();
  await page.locator('.interview-sheet').waitFor();
  const pick = page.getByRole('button', { name: /Flash sale at noon/ });
  assert.match(await pick.textContent(), /best \d+ % in 2 attempts/);
  await page.close();
});

test('progress exports, imports into an empty browser with a report, and a corrupted record is kept aside', async () => {
  const own = await launch({ acceptDownloads: true });
  const { page } = await openInterview('?interview=flash-sale', undefined, own);
  await page.getByLabel(/Requests fail or time out/).check();
  await submit(page);
  await page.getByText('Your progress').click();
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export progress (JSON)' }).click(),
  ]);
  const file = await download.path();
  const saved = JSON.parse(readFileSync(file, 'utf8'));
  assert.equal(saved.version, 1);
  assert.equal(saved.attempts.length, 1);
  assert.equal(saved.attempts[0].scenario, 'flash-sale');

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await page.locator('.interview-sheet').waitFor();
  assert.match(await page.getByRole('button', { name: /Flash sale at noon/ }).textContent(), /not tried yet/);
  await page.getByText('Your progress').click();
  await page.getByLabel('Import progress').setInputFiles(file);
  await page.getByText(/Imported .*: 1 new attempt\(s\), 0 already here/).waitFor();
  assert.match(await page.getByRole('button', { name: /Flash sale at noon/ }).textContent(), /best \d+ % in 1 attempt/);
  // The same file again: nothing new.
  await page.getByLabel('Import progress').setInputFiles(file);
  await page.getByText(/0 new attempt\(s\), 1 already here/).waitFor();

  const broken = '{"version":1,"attempts":[{"scenario":"flash-sale"';
  await page.evaluate((b) => localStorage.setItem('scalesim.progress', b), broken);
  await page.reload();
  await page.locator('.interview-sheet').waitFor();
  // The box opens by itself to say so.
  assert.ok(await page.locator('.progress-box').evaluate((d) => d.open), 'the progress box is open');
  const alert = page.locator('.progress-box [role=alert]');
  assert.match(await alert.textContent(), /could not be read .* kept unchanged under \u201cscalesim\.progress\.unreadable\.\d+\u201d/);
  const kept = await page.evaluate(() =>
    Object.keys(localStorage).filter((k) => k.startsWith('scalesim.progress.unreadable.')).map((k) => localStorage.getItem(k)),
  );
  assert.deepEqual(kept, [broken]);
  await screenshot(page, 'interview-progress-corrupted');
  await own.close();
});

test('one question embeds alone; the panel reads in both themes, at 375 px, and passes axe', async () => {
  const { page, watch } = await openInterview('?interview=flash-sale&q=3&embed=1');
  assert.equal(await page.locator('fieldset.question').count(), 1);
  assert.match(await page.locator('fieldset.question legend').textContent(), /Question 3: explain/);
  assert.equal(await page.locator('.interview-list').count(), 0);
  await screenshot(page, 'interview-embed-one-question');
  await page.close();

  for (const scheme of ['light', 'dark']) {
    const own = await launch({ colorScheme: scheme });
    const { page: p } = await openInterview('?interview=ticket-booking', { width: 1280, height: 900 }, own);
    await p.locator('fieldset.question input[type=radio]').first().check();
    await submit(p);
    assert.deepEqual(await seriousViolations(p), [], scheme);
    await screenshot(p, `interview-debrief-${scheme}`);
    await own.close();
  }
  const { page: narrow } = await openInterview('?interview=flash-sale', { width: 375, height: 800 });
  const overflow = await narrow.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow} px at 375 px`);
  await narrow.getByLabel(/Requests fail or time out/).check();
  await submit(narrow);
  assert.deepEqual(await seriousViolations(narrow), []);
  await screenshot(narrow, 'interview-375');
  assert.deepEqual(await watch.all(), []);
  await narrow.close();
});

test('an old playground link to interview mode opens the interview page; an unknown scenario is said and the scenarios listed', async () => {
  const page = await s.browser.context.newPage();
  await page.goto(s.server.url + '?interview=flash-sale&q=2');
  await page.locator('.interview-sheet').waitFor({ timeout: 15000 });
  assert.match(page.url(), /\/interview\.html\?interview=flash-sale&q=2$/);
  assert.equal(await page.locator('fieldset.question').count(), 1);
  await page.goto(s.server.url + '?interview=flash-sail');
  await page.locator('.link-error').waitFor({ timeout: 15000 });
  assert.match(page.url(), /\/interview\.html/);
  const text = await page.locator('.link-error').textContent();
  assert.match(text, /no interview scenario called \u201cflash-sail\u201d.*flash-sale/);
  await page.close();
});

test('a live drill: the fault strikes at its seeded moment, the learner restores, the debrief compares three runs', async () => {
  const { page, watch } = await openInterview('?interview=chaos-drill');
  await page.getByRole('button', { name: 'Start the drill' }).click();
  // The drill plays on the playground page.
  const banner = page.getByRole('region', { name: 'Drill' });
  await banner.waitFor({ timeout: 15000 });
  assert.match(new URL(page.url()).search, /^\?s=chaos-drill.*&drill=abort/);
  assert.match(await banner.textContent(), /all quiet so far/);
  await page.waitForFunction(() => /the fault struck/.test(document.querySelector('.drill-banner')?.textContent ?? ''), null, { timeout: 30000 });
  await page.getByRole('button', { name: 'Restore', exact: true }).click();
  // The run's end finishes the drill: the actions are kept for the interview page,
  // which grades them (the grader is not in the playground's wasm).
  await page.getByText(/Drill done: your 1 action is kept/).waitFor({ timeout: 60000 });
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('scalesim.drill-done')));
  assert.equal(kept.scenario, 'chaos-drill');
  assert.equal(kept.question, 'abort');
  // The actions go over as [seconds after the fault, link code] (no action JSON in the page).
  assert.equal(kept.actions.length, 1);
  assert.match(kept.actions[0][1], /^re_/);
  await page.getByRole('link', { name: /Back to the interview/ }).click();
  const debrief = page.getByRole('article', { name: 'Debrief of abort' });
  await debrief.waitFor({ timeout: 30000 });
  // Graded there, and saved to the progress; the hand-over is used up.
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('scalesim.progress')));
  assert.equal(saved.attempts.at(-1).scenario, 'chaos-drill');
  assert.ok('abort' in saved.attempts.at(-1).answers);
  assert.equal(await page.evaluate(() => localStorage.getItem('scalesim.drill-done')), null);
  const rows = await debrief
    .locator('.check-table tbody tr')
    .evaluateAll((trs) => trs.map((r) => [...r.children].map((c) => c.textContent.trim())));
  assert.deepEqual(rows.map((r) => r[0]), ['You', 'The reference playbook', 'Nobody acting']);
  const seconds = (cell) => Number(cell.replace(/[^0-9.]/g, ''));
  assert.ok(seconds(rows[0][1]) < seconds(rows[2][1]), `you ${rows[0][1]} vs nobody ${rows[2][1]}`);
  assert.match(await debrief.textContent(), /counted: without it the run recovers later/);
  await screenshot(page, 'interview-drill-debrief');
  assert.deepEqual(await watch.all(), []);
  await page.close();
});
