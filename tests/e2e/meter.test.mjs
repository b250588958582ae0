// End-to-end: the responsiveness meter. Sequential on the main thread freezes the page,
// concurrent keeps it alive (the juggling chef yields every 10 ms slice), parallel moves the
// work off it — seen (the heartbeat) and measured (frame gaps, long tasks, tap delays).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, SHOTS } from './browser.mjs';

let browser, app;
before(async () => {
  browser = await launch();
  app = await openApp(browser);
  // Calibrate first: measuring a kernel takes ~150 ms on the main thread and must not be
  // mistaken for the run's freeze.
  await app.page.evaluate(() => window.kitchen.calibrate());
});
after(async () => {
  await app?.close();
  await browser?.close();
});

// "Three dishes": 3 × 300 ms of CPU work, the same for every model.
const THREE_DISHES = ['soup', 'roast', 'dessert'].map((id) => ({ id, phases: [{ cook: { ms: 300 } }] }));
const experiment = (model) => ({ version: 1, model, chefs: 2, tasks: THREE_DISHES });
// What must separate a frozen page from a live one: RAIL's 100 ms; we measure ~900 vs ~17.
const FROZEN_MS = 100;
const measured = {};

/** Runs `model` with the meter around it, as the page's own Run button does. */
const metered = (model, options, e = experiment(model)) => app.page.evaluate(async ({ e, options }) => {
  window.kitchen.meter.start();
  const trace = await window.kitchen.run(e, options);
  return { trace, report: await window.kitchen.meter.stop() };
}, { e, options });

const runError = (e, options) =>
  app.page.evaluate(({ e, options }) => window.kitchen.run(e, options).then(() => 'resolved', (err) => `${err.name}: ${err.message}`), { e, options });

/**
 * Starts a metered run 50 ms from now without waiting for it (a main-thread run would block
 * this very evaluate); `window.__metered` resolves with its trace and report.
 */
const startMetered = (model, options, e = experiment(model)) => app.page.evaluate(({ e, options }) => {
  window.__metered = new Promise((resolve, reject) => setTimeout(() => {
    window.kitchen.meter.start();
    window.kitchen.run(e, options).then(async (trace) => resolve({ trace, report: await window.kitchen.meter.stop() }), reject);
  }, 50));
}, { e, options });

/**
 * A tapper for `selector`, placed before the run: a frozen page cannot answer where an
 * element is. It taps through the DevTools protocol, sending press and release at once as a
 * person's finger would, without waiting for a frozen page to acknowledge the press.
 */
