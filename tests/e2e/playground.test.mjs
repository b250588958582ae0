// End-to-end: the playground layout (Run and the results in view at 1280×800, the sticky run
// bar at 480 px, views one click away) and the kitchen scene, which must show at every scrubbed
// moment what the measured trace says: which chefs cook, how many pots simmer, how many dishes
// wait, are blocked or are done — for every preset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withApp, launch, openApp, SHOTS } from './browser.mjs';

const app = withApp();
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 480, height: 800 };

// A model (and width) that suits each preset; Restaurant rush is about juggling waits.
const RUNS = [
  ['three-dishes', 'parallel', 2], ['restaurant-rush', 'concurrent', 1], ['video-frames', 'parallel', 4],
  ['web-server', 'concurrent-parallel', 2], ['terraform', 'sequential', 1], ['tiny-tasks', 'parallel', 2],
  ['amdahl', 'parallel', 2],
];

/** Loads `preset`, picks the model and chefs, runs from the run bar and waits for the result. */
async function runPreset(preset, model, chefs) {
  const { page } = app;
  await page.selectOption('#preset', preset);
  await page.check(`input[name=model][value="${model}"]`);
  if (model.includes('parallel')) await page.fill('#chefs', String(chefs));
  await page.click('#run');
  await page.waitForSelector('#wall', { timeout: 60_000 });
  await page.waitForSelector('.results .scene');
}

/** The trace the results show, through the timeline's Save button. */
async function savedTrace() {
  const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('.results .tl-save')]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** Moves the replay scrubber to `ms` as a person dragging it would. */
const scrub = (ms) => app.page.$eval('.results .tl-scrubber', (input, ms) => {
  input.value = String(ms);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}, ms);

/** What the scene shows now, from its data attributes, and where the timeline's cursor is. */
const sceneNow = () => app.page.$eval('.results', (r) => {
  const d = r.querySelector('.scene').dataset;
  const list = (s) => (s ? s.split(' ').map(Number) : []);
  return {
    ms: Number(d.ms), cursor: Number(r.querySelector('.tl-cursor').dataset.ms), cooking: list(d.cooking), queued: list(d.queued),
    simmering: Number(d.simmering), waiting: Number(d.waiting), setAside: Number(d.setAside), blocked: Number(d.blocked),
    done: Number(d.done), stoves: Number(d.stoves),
  };
});

/** The same, computed here from the trace at `t` (a stretch covers t when start ≤ t < end). */
function expected(trace, t) {
  const covers = (a, b) => a <= t && t < b;
  const spans = (kind) => trace.spans.filter((s) => s.kind === kind && covers(s.start_ms, s.end_ms));
  return {
    cooking: [...new Set(spans('cook').map((s) => s.lane))].sort((a, b) => a - b),
    simmering: spans('simmer').length,
    setAside: spans('ready').length,
    waiting: trace.tasks.filter((k) => covers(k.eligible_ms, k.start_ms)).length,
    blocked: trace.tasks.filter((k) => covers(0, k.eligible_ms)).length,
    done: trace.tasks.filter((k) => k.end_ms <= t).length,
  };
}

test('at 1280×800 Run, the wall time and the results are in view without scrolling', async () => {
  const { page } = app;
  await page.setViewportSize(WIDE);
  await page.click('#run');
  await page.waitForSelector('#wall', { timeout: 60_000 });
  await page.waitForSelector('.results .tl-span');
  await page.screenshot({ path: `${SHOTS}playground-1280.png` });
  const boxes = await page.evaluate(() => Object.fromEntries(['#run', '#stop', '#wall', '.results .scene-svg', '.results .tl-chart',
    '.view-tabs', '.setup .controls', '.composer'].map((s) => {
    const r = document.querySelector(s).getBoundingClientRect();
    return [s, { top: r.top, bottom: r.bottom, left: r.left, right: r.right }];
  })));
  const inView = (s) => boxes[s].top >= 0 && boxes[s].bottom <= WIDE.height && boxes[s].left >= 0 && boxes[s].right <= WIDE.width;
  for (const s of ['#run', '#stop', '#wall', '.results .scene-svg', '.view-tabs']) assert.ok(inView(s), `${s}: ${JSON.stringify(boxes[s])}`);
  assert.ok(boxes['.results .tl-chart'].top < WIDE.height - 100, `the timeline starts in view: ${JSON.stringify(boxes['.results .tl-chart'])}`);
  assert.ok(boxes['.composer'].top < WIDE.height, 'the dishes are in view too');
  assert.ok(boxes['.results .scene-svg'].left > boxes['.setup .controls'].right, 'results beside the dishes and model');
  const scrolls = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight);
  assert.ok(scrolls <= 0, `the page itself does not scroll (its panes do): ${scrolls} px`);
});

