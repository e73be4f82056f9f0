// One static server of dist/ and one browser per spec file, started before its
// tests and closed after them, and the usual way to open the app in a page.
import { before, after } from 'node:test';
import { startStaticServer } from './static_server.mjs';
import { launch, watchProblems, DIST_DIR } from './browser.mjs';
import { AppPage } from './app_page.mjs';

/** Registers the before/after hooks; returns { server, browser, openApp } (server and browser once started). */
export function specSession() {
  const s = { server: null, browser: null };
  before(async () => {
    s.server = await startStaticServer(DIST_DIR, '/');
    s.browser = await launch();
  });
  after(async () => {
    await s.browser?.close();
    s.server?.close();
  });
  /** A new page watched for problems, opened at `query`; waits for the first frame (interview mode: its page; the HPA explorer: nothing). */
  s.openApp = async (query = '', viewport) => {
    const page = await s.browser.context.newPage();
    if (viewport) await page.setViewportSize(viewport);
    const watch = await watchProblems(page, s.server.origin);
    const app = new AppPage(page);
    await app.open(s.server.url + query);
    // The HPA explorer and interview mode have no simulator clock.
    if (/interview=|view=interview/.test(query)) await page.locator('.interview').waitFor({ timeout: 15000 });
    else if (!/view=hpa|hpa\.html/.test(query)) await app.waitForSim();
    return { page, app, watch };
  };
  return s;
}
