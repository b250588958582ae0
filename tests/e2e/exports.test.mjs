// End-to-end: the timeline's exports after a real run. The SVG opens on its own and shows
// every span with its colours inline; the PNG decodes at twice the SVG's size with the dishes'
// colours in it; the CSV parses, one row per dish with the measured times; the Chrome trace is
// kitchen.chromeTrace's; "Open in Perfetto" does Perfetto's PING/PONG handshake with a local
// stand-in page served in ui.perfetto.dev's place (no network here): from a page that is not
// cross-origin isolated the stand-in receives the trace, and from the isolated playguard (COOP)
// the page says why it can't and downloads the file instead.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { launch, openApp, SHOTS } from './browser.mjs';
import { serve } from './server.mjs';

const STANDIN = await readFile(new URL('./perfetto-standin.html', import.meta.url), 'utf8');
const isPerfetto = (url) => new URL(url).hostname === 'ui.perfetto.dev';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Runs Three dishes on 2 chefs from the UI and opens the Export menu; the trace it saved. */
async function runAndOpenExports(page) {
  await page.waitForSelector('#analysis', { timeout: 60_000 });
  await page.click('#run');
  await page.waitForSelector('.results .tl .tl-save', { timeout: 60_000 });
  await page.click('.results .tl-export > summary');
  const saved = await download(page, '.results .tl-save');
  return JSON.parse(saved.text);
}

/** Clicks `selector` and returns the download's name and text (or bytes). */
async function download(page, selector, { binary = false } = {}) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  const path = await file.path();
  const bytes = await readFile(path);
  return { file, name: file.suggestedFilename(), path, bytes, text: binary ? null : bytes.toString('utf8') };
}

/** RFC 4180 rows: quoted fields with doubled quotes, CRLF line ends. */
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r') { /* CRLF */ } else if (c === '\n') { row.push(field); rows.push(row); row = []; field = ''; } else field += c;
  }
  return rows;
}

test('SVG, PNG, CSV and Chrome trace downloads of a real run', async () => {
  const app = await openApp(browser);
  const { page } = app;
  try {
    const trace = await runAndOpenExports(page);
    assert.equal(trace.tasks.length, 3);

    // SVG: a file that stands alone.
    const svg = await download(page, '.tl-export-svg');
    assert.equal(svg.name, 'kitchen-timeline-parallel-2-chefs.svg');
    const viewer = await browser.newPage({ viewport: { width: 1280, height: 600 } });
    await svg.file.saveAs(`${SHOTS}export.svg`);
    await viewer.goto(`file://${SHOTS}export.svg`);
    const shape = await viewer.evaluate(() => {
      const root = document.documentElement;
      const spans = [...document.querySelectorAll('rect.tl-span')];
      return {
        tag: root.tagName, width: Number(root.getAttribute('width')), height: Number(root.getAttribute('height')),
        spans: spans.length, styled: spans.every((r) => /fill:/.test(r.getAttribute('style') ?? '')),
        text: root.textContent,
      };
    });
    assert.equal(shape.tag, 'svg');
    assert.equal(shape.spans, trace.spans.length, 'one shape per span');
    assert.ok(shape.styled, 'styles inline');
    for (const words of ['Measured timeline: 3 dishes on 2 chefs', 'chef 1', 'chef 2', 'soup', 'roast', 'dessert']) assert.ok(shape.text.includes(words), words);
    await viewer.screenshot({ path: `${SHOTS}export-svg.png` });

    // PNG: twice the SVG's size, with the first dish's orange in it.
    const png = await download(page, '.tl-export-png', { binary: true });
    assert.equal(png.name, 'kitchen-timeline-parallel-2-chefs.png');
    assert.equal(png.bytes.subarray(1, 4).toString(), 'PNG');
    assert.equal(png.bytes.readUInt32BE(16), 2 * shape.width);
    assert.equal(png.bytes.readUInt32BE(20), 2 * shape.height);
    await viewer.goto('about:blank');
    const orange = await viewer.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = Object.assign(document.createElement('canvas'), { width: img.naturalWidth, height: img.naturalHeight });
      const ctx = c.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - 230) < 8 && Math.abs(d[i + 1] - 159) < 8 && d[i + 2] < 10) n++;
      return n;
    }, png.bytes.toString('base64'));
    assert.ok(orange > 500, `${orange} orange pixels`);
    await viewer.close();

    // CSV: the measured table.
    const csv = await download(page, '.tl-export-csv');
    assert.equal(csv.name, 'kitchen-timings-parallel-2-chefs.csv');
    const [header, ...rows] = parseCsv(csv.text);
    assert.deepEqual(header, ['dish', 'chef', 'thread', 'lane', 'eligible_ms', 'start_ms', 'end_ms', 'polls']);
    assert.equal(rows.length, 3);
    for (const [row, task] of rows.map((r, i) => [r, trace.tasks[i]])) {
      assert.equal(row[0], task.id);
      assert.equal(Number(row[3]), task.lane);
      assert.ok(Math.abs(Number(row[5]) - task.start_ms) < 5e-4 && Math.abs(Number(row[6]) - task.end_ms) < 5e-4);
      assert.equal(row[2], trace.lanes.find((l) => l.lane === task.lane).thread);
    }

    // Chrome trace: kitchen.chromeTrace of the same trace.
    const chrome = await download(page, '.tl-export-chrome');
    assert.equal(chrome.name, 'kitchen-chrome-trace-parallel-2-chefs.json');
    assert.deepEqual(JSON.parse(chrome.text), await page.evaluate((t) => window.kitchen.chromeTrace(t), trace));
    await page.screenshot({ path: `${SHOTS}exports-menu.png` });
    await page.setViewportSize({ width: 480, height: 800 });
    await page.locator('.results .tl').screenshot({ path: `${SHOTS}exports-menu-480.png` });
    assert.deepEqual(app.errors, []);
  } finally {
    await app.close();
  }
});

