import { launch, openApp } from './browser.mjs';
const browser = await launch();
const app = await openApp(browser);
const { page } = app;
const exp = { version: 1, model: 'parallel', chefs: 2, tasks: ['a','b','c'].map((id) => ({ id, phases: [{ cook: { ms: 300 } }] })) };
for (let i = 0; i < 2; i++) {
  const r = await page.evaluate((e) => window.kitchen.run(e), exp);
  const s = await page.evaluate((e) => window.kitchen.run({ ...e, model: 'sequential', chefs: 1 }), exp);
  console.log('api parallel', r.wall_ms.toFixed(0), 'sequential', s.wall_ms.toFixed(0));
}
await page.click('#view-compare');
await page.click('#compare');
await page.waitForSelector('.compare[aria-busy="false"]', { timeout: 60_000 });
console.log(JSON.stringify(await page.$$eval('.wall-bar', (gs) => gs.map((g) => [g.dataset.model, Math.round(g.dataset.wallMs)]))));
// Busy main thread? Measure how much of 2 s the main thread spends in tasks while idle on the compare view.
const busy = await page.evaluate(async () => {
  let busy = 0; const t0 = performance.now();
  const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) busy += e.duration; });
  obs.observe({ type: 'longtask', buffered: false });
  let frames = 0; await new Promise((res) => { const f = () => { frames++; if (performance.now() - t0 < 2000) requestAnimationFrame(f); else res(); }; requestAnimationFrame(f); });
  return { busy, frames };
});
console.log('compare view idle', JSON.stringify(busy));
await page.click('#compare');
await page.waitForSelector('.compare[aria-busy="false"]', { timeout: 60_000 });
console.log(JSON.stringify(await page.$$eval('.wall-bar', (gs) => gs.map((g) => [g.dataset.model, Math.round(g.dataset.wallMs)]))));
await app.close(); await browser.close();
