// The worker back-ends in Chromium, beyond the cross-engine suite (engines.test.mjs):
// - message passing (forced with ?backend=message-passing, so it runs where shared memory
//   would): dependencies, split dishes, juggling chefs, Stop in every model, a responsive page,
//   the race demo refused with its reason, the environment panel in words;
// - no workers at all (Worker blocked): the page says why and runs the single-chef models;
// - the service worker on a host without headers: one reload at most, and a refused service
//   worker reported in words while message passing takes over;
// - the shipped `_headers` (Netlify, Cloudflare Pages): shared memory at the top level and
//   inside a cross-site iframe.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, SHOTS } from './browser.mjs';
import { headersFile, serveEmbed } from './server.mjs';

const overlaps = (a, b) => a.start_ms < b.end_ms && b.start_ms < a.end_ms;
const MIXED = [
  { id: 'stock', phases: [{ cook: { ms: 40 } }, { simmer: { ms: 120 } }] },
  { id: 'bread', phases: [{ cook: { ms: 40 } }, { simmer: { ms: 120 } }] },
  { id: 'salad', phases: [{ simmer: { ms: 120 } }, { cook: { ms: 40 } }] },
  { id: 'soup', phases: [{ cook: { ms: 30 } }], after: ['stock'] },
];
const MODELS = ['sequential', 'concurrent', 'parallel', 'concurrent-parallel'];

async function withBrowser(body) {
  const browser = await launch();
  try { await body(browser); } finally { await browser.close(); }
}

