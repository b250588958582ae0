// `make bench`: measures the release build in headless Chromium and natively, and writes
// bench/results.json and bench/results.md. Expects dist/ (make dist), target/release/
// concurrency-kitchen (cargo build --release) and criterion's estimates of the kernels'
// 100-unit batches (cargo bench --bench kernels … '100 units'), all of which the Makefile
// target builds first.
//
// It reports; it does not judge: noisy numbers never fail it. It exits non-zero only when a
// section crashed (the section's error is recorded in the results and the others still run).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';

import { launch, openApp } from '../tests/e2e/browser.mjs';
import { launch as launchEngine, waitForKitchen } from '../tests/e2e/engines.mjs';
import { BIG_DISHES, BIG_TARGET_MS, bigKitchenPhases } from './big-kitchen.mjs';
import { serve } from '../tests/e2e/server.mjs';

/** Issue 12's page-weight target: 400 KiB gzip for everything the page loads. */
const TRANSFER_TARGET_BYTES = 400 * 1024;

const ROOT = new URL('../', import.meta.url).pathname;
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'bench');
const WORK = join(ROOT, 'target', 'bench');
const CLI = join(ROOT, 'target', 'release', 'concurrency-kitchen');
mkdirSync(WORK, { recursive: true });

const T0 = Date.now();
const KERNELS = ['primes', 'mandelbrot', 'sort', 'hash'];
const log = (msg) => console.log(`[bench ${((Date.now() - T0) / 1000).toFixed(1).padStart(6)} s] ${msg}`);
const min = (xs) => Math.min(...xs);
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const round = (x, d = 1) => (x == null || !Number.isFinite(x) ? x : Number(x.toFixed(d)));

/** Rejects after `ms` (a run that hangs must not hang the bench). */
function timeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms); }),
  ]);
}

const results = { version: 1, date: new Date().toISOString(), sections: {} };
const errors = [];

/** Runs one section; a crash is recorded and the bench goes on. */
async function section(name, fn) {
  log(`${name} …`);
  try {
    results.sections[name] = await fn();
  } catch (e) {
    log(`${name} FAILED: ${e.stack ?? e}`);
    errors.push(`${name}: ${e.message ?? e}`);
    results.sections[name] = { error: String(e.message ?? e) };
  }
}