test('at 480 px one column, the run bar stays in reach when scrolled', async () => {
  const { page } = app;
  await page.setViewportSize(NARROW);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}playground-480.png` });
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  await page.waitForTimeout(100);
  const bar = await page.$eval('.run-bar', (b) => b.getBoundingClientRect().toJSON());
  const run = await page.$eval('#run', (b) => b.getBoundingClientRect().toJSON());
  assert.ok(await page.evaluate(() => window.scrollY) > 800, 'the page did scroll');
  assert.ok(bar.top >= 0 && bar.top < 1 && run.bottom <= NARROW.height, `sticky: ${JSON.stringify(bar)}`);
  assert.ok(bar.right <= NARROW.width, 'the bar fits the width');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `scrolls sideways by ${overflow} px`);
  await page.screenshot({ path: `${SHOTS}playground-480-scrolled.png` });
  // "Results ↓" takes a one-column reader to the results.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('.to-results');
  await page.waitForFunction(() => document.querySelector('#results-pane').getBoundingClientRect().top < 200);
  await page.locator('.results').screenshot({ path: `${SHOTS}scene-480.png` });
  await page.setViewportSize(WIDE);
});

test('views are one click (or an arrow key) away, and kitchen.show brings the results back', async () => {
  const { page } = app;
  const selected = () => page.$eval('[role=tab][aria-selected=true]', (t) => t.id);
  for (const [tab, shows] of [['compare', '#compare'], ['sweep', '#sweep'], ['lessons', '.lesson'], ['results', '.results .scene']]) {
    await page.click(`#view-${tab}`);
    await page.waitForSelector(shows);
    assert.equal(await selected(), `view-${tab}`);
  }
  await page.focus('#view-results');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector('#compare');
  assert.equal(await selected(), 'view-compare');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'view-compare', 'focus follows the tab');
  await page.keyboard.press('End');
  await page.waitForSelector('.lesson');
  const trace = await page.evaluate(() => window.kitchen.run({ version: 1, model: 'sequential', tasks: [{ id: 'x', phases: [{ cook: { ms: 5 } }] }] }));
  await page.evaluate((t) => window.kitchen.show(t), trace);
  await page.waitForSelector('.results .scene');
  assert.equal(await selected(), 'view-results');
  assert.deepEqual(app.errors, []);
});

test('the scene shows what the trace says at every scrubbed moment, for every preset', async () => {
  const { page } = app;
  const cores = app.env.hardwareConcurrency;
  for (const [preset, model, chefs] of RUNS) {
    await runPreset(preset, model, chefs);
    const trace = await savedTrace();
    assert.equal(trace.model, model, preset);
    const end = await page.$eval('.results .tl-scrubber', (i) => Number(i.max));
    let sawQueue = false;
    for (const frac of [0, 0.05, 0.2, 0.35, 0.5, 0.65, 0.8, 0.95]) {
      const t = Math.round(frac * end * 1000) / 1000;
      await scrub(t);
      const now = await sceneNow();
      assert.equal(now.ms, t, `${preset}: the scene is at the scrubbed time`);
      assert.equal(now.cursor, now.ms, `${preset}: the scene and the timeline's cursor agree`);
      const want = expected(trace, t);
      for (const key of Object.keys(want)) assert.deepEqual(now[key], want[key], `${preset} at ${t} ms: ${key}`);
      // More chefs cooking than stoves: the rest wait for one.
      assert.equal(now.stoves, cores);
      assert.equal(now.queued.length, Math.max(0, now.cooking.length - cores), `${preset} at ${t} ms: queue`);
      sawQueue ||= now.queued.length > 0;
    }
    if (preset === 'video-frames' && cores < 4) assert.ok(sawQueue, '4 chefs on fewer cores queue for a stove');
    await scrub(end);
    assert.equal((await sceneNow()).done, trace.tasks.length, `${preset}: all done at the end`);
    const summary = await page.textContent('#scene-summary');
    assert.match(summary, new RegExp(`^At \\d+ of \\d+ ms: .*; ${trace.tasks.length} dish(es)? done\\.$`), summary);
    if (preset === 'terraform') {
      // Sequential, with dependencies: at some moment a chef stands by a pot, and a dish is blocked.
      const t = trace.spans.find((s) => s.kind === 'simmer').start_ms + 1;
      await scrub(Math.round(t * 1000) / 1000);
      assert.equal(await page.locator('.results .chef.watching').count(), 1, 'the sequential chef stands by its pot');
      assert.ok(await page.locator('.results .ticket.blocked').count() > 0, 'blocked dishes drawn blocked');
      await page.locator('.results .scene').screenshot({ path: `${SHOTS}scene-terraform-sequential.png` });
    }
    if (preset === 'restaurant-rush') {
      // A thousand pots: counted, and only a few drawn.
      const t = trace.spans.find((s) => s.kind === 'simmer').end_ms - 1;
      await scrub(Math.round(t * 1000) / 1000);
      const now = await sceneNow();
      assert.ok(now.simmering > 500, `${now.simmering} simmering`);
      assert.ok(await page.locator('.results .pot').count() <= 12, 'pots are aggregated');
      assert.match(await page.textContent('.results .scene-pots'), new RegExp(`${now.simmering} simmering`));
      const shapes = await page.$$eval('.results .scene-svg *', (els) => els.length);
      assert.ok(shapes < 400, `${shapes} SVG elements for 1000 dishes`);
      await page.locator('.results .scene').screenshot({ path: `${SHOTS}scene-restaurant-rush.png` });
    }
    if (preset === 'video-frames') {
      await scrub(Math.round(end * 300) / 1000);
      await page.locator('.results .scene').screenshot({ path: `${SHOTS}scene-video-frames-4-chefs.png` });
    }
  }
  assert.deepEqual(app.errors, []);
});

