// End-to-end: the real app in headless Chromium, through `window.kitchen` and through the UI.
// Each model's defining property is asserted from the spans it measured.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, SHOTS } from './browser.mjs';

const app = withApp();

const overlaps = (a, b) => a.start_ms < b.end_ms && b.start_ms < a.end_ms;
// Spans where a chef is occupied or a dish is being worked on (not `wait`/`ready` queueing).
const activity = (r) => r.spans.filter((s) => s.kind === 'cook' || s.kind === 'simmer');
const run = (experiment) => app.page.evaluate((e) => window.kitchen.run(e), experiment);
const runError = (experiment) =>
  app.page.evaluate((e) => window.kitchen.run(e).then(() => 'resolved', (err) => `${err.name}: ${err.message}`), experiment);

// Cooks and simmers with a dependency: exercises every rule at once.
const MIXED = [
  { id: 'stock', phases: [{ cook: { ms: 40 } }, { simmer: { ms: 120 } }] },
  { id: 'bread', phases: [{ cook: { ms: 40 } }, { simmer: { ms: 120 } }] },
  { id: 'salad', phases: [{ simmer: { ms: 120 } }, { cook: { ms: 40 } }] },
  { id: 'soup', phases: [{ cook: { ms: 30 } }], after: ['stock'] },
];
const THREE_DISHES = ['soup', 'roast', 'dessert'].map((id) => ({ id, phases: [{ cook: { ms: 300 } }] }));

function assertDependencies(result, tasks) {
  const byId = Object.fromEntries(result.tasks.map((t) => [t.id, t]));
  for (const t of tasks) {
    for (const dep of t.after ?? []) {
      assert.ok(byId[t.id].start_ms >= byId[dep].end_ms, `${t.id} started before ${dep} ended`);
    }
  }
}

test('the page is cross-origin isolated and runs worker threads sharing its memory', () => {
  assert.equal(app.env.crossOriginIsolated, true);
  assert.equal(app.env.backend, 'shared-memory', app.env.backendReason);
  assert.match(app.env.isolation, /headers the server sends/);
  assert.ok(app.env.threads >= 2, `threads: ${app.env.threads}`);
  assert.ok(app.env.hardwareConcurrency >= 1);
  assert.ok(app.env.timerResolutionMs > 0 && app.env.timerResolutionMs < 1, `${app.env.timerResolutionMs}`);
});

test('calibrate measures every kernel once per page and env reports it', async () => {
  const first = await app.page.evaluate(() => window.kitchen.calibrate());
  assert.deepEqual(first.map((c) => c.kernel), ['primes', 'mandelbrot', 'sort', 'hash']);
  for (const c of first) assert.ok(c.units_per_ms > 1 && c.measured_over_ms >= 100, JSON.stringify(c));
  const again = await app.page.evaluate(() => window.kitchen.calibrate());
  assert.deepEqual(again, first, 'cached for the page load');
  const env = await app.page.evaluate(() => window.kitchen.env());
  assert.deepEqual(env.calibration, first);
});

test('sequential: no two spans overlap, even while a dish simmers', async () => {
  const r = await run({ version: 1, model: 'sequential', chefs: 2, tasks: MIXED });
  assert.equal(r.tasks.length, 4);
  assert.ok(r.checksums_ok);
  const spans = activity(r);
  for (const [i, a] of spans.entries()) {
    for (const b of spans.slice(i + 1)) assert.ok(!overlaps(a, b), `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`);
  }
  assert.ok(r.spans.some((s) => s.kind === 'wait'), 'dishes waiting for the one chef are shown');
  assert.ok(r.wall_ms >= 3 * 120, `three simmers in a row take at least 360 ms, got ${r.wall_ms}`);
  assertDependencies(r, MIXED);
});