test('message passing: every model, dependencies, split dishes, Stop, a responsive page', () => withBrowser(async (browser) => {
  const app = await openApp(browser, { query: '?backend=message-passing' });
  const { page } = app;
  const run = (e) => page.evaluate((e) => window.kitchen.run(e), e);
  try {
    assert.equal(app.env.backend, 'message-passing');
    assert.match(app.env.backendReason, /asked for by the page's address/);
    assert.ok(app.env.threads >= 2, `${app.env.threads}`);
    assert.match(await page.textContent('#env-backend'), /^\d+ chefs, each in its own worker, talking by messages$/);

    for (const model of MODELS) {
      const r = await run({ version: 1, model, chefs: 2, tasks: MIXED });
      assert.ok(r.checksums_ok, model);
      const byId = Object.fromEntries(r.tasks.map((t) => [t.id, t]));
      assert.ok(byId.soup.start_ms >= byId.stock.end_ms, `${model}: soup after stock`);
      // One chef does one thing at a time, whoever measured the times.
      for (const lane of new Set(r.spans.map((s) => s.lane))) {
        const cooks = r.spans.filter((s) => s.lane === lane && s.kind === 'cook');
        for (const [i, a] of cooks.entries()) for (const b of cooks.slice(i + 1)) assert.ok(!overlaps(a, b), `${model}: lane ${lane} overlaps itself`);
      }
      if (model === 'concurrent') assert.deepEqual(r.lanes.map((l) => l.lane), [0]);
      else assert.ok(r.lanes.every((l) => l.lane > 0), `${model} cooks on workers: ${JSON.stringify(r.lanes)}`);
    }

    // Three dishes that start by simmering: two juggling chefs put all three on at once.
    const simmering = ['a', 'b', 'c'].map((id) => ({ id, phases: [{ simmer: { ms: 150 } }, { cook: { ms: 10 } }] }));
    const cp = await run({ version: 1, model: 'concurrent-parallel', chefs: 2, tasks: simmering });
    const simmers = cp.spans.filter((s) => s.kind === 'simmer');
    assert.ok(simmers.every((a) => simmers.every((b) => a === b || overlaps(a, b))), 'all three simmers overlap');

    const split = await run({ version: 1, model: 'parallel', chefs: 2,
      tasks: [{ id: 'frames', phases: [{ cook: { ms: 400, split: { chunks: 8 }, serial_ms: 50 } }] }] });
    const chunks = split.spans.filter((s) => s.kind === 'cook' && s.chunk !== undefined);
    const serial = split.spans.find((s) => s.kind === 'cook' && s.chunk === undefined);
    assert.equal(new Set(chunks.map((s) => s.chunk)).size, 8, 'every chunk cooked');
    assert.equal(new Set(chunks.map((s) => s.lane)).size, 2, 'both workers helped');
    assert.ok(chunks.every((c) => c.start_ms >= serial.end_ms), 'chunks after the serial part');
    assert.ok(chunks.some((a) => chunks.some((b) => a.lane !== b.lane && overlaps(a, b))), 'chunks cook at once');
    assert.ok(split.checksums_ok);

    // The main thread hands out jobs and books results; it must never block meanwhile.
    const gaps = await page.evaluate(async () => {
      let last = performance.now(), longest = 0;
      const timer = setInterval(() => { const t = performance.now(); longest = Math.max(longest, t - last); last = t; }, 10);
      const tasks = ['a', 'b', 'c', 'd'].map((id) => ({ id, phases: [{ cook: { ms: 400 } }] }));
      const result = await window.kitchen.run({ version: 1, model: 'parallel', chefs: 2, tasks });
      clearInterval(timer);
      return { longest, wall: result.wall_ms };
    });
    assert.ok(gaps.longest < gaps.wall / 2, `longest main-thread gap ${gaps.longest} ms in a ${gaps.wall} ms run`);

    const long = ['a', 'b', 'c', 'd'].map((id) => ({ id, phases: [{ cook: { ms: 3000 } }, { simmer: { ms: 3000 } }] }));
    for (const model of MODELS) {
      const r = await page.evaluate(async ({ model, tasks }) => {
        const running = window.kitchen.run({ version: 1, model, chefs: 2, tasks });
        await new Promise((resolve) => setTimeout(resolve, 300));
        window.kitchen.stop();
        return running;
      }, { model, tasks: long });
      assert.ok(r.stopped && r.wall_ms < 2000, `${model}: stopped at ${r.wall_ms} ms`);
    }

    const race = await page.evaluate(() => window.kitchen.runLesson('shared-counter').then(() => 'ran', (e) => e.message));
    assert.match(race, /needs threads that share memory.*asked for by the page's address/);
    await page.screenshot({ path: `${SHOTS}backend-message-passing.png` });
    await page.setViewportSize({ width: 480, height: 800 });
    await page.screenshot({ path: `${SHOTS}backend-message-passing-narrow.png` });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
}));

test('no workers at all: the page says why, runs the single-chef models, refuses the others', () => withBrowser(async (browser) => {
  const blockWorkers = () => { window.Worker = function Worker() { throw new Error('workers are blocked on this page'); }; };
  const app = await openApp(browser, { initScript: blockWorkers });
  const { page } = app;
  try {
    assert.equal(app.env.backend, 'none');
    assert.equal(app.env.threads, 0);
    assert.match(app.env.threadsUnavailable, /workers are blocked on this page/);
    assert.match(app.env.threadsUnavailable, /could not start either/);
    const tasks = [{ id: 'a', phases: [{ cook: { ms: 20 } }, { simmer: { ms: 30 } }] }];
    const message = await page.evaluate((t) =>
      window.kitchen.run({ version: 1, model: 'parallel', chefs: 2, tasks: t }).then(() => 'resolved', (e) => e.message), tasks);
    assert.match(message, /parallel model needs worker threads.*workers are blocked/);
    const seq = await page.evaluate((t) => window.kitchen.run({ version: 1, model: 'sequential', tasks: t }), tasks);
    assert.deepEqual(seq.lanes, [{ lane: 0, thread: 'main' }], 'falls back to the main thread');
    await page.waitForSelector('.env .warning');
    assert.match(await page.textContent('.env .warning'), /Parallel models are unavailable: .*blocked/);
    assert.equal(await page.textContent('#env-backend'), "one chef, on the page's main thread");
    assert.equal(await page.isDisabled('input[name=model][value="parallel"]'), true, 'parallel cannot be picked');
    assert.equal(await page.isChecked('input[name=model][value="concurrent"]'), true, 'falls back to a model that runs');
    await page.screenshot({ path: `${SHOTS}backend-none.png`, fullPage: true });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
}));

test('no headers: the service worker isolates the page with one reload, and not again on the next visit', () => withBrowser(async (browser) => {
  const app = await openApp(browser, { mode: 'none' });
  try {
    assert.equal(app.loads.count, 2, 'one reload for the service worker');
    assert.equal(app.env.crossOriginIsolated, true);
    assert.match(app.env.isolation, /service worker/);
    assert.equal(app.env.backend, 'shared-memory');
    await app.page.reload();
    await app.page.waitForFunction(() => window.kitchen !== undefined);
    assert.equal(app.loads.count, 3, 'the next visit loads once');
    assert.equal(await app.page.evaluate(() => window.crossOriginIsolated), true);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
}));

test('no headers and the service worker refused: said in words, message passing takes over, no reload', () => withBrowser(async (browser) => {
  const refuse = () => {
    navigator.serviceWorker.register = () => Promise.reject(new Error('service workers are refused here'));
  };
  const app = await openApp(browser, { mode: 'none', initScript: refuse });
  try {
    assert.equal(app.loads.count, 1);
    assert.match(app.env.isolation, /not isolated: the service worker was refused \(service workers are refused here\)/);
    assert.equal(app.env.backend, 'message-passing');
    assert.match(await app.page.textContent('#env-isolation'), /refused/);
    const r = await app.page.evaluate(() => window.kitchen.run({ version: 1, model: 'parallel', chefs: 2,
      tasks: ['a', 'b'].map((id) => ({ id, phases: [{ cook: { ms: 100 } }] })) }));
    const [a, b] = r.spans.filter((s) => s.kind === 'cook');
    assert.ok(a.lane !== b.lane && overlaps(a, b), JSON.stringify(r.spans));
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
}));

test('the shipped _headers isolate the page at the top level and inside a cross-site iframe', () => withBrowser(async (browser) => {
  const dist = new URL('../../dist/', import.meta.url).pathname;
  assert.equal(headersFile(`${dist}_headers`)['Document-Isolation-Policy'], 'isolate-and-require-corp', 'Trunk copied _headers');
  const app = await openApp(browser, { mode: '_headers' });
  try {
    assert.equal(app.env.backend, 'shared-memory', app.env.backendReason);
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
  const embed = await serveEmbed(dist, '_headers');
  const page = await browser.newPage();
  try {
    await page.goto(embed.url);
    const frame = () => page.frames().find((f) => f.url().startsWith(embed.appUrl));
    await page.waitForFunction(() => document.querySelector('iframe'));
    let env;
    for (let i = 0; i < 240 && !env; i++) {
      env = await frame()?.evaluate(() => window.kitchen?.env()).catch(() => undefined);
      if (!env) await new Promise((r) => setTimeout(r, 250));
    }
    assert.equal(env.crossOriginIsolated, true);
    assert.equal(env.backend, 'shared-memory', env.backendReason);
  } finally {
    await page.close();
    await embed.close();
  }
}));
