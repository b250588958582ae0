// End-to-end: permalinks. Copy link → open the link in a fresh page → the same kitchen (dishes,
// model, chefs, yield policy, main-thread option, open view); a link made outside the page
// (node's zlib, following docs/format.md) opens too; truncated, altered and future links say
// so on the page and leave the default kitchen usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { withApp, loadPreset, PRESET_DISHES, SHOTS } from './browser.mjs';

const app = withApp();

/** The experiment as the export panel shows it, parsed. */
async function exported(p) {
  if (await p.$('#io-panel') === null) await p.click('#io-toggle');
  return JSON.parse(await p.inputValue('#export-json'));
}

/** Presses Copy link and returns the link the page shows. */
async function copyLink(p) {
  await p.click('#copy-link');
  await p.waitForSelector('#share-link');
  await p.waitForFunction(() => document.querySelector('#share-link')?.value.includes('#v1.'));
  return p.inputValue('#share-link');
}

/** A fresh page at `url`, ready once the environment is probed (the dishes are checked). */
async function openAt(url) {
  const p = await app.page.context().browser().newPage({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  p.on('pageerror', (e) => errors.push(e.message));
  await p.goto(url);
  await p.waitForSelector('#analysis, #invalid', { timeout: 60_000 });
  return { p, errors };
}

/** A link made as docs/format.md describes, without the page: zlib, then base64url. */
const linkOf = (state) => `v1.z.${deflateSync(Buffer.from(JSON.stringify(state))).toString('base64url')}`;

test('Copy link: Terraform, concurrent-parallel, yield at simmers, compare view — all restored in a fresh page', async () => {
  // A tiny batch first, so the open view is Compare.
  await app.page.click('#io-toggle');
  await app.page.fill('#import-json', JSON.stringify({ version: 1, model: 'parallel', chefs: 2,
    tasks: [{ id: 'a', phases: [{ cook: { ms: 5 } }] }, { id: 'b', phases: [{ cook: { ms: 5 } }], after: ['a'] }] }));
  await app.page.click('#import');
  await app.page.click('#view-compare');
  await app.page.click('#compare');
  await app.page.waitForSelector('.compare-timeline[data-model="concurrent-parallel"]', { timeout: 60_000 });
  await app.page.waitForFunction(() => !document.querySelector('#run').disabled);
  await loadPreset(app.page, 'terraform');
  await app.page.check('input[name=model][value=concurrent-parallel]');
  await app.page.fill('#chefs', '2');
  await app.page.selectOption('#yield', 'at_simmers');
  const url = await copyLink(app.page);
  const expected = await exported(app.page);
  assert.equal(expected.yield, 'at_simmers');
  assert.ok(url.length < 2000, `the Terraform link is ${url.length} characters`);
  console.log(`Terraform link: ${url.length} characters (${url.split('#')[1].length} in the fragment)`);
  assert.ok(url.startsWith(app.url) && url.includes('#v1.z.'), url);
  assert.equal(new URL(app.page.url()).hash, new URL(url).hash, 'the address bar holds the link too');
  await app.page.screenshot({ path: `${SHOTS}permalink-copied.png` });

  const { p, errors } = await openAt(url);
  // The compare view: its tab is open and focused.
  await p.waitForSelector('#view-compare[data-linked][aria-selected=true]');
  assert.equal(await p.evaluate(() => document.activeElement?.id), 'view-compare');
  assert.deepEqual(await exported(p), expected);
  assert.equal(await p.inputValue('#preset'), 'terraform', 'the preset is recognised');
  assert.ok(await p.isChecked('input[name=model][value=concurrent-parallel]'));
  assert.equal(await p.inputValue('#chefs'), '2');
  assert.equal(await p.inputValue('#yield'), 'at_simmers');
  assert.equal(await p.$('#link-error'), null);
  assert.deepEqual(errors, []);
  await p.close();
});

test('every preset round-trips through a link in the browser, opened by changing the fragment', async () => {
  for (const id of Object.keys(PRESET_DISHES)) {
    await loadPreset(app.page, id);
    const url = await copyLink(app.page);
    const expected = await exported(app.page);
    // Elsewhere, then back through the link: a fragment change, not a reload. (Copy link put
    // the link in the address bar; pasting the same fragment again fires no event.)
    await loadPreset(app.page, id === 'amdahl' ? 'tiny-tasks' : 'amdahl');
    await app.page.evaluate(() => { location.hash = 'elsewhere'; });
    await app.page.evaluate((hash) => { location.hash = hash; }, new URL(url).hash);
    await app.page.waitForFunction((n) => document.querySelector('#dish-count')?.textContent.startsWith(`${n} `), PRESET_DISHES[id]);
    assert.deepEqual(await exported(app.page), expected, id);
    assert.equal(await app.page.inputValue('#preset'), id);
    console.log(`${id}: link of ${url.length} characters`);
  }
});

test('the main-thread option and a lesson view round-trip; a link made with node\'s zlib opens', async () => {
  const lessons = await app.page.evaluate(() => window.kitchen.lessons().map((l) => l.id));
  const lesson = lessons[lessons.length - 2];
  const experiment = { version: 1, model: 'sequential', chefs: 1, yield: 'at_simmers',
    tasks: [{ id: 'crème brûlée, "quoted"', phases: [{ cook: { ms: 12.5, kernel: 'sort' } }, { simmer: { ms: 40 } }] }] };
  const { p, errors } = await openAt(`${app.url}#${linkOf({ experiment, main_thread: true, view: 'lessons', lesson })}`);
  assert.deepEqual(await exported(p), experiment);
  assert.ok(await p.isChecked('#main-thread'));
  await p.waitForSelector(`#view-lessons[aria-selected=true]`);
  await p.waitForSelector(`#lesson-${lesson}[data-linked] details[open]`);
  // Copy link writes the same state back.
  const again = await copyLink(p);
  const { p: q } = await openAt(again);
  assert.deepEqual(await exported(q), experiment);
  assert.ok(await q.isChecked('#main-thread'));
  await q.waitForSelector(`#lesson-${lesson}[data-linked] details[open]`);
  // A time slice the menu does not list is shown as it is, not as another.
  const juggling = { ...experiment, model: 'concurrent', yield: { every_ms: 2.5 } };
  await q.evaluate((hash) => { location.hash = hash; }, linkOf({ experiment: juggling }));
  await q.waitForFunction(() => document.querySelector('#yield')?.value === '2.5');
  assert.deepEqual(await exported(q), juggling);
  assert.deepEqual(errors, []);
  await p.close();
  await q.close();
});

test('truncated, altered and future links: a message on the page, the default kitchen, still usable', async () => {
  const good = linkOf({ experiment: { version: 1, model: 'parallel', chefs: 2,
    tasks: [{ id: 'x', phases: [{ cook: { ms: 5 } }] }] } });
  const middle = Math.floor(good.length / 2);
  const altered = good.slice(0, middle) + (good[middle] === 'A' ? 'B' : 'A') + good.slice(middle + 1);
  const cases = [
    ['truncated', good.slice(0, good.length - 7), /cut short/],
    ['altered', altered, /altered/],
    ['future', 'v2.z.eJyrVspMUbJSMqoFAA', /newer version of the kitchen \(link format v2\)/],
    ['not base64', 'v1.z.%%%', /not base64url/],
    ['garbage inside', linkOf({ colour: 'red' }), /not a kitchen/],
  ];
  for (const [name, fragment, message] of cases) {
    const { p, errors } = await openAt(`${app.url}#${fragment}`);
    const text = await p.textContent('#link-error');
    assert.match(text, /^This link can't be opened: /, name);
    assert.match(text, message, name);
    // The default kitchen: Three dishes, runnable.
    assert.equal(await p.textContent('#dish-count'), '3 dishes', name);
    if (name === 'truncated') {
      await p.screenshot({ path: `${SHOTS}permalink-error.png` });
      await p.setViewportSize({ width: 480, height: 800 });
      await p.screenshot({ path: `${SHOTS}permalink-error-480.png` });
      await p.click('#run');
      await p.waitForSelector('#wall', { timeout: 60_000 });
    }
    assert.deepEqual(errors, [], name);
    await p.close();
  }
  // An anchor that is no link is left alone.
  const { p, errors } = await openAt(`${app.url}#sweep`);
  assert.equal(await p.$('#link-error'), null);
  assert.deepEqual(errors, []);
  await p.close();
});
