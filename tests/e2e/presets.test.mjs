// Every preset runs for real under a model that suits it, with every dish done and its work verified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, SHOTS } from './browser.mjs';

const app = withApp();

// Sequential Restaurant rush would take 1000 × 200 ms: the juggling models are its point.
const MODEL = {
  'three-dishes': 'parallel', 'restaurant-rush': 'concurrent', 'video-frames': 'parallel', 'web-server': 'concurrent-parallel',
  terraform: 'parallel', 'tiny-tasks': 'parallel', amdahl: 'parallel',
};

test('every preset is listed and runs to the end', async () => {
  const presets = await app.page.evaluate(() => window.kitchen.presets());
  assert.deepEqual(presets.map((p) => p.id).sort(), Object.keys(MODEL).sort());
  for (const p of presets) {
    const experiment = { ...p.experiment, model: MODEL[p.id], chefs: 2 };
    const r = await app.page.evaluate((e) => window.kitchen.run(e), experiment);
    assert.equal(r.tasks.length, experiment.tasks.length, p.id);
    assert.equal(r.stopped, false, p.id);
    assert.ok(r.checksums_ok, p.id);
    if (p.id === 'restaurant-rush') {
      assert.ok(r.wall_ms < 2 * 1000, `1000 overlapped 200 ms waits took ${r.wall_ms} ms`);
    }
  }
  assert.deepEqual(app.errors, []);
});

test('the preset menu loads a preset into the composer', async () => {
  await app.page.selectOption('#preset', 'terraform');
  await app.page.waitForFunction(() => document.querySelector('#dish-count')?.textContent.startsWith('10 '));
  assert.match(await app.page.textContent('.composer'), /chain/);
  await app.page.selectOption('#preset', 'three-dishes');
});

// Restaurant rush without juggling waits out 1000 × 200 ms one (or two) at a time: its
// sequential and parallel walls come from the simulator instead (a trace labelled simulated).
const SIMULATED = new Set(['restaurant-rush/sequential', 'restaurant-rush/parallel']);
const PARTS = ['ideal', 'rounds', 'dependencies', 'serial_part', 'simmering', 'stoves', 'overhead'];

test('every preset under every model: the results break the wall down, and the parts add up to it', async () => {
  const { page } = app;
  const presets = await page.evaluate(() => window.kitchen.presets());
  for (const p of presets) {
    await page.selectOption('#preset', p.id);
    await page.waitForFunction((n) => document.querySelector('#dish-count')?.textContent.startsWith(`${n} `), p.experiment.tasks.length);
    const lines = [];
    for (const model of ['sequential', 'concurrent', 'parallel', 'concurrent-parallel']) {
      const experiment = { ...p.experiment, model, chefs: 2 };
      const simulated = SIMULATED.has(`${p.id}/${model}`);
      const trace = await page.evaluate(([e, sim]) => (sim ? window.kitchen.simulate(e) : window.kitchen.run(e)), [experiment, simulated]);
      await page.evaluate((t) => window.kitchen.show(t), trace);
      const wall = trace.wall_ms.toFixed(3);
      await page.waitForSelector(`.breakdown[data-wall-ms="${wall}"]`);
      const parts = await page.$$eval('.breakdown tr.part', (trs) => trs.map((tr) => [tr.dataset.part, Number(tr.dataset.ms), tr.dataset.basis]));
      const what = `${p.id} ${model}`;
      assert.deepEqual(parts.map(([part]) => part), PARTS, what);
      const sum = parts.reduce((s, [, ms]) => s + ms, 0);
      assert.ok(Math.abs(sum - trace.wall_ms) < 0.01, `${what}: parts add to ${sum}, wall ${trace.wall_ms}`);
      assert.ok(parts.slice(0, 6).every(([, ms, basis]) => ms >= 0 && basis === 'computed'), `${what}: ${JSON.stringify(parts)}`);
      assert.equal(parts[6][2], simulated ? 'computed' : 'measured − computed', what);
      // The same numbers from the JS API, which reads the same engine function.
      const api = await page.evaluate(([e, t]) => window.kitchen.breakdown(e, t), [experiment, trace]);
      assert.deepEqual(api.parts.map((x) => x.ms.toFixed(3)), parts.map(([, ms]) => ms.toFixed(3)), what);
      lines.push(`${model} ${trace.wall_ms.toFixed(0)} ms = ${parts.filter(([k, ms]) => k === 'ideal' || Math.abs(ms) >= 0.5).map(([k, ms]) => `${ms.toFixed(0)} ${k}`).join(' + ')}${simulated ? ' (simulated)' : ''}`);
    }
    console.log(`${p.id}: ${lines.join('; ')}`);
  }
  await page.selectOption('#preset', 'three-dishes');
  await page.screenshot({ path: `${SHOTS}breakdown.png`, fullPage: false });
  assert.deepEqual(app.errors, []);
});

test('a breakdown of other dishes is refused with a reason', async () => {
  const { page } = app;
  const err = await page.evaluate(async () => {
    const [three, rush] = window.kitchen.presets();
    const trace = await window.kitchen.run({ ...three.experiment, model: 'parallel', chefs: 2 });
    try { window.kitchen.breakdown(rush.experiment, trace); return null; } catch (e) { return e.message; }
  });
  assert.match(err, /^no breakdown of this run: the trace's dishes are not the dishes given/);
});
