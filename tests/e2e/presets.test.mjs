// Every preset runs for real under a model that suits it, with every dish done and its work verified.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp } from './browser.mjs';

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
