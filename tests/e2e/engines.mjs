// The three browser engines behind one small interface, for the cross-engine suite:
//   chromium  Debian's Chromium through playwright-core;
//   firefox   Debian's Firefox ESR through puppeteer-core over WebDriver BiDi;
//   webkit    WebKitGTK's MiniBrowser through WebKitWebDriver (plain W3C WebDriver over HTTP,
//             node's fetch) on a virtual display (xvfb-run).
// No browser is ever downloaded (see ../../../shared/browsers.md for how each was verified).
//
// `launch(name)` → { name, version, open(url, { frameUrl }), close() }; `open` → a session
// whose `evaluate(fn, arg)` runs `fn(arg)` in the app (inside the iframe whose address starts
// with `frameUrl`, if given) and resolves with its JSON result, plus `screenshot(path)`,
// `errors` (uncaught page errors and console errors, where the engine reports them) and `close()`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const ENGINES = ['chromium', 'firefox', 'webkit'];
const VIEWPORT = { width: 1280, height: 800 };
const MINIBROWSER = '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Polls `fn` in `session` until it gives something truthy, and returns that; throws after `ms` saying `what`. */
export async function waitFor(session, fn, what, ms = 30_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await session.evaluate(fn).catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} never came within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until the app in `session` has `window.kitchen` (a service worker may reload it once first). */
export async function waitForKitchen(session, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ready = await session.evaluate(() => window.kitchen !== undefined).catch(() => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error('window.kitchen never appeared');
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function launch(name) {
  if (name === 'chromium') return launchChromium();
  if (name === 'firefox') return launchFirefox();
  if (name === 'webkit') return launchWebKit();
  throw new Error(`no engine ${name}`);
}

/** A frame of a playwright or puppeteer page: the main frame, or the iframe at `frameUrl`. */
function frameOf(page, frameUrl) {
  return frameUrl ? page.frames().find((f) => f.url().startsWith(frameUrl)) : page.mainFrame();
}

/** Sessions for playwright (Chromium) and puppeteer (Firefox) pages: the same calls. */
function pageSession(page, frameUrl, close) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  return {
    errors,
    async evaluate(fn, arg) {
      const frame = frameOf(page, frameUrl);
      if (!frame) throw new Error(`no frame at ${frameUrl}`);
      return frame.evaluate(fn, arg);
    },
    screenshot: (path) => page.screenshot({ path, fullPage: !frameUrl }),
    close,
  };
}

async function launchChromium() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    name: 'chromium',
    version: `Chromium ${browser.version()}`,
    async open(url, { frameUrl } = {}) {
      const page = await browser.newPage({ viewport: VIEWPORT });
      const session = pageSession(page, frameUrl, () => page.close());
      await page.goto(url);
      return session;
    },
    close: () => browser.close(),
  };
}

async function launchFirefox() {
  const { default: puppeteer } = await import('puppeteer-core');
  const browser = await puppeteer.launch({ browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true });
  const version = (await browser.version()).replace(/^firefox\//i, 'Firefox ESR ');
  return {
    name: 'firefox',
    version,
    async open(url, { frameUrl } = {}) {
      // A fresh context per page, so a service worker from one serving mode never serves another.
      const context = await browser.createBrowserContext();
      const page = await context.newPage();
      await page.setViewport(VIEWPORT);
      const session = pageSession(page, frameUrl, () => context.close());
      await page.goto(url);
      return session;
    },
    close: () => browser.close(),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

async function launchWebKit() {
  const port = await freePort();
  // Its own process group, so that closing ends xvfb-run, Xvfb and the driver together.
  const driver = spawn('xvfb-run', ['-a', 'WebKitWebDriver', `--port=${port}`], { detached: true, stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.message ?? res.status}`);
    return json.value;
  };
  for (let i = 0; ; i++) {
    try { await call('GET', '/status'); break; } catch (e) {
      if (i > 100) throw new Error(`WebKitWebDriver did not start: ${e.message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const stop = () => { try { process.kill(-driver.pid, 'SIGTERM'); } catch { /* already gone */ } };
  let version = 'WebKitGTK';
  return {
    name: 'webkit',
    get version() { return version; },
    async open(url, { frameUrl } = {}) {
      const session = await call('POST', '/session', {
        capabilities: { alwaysMatch: { 'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] } } },
      });
      version = `WebKitGTK ${session.capabilities.browserVersion}`;
      const s = `/session/${session.sessionId}`;
      await call('POST', `${s}/window/rect`, VIEWPORT).catch(() => {});
      await call('POST', `${s}/timeouts`, { script: 120_000 });
      await call('POST', `${s}/url`, { url });
      let inFrame = false;
      const enterFrame = async () => {
        if (!frameUrl || inFrame) return;
        const element = await call('POST', `${s}/element`, { using: 'css selector', value: 'iframe' });
        await call('POST', `${s}/frame`, { id: element });
        inFrame = true;
      };
      return {
        errors: [], // WebDriver classic reports no page errors; the suite checks the page's own state instead
        async evaluate(fn, arg) {
          await enterFrame();
          const script = `const done = arguments[arguments.length - 1];
            Promise.resolve().then(() => (${fn})(arguments[0])).then(
              (value) => done({ value: value === undefined ? null : value }), (e) => done({ error: String(e && e.message || e) }));`;
          const out = await call('POST', `${s}/execute/async`, { script, args: [arg ?? null] });
          if (out && 'error' in out) throw new Error(out.error);
          return out.value;
        },
        async screenshot(path) {
          writeFileSync(path, Buffer.from(await call('GET', `${s}/screenshot`), 'base64'));
        },
        close: () => call('DELETE', s).catch(() => {}),
      };
    },
    close: async () => stop(),
  };
}