// ---------------------------------------------------------------------------------------------
// Machine and page weight (no browser needed)

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  let commit = null;
  try { commit = execFileSync('git', ['describe', '--always', '--dirty', '--abbrev=7'], { cwd: ROOT, encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  return { cores: cpus().length, cpu_model: model, node: process.version, commit };
}

function transfer() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      // The .gz/.br copies are other encodings of the same files, not more to transfer.
      else if (!name.startsWith('.') && !/\.(gz|br)$/.test(name)) files.push(path);
    }
  };
  walk(DIST);
  const rows = files.map((path) => {
    const body = readFileSync(path);
    const ext = path.split('.').pop();
    return {
      file: relative(DIST, path), kind: ext, bytes: body.length, gzip_bytes: gzipSync(body, { level: 9 }).length,
      brotli_bytes: brotliCompressSync(body, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const sum = (kind) => {
    const of = rows.filter((r) => kind === 'all' || r.kind === kind);
    const total = (key) => of.reduce((a, r) => a + r[key], 0);
    return { bytes: total('bytes'), gzip_bytes: total('gzip_bytes'), brotli_bytes: total('brotli_bytes') };
  };
  return { gzip_level: 9, files: rows, wasm: sum('wasm'), js: sum('js'), css: sum('css'), html: sum('html'), total: sum('all') };
}

// ---------------------------------------------------------------------------------------------
// Browser

/** Time from navigation until `kitchen.env()` answers, in a fresh context each time (no cache). */
async function timeToEnv(browser, tries = 3) {
  const server = await serve(DIST);
  const samples = [];
  try {
    for (let i = 0; i < tries; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const start = performance.now();
      await page.goto(server.url);
      await page.waitForFunction(() => window.kitchen !== undefined, null, { timeout: 60_000, polling: 5 });
      const inPage = await page.evaluate(async () => { await window.kitchen.env(); return performance.now(); });
      samples.push({ node_ms: performance.now() - start, page_ms: inPage });
      await context.close();
    }
  } finally {
    await server.close();
  }
  return {
    tries,
    samples: samples.map((s) => ({ node_ms: round(s.node_ms), page_ms: round(s.page_ms) })),
    median_node_ms: round(median(samples.map((s) => s.node_ms))),
    median_page_ms: round(median(samples.map((s) => s.page_ms))),
  };
}

/** kitchen.run in the page; resolves with the trace's summary (not its spans). */
async function run(page, experiment, ms = 120_000) {
  return timeout(page.evaluate(async (e) => {
    const t = await window.kitchen.run(e);
    return {
      wall_ms: t.wall_ms, checksums_ok: t.checksums_ok, stopped: t.stopped,
      polls: t.tasks.reduce((a, x) => a + x.polls, 0), tasks: t.tasks.length,
      cooked_ms: t.spans.filter((x) => x.kind === 'cook').reduce((a, x) => a + x.end_ms - x.start_ms, 0),
    };
  }, experiment), ms, `run ${experiment.model} × ${experiment.chefs}`);
}

async function calibrate(page) {
  const cal = await page.evaluate(() => window.kitchen.calibrate());
  return cal.map((c) => ({ kernel: c.kernel, units_per_ms: c.units_per_ms, us_per_unit: 1000 / c.units_per_ms }));
}

/** kitchen.run in the page; resolves with the whole trace. */
async function runTrace(page, experiment, ms = 120_000) {
  return timeout(page.evaluate((e) => window.kitchen.run(e), experiment), ms, `run ${experiment.model} × ${experiment.chefs}`);
}

/** A sweep's points as results.json keeps them, from the engine's Sweep (docs/format.md, "Sweep"). */
const sweepPoints = (sweep) => sweep.points.map((p) => ({
  chefs: p.chefs, wall_ms: round(p.wall_ms), speedup: round(p.speedup, 3), efficiency: round(p.efficiency, 3),
}));

/** Sequential, then parallel with 1..cores chefs; the fastest of `tries` interleaved rounds. The
 * speedups are the engine's: `kitchen.sweep` of the fastest trace of each run. */
async function browserSweep(page, experiment, cores, tries = 2) {
  const widths = Array.from({ length: cores }, (_, i) => i + 1);
  const best = {};
  const keep = (key, t) => { if (!best[key] || t.wall_ms < best[key].wall_ms) best[key] = t; };
  for (let t = 0; t < tries; t++) {
    const s = await runTrace(page, { ...experiment, model: 'sequential', chefs: 1 });
    keep('sequential', s);
    log(`  browser try ${t + 1}: sequential ${s.wall_ms.toFixed(0)} ms`);
    for (const chefs of widths) {
      const p = await runTrace(page, { ...experiment, model: 'parallel', chefs });
      keep(chefs, p);
      log(`  browser try ${t + 1}: parallel × ${chefs} ${p.wall_ms.toFixed(0)} ms`);
    }
  }
  const sweep = await page.evaluate(([b, ts]) => window.kitchen.sweep(b, ts), [best.sequential, widths.map((w) => best[w])]);
  return { tries, sequential_ms: round(sweep.baseline_ms), points: sweepPoints(sweep) };
}

const simmers = (n, ms) => ({
  version: 1, model: 'concurrent', chefs: 1,
  tasks: Array.from({ length: n }, (_, i) => ({ id: `order-${i}`, phases: [{ simmer: { ms } }] })),
});

/** N equal CPU dishes for the juggling chef; only the yield policy differs between the runs. */
const cpuDishes = (n, ms, policy) => ({
  version: 1, model: 'concurrent', chefs: 1, yield: policy,
  tasks: Array.from({ length: n }, (_, i) => ({ id: `dish-${i}`, phases: [{ cook: { ms, kernel: 'primes' } }] })),
});

/** The switch-cost design, shared by the browser and the native runner (see results.md). The
 * browser's slice is the page's smallest (1 ms: every switch also yields to the event loop);
 * natively a switch costs around a microsecond, which 1000 switches would hide in the noise, so
 * the native chef slices at 0.01 ms (about one unit of primes, the finest the engine cuts). */
const SWITCH = { dishes: 4, cook_ms: 250, tries: 3 };
const SLICE_MS = { browser: 1, native: 0.01 };

function switchCost(atSimmers, everyMs, sliceMs) {
  // The fastest try of each: the least disturbed measurement.
  const a = atSimmers.reduce((x, y) => (y.wall_ms < x.wall_ms ? y : x));
  const b = everyMs.reduce((x, y) => (y.wall_ms < x.wall_ms ? y : x));
  const extra = b.polls - a.polls;
  return {
    at_simmers: { wall_ms: round(a.wall_ms), polls: a.polls },
    every_ms: { slice_ms: sliceMs, wall_ms: round(b.wall_ms), polls: b.polls },
    extra_polls: extra,
    switch_us: extra > 0 ? round(((b.wall_ms - a.wall_ms) * 1000) / extra, 2) : null,
  };
}

async function cooperative(page) {
  const out = { simmer: { tasks: 10_000, simmer_ms: 200, tries: 2, walls_ms: [] } };
  for (let t = 0; t < 2; t++) {
    const r = await run(page, simmers(10_000, 200));
    out.simmer.walls_ms.push(round(r.wall_ms));
    log(`  10,000 simmers, concurrent: ${r.wall_ms.toFixed(0)} ms (${r.tasks} dishes ended)`);
  }
  out.simmer.wall_ms = min(out.simmer.walls_ms);
  out.simmer.overhead_us_per_task = round(((out.simmer.wall_ms - 200) * 1000) / 10_000, 2);

  const at = [], every = [];
  for (let t = 0; t < SWITCH.tries; t++) {
    at.push(await run(page, cpuDishes(SWITCH.dishes, SWITCH.cook_ms, 'at_simmers')));
    every.push(await run(page, cpuDishes(SWITCH.dishes, SWITCH.cook_ms, { every_ms: SLICE_MS.browser })));
    log(`  switch try ${t + 1}: at_simmers ${at.at(-1).wall_ms.toFixed(1)} ms (${at.at(-1).polls} polls), `
      + `every ${SLICE_MS.browser} ms ${every.at(-1).wall_ms.toFixed(1)} ms (${every.at(-1).polls} polls)`);
  }
  out.switch = { ...SWITCH, ...switchCost(at, every, SLICE_MS.browser) };
  return out;
}

async function responsiveness(page, experiment, cores) {
  const out = [];
  for (const [model, chefs] of [['concurrent', 1], ['parallel', cores]]) {
    const r = await timeout(page.evaluate(async (e) => {
      await window.kitchen.meter.start();
      const t = await window.kitchen.run(e);
      const m = await window.kitchen.meter.stop();
      return { wall_ms: t.wall_ms, meter: m };
    }, { ...experiment, model, chefs }), 120_000, `meter ${model}`);
    log(`  ${model} × ${chefs}: wall ${r.wall_ms.toFixed(0)} ms, longest gap ${r.meter.longest_gap_ms.toFixed(1)} ms, `
      + `${r.meter.long_tasks} long tasks`);
    out.push({
      model, chefs, wall_ms: round(r.wall_ms), longest_gap_ms: round(r.meter.longest_gap_ms),
      long_tasks: r.meter.long_tasks, long_task_ms: round(r.meter.long_task_ms), frames: r.meter.frames,
      frames_missed: r.meter.frames_missed, long_task_source: r.meter.long_task_source,
    });
  }
  return out;
}

const LESSON_TIMEOUT_MS = 150_000;
const LESSONS_BUDGET_MS = 300_000;

async function lessons(page) {
  const available = await page.evaluate(() => typeof window.kitchen.lessons === 'function'
    && typeof window.kitchen.runLesson === 'function');
  if (!available) {
    log('  lessons not available in this build');
    return { available: false, note: 'lessons not available in this build' };
  }
  const list = await page.evaluate(() => window.kitchen.lessons());
  const start = Date.now();
  const out = [];
  for (const lesson of list) {
    const row = { number: lesson.number, id: lesson.id, title: lesson.title, measures: lesson.measures };
    if (Date.now() - start > LESSONS_BUDGET_MS) {
      row.skipped = `the lessons' ${LESSONS_BUDGET_MS / 1000} s budget was spent`;
      out.push(row);
      continue;
    }
    const t = Date.now();
    try {
      const r = await timeout(page.evaluate((id) => window.kitchen.runLesson(id), lesson.id), LESSON_TIMEOUT_MS, `lesson ${lesson.id}`);
      Object.assign(row, { seconds: round((Date.now() - t) / 1000), verdict: r.verdict, runs: r.runs });
      log(`  lesson ${lesson.number} ${lesson.id}: ${r.verdict.reproduced ? 'reproduced' : 'NOT reproduced'} (${row.seconds} s)`);
    } catch (e) {
      // A lesson that errs or hangs is a finding, not a crash of the bench.
      row.error = String(e.message ?? e);
      log(`  lesson ${lesson.number} ${lesson.id}: error: ${row.error}`);
      await page.evaluate(() => window.kitchen.stop()).catch(() => {});
      await page.waitForFunction(() => window.kitchen.progress() === null, null, { timeout: 30_000 }).catch(() => {});
    }
    out.push(row);
  }
  return { available: true, lessons: out };
}

/**
 * Lesson 7's measurements in the browser, read from its verdict (the engine computes them from
 * the measured runs; nothing is recomputed here): per piece count the walls of one chef and of
 * several, the one chef's wall on the dish uncut, the cost of handing out one piece, and the
 * crossover — the smallest piece at which several chefs still beat one.
 */
function tinyTasks(lessonsSection) {
  const lesson = lessonsSection?.lessons?.find((x) => x.id === 'tiny-tasks');
  if (!lesson?.verdict) return { note: `lesson 7 did not run: ${lesson?.error ?? lesson?.skipped ?? 'lessons unavailable'}` };
  const numbers = Object.fromEntries(lesson.verdict.numbers);
  const pieces = [];
  for (const [name, value] of lesson.verdict.numbers) {
    const m = /^(\d+) pieces: (sequential|parallel), ms$/.exec(name);
    if (!m) continue;
    let row = pieces.find((r) => r.pieces === Number(m[1]));
    if (!row) pieces.push(row = { pieces: Number(m[1]) });
    row[m[2] === 'sequential' ? 'one_chef_ms' : 'chefs_ms'] = round(value, 2);
  }
  const out = {
    reproduced: lesson.verdict.reproduced,
    headline: lesson.verdict.headline,
    reason: lesson.verdict.reason,
    chefs: lesson.runs?.find((r) => /chefs/.test(r.label))?.label.match(/(\d+) chefs/)?.[1],
    whole_dish_one_chef_ms: numbers['one chef, whole dish, ms'],
    hand_out_us: numbers['handing out a piece, µs'],
    unit_us: numbers['cooking a unit, µs'],
    crossover_units: numbers['crossover piece, units'],
    crossover_us: numbers['crossover piece, µs'],
    pieces,
  };
  log(`  tiny tasks: crossover ${out.crossover_units ?? '–'} units (${out.crossover_us?.toFixed?.(2) ?? '–'} µs); `
    + `handing out a piece ${out.hand_out_us?.toFixed?.(2) ?? '–'} µs`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Worker back-ends: shared memory against message passing, in Chromium and Firefox

const BACKENDS = [['shared-memory', ''], ['message-passing', '?backend=message-passing']];
const HANDOUT_DISHES = 1000;

/** Many dishes of one unit each, one chef on a worker: the wall beyond the cooking is the
 * cost of handing out dishes (and, with message passing, of the messages), per dish. */
async function handout(session) {
  const tasks = Array.from({ length: HANDOUT_DISHES }, (_, i) => ({ id: `t${i}`, phases: [{ cook: { units: 1 } }] }));
  const best = [];
  for (let t = 0; t < 2; t++) {
    best.push(await timeout(session.evaluate(async (e) => {
      const r = await window.kitchen.run(e);
      const cooking = r.spans.filter((s) => s.kind === 'cook').reduce((a, s) => a + s.end_ms - s.start_ms, 0);
      return { wall_ms: r.wall_ms, cooking_ms: cooking };
    }, { version: 1, model: 'parallel', chefs: 1, tasks }), 120_000, 'hand-out run'));
  }
  const r = best.reduce((x, y) => (y.wall_ms < x.wall_ms ? y : x));
  return { dishes: HANDOUT_DISHES, wall_ms: round(r.wall_ms), cooking_ms: round(r.cooking_ms),
    us_per_dish: round(((r.wall_ms - r.cooking_ms) * 1000) / HANDOUT_DISHES, 1) };
}

/** Video frames: sequential, then parallel with `cores` chefs, fastest of two interleaved tries. */
async function efficiency(session, video, cores) {
  const best = {};
  for (let t = 0; t < 2; t++) {
    for (const [key, model, chefs] of [['sequential', 'sequential', 1], ['parallel', 'parallel', cores]]) {
      const trace = await timeout(session.evaluate((e) => window.kitchen.run(e), { ...video, model, chefs }), 120_000, `${model} × ${chefs}`);
      if (!best[key] || trace.wall_ms < best[key].wall_ms) best[key] = trace;
    }
  }
  const sweep = await session.evaluate(([b, ts]) => window.kitchen.sweep(b, ts), [best.sequential, [best.parallel]]);
  return { chefs: cores, sequential_ms: round(sweep.baseline_ms), ...sweepPoints(sweep)[0] };
}

async function backends(video, cores) {
  const out = [];
  for (const engine of ['chromium', 'firefox']) {
    const browser = await launchEngine(engine);
    try {
      for (const [backend, query] of BACKENDS) {
        const server = await serve(DIST);
        const session = await browser.open(server.url + query);
        try {
          await waitForKitchen(session);
          const env = await session.evaluate(() => window.kitchen.env());
          if (env.backend !== backend) throw new Error(`${engine} gave ${env.backend}, not ${backend}: ${env.backendReason}`);
          const row = { engine: browser.version, backend, threads: env.threads,
            efficiency: await efficiency(session, video, Math.min(cores, env.threads)), handout: await handout(session) };
          log(`  ${row.engine}, ${backend}: speedup ${row.efficiency.speedup} × ${row.efficiency.chefs}, `
            + `hand-out ${row.handout.us_per_dish} µs per dish`);
          out.push(row);
        } finally {
          await session.close();
          await server.close();
        }
      }
    } finally {
      await browser.close();
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Native

const cli = (...args) => execFileSync(CLI, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });

/** `concurrency-kitchen sweep --json`: the same interleaved tries, the engine's speedups. */
function nativeSweep(experiment, cores, tries = 2) {
  const path = join(WORK, 'video-frames.json');
  writeFileSync(path, JSON.stringify(experiment));
  const sweep = JSON.parse(cli('sweep', path, '--max-chefs', String(cores), '--tries', String(tries), '--json'));
  log(`  native (fastest of ${tries}): sequential ${sweep.baseline_ms.toFixed(0)} ms, `
    + sweep.points.map((p) => `× ${p.chefs} ${p.wall_ms.toFixed(0)} ms`).join(', '));
  return { tries, sequential_ms: round(sweep.baseline_ms), source: 'concurrency-kitchen sweep --json', points: sweepPoints(sweep) };
}

/** A run through the CLI, its trace read back from --trace. */
function nativeRun(experiment, name) {
  const path = join(WORK, `${name}.json`), tracePath = join(WORK, `${name}.trace.json`);
  writeFileSync(path, JSON.stringify(experiment));
  const text = cli('run', path, '--trace', tracePath);
  const t = JSON.parse(readFileSync(tracePath, 'utf8'));
  return { text, wall_ms: t.wall_ms, polls: t.tasks.reduce((a, x) => a + x.polls, 0), tasks: t.tasks.length, calibration: t.calibration };
}

function nativeKernels() {
  const criterion = {};
  for (const kernel of KERNELS) {
    const f = join(ROOT, 'target', 'criterion', kernel, '100 units', 'new', 'estimates.json');
    const est = JSON.parse(readFileSync(f, 'utf8'));
    criterion[kernel] = est.median.point_estimate / 100 / 1000; // ns per 100 units → µs per unit
  }
  // The engine's own calibration natively (the same measurement kitchen.calibrate() makes in the
  // page): a run that cooks a little with every kernel prints it.
  const r = nativeRun({
    version: 1, model: 'sequential', chefs: 1,
    tasks: KERNELS.map((k) => ({ id: k, phases: [{ cook: { ms: 5, kernel: k } }] })),
  }, 'calibration');
  const calibration = Object.fromEntries(r.calibration.map((c) => [c.kernel, 1000 / c.units_per_ms]));
  return { criterion_us_per_unit: criterion, calibration_us_per_unit: calibration };
}

function nativeCooperative() {
  const walls = [];
  for (let t = 0; t < 2; t++) walls.push(nativeRun(simmers(10_000, 200), 'simmers').wall_ms);
  const at = [], every = [];
  for (let t = 0; t < SWITCH.tries; t++) {
    at.push(nativeRun(cpuDishes(SWITCH.dishes, SWITCH.cook_ms, 'at_simmers'), 'switch-at'));
    every.push(nativeRun(cpuDishes(SWITCH.dishes, SWITCH.cook_ms, { every_ms: SLICE_MS.native }), 'switch-every'));
  }
  const wall = min(walls);
  const out = {
    simmer: { tasks: 10_000, simmer_ms: 200, walls_ms: walls.map((w) => round(w)), wall_ms: round(wall), overhead_us_per_task: round(((wall - 200) * 1000) / 10_000, 2) },
    switch: { ...SWITCH, ...switchCost(at, every, SLICE_MS.native) },
  };
  log(`  native: 10,000 simmers ${out.simmer.wall_ms} ms; switch ${out.switch.switch_us} µs`);
  return out;
}

/** Issue 12's experiments: equal CPU-bound dishes of primes, of several granularities. */
const GAP_SHAPES = [[6, 80], [2, 240], [48, 10], [16, 30]];
const equalDishes = (n, ms) => ({
  version: 1, model: 'sequential', chefs: 1,
  tasks: Array.from({ length: n }, (_, i) => ({ id: `dish-${i}`, phases: [{ cook: { ms, kernel: 'primes' } }] })),
});
const GAP_RUNS = [['sequential', 1], ['concurrent', 1], ['parallel', 2]];

/** Each shape as one chef, one juggling chef (10 ms slices, the default) and two chefs; the
 * fastest of `tries` interleaved rounds of each. `runOne(experiment)` resolves with its wall ms. */
async function gapWalls(runOne, tries = 2) {
  const out = [];
  for (const [n, ms] of GAP_SHAPES) {
    const best = {}, cooking = {};
    for (let t = 0; t < tries; t++) {
      for (const [model, chefs] of GAP_RUNS) {
        const { wall_ms, cooked_ms } = await runOne({ ...equalDishes(n, ms), model, chefs });
        if (wall_ms < (best[model] ?? Infinity)) {
          best[model] = wall_ms;
          // A dish's cooking as measured in the run, against what calibration said it would take.
          cooking[model] = cooked_ms / (n * ms);
        }
      }
    }
    log(`  ${n} × ${ms} ms: ${GAP_RUNS.map(([m]) => `${m} ${best[m].toFixed(0)} ms`).join(', ')}`);
    out.push({ dishes: n, cook_ms: ms, ...Object.fromEntries(Object.entries(best).map(([k, v]) => [`${k}_ms`, round(v)])),
      ...Object.fromEntries(Object.entries(cooking).map(([k, v]) => [`${k}_cooking_per_calibrated`, round(v, 3)])) });
  }
  return out;
}

const browserGaps = (page) => gapWalls((e) => run(page, e));

function nativeGaps() {
  return gapWalls(async (e) => {
    const path = join(WORK, 'gap.json');
    writeFileSync(path, JSON.stringify(e));
    const t = JSON.parse(cli('run', path, '--json'));
    // `run --json` prints the run's breakdown, whose cooked_ms is the cook spans' sum.
    return { wall_ms: t.wall_ms, cooked_ms: t.breakdown?.cooked_ms };
  });
}

// ---------------------------------------------------------------------------------------------

async function main() {
  results.machine = machine();
  const cores = results.machine.cores;
  log(`machine: ${cores} cores, ${results.machine.cpu_model}`);
  await section('transfer', async () => transfer());

  const browser = await launch();
  results.machine.chromium = browser.version();
  log(`Chromium ${results.machine.chromium}`);
  let video = null;
  try {
    await section('load', () => timeToEnv(browser));
    const app = await openApp(browser);
    results.machine.browser_env = app.env;
    try {
      await section('calibration', () => calibrate(app.page));
      const presets = await app.page.evaluate(() => window.kitchen.presets());
      video = presets.find((p) => p.id === 'video-frames')?.experiment;
      if (!video) throw new Error('no video-frames preset');
      results.video_frames = { tasks: video.tasks.length, about: presets.find((p) => p.id === 'video-frames').about };
      const width = Math.min(cores, app.env.threads || 1);
      await section('browser_sweep', () => browserSweep(app.page, video, width));
      await section('browser_cooperative', () => cooperative(app.page));
      await section('browser_gaps', () => browserGaps(app.page));
      await section('responsiveness', () => responsiveness(app.page, video, width));
      await section('lessons', () => lessons(app.page));
      await section('tiny_tasks', () => tinyTasks(results.sections.lessons));
      if (app.errors.length) results.page_errors = app.errors;
    } finally {
      await app.close();
    }
    // Its own page: the 20,000 dishes stay in the UI afterwards and would weigh on anything after.
    await section('big_kitchen', async () => {
      const big = await openApp(browser);
      try { return await bigKitchenPhases(big.page); } finally { await big.close(); }
    });
  } finally {
    await browser.close();
  }

  if (video) await section('backends', () => backends(video, cores));
  if (video) await section('native_sweep', () => nativeSweep(video, cores));
  await section('native_kernels', () => nativeKernels());
  await section('native_cooperative', () => nativeCooperative());
  await section('native_gaps', () => nativeGaps());

  results.errors = errors;
  results.seconds = round((Date.now() - T0) / 1000);
  writeFileSync(join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'results.md'), markdown(results));
  log(`wrote bench/results.json and bench/results.md in ${results.seconds} s`);
  if (errors.length) {
    log(`${errors.length} section(s) crashed:\n  ${errors.join('\n  ')}`);
    process.exitCode = 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown

const f = (x, d = 1) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(d));
const kb = (b) => `${(b / 1024).toFixed(1)} KiB`;
const failed = (s) => (s?.error ? `_failed: ${s.error}_\n` : null);

function markdown(r) {
  const s = r.sections, m = r.machine;
  const out = [];
  const p = (...lines) => out.push(...lines);
  p('# Benchmarks', '',
    `Written by \`make bench\` (bench/bench.mjs); the raw numbers are in [results.json](results.json).`, '',
    '| date | cores | CPU | Chromium | commit |', '|---|---|---|---|---|',
    `| ${r.date.slice(0, 16).replace('T', ' ')} UTC | ${m.cores} | ${m.cpu_model} | ${m.chromium ?? '–'} | ${m.commit ?? '–'} |`, '');

  p('## Parallel efficiency: Video frames', '',
    `${r.video_frames ? `${r.video_frames.about} ` : ''}Speedup = sequential wall / parallel wall with that many chefs; `
    + 'efficiency = speedup / chefs. Browser: `kitchen.run` (sequential on a worker, parallel on N workers); native: '
    + '`concurrency-kitchen sweep`. Each point is the fastest of the tries (noise only slows runs down).', '');
  const bs = s.browser_sweep, ns = s.native_sweep;
  const e = failed(bs) ?? failed(ns);
  if (e) p(e);
  if (bs?.points || ns?.points) {
    p(`Sequential wall: browser ${f(bs?.sequential_ms, 0)} ms, native ${f(ns?.sequential_ms, 0)} ms.`, '',
      '| chefs | browser wall ms | browser speedup | browser efficiency | native wall ms | native speedup | native efficiency |',
      '|---|---|---|---|---|---|---|');
    const n = Math.max(bs?.points?.length ?? 0, ns?.points?.length ?? 0);
    for (let i = 0; i < n; i++) {
      const b = bs?.points?.[i], q = ns?.points?.[i];
      p(`| ${b?.chefs ?? q?.chefs} | ${f(b?.wall_ms, 0)} | ${f(b?.speedup, 2)} | ${f(b?.efficiency, 2)} | ${f(q?.wall_ms, 0)} | ${f(q?.speedup, 2)} | ${f(q?.efficiency, 2)} |`);
    }
    p('');
  }

  p('## Worker back-ends: shared memory and message passing', '',
    'The same release build in each engine, served with COOP/COEP; message passing forced with `?backend=message-passing`. '
    + `Efficiency: Video frames, sequential against parallel with as many chefs as cores (fastest of 2 tries each; the engine's \`kitchen.sweep\`). `
    + `Hand-out cost: ${HANDOUT_DISHES} dishes of one unit of primes on one chef, (wall − Σ cooking) / dishes (fastest of 2): `
    + 'the schedule\'s bookkeeping, plus, with message passing, a message to the worker and its answer.', '');
  const bk = s.backends;
  if (failed(bk)) p(failed(bk));
  else if (bk) {
    p('| engine | back-end | workers | chefs | sequential ms | parallel ms | speedup | efficiency | hand-out µs per dish |', '|---|---|---|---|---|---|---|---|---|');
    for (const x of bk) {
      p(`| ${x.engine} | ${x.backend} | ${x.threads} | ${x.efficiency.chefs} | ${f(x.efficiency.sequential_ms, 0)} | ${f(x.efficiency.wall_ms, 0)} | `
        + `${f(x.efficiency.speedup, 2)} | ${f(x.efficiency.efficiency, 2)} | ${f(x.handout.us_per_dish)} |`);
    }
    p('');
  }

  targets(r, p);

  const big = s.big_kitchen;
  p('## Big kitchens (20,000 dishes)', '',
    `A kitchen at the documented limit: ${BIG_DISHES.toLocaleString('en')} dishes of one hash unit, in 100 chains (bench/big-kitchen.mjs), `
    + 'through the UI of a fresh page: pasted into Import (until the dish count and the DAG view\'s summary show), run with the '
    + 'concurrent model from Run (until Run is enabled again), and its trace drawn with `kitchen.show`. Each phase is watched in the page '
    + 'by a `longtask` PerformanceObserver and a requestAnimationFrame loop; the target is no block over '
    + `${BIG_TARGET_MS} ms.`, '');
  if (failed(big)) p(failed(big));
  else if (big?.compose) {
    p('| phase | phase ms | frames | longest frame gap ms | long tasks | longest task ms |', '|---|---|---|---|---|---|');
    for (const phase of ['compose', 'run', 'draw']) {
      const m = big[phase];
      p(`| ${phase} | ${f(m.ms, 0)} | ${m.frames} | ${f(m.longest_gap_ms, 0)} | ${m.long_tasks} | ${f(m.longest_task_ms, 0)} |`);
    }
    p('', `The run's wall (Run): ${f(big.run.wall_ms, 0)} ms; the drawn trace: ${big.draw.spans} spans, measured by \`kitchen.run\` on the empty page first (wall ${f(big.draw.run_wall_ms, 0)} ms).`, '');
  }

  p('## Kernels: single-thread time per unit', '',
    'wasm: `kitchen.calibrate()` on the page\'s main thread (1 / units_per_ms). Native: criterion\'s median of a '
    + '100-unit batch / 100 (`cargo bench --bench kernels`, shortened), and the engine\'s own calibration natively '
    + '(the same measurement the page makes). Ratio = wasm / native (criterion).', '');
  const c = s.calibration, nk = s.native_kernels;
  const e2 = failed(c) ?? failed(nk);
  if (e2) p(e2);
  if (Array.isArray(c) || nk?.criterion_us_per_unit) {
    p('| kernel | wasm µs/unit | native µs/unit (criterion) | wasm / native | native µs/unit (calibration) |', '|---|---|---|---|---|');
    for (const kernel of KERNELS) {
      const w = Array.isArray(c) ? c.find((x) => x.kernel === kernel)?.us_per_unit : null;
      const n = nk?.criterion_us_per_unit?.[kernel], cal = nk?.calibration_us_per_unit?.[kernel];
      p(`| ${kernel} | ${f(w, 2)} | ${f(n, 2)} | ${w && n ? f(w / n, 2) : '–'} | ${f(cal, 2)} |`);
    }
    p('');
  }

  p('## Cooperative executor (one juggling chef)', '');
  const bc = s.browser_cooperative, nc = s.native_cooperative;
  const e3 = failed(bc) ?? failed(nc);
  if (e3) p(e3);
  if (bc?.simmer || nc?.simmer) {
    const sw = bc?.switch ?? nc?.switch ?? SWITCH;
    p('| measurement | browser (main thread) | native (one thread) |', '|---|---|---|',
      `| 10,000 dishes simmering 200 ms, concurrent model: wall ms | ${f(bc?.simmer?.wall_ms, 0)} | ${f(nc?.simmer?.wall_ms, 0)} |`,
      `| … wall beyond the 200 ms, per dish, µs ((wall − 200) / 10,000; the dishes overlap, so this is the executor's amortised cost) | ${f(bc?.simmer?.overhead_us_per_task, 2)} | ${f(nc?.simmer?.overhead_us_per_task, 2)} |`,
      `| ${sw.dishes} × ${sw.cook_ms} ms cooking, \`at_simmers\`: wall ms (polls) | ${f(bc?.switch?.at_simmers?.wall_ms)} (${bc?.switch?.at_simmers?.polls ?? '–'}) | ${f(nc?.switch?.at_simmers?.wall_ms)} (${nc?.switch?.at_simmers?.polls ?? '–'}) |`,
      `| the same, \`every_ms\` (browser ${SLICE_MS.browser}, native ${SLICE_MS.native}): wall ms (polls) | ${f(bc?.switch?.every_ms?.wall_ms)} (${bc?.switch?.every_ms?.polls ?? '–'}) | ${f(nc?.switch?.every_ms?.wall_ms)} (${nc?.switch?.every_ms?.polls ?? '–'}) |`,
      `| **mean cost of one task switch, µs** | **${f(bc?.switch?.switch_us, 2)}** | **${f(nc?.switch?.switch_us, 2)}** |`, '',
      `How the switch cost is measured: the same ${sw.dishes} CPU dishes of ${sw.cook_ms} ms (primes) run twice on one juggling chef. `
      + `With \`yield: "at_simmers"\` a dish that never simmers is never switched away from (one poll per dish); with `
      + `\`{"every_ms": s}\` the chef switches dishes after every s ms of cooking: in the browser s = ${SLICE_MS.browser} ms, the page's smallest slice; `
      + `natively s = ${SLICE_MS.native} ms (about one unit of primes, the finest the engine cuts), because ~1000 switches of a microsecond would vanish in the noise. `
      + 'The work is identical, so the extra wall time is the cost of the extra switches: (wall(every_ms) − wall(at_simmers)) / '
      + '(Σ polls(every_ms) − Σ polls(at_simmers)), with polls read from `trace.tasks[].polls`. In the browser a switch includes '
      + 'yielding to the page\'s event loop (and whatever the page then does, e.g. drawing a frame), natively only the '
      + `executor's bookkeeping. Fastest of ${sw.tries} interleaved tries each; a few ms of noise move the browser figure by a few µs (about 1000 extra polls) and the native one by a few hundredths of a µs (about 85,000).`, '');
  }

  p('## Main thread during runs (kitchen.meter)', '',
    '`kitchen.meter.start()` / `stop()` around one `kitchen.run` of Video frames.', '');
  const rs = s.responsiveness;
  if (failed(rs)) p(failed(rs));
  else if (rs) {
    p('| model | chefs | wall ms | longest main-thread gap ms | long tasks (> 50 ms) | long-task ms | frames | frames missed |', '|---|---|---|---|---|---|---|---|');
    for (const x of rs) p(`| ${x.model} | ${x.chefs} | ${f(x.wall_ms, 0)} | ${f(x.longest_gap_ms)} | ${x.long_tasks} | ${f(x.long_task_ms, 0)} | ${x.frames} | ${x.frames_missed} |`);
    p('');
  }

  p('## Page weight and start-up', '');
  const t = s.transfer, l = s.load;
  if (failed(t)) p(failed(t));
  else if (t) {
    p(`gzip (node zlib, level ${t.gzip_level}) and brotli (quality 11) of the files in dist/ (the pre-compressed .gz/.br copies not counted). `
      + `Target: at most ${kb(TRANSFER_TARGET_BYTES)} gzip in all.`, '',
      '| | raw | gzip | brotli |', '|---|---|---|---|');
    for (const k of ['wasm', 'js', 'css', 'html']) p(`| ${k} | ${kb(t[k].bytes)} | ${kb(t[k].gzip_bytes)} | ${kb(t[k].brotli_bytes)} |`);
    p(`| **total** | ${kb(t.total.bytes)} | **${kb(t.total.gzip_bytes)}** | ${kb(t.total.brotli_bytes)} |`, '',
      `gzip total ÷ target: **${f(t.total.gzip_bytes / TRANSFER_TARGET_BYTES)}** (${t.total.gzip_bytes <= TRANSFER_TARGET_BYTES ? 'met' : 'missed'}).`, '');
  }
  if (failed(l)) p(failed(l));
  else if (l) {
    p(`Time until \`kitchen.env()\` answers after navigation (served from loopback, fresh browser context, median of ${l.tries}): `
      + `**${f(l.median_page_ms, 0)} ms** by the page's clock (performance.now() from navigation start), ${f(l.median_node_ms, 0)} ms as seen by the test driver.`, '');
  }

  p('## Tiny tasks: the crossover piece size (lesson 7, browser)', '',
    'One small dish of hash units cut into more and more pieces: one chef cooking it with the pieces, and several chefs '
    + 'sharing them, against one chef cooking it whole. The crossover is the smallest piece at which the chefs still beat '
    + 'the one chef on the whole dish; below it, handing out a piece costs more than the chefs gain. The engine computes '
    + 'every figure from the lesson\'s measured runs (fastest of its tries).', '');
  const tt = s.tiny_tasks;
  if (failed(tt)) p(failed(tt));
  else if (tt?.note) p(`${tt.note}.`, '');
  else if (tt) {
    p(`**Crossover: pieces of ${f(tt.crossover_units, 0)} units (${f(tt.crossover_us, 2)} µs of cooking)** — `
      + `${tt.reproduced ? 'reproduced' : 'not reproduced'}${tt.reason ? ` (${tt.reason})` : ''}. `
      + `Handing out one piece: ${f(tt.hand_out_us, 2)} µs; cooking one hash unit: ${f(tt.unit_us, 3)} µs; `
      + `one chef on the whole dish: ${f(tt.whole_dish_one_chef_ms, 2)} ms.`, '',
      `| pieces | one chef with the pieces, ms | ${tt.chefs ?? 'several'} chefs, ms |`, '|---|---|---|');
    for (const r of tt.pieces) p(`| ${r.pieces} | ${f(r.one_chef_ms, 2)} | ${f(r.chefs_ms, 2)} |`);
    p('');
  }

  p('## Lessons', '');
  const ls = s.lessons;
  if (failed(ls)) p(failed(ls));
  else if (ls && !ls.available) p(`${ls.note}.`, '');
  else if (ls) {
    p('| # | lesson | verdict | numbers | seconds |', '|---|---|---|---|---|');
    for (const x of ls.lessons) {
      const cell = (v) => String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
      if (x.verdict) {
        const nums = (x.verdict.numbers ?? []).map(([k, v]) => `${k}: ${typeof v === 'number' ? round(v, 3) : v}`).join('; ');
        const verdict = `${x.verdict.reproduced ? '✅ reproduced' : '❌ not reproduced'} — ${x.verdict.headline}${x.verdict.reason ? ` (${x.verdict.reason})` : ''}`;
        p(`| ${x.number} | ${cell(x.title)} | ${cell(verdict)} | ${cell(nums)} | ${f(x.seconds)} |`);
      } else {
        p(`| ${x.number} | ${cell(x.title)} | ${cell(x.error ? `error: ${x.error}` : `skipped: ${x.skipped}`)} | – | – |`);
      }
    }
    p('');
  }
  if (r.errors?.length) p('## Sections that crashed', '', ...r.errors.map((x) => `- ${x}`), '');
  p(`The whole bench took ${f(r.seconds, 0)} s.`, '');
  return out.join('\n');
}

/** Issue 12's targets, each as a ratio measured in this run, met or missed. */
function targets(r, p) {
  const s = r.sections;
  const rows = [];
  const row = (what, value, target, met) => rows.push(`| ${what} | ${value} | ${target} | ${met == null ? '–' : met ? 'met' : '**missed**'} |`);
  const bg = Array.isArray(s.browser_gaps) ? s.browser_gaps : [], ng = Array.isArray(s.native_gaps) ? s.native_gaps : [];
  for (const b of bg) {
    const n = ng.find((x) => x.dishes === b.dishes && x.cook_ms === b.cook_ms);
    const browser = b.sequential_ms / b.parallel_ms, native = n ? n.sequential_ms / n.parallel_ms : null;
    const ratio = native ? browser / native : null;
    row(`${b.dishes} × ${b.cook_ms} ms: browser speedup at 2 chefs ÷ native (${f(browser, 2)}× ÷ ${f(native, 2)}×)`,
      f(ratio, 3), '≥ 0.95', ratio == null ? null : ratio >= 0.95);
  }
  for (const b of bg) {
    const n = ng.find((x) => x.dishes === b.dishes && x.cook_ms === b.cook_ms);
    row(`${b.dishes} × ${b.cook_ms} ms, 2 chefs: a dish's measured cooking ÷ its calibrated ms, browser (native ${f(n?.parallel_cooking_per_calibrated, 3)}; browser one chef ${f(b.sequential_cooking_per_calibrated, 3)})`,
      f(b.parallel_cooking_per_calibrated, 3), '–', null);
  }
  for (const b of bg) {
    const ratio = b.concurrent_ms / b.sequential_ms;
    const n = ng.find((x) => x.dishes === b.dishes && x.cook_ms === b.cook_ms);
    row(`${b.dishes} × ${b.cook_ms} ms: one juggling chef ÷ one chef, browser (native ${n ? f(n.concurrent_ms / n.sequential_ms, 3) : '–'})`,
      f(ratio, 3), '≤ 1.05', ratio <= 1.05);
  }
  const t = s.transfer;
  if (t?.total) row('page transfer, gzip', kb(t.total.gzip_bytes), '≤ 400 KiB', t.total.gzip_bytes <= TRANSFER_TARGET_BYTES);
  const l = s.load;
  if (l?.median_page_ms != null) row('`kitchen.env()` answers after navigation', `${f(l.median_page_ms, 0)} ms`, '≤ 500 ms', l.median_page_ms <= 500);
  const c = s.calibration, nk = s.native_kernels;
  for (const kernel of ['primes', 'mandelbrot', 'sort']) {
    const w = Array.isArray(c) ? c.find((x) => x.kernel === kernel)?.us_per_unit : null;
    const n = nk?.criterion_us_per_unit?.[kernel];
    if (w && n) row(`${kernel}: wasm ÷ native per unit`, f(w / n, 2), '≤ 1.15', w / n <= 1.15);
  }
  const big = s.big_kitchen;
  for (const [phase, what] of [['compose', 'importing it (dish list, analysis, DAG view)'], ['run', 'a concurrent run from Run (one juggling chef, tiny dishes) and its results'], ['draw', 'drawing its timeline (`kitchen.show` of its trace)']]) {
    const m = big?.[phase];
    if (!m) continue;
    const worst = Math.max(m.longest_task_ms ?? 0, m.longest_gap_ms ?? 0);
    row(`${BIG_DISHES.toLocaleString('en')} dishes, ${what}: longest main-thread block (long task ${f(m.longest_task_ms, 0)} ms, frame gap ${f(m.longest_gap_ms, 0)} ms)`,
      `${f(worst, 0)} ms`, `≤ ${BIG_TARGET_MS} ms`, worst <= BIG_TARGET_MS);
  }
  if (!rows.length) return;
  p('## Targets (issue 12)', '',
    'Each ratio from this run: browser and native measured one after the other on the same machine, fastest of 2 tries. '
    + 'Equal dishes of primes; speedup = one chef\'s wall ÷ two chefs\' wall.', '',
    '| measurement | measured | target | |', '|---|---|---|---|', ...rows, '');
}

await main();
