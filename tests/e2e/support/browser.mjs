// Launches the system Chromium through playwright-core and watches a page for
// the problems every spec forbids: console errors, uncaught exceptions, failed
// or cross-origin requests, HTTP errors and Content-Security-Policy violations.
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DIST_DIR = process.env.DIST_DIR ?? path.join(here, '..', '..', '..', 'dist');
export const SHOTS_DIR = process.env.SHOTS_DIR ?? path.join(here, '..', 'shots');

const CHROME_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** A fresh browser profile; returns { context, close }. */
export async function launch(options = {}) {
  const profileDir = mkdtempSync(path.join(tmpdir(), 'scalesim-e2e-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: CHROME_ARGS,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Records every problem on `page`; `allowedOrigin` is the only origin it may talk to. */
export async function watchProblems(page, allowedOrigin) {
  const problems = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (u.startsWith('data:') || u.startsWith('blob:')) return;
    if (new URL(u).origin !== allowedOrigin) problems.push(`cross-origin request: ${u}`);
  });
  return {
    problems,
    /** Problems so far, including CSP violations reported inside the page. */
    async all() {
      const csp = await page.evaluate(() => window.__cspViolations ?? []).catch(() => []);
      return [...problems, ...csp.map((v) => `CSP violation: ${v}`)];
    },
  };
}

/** Saves a full-page screenshot under tests/e2e/shots/ and returns its path. */
export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const file = path.join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage });
  return file;
}
