// End-to-end: the kitchen timeline in the real app — chef lanes, one shape per span, replay,
// zoom, keyboard, `kitchen.show` with a 10,000-span trace — with screenshots at 1280 and 480 px.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { withApp, SHOTS } from './browser.mjs';

const app = withApp();

const TL = '.results .tl';
const DISHES = ['soup', 'roast', 'dessert'];
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 480, height: 800 };

/** Runs the composed dishes ("Three dishes") from the UI and waits for the result. */
async function runFromUi(model, chefs) {
  const { page } = app;
  await page.check(`input[name=model][value="${model}"]`);
  if (chefs) await page.fill('#chefs', String(chefs));
  await page.click('#run');
  await page.waitForSelector('#result-table', { timeout: 60_000 });
  await page.waitForSelector('#run:not([disabled])');
  await page.waitForSelector(`${TL} .tl-span`);
}

/** The trace the timeline shows, through its Save button (a download of the JSON). */
async function savedTrace() {
  const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click(`${TL} .tl-save`)]);
  return JSON.parse(await readFile(await download.path(), 'utf8'));
}

/** Moves the replay scrubber to `ms` as a person dragging it would (an input event). */
const scrub = (ms) => app.page.$eval(`${TL} .tl-scrubber`, (input, ms) => {
  input.value = String(ms);
  input.dispatchEvent(new Event('input', { bubbles: true }));
}, ms);
// Where the cursor line is drawn, in px from the viewport's left.
const cursorX = () => app.page.$eval(`${TL} .tl-cursor`, (l) => l.getBoundingClientRect().left);
// How much of the chart the mask over the future covers, in px.
const dimmedPx = () => app.page.$eval(TL, (tl) => {
  const chart = tl.querySelector('.tl-canvas').getBoundingClientRect();
  const mask = tl.querySelector('.tl-future').getBoundingClientRect();
  return Math.max(0, chart.right - Math.max(mask.left, chart.left));
});
const endMs = () => app.page.$eval(`${TL} .tl-scrubber`, (i) => Number(i.max));
const count = (selector) => app.page.$$eval(selector, (els) => els.length);

async function shoot(name, selector = '.results') {
  const { page } = app;
  for (const [size, viewport] of [['1280', WIDE], ['480', NARROW]]) {
    await page.setViewportSize(viewport);
    await page.waitForTimeout(300); // the chart re-measures its width after a resize (debounced)
    await page.locator(selector).screenshot({ path: `${SHOTS}timeline-${name}-${size}.png` });
  }
  await page.setViewportSize(WIDE);
  await page.waitForTimeout(300);
}

