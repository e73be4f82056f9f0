// Page object of the Scalesim app: locates things by role and accessible name.
// In the one-column (phone) order.
export const REGIONS = ['Architecture diagram', 'Actions', 'Error budget (SLO)', 'Charts', 'Timeline', 'Interview'];

export class AppPage {
  constructor(page) {
    this.page = page;
  }

  /** Opens `url` and waits for the app's main region (an embed has no banner). */
  async open(url) {
    await this.page.goto(url);
    await this.page.locator('main#main').waitFor({ timeout: 15000 });
  }

  banner() {
    return this.page.getByRole('banner');
  }

  region(name) {
    return this.page.getByRole('region', { name, exact: true });
  }

  themeToggle() {
    return this.page.getByRole('button', { name: /Switch to (dark|light) theme/ });
  }

  chart() {
    return this.page.getByRole('img', { name: /response time against utilization/i });
  }

  /** Number of canvas pixels that differ from its top-left (background) pixel. */
  async chartInk() {
    return this.page.evaluate(() => {
      const c = document.querySelector('#queueing-chart');
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) ink++;
      }
      return ink;
    });
  }

  async waitForChart() {
    await this.page.waitForFunction(() => {
      const c = document.querySelector('#queueing-chart');
      if (!c) return false;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0]) return true;
      return false;
    }, null, { timeout: 10000 });
  }

  /** Waits until the simulator has published its first frame (its scenario
   *  file fetched: the clock's end is the run's, not T+0:00). */
  async waitForSim() {
    await this.page.getByRole('timer', { name: 'Simulated time' }).waitFor({ timeout: 15000 });
    await this.page.waitForFunction(() => {
      const t = (document.querySelector('.sim-clock')?.textContent ?? '').trim();
      return /T\+/.test(t) && !t.endsWith('/ T+0:00');
    }, null, { timeout: 15000 });
  }

  /** Simulated seconds now, read from the clock ("T+1:05 / T+2:00:00"). */
  async simSeconds() {
    const text = await this.page.locator('.sim-clock').innerText();
    return parseClock(text.split('/')[0]);
  }

  async play(speed) {
    if (speed) await this.page.getByLabel('Speed', { exact: true }).selectOption(String(speed));
    const play = this.page.getByRole('button', { name: 'Play', exact: true });
    if (await play.count()) await play.click();
  }

  async pause() {
    const pause = this.page.getByRole('button', { name: 'Pause', exact: true });
    if (await pause.count()) await pause.click();
  }

  /** Waits until the simulated clock reaches `seconds`. */
  async waitForSimTime(seconds, timeout = 30000) {
    await this.page.waitForFunction((s) => {
      const t = (document.querySelector('.sim-clock')?.textContent ?? '').split('/')[0];
      const m = t.match(/T\+(?:(\d+):)?(\d+):(\d+)/);
      if (!m) return false;
      return (Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3])) >= s;
    }, seconds, { timeout });
  }

  /** A button of the Actions region by its accessible name. */
  action(name) {
    return this.region('Actions').getByRole('button', { name, exact: true });
  }

  /** The text of a labelled live number ("Desired replicas"). */
  async readout(label) {
    return this.page.locator('dl.live-numbers .kv', { has: this.page.locator('dt', { hasText: label }) }).locator('dd').innerText();
  }

  /** Every line of the event log. */
  async eventLog() {
    return this.page.getByRole('log', { name: 'Event log' }).locator('li').allInnerTexts();
  }

  /** The computed page background colour. */
  async background() {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }
}

/** Seconds of a "T+1:02:03" or "T+2:05" clock. */
export function parseClock(text) {
  const m = text.match(/T\+(?:(\d+):)?(\d+):(\d+)/);
  if (!m) throw new Error(`no clock in ${text}`);
  return Number(m[1] ?? 0) * 3600 + Number(m[2]) * 60 + Number(m[3]);
}
