// End-to-end: embedding. docs/embed-example.html is served on 127.0.0.1 and the app (dist/,
// with the shipped `_headers`) on localhost — two sites, as a docs page and the kitchen's host
// would be. Checked: both embeds become ready, a run driven by the parent's buttons returns a
// trace that respects the experiment's dependencies, progress and resize messages arrive (the
// parent sizes the iframes), a bad experiment or message comes back as an `error`, messages
// from anyone but the parent are ignored, Stop; then the embed options on their own (views,
// models, readonly, theme, warnings, autorun and reduced motion, Open in the playground).
// Screenshots of the driven embed at 480 and 800 px wide.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, SHOTS } from './browser.mjs';
import { serve } from './server.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const DOCS = new URL('../../docs/', import.meta.url).pathname;

let browser, app, docs, page;
const errors = [];

/** Records every `{ kitchen }` message the parent page receives, with the iframe it came from. */
const RECORD = () => {
  window.kitchenMessages = [];
  window.addEventListener('message', (e) => {
    const frames = [...document.querySelectorAll('iframe')];
    if (e.data && e.data.kitchen) window.kitchenMessages.push({ frame: frames.findIndex((f) => f.contentWindow === e.source) + 1, origin: e.origin, ...e.data.kitchen });
  });
};

before(async () => {
  browser = await launch();
  app = await serve(DIST, { mode: '_headers', host: 'localhost' });
  docs = await serve(DOCS, { mode: 'none' });
  page = await browser.newPage({ viewport: { width: 832, height: 1000 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.addInitScript(RECORD);
  await page.goto(`${docs.url}embed-example.html?kitchen=${encodeURIComponent(app.url)}`);
});
after(async () => {
  await page?.close();
  await app?.close();
  await docs?.close();
  await browser?.close();
});

const messages = (filter = {}) => page.evaluate((f) => window.kitchenMessages.filter((m) => Object.entries(f).every(([k, v]) => m[k] === v)), filter);
const count = async (filter) => (await messages(filter)).length;
/** Waits for the `n`-th message matching `filter` (1-based) and returns it. */
async function nth(filter, n = 1, timeout = 60_000) {
  await page.waitForFunction(([f, n]) => window.kitchenMessages.filter((m) => Object.entries(f).every(([k, v]) => m[k] === v)).length >= n, [filter, n], { timeout });
  return (await messages(filter))[n - 1];
}
/** Sends `{ kitchen: message }` to kitchen 2 as the parent page. */
const send = (message) => page.evaluate((m) => document.getElementById('kitchen-2').contentWindow.postMessage({ kitchen: m }, '*'), message);
const kitchen2 = () => page.frameLocator('#kitchen-2');

test('both embeds, on another site than the page, become ready and say where their chefs run', async () => {
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight)); // both lazy iframes in view
  const appOrigin = new URL(app.url).origin;
  for (const frame of [1, 2]) {
    const ready = await nth({ frame, type: 'ready' });
    assert.equal(ready.origin, appOrigin);
    assert.equal(ready.version, 1);
    assert.ok(['shared-memory', 'message-passing', 'none'].includes(ready.backend), ready.backend);
    assert.equal(typeof ready.threads, 'number');
    console.log(`kitchen ${frame}: ${ready.backend}, ${ready.threads} threads`);
    assert.match(await page.textContent(`#status-${frame}`), new RegExp(`Kitchen ${frame}: ready — ${ready.threads} worker threads`));
  }
  assert.notEqual(new URL(app.url).hostname, new URL(docs.url).hostname, 'two sites');
});

test('resize messages arrive and the parent sizes each iframe to its content', async () => {
  for (const frame of [1, 2]) {
    const first = await nth({ frame, type: 'resize' });
    assert.ok(first.height > 150 && first.height < 3000, `${first.height}`);
  }
  // The kitchen grows when a run shows its timeline: a new, larger height is posted.
  const before = (await messages({ frame: 2, type: 'resize' })).at(-1).height;
  await page.click('#run-parallel');
  await nth({ frame: 2, type: 'result' });
  await page.waitForFunction((h) => window.kitchenMessages.filter((m) => m.frame === 2 && m.type === 'resize').at(-1).height > h, before);
  const last = (await messages({ frame: 2, type: 'resize' })).at(-1).height;
  await page.waitForFunction((h) => Math.abs(document.getElementById('kitchen-2').getBoundingClientRect().height - (h + 2)) < 1, last);
  // The iframe shows all of it: nothing to scroll inside.
  const inner = await kitchen2().locator('html').evaluate((html) => html.scrollHeight - html.clientHeight);
  assert.ok(inner <= 1, `the embed still scrolls by ${inner} px`);
});

test('a run driven by the parent page returns a trace that respects the dependencies', async () => {
  const results = await count({ frame: 2, type: 'result' });
  await page.click('#run-sequential');
  const { trace } = await nth({ frame: 2, type: 'result' }, results + 1);
  assert.equal(trace.model, 'sequential');
  const { trace: parallel } = (await messages({ frame: 2, type: 'result' }))[0];
  for (const t of [trace, parallel]) {
    const byId = Object.fromEntries(t.tasks.map((d) => [d.id, d]));
    assert.deepEqual(Object.keys(byId).sort(), ['bread', 'soup', 'stock']);
    assert.ok(byId.soup.start_ms >= byId.stock.end_ms, `${t.model}: soup starts after the stock ends`);
    assert.ok(t.checksums_ok && !t.stopped);
  }
  assert.equal(parallel.model, 'parallel');
  assert.equal(parallel.chefs, 2);
  assert.match(await page.textContent('#result-2'), /^sequential, 1 chef\(s\): [\d.]+ ms — /);
  // The embed shows what it measured, and the dishes it was sent.
  await kitchen2().locator('#wall').waitFor();
  assert.equal(await kitchen2().locator('.dish-chip').count(), 3);
  assert.match(await kitchen2().locator('.dish-chip[data-id=soup]').textContent(), /after stock/);
});

test('progress messages arrive during a longer run, and stop ends it with a stopped trace', async () => {
  const tasks = Array.from({ length: 6 }, (_, i) => ({ id: `d${i}`, phases: [{ cook: { ms: 150 } }] }));
  const results = await count({ frame: 2, type: 'result' });
  const progress = await count({ frame: 2, type: 'progress' });
  await send({ type: 'run', experiment: { version: 1, model: 'sequential', tasks } });
  const p = await nth({ frame: 2, type: 'progress' }, progress + 1);
  assert.equal(p.total, 6);
  assert.ok(p.done >= 0 && p.done <= 6);
  await page.click('#stop');
  const { trace } = await nth({ frame: 2, type: 'result' }, results + 1);
  assert.ok(trace.stopped, 'stopped');
  assert.ok(trace.tasks.length < 6, `${trace.tasks.length} dishes done`);
});

test('a bad experiment, an unknown type or a malformed message comes back as an error; the kitchen is unchanged', async () => {
  const before = await kitchen2().locator('.dish-chip').allTextContents();
  let errorsSoFar = await count({ frame: 2, type: 'error' });
  const expectError = async (pattern) => {
    const e = await nth({ frame: 2, type: 'error' }, ++errorsSoFar);
    assert.match(e.message, pattern);
    return e.message;
  };
  await page.click('#send-broken');
  await expectError(/dependency cycle: (egg → chicken → egg|chicken → egg → chicken)/);
  assert.match(await page.textContent('#result-2'), /^The kitchen says: .*dependency cycle/);
  await send({ type: 'explode' });
  await expectError(/unknown type `explode`, expected one of `load`, `run`, `stop`/);
  await send({ type: 'load', experiment: { version: 1, model: 'parallel', tasks: [{ id: 'a', phases: [{ boil: {} }] }] } });
  await expectError(/at `experiment\.tasks\[0\]\.phases\[0\]`.*boil/);
  await send({ type: 'run', now: true });
  await expectError(/unknown field `now`/);
  await send('run');
  // A string has no `kitchen` key: not for the kitchen, ignored.
  assert.deepEqual(await kitchen2().locator('.dish-chip').allTextContents(), before);
});

test('messages from anyone but the parent page are ignored', async () => {
  const seen = (await messages({ frame: 2 })).filter((m) => m.type !== 'resize').length;
  const frame = page.frames().find((f) => f.url().startsWith(app.url) && f.url().includes('embed') && f.name() === '' && f !== page.mainFrame() && f.parentFrame() === page.mainFrame() && f.url().endsWith('?embed'));
  assert.ok(frame, 'kitchen 2 frame');
  // The embed posting to itself: its own window is not its parent.
  await frame.evaluate(() => window.postMessage({ kitchen: { type: 'run' } }, '*'));
  await frame.evaluate(() => window.postMessage({ kitchen: { type: 'explode' } }, '*'));
  await page.waitForTimeout(500);
  assert.equal((await messages({ frame: 2 })).filter((m) => m.type !== 'resize').length, seen, 'no reply, no run');
  assert.equal(await kitchen2().locator('#run').isEnabled(), true, 'not running');
});

test('screenshots of the driven embed at 800 and 480 px', async () => {
  await page.click('#run-parallel');
  await page.waitForFunction(() => /parallel, 2 chef/.test(document.getElementById('result-2').textContent));
  for (const [width, name] of [[832, 'embed-800'], [512, 'embed-480']]) {
    // Tall enough that the whole iframe is painted for its screenshot.
    await page.setViewportSize({ width, height: 2400 });
    const box = await page.locator('#kitchen-2').boundingBox();
    assert.ok(Math.abs(box.width - (width - 32)) <= 1, `iframe ${box.width} px wide`);
    await page.locator('#kitchen-2').scrollIntoViewIfNeeded();
    // Let the embed re-lay out and post its new height.
    await page.waitForTimeout(400);
    await page.locator('#kitchen-2').screenshot({ path: `${SHOTS}${name}.png` });
    const overflow = await kitchen2().locator('html').evaluate((html) => html.scrollWidth - html.clientWidth);
    assert.ok(overflow <= 1, `${name}: ${overflow} px of horizontal scroll`);
  }
  await page.screenshot({ path: `${SHOTS}embed-example-page.png`, fullPage: true });
  assert.deepEqual(errors, []);
});

/** The app opened directly at `query` (top level: no parent, so no messages). */
async function openEmbed(query, { reducedMotion = 'no-preference', width = 640 } = {}) {
  const p = await browser.newPage({ viewport: { width, height: 900 }, reducedMotion });
  const pageErrors = [];
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(app.url + query);
  await p.waitForSelector('main.embed');
  await p.waitForFunction(() => !document.querySelector('#embed-starting'), null, { timeout: 60_000 });
  return { p, pageErrors };
}

test('embed options: views as tabs, allowed models, readonly, theme, warnings for bad options', async () => {
  const { p, pageErrors } = await openEmbed('?embed&views=compare,timeline&models=sequential,concurrent&readonly&theme=dark&colour=red');
  assert.deepEqual(await p.locator('[role=tab]').allTextContents(), ['All models', 'Timeline']);
  assert.equal(await p.getAttribute('#tab-compare', 'aria-selected'), 'true');
  assert.deepEqual(await p.locator('#model option').evaluateAll((os) => os.map((o) => o.value)), ['sequential', 'concurrent']);
  assert.equal(await p.inputValue('#model'), 'sequential', 'the default parallel model is not allowed here');
  assert.ok(await p.isDisabled('#model'), 'readonly');
  assert.equal(await p.$('.embed-edit'), null, 'no composer when readonly');
  assert.equal(await p.getAttribute('html', 'data-theme'), 'dark');
  const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(23, 24, 26)', 'dark background');
  assert.match(await p.textContent('#embed-warnings'), /`colour` ignored: unknown option/);
  // The compare tab runs the models this embed offers, and its button says which.
  assert.equal((await p.textContent('#compare')).trim(), 'Run sequential and concurrent');
  await p.click('#compare');
  await p.waitForSelector('.compare-timeline[data-model="concurrent"]', { timeout: 60_000 });
  await p.waitForFunction(() => !document.querySelector('#run').disabled);
  assert.deepEqual(await p.locator('.compare-timeline').evaluateAll((ds) => ds.map((d) => d.dataset.model)), ['sequential', 'concurrent']);
  await p.click('#tab-results');
  await p.waitForSelector('.results');
  await p.screenshot({ path: `${SHOTS}embed-options-dark.png` });
  assert.deepEqual(pageErrors, []);
  await p.close();
});

test('editable embed, Open in the playground carries the state, autorun and reduced motion', async () => {
  const { p, pageErrors } = await openEmbed('?embed&edit&autorun', { width: 480 });
  // autorun: a run starts by itself.
  await p.waitForSelector('#wall', { timeout: 60_000 });
  await p.click('.embed-edit > summary');
  await p.selectOption('#preset', 'terraform');
  await p.waitForFunction(() => document.querySelectorAll('.dish-chip').length === 10);
  await p.selectOption('#model', 'concurrent');
  const href = await p.getAttribute('#open-playground', 'href');
  assert.ok(href.startsWith(app.url + '#v1.') && !href.includes('embed'), href);
  assert.equal(await p.getAttribute('#open-playground', 'target'), '_blank');
  const q = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await q.goto(href);
  await q.waitForSelector('#analysis', { timeout: 60_000 });
  assert.equal(await q.inputValue('#preset'), 'terraform');
  assert.ok(await q.isChecked('input[name=model][value=concurrent]'));
  await q.close();
  assert.deepEqual(pageErrors, []);
  await p.close();

  // Under prefers-reduced-motion, autorun waits for the reader.
  const { p: still } = await openEmbed('?embed&autorun', { reducedMotion: 'reduce' });
  await still.waitForTimeout(1500);
  assert.equal(await still.$('#wall'), null, 'no run started');
  assert.match(await still.textContent('.results'), /Press Run to cook/);
  await still.close();
});

test('the Embed button gives HTML that works pasted into a page on another site', async () => {
  const p = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors = [];
  p.on('pageerror', (e) => pageErrors.push(e.message));
  await p.goto(app.url);
  await p.waitForSelector('#analysis', { timeout: 60_000 });
  await p.selectOption('#preset', 'terraform');
  await p.waitForFunction(() => document.querySelector('#dish-count')?.textContent.startsWith('10 '));
  await p.click('#embed-toggle');
  await p.check('#embed-view-compare');
  await p.uncheck('#embed-model-sequential');
  await p.check('#embed-readonly');
  await p.selectOption('#embed-theme', 'dark');
  const html = await p.inputValue('#embed-html');
  const script = await p.inputValue('#embed-script');
  const attrs = await p.evaluate((h) => {
    const f = new DOMParser().parseFromString(h, 'text/html').querySelector('iframe');
    return Object.fromEntries([...f.attributes].map((a) => [a.name, a.value]));
  }, html);
  assert.equal(attrs.title, 'Concurrency Kitchen: Terraform-like graph');
  assert.equal(attrs.loading, 'lazy');
  assert.equal(attrs.allow, 'cross-origin-isolated');
  assert.equal(attrs.height, String(640 + 44 + 120));
  const src = new URL(attrs.src);
  assert.equal(src.origin + src.pathname, app.url.replace(/\/$/, '/'));
  assert.equal(src.search, '?embed&views=results,compare&models=concurrent,parallel,concurrent-parallel&readonly&theme=dark');
  assert.match(src.hash, /^#v1\.z\./);
  assert.equal(await p.getAttribute('#embed-preview', 'href'), attrs.src);
  assert.match(await p.textContent('#embed-notes'), /mdBook.*MkDocs.*Docusaurus.*Sphinx/s);
  await p.screenshot({ path: `${SHOTS}embed-snippet.png` });
  await p.setViewportSize({ width: 480, height: 900 });
  await p.locator('#embed-panel').screenshot({ path: `${SHOTS}embed-snippet-480.png` });
  assert.deepEqual(pageErrors, []);
  await p.close();

  // Pasted into a page of another site, with the optional script.
  const q = await browser.newPage({ viewport: { width: 700, height: 900 } });
  await q.goto(`${docs.url}embed-example.html`);
  await q.setContent(`<!doctype html><title>pasted</title><h1>My docs</h1>${html}${script}`);
  const frame = q.frameLocator('iframe');
  await frame.locator('main.embed').waitFor({ timeout: 60_000 });
  assert.equal(await frame.locator('.dish-chip').count(), 10);
  assert.equal(await frame.locator('html').getAttribute('data-theme'), 'dark');
  assert.ok(await frame.locator('#model').isDisabled());
  assert.deepEqual(await frame.locator('[role=tab]').allTextContents(), ['Timeline', 'All models']);
  // The script sizes the iframe to the kitchen's content: shorter than the snippet's height.
  let height, content;
  for (let tries = 0; tries < 50; tries++) {
    height = await q.evaluate(() => document.querySelector('iframe').clientHeight);
    content = await frame.locator('html').evaluate((h) => h.getBoundingClientRect().height);
    if (height === Math.ceil(content)) break;
    await q.waitForTimeout(100);
  }
  assert.ok(height === Math.ceil(content) && height < 804, `iframe ${height} px, content ${content} px`);
  await q.close();
});