test('parallel run from the UI: two chef lanes, one shape per span, every dish shown', async () => {
  const { page } = app;
  await runFromUi('parallel', 2);
  const trace = await savedTrace();
  assert.equal(trace.model, 'parallel');
  assert.equal(await count(`${TL} .tl-lane`), 2, 'one lane per chef');
  assert.equal(await count(`${TL} .tl-lane.main-thread`), 0, 'parallel chefs are workers');
  const lanes = await page.$$eval(`${TL} .tl-lane`, (ls) => ls.map((l) => l.textContent));
  assert.deepEqual(lanes, trace.lanes.map((l, i) => `chef ${i + 1} · ${l.thread}`));
  assert.equal(await count(`${TL} .tl-span`), trace.spans.length, 'one shape per span');
  for (const kind of ['cook', 'simmer', 'wait', 'ready']) {
    const spans = trace.spans.filter((s) => s.kind === kind).length;
    assert.equal(await count(`${TL} .tl-span.${kind}`), spans, `${kind} shapes`);
  }
  const table = await page.$$eval('#result-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  assert.deepEqual(table, DISHES);
  const legend = await page.$$eval(`${TL} .tl-dishes li`, (lis) => lis.map((li) => li.textContent));
  const labels = await page.$$eval(`${TL} .tl-span-label`, (ts) => ts.map((t) => t.textContent));
  for (const dish of table) {
    assert.ok(legend.includes(dish), `${dish} in the legend`);
    assert.ok(labels.includes(dish), `${dish} labelled on its bar`);
  }
  const label = await page.getAttribute(`${TL} .tl-svg`, 'aria-labelledby');
  const title = await page.textContent(`[id="${label.split(' ')[0]}"]`);
  assert.match(title, /^Measured timeline: 3 dishes on 2 chefs, wall \d+ ms$/);
  assert.match(await page.textContent(`${TL} .tl-ideal-bar`), /ideal \d+ ms \(computed\)/);
  await scrub(await endMs());
  await shoot('parallel');
});

test('the scrubber moves the cursor forwards and backwards, dimming the future', async () => {
  await scrub(0);
  const atStart = await cursorX();
  await scrub(300);
  const later = await cursorX();
  assert.ok(later > atStart, `cursor moved right: ${atStart} → ${later}`);
  assert.ok(await dimmedPx() > 0, 'the future is dimmed');
  assert.ok(Math.abs((await dimmedPx()) - (await app.page.$eval(`${TL} .tl-canvas`, (c) => c.getBoundingClientRect().right)) + later) < 2,
    'from the cursor on');
  await scrub(100);
  const back = await cursorX();
  assert.ok(back < later && back > atStart, `cursor moved back: ${later} → ${back}`);
  await app.page.screenshot({ path: `${SHOTS}timeline-scrubbed-1280.png` });
  // Play runs the replay on animation frames; Pause holds it.
  await app.page.click(`${TL} .tl-play`);
  await app.page.waitForFunction((x) => document.querySelector('.results .tl .tl-cursor').getBoundingClientRect().left > x, back);
  await scrub(await endMs());
  assert.equal(await dimmedPx(), 0, 'at the end nothing is dimmed');
});

test('hover and the keyboard read out a span: dish, kind, chef, start, duration', async () => {
  const { page } = app;
  await page.hover(`${TL} .tl-span.cook >> nth=0`);
  const detail = /^(soup|roast|dessert) · cook \(computing\) · chef [12] \(worker \d+\) · start \d+\.\d ms · duration \d+\.\d ms$/;
  assert.match(await page.textContent(`${TL} .tl-detail`), detail);
  await page.mouse.move(0, 0);
  await page.focus(`${TL} .tl-scroll`);
  await page.keyboard.press('ArrowRight');
  const first = await page.textContent(`${TL} .tl-detail`);
  assert.match(first, / · chef 1 \(/);
  assert.equal(await count(`${TL} .tl-focus`), 1, 'a ring marks the focused span');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.textContent(`${TL} .tl-detail`), / · chef 2 \(/);
  await page.locator('.results .tl').screenshot({ path: `${SHOTS}timeline-keyboard-1280.png` });
  assert.equal(await count(`${TL} [tabindex]`), 1, 'the chart is one tab stop, not one per span');
  await page.keyboard.press('Escape');
});

test('zoom: + widens the chart and the axis ticks follow; Fit restores it', async () => {
  const { page } = app;
  const width = () => page.$eval(`${TL} .tl-svg`, (s) => Number(s.getAttribute('width')));
  const ticks = () => page.$$eval(`${TL} .tl-tick text`, (ts) => ts.map((t) => t.textContent));
  const [w1, t1] = [await width(), await ticks()];
  await page.click(`${TL} .tl-zoom-in`);
  await page.click(`${TL} .tl-zoom-in`);
  const [w4, t4] = [await width(), await ticks()];
  assert.ok(Math.abs(w4 / w1 - 4) < 0.01, `4× wider: ${w1} → ${w4}`);
  assert.ok(t4.length > t1.length, `finer ticks: ${t1} → ${t4}`);
  assert.ok(t4.every((t) => / ms$/.test(t)));
  await page.locator('.results').screenshot({ path: `${SHOTS}timeline-zoomed-1280.png` });
  await page.click(`${TL} .tl-zoom-fit`);
  assert.equal(await width(), w1);
});

test('concurrent run: one lane, marked as the main thread', async () => {
  await runFromUi('concurrent');
  assert.equal(await count(`${TL} .tl-lane`), 1);
  assert.equal(await count(`${TL} .tl-lane.main-thread`), 1);
  assert.match(await app.page.textContent(`${TL} .tl-lane.main-thread`), /chef 1 · main thread/);
  const trace = await savedTrace();
  assert.equal(await count(`${TL} .tl-span`), trace.spans.length);
  await scrub(await endMs());
  await shoot('concurrent');
});

test('reduced motion: the replay does not start on its own, the scrubber still works', async () => {
  await app.page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    await runFromUi('sequential');
    assert.equal(await app.page.textContent(`${TL} .tl-play`), 'Replay', 'shown whole, not playing');
    assert.equal(await dimmedPx(), 0);
    const end = await cursorX();
    await scrub(50);
    assert.ok(await cursorX() < end);
  } finally {
    await app.page.emulateMedia({ reducedMotion: null });
  }
});

test('a graph with dependencies: one arrow per dependency, simmers hatched', async () => {
  const { page } = app;
  await page.selectOption('#preset', 'terraform');
  try {
    await runFromUi('concurrent-parallel', 2);
    const trace = await savedTrace();
    // provider → 5 resources, network → subnet → cluster, dns-zone → certificate, 4 into app.
    assert.equal(await count(`${TL} .tl-arrow`), 12);
    assert.equal(await count(`${TL} .tl-note`), 0, 'nothing left out');
    const simmers = trace.spans.filter((s) => s.kind === 'simmer').length;
    assert.equal(simmers, 9);
    const hatched = await page.$$eval(`${TL} .tl-span.simmer`, (rs) => rs.filter((r) => /^url\(#/.test(r.getAttribute('fill'))).length);
    assert.equal(hatched, simmers);
    assert.equal(await count(`${TL} .tl-span`), trace.spans.length);
    await scrub(await endMs());
    await shoot('terraform');
  } finally {
    await page.selectOption('#preset', 'three-dishes');
  }
});

/** A trace in the documented format with `n` spans: 8 worker chefs, each dish waits a moment,
 * cooks, simmers and cooks again. */
function syntheticTrace(n = 10_000, chefs = 8) {
  const lanes = Array.from({ length: chefs }, (_, k) => ({ lane: k + 1, thread: `worker ${k}` }));
  const free = new Array(chefs).fill(0);
  const tasks = [], spans = [];
  for (let d = 0; d < n / 4; d++) {
    const lane = (d % chefs) + 1, task = `dish ${d}`, t = free[lane - 1] + 0.2;
    spans.push({ task, lane, kind: 'wait', start_ms: t - 0.2, end_ms: t },
      { task, lane, kind: 'cook', start_ms: t, end_ms: t + 1 },
      { task, lane, kind: 'simmer', start_ms: t + 1, end_ms: t + 3 },
      { task, lane, kind: 'cook', start_ms: t + 3, end_ms: t + 4 });
    tasks.push({ id: task, lane, eligible_ms: t - 0.2, start_ms: t, end_ms: t + 4, polls: 1 });
    free[lane - 1] = t + 4;
  }
  return { version: 1, source: 'simulated', model: 'parallel', chefs, wall_ms: Math.max(...free), stopped: false,
    tasks, spans, lanes, cooked_units: 0, checksums_ok: true, calibration: [] };
}

test('kitchen.show renders a synthetic 10,000-span trace; replay frames touch no span', async () => {
  const trace = syntheticTrace();
  assert.equal(trace.spans.length, 10_000);
  const render = await app.page.evaluate(async (trace) => {
    const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
    const t0 = performance.now();
    window.kitchen.show(trace);
    while (document.querySelectorAll('.results .tl .tl-span').length < trace.spans.length) await frame();
    const inDom = performance.now() - t0;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    return { inDom, painted: performance.now() - t0 };
  }, trace);
  assert.equal(await count(`${TL} .tl-span`), 10_000);
  assert.equal(await count(`${TL} .tl-lane`), 8);
  assert.match(await app.page.textContent(`${TL} .tl-note`), /2500 dishes/);
  console.log(`10,000 spans: show() → all shapes in the DOM ${render.inDom.toFixed(0)} ms, → painted ${render.painted.toFixed(0)} ms`);

  const replay = await app.page.evaluate(async () => {
    const q = (s) => document.querySelector(`.results .tl ${s}`);
    const input = q('.tl-scrubber');
    const seek = (ms) => { input.value = String(ms); input.dispatchEvent(new Event('input', { bubbles: true })); };
    const nextPaint = () => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
    const spanMutations = [];
    const observer = new MutationObserver((m) => spanMutations.push(...m));
    observer.observe(q('.tl-spans'), { subtree: true, childList: true, attributes: true, characterData: true });
    // Scrubbing: the time from the input event to the cursor's new attribute, and to the next frame.
    const scrubs = [];
    for (let i = 20; i >= 0; i--) {
      const t0 = performance.now();
      seek(Number(input.max) * i / 20);
      await Promise.resolve();
      while (Math.abs(Number(q('.tl-cursor').dataset.ms) - Number(input.max) * i / 20) > 0.01) await new Promise((r) => setTimeout(r, 0));
      const updated = performance.now() - t0;
      await nextPaint();
      scrubs.push({ updated, painted: performance.now() - t0 });
    }
    // Playing: intervals between animation frames over ~600 ms.
    seek(0);
    await nextPaint();
    q('.tl-play').click();
    const intervals = [], cursors = new Set();
    let last = performance.now();
    const started = last;
    while (performance.now() - started < 600) {
      await new Promise((r) => requestAnimationFrame(() => r()));
      const now = performance.now();
      intervals.push(now - last);
      last = now;
      cursors.add(q('.tl-cursor').style.transform);
    }
    q('.tl-play').click();
    observer.disconnect();
    return { scrubs, intervals, cursorPositions: cursors.size, spanMutations: spanMutations.length };
  });
  const stats = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(1)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
  };
  console.log(`10,000 spans, scrubbing (${replay.scrubs.length}): input → cursor updated ${stats(replay.scrubs.map((s) => s.updated))}; `
    + `→ next frame painted ${stats(replay.scrubs.map((s) => s.painted))}`);
  console.log(`10,000 spans, playing: ${replay.intervals.length} frames in ~600 ms, interval ${stats(replay.intervals)}`);
  assert.ok(replay.cursorPositions > 5, `the cursor moved while playing (${replay.cursorPositions} positions)`);
  assert.equal(replay.spanMutations, 0, 'replay and scrubbing change no span shape');
  await scrub(await endMs());
  await shoot('10k', TL); // not the results table's 2,500 rows
});

test('kitchen.show rejects what is not a trace with an Error naming the problem', async () => {
  const good = syntheticTrace(8, 2);
  const cases = [
    ['garbage', /^Error: show\(\) takes a trace object/],
    [{ version: 1 }, /^Error: not a trace: missing field `source`/],
    [{ ...good, spans: [{ ...good.spans[0], kind: 'boil' }] }, /^Error: not a trace at `spans\[0\]\.kind`: unknown variant `boil`/],
    [{ ...good, spans: [{ ...good.spans[0], start_ms: 5, end_ms: 2 }] }, /^Error: not a trace: `spans\[0\]` must have 0 ≤ start_ms ≤ end_ms, got 5 to 2/],
    [{ ...good, version: 2 }, /^Error: not a trace: unknown version 2/],
  ];
  for (const [value, pattern] of cases) {
    const message = await app.page.evaluate((v) => {
      try {
        window.kitchen.show(v);
        return 'no error';
      } catch (e) {
        return `${e.name}: ${e.message}`;
      }
    }, value);
    assert.match(message, pattern);
  }
  assert.equal(await count(`${TL} .tl-span`), 10_000, 'what was shown stays');
});

test('no uncaught errors on the page', () => {
  assert.deepEqual(app.errors, []);
});
