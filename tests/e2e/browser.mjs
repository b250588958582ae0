// Launches Debian's Chromium through playwright-core (never a downloaded browser) and opens
// the app, failing on any uncaught page error.
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { serve } from './server.mjs';

export const SHOTS = new URL('../../target/e2e/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/**
 * Serves dist/ (`mode` as in server.mjs; `isolated: false` is mode 'none') and opens the app at
 * `query` (e.g. '?backend=message-passing'), after `initScript` if given; resolves once
 * `window.kitchen` answers `env()`. `loads` counts the page's navigations (a service worker may reload it once).
 */
export async function openApp(browser, { isolated = true, mode, query = '', initScript, viewport = { width: 1280, height: 800 } } = {}) {
  const server = await serve(new URL('../../dist/', import.meta.url).pathname, { isolated, mode });
  const page = await browser.newPage({ viewport });
  const errors = [];
  const loads = { count: 0 };
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) loads.count++; });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  if (initScript) await page.addInitScript(initScript);
  await page.goto(server.url + query);
  await page.waitForFunction(() => window.kitchen !== undefined, null, { timeout: 60_000 });
  const env = await page.evaluate(() => window.kitchen.env());
  return { page, env, errors, loads, url: server.url, close: async () => { await page.close(); await server.close(); } };
}

/**
 * One browser and one app page for a whole test file: registers `before`/`after` hooks and
 * returns an object that holds `page`, `env`, `errors` once `before` has run.
 */
export function withApp(options) {
  const app = {};
  let browser;
  before(async () => {
    browser = await launch();
    Object.assign(app, await openApp(browser, options));
  });
  after(async () => {
    await app.close?.();
    await browser?.close();
  });
  return app;
}

/** How many dishes each preset has: what the composer's count must read once it loads. */
export const PRESET_DISHES = {
  'three-dishes': 3, 'restaurant-rush': 1000, 'video-frames': 48, 'web-server': 100, terraform: 10, 'tiny-tasks': 1, amdahl: 1,
};

/** Loads preset `id` from the menu of `page` and waits for its dishes and their analysis. */
export async function loadPreset(page, id) {
  await page.selectOption('#preset', id);
  await page.waitForFunction((n) => document.querySelector('#dish-count')?.textContent.startsWith(`${n} `)
    && document.querySelector('#analysis'), PRESET_DISHES[id], { timeout: 20_000 });
}