test('concurrent: one lane (the main thread), dish lifetimes overlap while they simmer', async () => {
  const r = await run({ version: 1, model: 'concurrent', tasks: MIXED });
  assert.deepEqual(r.lanes, [{ lane: 0, thread: 'main' }]);
  const simmers = r.spans.filter((s) => s.kind === 'simmer');
  assert.ok(simmers.some((a) => simmers.some((b) => a !== b && overlaps(a, b))), 'simmers overlap');
  const [stock, bread, salad] = r.tasks;
  assert.ok(overlaps(stock, bread) && overlaps(bread, salad), 'dish lifetimes overlap');
  const cooks = r.spans.filter((s) => s.kind === 'cook');
  for (const [i, a] of cooks.entries()) for (const b of cooks.slice(i + 1)) assert.ok(!overlaps(a, b), 'one chef cooks one thing at a time');
  assertDependencies(r, MIXED);
});

test('parallel: cooks on two distinct worker lanes overlap in time', async () => {
  const r = await run({ version: 1, model: 'parallel', chefs: 2, tasks: THREE_DISHES });
  const cooks = r.spans.filter((s) => s.kind === 'cook');
  assert.ok(cooks.every((s) => s.lane > 0), 'parallel chefs are worker threads');
  assert.ok(cooks.some((a) => cooks.some((b) => a.lane !== b.lane && overlaps(a, b))), JSON.stringify(cooks));
  assert.equal(new Set(cooks.map((s) => s.lane)).size, 2);
  const d = await run({ version: 1, model: 'parallel', chefs: 2, tasks: MIXED });
  assertDependencies(d, MIXED);
});

test('concurrent-parallel: several worker chefs, simmers overlap, dependencies hold', async () => {
  // Three dishes that start by simmering: two chefs put all three on at once.
  const tasks = ['a', 'b', 'c'].map((id) => ({ id, phases: [{ simmer: { ms: 150 } }, { cook: { ms: 10 } }] }));
  const r = await run({ version: 1, model: 'concurrent-parallel', chefs: 2, tasks });
  assert.ok(r.spans.every((s) => s.lane > 0));
  assert.equal(r.source, 'measured');
  const simmers = r.spans.filter((s) => s.kind === 'simmer');
  assert.equal(simmers.length, 3);
  assert.ok(simmers.every((a) => simmers.every((b) => a === b || overlaps(a, b))), 'all three simmers overlap');
  const d = await run({ version: 1, model: 'concurrent-parallel', chefs: 2, tasks: MIXED });
  assertDependencies(d, MIXED);
});

test('a split dish: its chunks cook on several workers at once, after its serial part', async () => {
  const tasks = [{ id: 'frames', phases: [{ cook: { ms: 400, split: { chunks: 8 }, serial_ms: 50 } }] }];
  const r = await run({ version: 1, model: 'parallel', chefs: 2, tasks });
  const chunks = r.spans.filter((s) => s.kind === 'cook' && s.chunk !== undefined);
  const serial = r.spans.find((s) => s.kind === 'cook' && s.chunk === undefined);
  assert.equal(new Set(chunks.map((s) => s.chunk)).size, 8, 'every chunk cooked');
  assert.equal(new Set(chunks.map((s) => s.lane)).size, 2, 'both chefs helped');
  assert.ok(chunks.every((c) => c.start_ms >= serial.end_ms), 'chunks start after the serial part');
  assert.ok(chunks.some((a) => chunks.some((b) => a.lane !== b.lane && overlaps(a, b))), 'chunks overlap in time');
  assert.ok(r.checksums_ok);
});

