// Without COOP/COEP there is no SharedArrayBuffer: the page must still work and say why the
// parallel models are unavailable — never a blank page or an uncaught error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, SHOTS } from './browser.mjs';

test('without cross-origin isolation: clear message for parallel, sequential still runs', async () => {
  const browser = await launch();
  const app = await openApp(browser, { isolated: false });
  try {
    assert.equal(app.env.crossOriginIsolated, false);
    assert.equal(app.env.threads, 0);
    assert.match(app.env.threadsUnavailable, /cross-origin isolated/);
    const tasks = [{ id: 'a', phases: [{ cook: { ms: 20 } }, { simmer: { ms: 30 } }] }];
    const message = await app.page.evaluate((t) =>
      window.kitchen.run({ version: 1, model: 'parallel', chefs: 2, tasks: t }).then(() => 'resolved', (e) => e.message), tasks);
    assert.match(message, /parallel model needs worker threads.*cross-origin isolated/);
    const seq = await app.page.evaluate((t) => window.kitchen.run({ version: 1, model: 'sequential', tasks: t }), tasks);
    assert.deepEqual(seq.lanes, [{ lane: 0, thread: 'main' }], 'falls back to the main thread');
    await app.page.waitForSelector('.env .warning');
    assert.match(await app.page.textContent('.env .warning'), /unavailable/);
    assert.equal(await app.page.isDisabled('input[name=model][value="parallel"]'), true, 'parallel cannot be picked');
    assert.equal(await app.page.isChecked('input[name=model][value="concurrent"]'), true, 'falls back to a model that runs');
    await app.page.screenshot({ path: `${SHOTS}not-isolated.png`, fullPage: true });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
    await browser.close();
  }
});