test('while the replay plays, the scene moves with the cursor; a 1000-dish replay draws few shapes', async () => {
  const { page } = app;
  await runPreset('restaurant-rush', 'concurrent', 1);
  await scrub(0);
  await page.click('.results .tl-play');
  const samples = await page.evaluate(async () => {
    const out = [];
    const frame = () => new Promise(requestAnimationFrame);
    const gaps = [];
    let last = performance.now();
    for (let i = 0; i < 40; i++) {
      await frame();
      const now = performance.now();
      gaps.push(now - last);
      last = now;
      const r = document.querySelector('.results');
      out.push([Number(r.querySelector('.scene').dataset.ms), Number(r.querySelector('.tl-cursor').dataset.ms)]);
    }
    gaps.sort((a, b) => a - b);
    return { out, median: gaps[20], worst: gaps[gaps.length - 1] };
  });
  console.log(`Restaurant rush replay with the scene: frame median ${samples.median.toFixed(1)} ms, worst ${samples.worst.toFixed(1)} ms`);
  for (const [scene, cursor] of samples.out) assert.equal(scene, cursor, 'in step every frame');
  const times = samples.out.map((s) => s[0]);
  assert.ok(times[times.length - 1] > times[0], `the replay moved: ${times[0]} → ${times[times.length - 1]}`);
});

test('under prefers-reduced-motion the scene is a still frame the scrubber moves', async () => {
  const browser = await launch();
  const other = await openApp(browser);
  try {
    const { page } = other;
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    await page.waitForFunction(() => window.kitchen !== undefined);
    await page.waitForSelector('#run:not([disabled])');
    await page.click('#run');
    await page.waitForSelector('.results .scene');
    const atEnd = await page.$eval('.results .scene', (s) => ({ ms: Number(s.dataset.ms), done: Number(s.dataset.done) }));
    assert.equal(atEnd.done, 3, 'no autoplay: the last frame, every dish done');
    assert.equal(await page.textContent('.results .tl-play'), 'Replay');
    await page.$eval('.results .tl-scrubber', (i) => { i.value = '100'; i.dispatchEvent(new Event('input', { bubbles: true })); });
    assert.equal(await page.$eval('.results .scene', (s) => Number(s.dataset.ms)), 100);
    const motion = await page.$eval('.results .scene', (s) => ({
      steam: [...s.querySelectorAll('.steam path')].map((p) => getComputedStyle(p).animationName),
      walk: [...s.querySelectorAll('.chef')].map((c) => getComputedStyle(c).transitionDuration),
    }));
    assert.ok(motion.steam.length > 0, 'pans are on the stoves');
    assert.ok(motion.steam.every((a) => a === 'none'), `steam still: ${motion.steam}`);
    assert.ok(motion.walk.every((d) => d === '0s'), `chefs do not walk: ${motion.walk}`);
    await page.locator('.results .scene').screenshot({ path: `${SHOTS}scene-reduced-motion.png` });
    assert.deepEqual(other.errors, []);
  } finally {
    await other.close();
    await browser.close();
  }
});