test('Open in Perfetto: the handshake hands the trace to the stand-in, from an embedded kitchen', async () => {
  // The page must not be cross-origin isolated by COOP: an embed in a docs page of another site
  // is not (COOP does not apply in an iframe), nor is a page served without headers.
  const app = await serve(new URL('../../dist/', import.meta.url).pathname, { mode: '_headers', host: 'localhost' });
  const docs = await serve(new URL('../../docs/', import.meta.url).pathname, { mode: 'none' });
  const page = await browser.newPage({ viewport: { width: 832, height: 1400 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.context().route(isPerfetto, (route) => route.fulfill({ contentType: 'text/html', body: STANDIN }));
  try {
    await page.goto(`${docs.url}embed-example.html?kitchen=${encodeURIComponent(app.url)}`);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(() => /Kitchen 2: ready/.test(document.getElementById('status-2').textContent), null, { timeout: 60_000 });
    await page.click('#load-stock');
    const kitchen = page.frameLocator('#kitchen-2');
    await kitchen.locator('.dish-chip[data-id=stock]').waitFor({ timeout: 60_000 });
    await kitchen.locator('#run').click();
    // The run has ended once its timeline (with its export menu) is drawn. Once in a clean-clone
    // CI run this did not come within 30 s; the screenshot shows the embed's state if it recurs.
    try {
      await kitchen.locator('.tl-export > summary').waitFor({ timeout: 60_000 });
    } catch (e) {
      await page.screenshot({ path: `${SHOTS}perfetto-embed-no-timeline.png`, fullPage: true });
      throw e;
    }
    await kitchen.locator('.tl-export > summary').click();
    const [popup] = await Promise.all([page.context().waitForEvent('page'), kitchen.locator('.tl-export-perfetto').click()]);
    await popup.waitForFunction(() => window.received !== null, null, { timeout: 30_000 });
    const received = await popup.evaluate(() => window.received);
    assert.ok(received.isArrayBuffer, 'the buffer is an ArrayBuffer');
    assert.match(received.title, /^Concurrency Kitchen: parallel with 2 chefs, \d+ ms$/);
    assert.equal(received.fileName, 'kitchen-chrome-trace-parallel-2-chefs.json');
    const events = JSON.parse(received.text).traceEvents;
    const slices = events.filter((e) => e.ph === 'X');
    assert.deepEqual([...new Set(slices.map((e) => e.name))].sort(), ['bread', 'soup', 'stock']);
    assert.ok(await popup.evaluate(() => window.pings) >= 1);
    await kitchen.locator('.tl-export-status', { hasText: 'Sent to Perfetto' }).waitFor();
    await popup.screenshot({ path: `${SHOTS}perfetto-standin.png` });
    await popup.close();
    assert.deepEqual(errors, []);
  } finally {
    await page.context().unroute(isPerfetto);
    await page.close();
    await app.close();
    await docs.close();
  }
});

test('Open in Perfetto from the cross-origin isolated playground: says why, downloads the file', async () => {
  const app = await openApp(browser);
  const { page } = app;
  await page.context().route(isPerfetto, (route) => route.fulfill({ contentType: 'text/html', body: STANDIN }));
  try {
    await runAndOpenExports(page);
    const popupOpened = page.context().waitForEvent('page');
    const [file] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.click('.tl-export-perfetto')]);
    assert.equal(file.suggestedFilename(), 'kitchen-chrome-trace-parallel-2-chefs.json');
    const popup = await popupOpened;
    assert.match(await page.textContent('.tl-export-status'), /cross-origin isolated \(COOP\).*Open trace file/);
    // The stand-in never got the trace: the page could not reach it.
    assert.equal(await popup.evaluate(() => window.received), null);
    await popup.close();
    assert.deepEqual(app.errors, []);
  } finally {
    await page.context().unroute(isPerfetto);
    await app.close();
  }
});