test('analyse, simulate and chromeTrace: computed figures are labelled, exports are well formed', async () => {
  const experiment = { version: 1, model: 'parallel', chefs: 2, tasks: MIXED };
  const out = await app.page.evaluate(async (e) => {
    const analysis = window.kitchen.analyse(e);
    const simulated = window.kitchen.simulate(e);
    const measured = await window.kitchen.run(e);
    let refused;
    try { window.kitchen.chromeTrace({ ...measured, version: 2 }); } catch (err) { refused = err.message; }
    return { analysis, simulated, measured, chrome: window.kitchen.chromeTrace(measured), refused };
  }, experiment);
  // stock (cook 40 + simmer 120) then soup (cook 30) is the longest chain.
  assert.deepEqual(out.analysis.critical_path, ['stock', 'soup']);
  assert.ok(Math.abs(out.analysis.span_ms - 190) < 1, `span ${out.analysis.span_ms}`);
  assert.equal(out.simulated.source, 'simulated');
  assert.equal(out.measured.source, 'measured');
  assert.match(out.refused, /not a trace: unknown version 2/);
  assert.ok(out.simulated.wall_ms >= out.analysis.span_ms - 1e-6);
  const events = out.chrome.traceEvents.filter((e) => e.ph === 'X');
  assert.equal(events.length, out.measured.spans.length);
  const byTrack = new Map();
  for (const e of events) byTrack.set(e.tid, [...(byTrack.get(e.tid) ?? []), e]);
  for (const track of byTrack.values()) {
    track.sort((a, b) => a.ts - b.ts);
    for (let i = 1; i < track.length; i++) assert.ok(track[i].ts >= track[i - 1].ts + track[i - 1].dur, 'no overlap on a track');
  }
});

test('bad input rejects with a message naming the problem', async () => {
  const base = { version: 1, chefs: 2 };
  const cases = [
    [{ ...base, model: 'turbo', tasks: THREE_DISHES }, /turbo/],
    [{ ...base, model: 'parallel', tasks: [
      { id: 'a', phases: [{ cook: { ms: 5 } }], after: ['c'] },
      { id: 'b', phases: [{ cook: { ms: 5 } }], after: ['a'] },
      { id: 'c', phases: [{ cook: { ms: 5 } }], after: ['b'] }] }, /cycle: (a|b|c) → (a|b|c) → (a|b|c) → (a|b|c)/],
    [{ ...base, model: 'parallel', tasks: [{ id: 'a', phases: [{ cook: { ms: 5 } }], after: ['ghost'] }] }, /unknown task `ghost`/],
    [{ ...base, model: 'sequential', tasks: [{ id: 'soup', phases: [{ simmer: { ms: -5 } }] }] }, /soup.*-5/],
    [{ ...base, model: 'parallel', chefs: 60, tasks: THREE_DISHES }, /60 chefs/],
    ['not an experiment', /experiment object/],
    [{ ...base, model: 'parallel', bogus: 1, tasks: THREE_DISHES }, /unknown field `bogus`/],
    [{ ...base, model: 'parallel', tasks: [{ id: 'a', phases: [{ cook: { ms: 5, typo: 3 } }] }] }, /tasks\[0\]\.phases\[0\].*typo/],
  ];
  for (const [experiment, pattern] of cases) {
    const message = await runError(experiment);
    assert.match(message, /^Error: /, `rejects with an Error: ${message}`);
    assert.match(message, pattern);
  }
});

test('the page stays responsive during a parallel run', async () => {
  const gaps = await app.page.evaluate(async () => {
    let last = performance.now(), longest = 0, ticks = 0;
    const timer = setInterval(() => { const t = performance.now(); longest = Math.max(longest, t - last); last = t; ticks++; }, 10);
    const dishes = ['a', 'b', 'c', 'd'].map((id) => ({ id, phases: [{ cook: { ms: 400 } }] }));
    const result = await window.kitchen.run({ version: 1, model: 'parallel', chefs: 2, tasks: dishes });
    clearInterval(timer);
    return { longest, ticks, wall: result.wall_ms };
  });
  // A run that blocked the main thread would show one gap as long as the whole run.
  assert.ok(gaps.wall >= 300, `the run must be long enough to show a freeze: wall ${gaps.wall}`);
  assert.ok(gaps.longest < gaps.wall / 2, `longest main-thread gap ${gaps.longest} ms in a ${gaps.wall} ms run`);
  assert.ok(gaps.ticks > 10, `timer ticked ${gaps.ticks} times`);
});

