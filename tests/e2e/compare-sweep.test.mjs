// Run all models and Sweep from the UI: one measured bar per model with the computed ideal
// beside it, one timeline per model; one sweep point per width with Amdahl's fit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, SHOTS } from './browser.mjs';

const app = withApp();

test('Run all models: a measured wall per model, ideal outlines, a timeline each', async () => {
  const { page } = app;
  await page.check('input[name=model][value="parallel"]');
  await page.fill('#chefs', '2');
  await page.click('#view-compare'); // the Compare view is one click away; its button starts the batch
  await page.click('#compare');
  await page.waitForSelector('.compare[aria-busy="false"]', { timeout: 60_000 });
  const bars = await page.$$eval('.wall-bar', (gs) => gs.map((g) => ({ model: g.dataset.model, wall: Number(g.dataset.wallMs) })));
  assert.deepEqual(bars.map((b) => b.model), ['sequential', 'concurrent', 'parallel', 'concurrent-parallel']);
  assert.ok(bars.every((b) => b.wall > 0));
  // One chef cooks 900 ms of dishes; two chefs must do better than one on the same work.
  const wall = Object.fromEntries(bars.map((b) => [b.model, b.wall]));
  console.log(`Run all models (Three dishes, 2 chefs, measured wall ms): ${JSON.stringify(wall)}`);
  assert.ok(wall.parallel < wall.sequential, JSON.stringify(wall));
  assert.equal(await page.locator('.wall-bar rect.ideal').count(), 4, 'an ideal outline per model');
  assert.match(await page.textContent('.wall-bars'), /computed/);
  assert.equal(await page.locator('.compare-timeline').count(), 4);
  await page.screenshot({ path: `${SHOTS}compare.png`, fullPage: true });
  assert.deepEqual(app.errors, []);
});

test('Sweep: one measured point per width, Karp–Flatt per point, Amdahl fit', async () => {
  const { page } = app;
  const widths = Math.min(app.env.threads, 2 * app.env.hardwareConcurrency);
  await page.click('#view-sweep');
  await page.click('#sweep');
  await page.waitForSelector('.sweep[aria-busy="false"]', { timeout: 120_000 });
  const rows = await page.$$eval('#sweep-table tbody tr', (trs) => trs.map((tr) => [...tr.children].map((td) => td.textContent)));
  console.log(`Sweep (Three dishes, measured): ${rows.map((r) => `${r[0]} chefs ${r[1]} ms ${r[2]} KF ${r[4]}`).join('; ')}; ${await page.textContent('#amdahl-fit')}`);
  assert.equal(rows.length, widths, `${widths} widths`);
  assert.deepEqual(rows.map((r) => Number(r[0])), Array.from({ length: widths }, (_, i) => i + 1));
  assert.equal(rows[0][4], '–', 'no Karp–Flatt for one chef');
  assert.equal(await page.locator('.speedup-plot circle.point').count(), widths);
  assert.match(await page.textContent('#amdahl-fit'), /serial fraction \d\.\d{3}/);
  await page.screenshot({ path: `${SHOTS}sweep.png`, fullPage: true });
  await page.setViewportSize({ width: 480, height: 800 });
  await page.screenshot({ path: `${SHOTS}sweep-narrow.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(app.errors, []);
});