async function tapper(selector) {
  await app.page.locator(selector).scrollIntoViewIfNeeded();
  const box = await app.page.locator(selector).boundingBox();
  const at = { x: box.x + box.width / 2, y: box.y + box.height / 2, button: 'left', clickCount: 1 };
  const cdp = await app.page.context().newCDPSession(app.page);
  return async () => {
    await Promise.all([
      cdp.send('Input.dispatchMouseEvent', { type: 'mousePressed', ...at }),
      cdp.send('Input.dispatchMouseEvent', { type: 'mouseReleased', ...at }),
    ]);
    await cdp.detach();
  };
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until `ok` holds, at most `tries` times, and returns the last result. For the
 * "stays alive" claims only: on a loaded 2-core machine the OS can starve the whole browser
 * (compositor included) for a moment, which no model can prevent, while a main-thread freeze
 * is certain by construction and is asserted on its first run.
 */
async function bestOf(tries, attempt, ok) {
  let result;
  for (let i = 0; i < tries; i++) {
    result = await attempt();
    if (ok(result)) break;
    console.log(`attempt ${i + 1} of ${tries} missed: ${JSON.stringify(result.report ?? result)}`);
  }
  return result;
}
const alive = (r) => r.report.longest_gap_ms < FROZEN_MS;

test('frame gaps: sequential on the main thread freezes the page, concurrent and parallel do not', async () => {
  const seq = await metered('sequential', { mainThread: true });
  assert.deepEqual(seq.trace.lanes, [{ lane: 0, thread: 'main' }], 'the chef cooked on the main thread');
  const con = await bestOf(3, () => metered('concurrent'), alive);
  const par = await bestOf(3, () => metered('parallel'), alive);
  const onWorker = await bestOf(3, () => metered('sequential'), alive);
  assert.ok(onWorker.trace.lanes.every((l) => l.lane > 0), 'without the option sequential cooks on a worker');
  for (const [name, r] of Object.entries({ 'sequential-main': seq, concurrent: con, parallel: par, 'sequential-worker': onWorker })) {
    measured[name] = { wall_ms: Math.round(r.trace.wall_ms), ...r.report };
  }
  console.log(`Three dishes, meter reports: ${JSON.stringify(measured, null, 1)}`);

  // The dishes are sized by the calibration at page load; a busy machine then makes them shorter.
  assert.ok(seq.trace.wall_ms > 2 * FROZEN_MS, `the run must be long enough to show a freeze: ${seq.trace.wall_ms}`);
  assert.ok(seq.report.longest_gap_ms > FROZEN_MS, `sequential on the main thread: longest gap ${seq.report.longest_gap_ms} ms`);
  assert.ok(seq.report.frames_missed >= 6, `frames missed ${seq.report.frames_missed}`);
  assert.ok(seq.report.long_tasks >= 1 && seq.report.long_task_ms > FROZEN_MS, JSON.stringify(seq.report));
  for (const [name, r] of Object.entries({ concurrent: con, parallel: par, 'sequential on a worker': onWorker })) {
    assert.ok(r.report.longest_gap_ms < FROZEN_MS, `${name}: longest gap ${r.report.longest_gap_ms} ms`);
    assert.ok(r.report.frames > 10, `${name}: the main thread drew ${r.report.frames} frames`);
  }
  // Chromium has the Long Tasks API: the report says it used it. Juggling leaves no long
  // task on an idle machine; on a loaded one a 10 ms slice may stretch past 50 ms, so only a
  // wide margin is asserted.
  assert.equal(seq.report.long_task_source, 'performance_observer');
  assert.ok(con.report.long_task_ms < seq.report.long_task_ms / 3, `concurrent: ${JSON.stringify(con.report)}`);
});

test('a juggling chef gives the page a turn after every dish, even dishes shorter than a slice', async () => {
  // 48 dishes of 5 ms: before the fix the chef ran them back to back (one 250 ms freeze).
  const tiny = { version: 1, model: 'concurrent', tasks: Array.from({ length: 48 }, (_, i) => ({ id: `d${i}`, phases: [{ cook: { ms: 5 } }] })) };
  const alive = ({ report }) => report.longest_gap_ms < FROZEN_MS;
  const { trace, report } = await bestOf(3, () => metered('concurrent', undefined, tiny), alive);
  assert.ok(trace.wall_ms > 2 * FROZEN_MS, `the run lasts long enough to show a freeze: ${trace.wall_ms} ms`);
  assert.ok(alive({ report }), `longest main-thread gap ${report.longest_gap_ms} ms over ${trace.wall_ms} ms`);
});

test('mainThread is refused for other models, above the size cap, and when misspelt, naming the problem', async () => {
  for (const model of ['parallel', 'concurrent', 'concurrent-parallel']) {
    const message = await runError(experiment(model), { mainThread: true });
    assert.match(message, /^Error: /);
    assert.match(message, new RegExp(`mainThread option is only for the sequential model.*the ${model} model cannot use it`));
  }
  const big = { version: 1, model: 'sequential', tasks: ['a', 'b', 'c', 'd'].map((id) => ({ id, phases: [{ cook: { ms: 1000 } }] })) };
  const tooBig = await runError(big, { mainThread: true });
  assert.match(tooBig, /^Error: mainThread: this experiment cooks for about 4\d{3} ms, over the 3000 ms allowed on the main thread/);
  assert.match(await runError(experiment('sequential'), { mainthread: true }), /invalid run options.*unknown field `mainthread`/);
  assert.equal(await app.page.evaluate(() => window.kitchen.progress()), null, 'nothing was started');
  assert.match(await app.page.evaluate(() => window.kitchen.meter.stop().then(() => 'resolved', (e) => e.message)), /not running/);
});

test('a tap during a main-thread run waits for the freeze; during a concurrent run it is handled at once', async () => {
  // Three 500 ms dishes (1500 ms, within the cap): the tap, 150 ms in, lands well inside the
  // run even if a busy machine made the calibration, and so the dishes, short.
  const tasks = ['soup', 'roast', 'dessert'].map((id) => ({ id, phases: [{ cook: { ms: 500 } }] }));
  const tapDuring = async (model, options) => {
    const tap = await tapper('#tap-me');
    await startMetered(model, options, { version: 1, model, tasks });
    await pause(150);
    await tap();
    const r = await app.page.evaluate(() => window.__metered);
    assert.ok(r.report.taps >= 1, `${model}: the tap was counted: ${JSON.stringify(r.report)}`);
    return r;
  };
  const delays = {};
  delays.sequential = (await tapDuring('sequential', { mainThread: true })).report.worst_input_delay_ms;
  const handled = (r) => r.report.worst_input_delay_ms < FROZEN_MS;
  delays.concurrent = (await bestOf(2, () => tapDuring('concurrent'), handled)).report.worst_input_delay_ms;
  console.log(`Tap input delay, ms: ${JSON.stringify(delays)}`);
  assert.ok(delays.sequential > FROZEN_MS, `sequential on the main thread: the tap waited ${delays.sequential} ms`);
  assert.ok(delays.concurrent < FROZEN_MS, `concurrent: the tap waited ${delays.concurrent} ms`);
  assert.match(await app.page.textContent('#tap-result'), /waited \d+ ms/);
});

test('the heartbeat is drawn by the main thread and keeps beating during a concurrent run', async () => {
  const { page } = app;
  const read = () => page.$eval('#heartbeat', (h) => ({
    frames: Number(h.dataset.frames), transform: getComputedStyle(h).transform, animation: getComputedStyle(h).animationName,
  }));
  await startMetered('concurrent');
  await pause(250);
  const first = await read();
  await pause(600);
  const second = await read();
  await page.evaluate(() => window.__metered);
  assert.equal(first.animation, 'none', 'no CSS animation: it would keep going through a freeze');
  // Ten beats a second: about six in 600 ms, had the juggling chef let the page draw.
  assert.ok(second.frames - first.frames >= 4, `beats ${first.frames} → ${second.frames}`);
  assert.notEqual(second.transform, first.transform, 'the hand turned');
});

/** Clicks Run and waits for the meter's report on this run (its heading names the run). */
async function runFromUi(page, heading) {
  await page.click('#run');
  await page.waitForFunction((h) => document.querySelector('#meter-report h3')?.textContent.includes(h)
    && !document.querySelector('#run').disabled, heading, { timeout: 60_000 });
  return Number(await page.getAttribute('.meter-figures', 'data-longest-gap-ms'));
}

test('UI: the main-thread option shows with sequential only; Run shows the measured panel', async () => {
  const { page } = app;
  await page.check('input[name=model][value="parallel"]');
  assert.equal(await page.$('#main-thread'), null, 'no main-thread option for parallel');
  await page.check('input[name=model][value="sequential"]');
  await page.check('#main-thread');
  assert.match(await page.textContent('#main-thread-help'), /Freezes this page.*3000 ms.*about \d+ ms/);
  const seqGap = await runFromUi(page, 'sequential, cooking on the main thread');
  assert.ok(seqGap > FROZEN_MS, `UI, sequential on the main thread: gap ${seqGap}`);
  assert.match(await page.textContent('#meter-verdict'), /froze for up to \d+ ms/);
  assert.match(await page.textContent('#meter-report h3'), /measured/);
  await page.screenshot({ path: `${SHOTS}meter-sequential-main.png`, fullPage: true });
  await page.setViewportSize({ width: 480, height: 800 });
  await page.screenshot({ path: `${SHOTS}meter-narrow.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  // The thresholds are asserted through the API above; here the panel must show the measured
  // contrast (the API tests explain the retries a loaded machine may need).
  await page.check('input[name=model][value="concurrent"]');
  const conGap = await runFromUi(page, 'concurrent, cooking on the main thread');
  assert.ok(conGap < seqGap / 2, `UI, concurrent: gap ${conGap} vs ${seqGap}`);
  assert.match(await page.textContent('#meter-verdict'), conGap > FROZEN_MS ? /froze/ : /stayed alive|stuttered/);
  await page.screenshot({ path: `${SHOTS}meter-concurrent.png`, fullPage: true });

  await page.check('input[name=model][value="parallel"]');
  const parGap = await runFromUi(page, 'parallel, cooking on 2 worker threads');
  assert.ok(parGap < seqGap / 2, `UI, parallel: gap ${parGap} vs ${seqGap}`);
  console.log(`UI longest main-thread gap, ms: ${JSON.stringify({ sequentialMain: seqGap, concurrent: conGap, parallel: parGap })}`);
});

test('UI: with reduced motion the heartbeat is a ticking number, not a turning hand', async () => {
  const { page } = app;
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    assert.equal(await page.isVisible('.dial'), false, 'no moving hand');
    const tick = () => page.textContent('.ticker');
    const first = await tick();
    await pause(300);
    assert.notEqual(await tick(), first, 'the counter ticks');
    await page.locator('.meter').screenshot({ path: `${SHOTS}meter-reduced-motion.png` });
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
});

test('no uncaught errors on the page', () => {
  assert.deepEqual(app.errors, []);
});