test('stop ends a long run early in every model, keeping the partial trace', async () => {
  // Four dishes of 3 s cooking and a 3 s simmer: at least 6 s of work in any model.
  const tasks = ['a', 'b', 'c', 'd'].map((id) => ({ id, phases: [{ cook: { ms: 3000 } }, { simmer: { ms: 3000 } }] }));
  for (const model of ['sequential', 'concurrent', 'parallel', 'concurrent-parallel']) {
    const r = await app.page.evaluate(async ({ model, tasks }) => {
      const running = window.kitchen.run({ version: 1, model, chefs: 2, tasks });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const progress = window.kitchen.progress();
      const stopped = window.kitchen.stop();
      const result = await running;
      return { progress, stopped, result, after: window.kitchen.progress() };
    }, { model, tasks });
    assert.equal(r.stopped, true, `${model}: a run was under way`);
    assert.equal(r.progress.tasks_total, 4);
    assert.equal(r.result.stopped, true, model);
    assert.ok(r.result.wall_ms < 2000, `${model}: stopped at ${r.result.wall_ms} ms, not after the 6 s of work`);
    assert.ok(r.result.spans.length > 0, `${model}: the partial trace keeps what was done`);
    assert.equal(r.after, null, 'no run under way afterwards');
  }
});

test('UI: Stop during a run shows progress, then a stopped result', async () => {
  const { page } = app;
  await page.check('input[name=model][value="sequential"]');
  // Three dishes take ~900 ms; stop as soon as progress shows.
  await page.click('#run');
  await page.waitForSelector('.progress', { timeout: 10_000 });
  assert.match(await page.textContent('.progress'), /of 3 dishes done/);
  await page.click('#stop');
  await page.waitForSelector('#result-table', { timeout: 10_000 });
  assert.match(await page.textContent('#wall'), /stopped early/);
});

test('UI: each model runs "Three dishes" from the Run button and shows a result table', async () => {
  const { page } = app;
  const walls = {};
  for (const model of ['sequential', 'concurrent', 'parallel', 'concurrent-parallel']) {
    await page.check(`input[name=model][value="${model}"]`);
    if (model.includes('parallel')) await page.fill('#chefs', '2');
    await page.click('#run');
    await page.waitForSelector('#result-table', { timeout: 60_000 });
    await page.waitForSelector('#run:not([disabled])');
    const rows = await page.$$eval('#result-table tbody tr', (trs) => trs.map((tr) => {
      const [dish, lane, start, end] = [...tr.children];
      return { id: dish.textContent, lane: Number(lane.dataset.lane), start_ms: Number(start.textContent), end_ms: Number(end.textContent) };
    }));
    assert.deepEqual(rows.map((r) => r.id), ['soup', 'roast', 'dessert']);
    const wallText = await page.textContent('#wall');
    assert.ok(wallText.startsWith(`${model} with`), wallText);
    walls[model] = Number(await page.getAttribute('#wall', 'data-wall-ms'));
    const lanes = new Set(rows.map((r) => r.lane));
    if (model === 'sequential') {
      const sorted = [...rows].sort((a, b) => a.start_ms - b.start_ms);
      for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i].start_ms >= sorted[i - 1].end_ms - 0.1, 'one at a time');
    }
    if (model === 'concurrent') {
      assert.deepEqual([...lanes], [0]);
      assert.ok(overlaps(rows[0], rows[1]) && overlaps(rows[1], rows[2]), 'time slices interleave the dishes');
    }
    if (model === 'parallel') assert.equal(lanes.size, 2, 'two chefs, two threads');
    await page.screenshot({ path: `${SHOTS}three-dishes-${model}.png`, fullPage: true });
  }
  console.log(`Three dishes, 2 chefs, wall ms: ${JSON.stringify(walls)}`);
  await page.setViewportSize({ width: 480, height: 800 });
  await page.screenshot({ path: `${SHOTS}three-dishes-narrow.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
});

test('no uncaught errors on the page', () => {
  assert.deepEqual(app.errors, []);
});
