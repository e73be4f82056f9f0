// Page object of the Scalesim app: locates things by role and accessible name.
export const REGIONS = ['Architecture diagram', 'Charts', 'Actions', 'Timeline', 'Interview'];

export class AppPage {
  constructor(page) {
    this.page = page;
  }

  async open(url) {
    await this.page.goto(url);
    await this.banner().waitFor({ timeout: 15000 });
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

  /** The computed page background colour. */
  async background() {
    return this.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  }
}
