// End-to-end: the lessons ("Claims you can check") through `kitchen.lessons()`,
// `kitchen.runLesson(id)` and the page's buttons. Only quick lessons run here, and timing claims
// are never asserted to reproduce (the machine may be busy; that is `make bench`'s job): the
// tests check that each verdict is consistent with the numbers it reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withApp, SHOTS } from './browser.mjs';

const app = withApp();

const runLesson = (id) => app.page.evaluate((id) => window.kitchen.runLesson(id), id);
const rejection = (id) => app.page.evaluate((id) => window.kitchen.runLesson(id).then(() => 'resolved', (e) => `${e.name}: ${e.message}`), id);
/** The verdict's numbers as an object, name → value. */
const numbersOf = (verdict) => Object.fromEntries(verdict.numbers);
const minWall = (runs, prefix) => Math.min(...runs.filter((r) => r.label.startsWith(prefix)).map((r) => r.wall_ms));

/** What every verdict promises: a headline saying which way it went, a reason only when not. */
function assertVerdictShape(result) {
  const { verdict, runs } = result;
  assert.equal(typeof verdict.reproduced, 'boolean');
  assert.match(verdict.headline, verdict.reproduced ? /^reproduced on your machine: / : /^not reproduced: /);
  assert.equal(verdict.reason === null, verdict.reproduced, `a reason only when not reproduced: ${JSON.stringify(verdict)}`);
  assert.ok(verdict.numbers.every(([name, value]) => typeof name === 'string' && Number.isFinite(value)), JSON.stringify(verdict.numbers));
  for (const run of runs) {
    assert.equal(typeof run.label, 'string');
    assert.ok(['sequential', 'concurrent', 'parallel', 'concurrent-parallel'].includes(run.model), run.model);
    assert.ok(run.chefs >= 1 && run.wall_ms > 0, JSON.stringify(run));
  }
}

test('kitchen.lessons() lists the twelve lessons with unique ids', async () => {
  const lessons = await app.page.evaluate(() => window.kitchen.lessons());
  assert.equal(lessons.length, 12);
  assert.deepEqual(lessons.map((l) => l.number), Array.from({ length: 12 }, (_, i) => i + 1));
  assert.equal(new Set(lessons.map((l) => l.id)).size, 12, 'unique ids');
  for (const l of lessons) {
    assert.ok(l.title.length > 0 && l.claim.length > 40, JSON.stringify(l));
    assert.ok(['traces', 'traces_and_responsiveness', 'race_demo'].includes(l.measures), l.measures);
  }
  assert.equal(lessons.find((l) => l.id === 'shared-counter').measures, 'race_demo');
  assert.equal(lessons.find((l) => l.id === 'blocking-the-pass').measures, 'traces_and_responsiveness');
  // openApp waited for kitchen.env(), so the page knows its workers: the caveats are this machine's.
  const three = lessons.find((l) => l.id === 'three-dishes');
  if (app.env.hardwareConcurrency < 3) assert.match(three.caveat ?? '', new RegExp(`reports ${app.env.hardwareConcurrency} core`), JSON.stringify(three));
  else assert.equal(three.caveat, undefined, JSON.stringify(three));
  assert.ok(lessons.every((l) => l.unavailable === undefined), 'this page has workers: every lesson can run');
});

test('runLesson("oven"): waits are not cooked faster by more chefs; the verdict matches its numbers', async () => {
  const result = await runLesson('oven');
  console.log(`oven: ${result.verdict.headline}`);
  assertVerdictShape(result);
  assert.deepEqual(result.runs.map((r) => r.model), ['parallel', 'concurrent']);
  const n = numbersOf(result.verdict);
  const [parallel, juggled] = result.runs.map((r) => r.wall_ms);
  assert.equal(n[`${result.runs[0].chefs} chefs, ms`], parallel);
  assert.equal(n['one juggling chef, ms'], juggled);
  assert.ok(Math.abs(n.ratio - parallel / juggled) < 1e-9);
  // The claim: the same time within 20 % (the engine's tolerance).
  assert.equal(result.verdict.reproduced, Math.abs(n.ratio - 1) <= 0.2, JSON.stringify(result.verdict));
  // Dishes that only wait 300 ms in the oven cannot be done sooner.
  assert.ok(parallel >= 299 && juggled >= 299, JSON.stringify(result.runs));
  // Where each run's time went: its breakdown in a line, starting with the measured wall.
  assert.equal(result.verdict.explained.length, 2, JSON.stringify(result.verdict));
  result.runs.forEach((r, i) => {
    const line = result.verdict.explained[i];
    assert.ok(line.startsWith(`${r.label}: `) && line.includes(' ms = 300 ideal'), line);
  });
});

test('runLesson("juggling-is-not-cooking"): three tries each, the verdict reads the fastest', async () => {
  const result = await runLesson('juggling-is-not-cooking');
  console.log(`juggling: ${result.verdict.headline}`);
  assertVerdictShape(result);
  assert.equal(result.runs.length, 6, 'two runs × three tries');
  assert.deepEqual(result.runs.map((r) => r.model), ['sequential', 'concurrent', 'sequential', 'concurrent', 'sequential', 'concurrent']);
  const n = numbersOf(result.verdict);
  assert.equal(n['sequential, ms'], minWall(result.runs, 'sequential'));
  assert.equal(n['juggled, ms'], minWall(result.runs, 'concurrent'));
  assert.ok(Math.abs(n['juggled / sequential'] - n['juggled, ms'] / n['sequential, ms']) < 1e-9);
  assert.equal(result.verdict.reproduced, n['juggled / sequential'] >= 0.95, JSON.stringify(result.verdict));
  assert.match(result.verdict.headline, /fastest of 3 tries each/);
});

test('runLesson("tiny-tasks"): sub-microsecond pieces against one chef cooking the dish whole; the verdict matches its numbers', async () => {
  const result = await runLesson('tiny-tasks');
  console.log(`tiny tasks: ${result.verdict.headline}`);
  assertVerdictShape(result);
  assert.equal(result.runs.length, 36, 'six cuts × (one chef, several) × three tries');
  const n = numbersOf(result.verdict);
  const whole = minWall(result.runs, 'sequential, the whole dish');
  assert.equal(n['one chef, whole dish, ms'], whole);
  const finest = Math.min(...result.runs.filter((r) => r.model === 'parallel' && r.label.includes(' 32768 pieces')).map((r) => r.wall_ms));
  assert.equal(n['32768 pieces: parallel, ms'], finest);
  assert.ok(n['cooking a unit, µs'] > 0 && n['cooking a unit, µs'] < 1, `a hash unit takes ${n['cooking a unit, µs']} µs`);
  // The hand-out cost is the one chef's runs: (with 32768 pieces − whole) / 32767.
  const seqFinest = minWall(result.runs, 'sequential, 32768 pieces');
  assert.ok(Math.abs(n['handing out a piece, µs'] - (seqFinest - whole) / 32767 * 1000) < 1e-6);
  // The crossover, when there is one, is the most pieces at which the chefs beat the whole dish.
  const wins = [1, 8, 64, 512, 4096, 32768].filter((k) => n[`${k} pieces: parallel, ms`] < whole);
  if (wins.length) assert.equal(n['crossover piece, units'], 262144 / Math.max(...wins));
  else assert.equal(n['crossover piece, units'], undefined);
  assert.equal(result.verdict.reproduced, finest > whole && wins.length > 0, JSON.stringify(result.verdict));
});

test('lesson 10 says before it runs when the machine has fewer than three cores, and computes three beside the measurement', async () => {
  const { page } = app;
  await page.click('#view-lessons');
  const item = page.locator('#lesson-three-dishes');
  await item.locator('summary').click();
  const cores = app.env.hardwareConcurrency;
  if (cores >= 3) {
    assert.equal(await item.locator('.lesson-caveat').count(), 0, 'nothing to warn about');
    return;
  }
  assert.match(await item.locator('.lesson-caveat').textContent(), new RegExp(`reports ${cores} cores?, so \\d chefs share ${cores} stove`));
  await item.locator('button.run-lesson').click();
  await page.waitForSelector('#lesson-three-dishes .verdict', { timeout: 60_000 });
  const headline = await item.locator('.verdict-headline').textContent();
  console.log(`UI, three dishes: ${headline}`);
  assert.match(headline, /^Not reproduced: three dishes took \d+ ms on one chef and \d+ ms on \d chefs sharing \d cores?: \d\.\d\d to 1 \(measured\); on three cores the engine's schedule computes \d+ ms for one chef and \d+ ms for three: \d\.\d\d to 1 \(computed, not measured\)/);
  assert.match(await item.locator('.verdict-reason').textContent(), new RegExp(`needs 3 cores, this machine has ${cores}`));
  const computed = await item.locator('.verdict-numbers tr.computed th').allTextContents();
  assert.deepEqual(computed, ['one chef, ms (computed)', 'three chefs on 3 cores, ms (computed)', 'ratio on 3 cores (computed)']);
  assert.match(await item.locator('.verdict-numbers caption').textContent(), /^Measured.*rows marked computed/);
  await item.screenshot({ path: `${SHOTS}lesson-three-dishes.png` });
});

test('runLesson("shared-counter"): fixed tallies exact, deadlock detected, the page stays responsive', async () => {
  const { result, longestGap } = await app.page.evaluate(async () => {
    // Watch the main thread with animation frames: the race runs on workers, never here.
    let last = performance.now(), longest = 0, watching = true;
    const frame = (t) => { longest = Math.max(longest, t - last); last = t; if (watching) requestAnimationFrame(frame); };
    requestAnimationFrame(frame);
    const result = await window.kitchen.runLesson('shared-counter');
    watching = false;
    longest = Math.max(longest, performance.now() - last);
    return { result, longestGap: longest };
  });
  console.log(`race: ${result.verdict.headline}; longest frame gap ${longestGap.toFixed(1)} ms`);
  assertVerdictShape(result);
  assert.deepEqual(result.runs, [], 'no kitchen runs');
  const n = numbersOf(result.verdict);
  assert.ok(n.threads >= 2, `raced with ${n.threads} threads`);
  assert.equal(n['expected count'], n.threads * 1_000_000);
  // fetch_add and the Mutex must be exact, always: the headline says so only when they were.
  assert.match(result.verdict.headline, new RegExp(`fetch_add and the Mutex got exactly ${n['expected count']} every time`));
  assert.equal(n['opposite order: deadlocked (1 = yes)'], 1, 'crossed locks deadlock, and the demo detects it');
  assert.match(result.verdict.headline, /opposite order deadlocked: both waited > 200 ms, then let go/);
  assert.equal(n['consistent order: deadlocked (1 = yes)'], 0, 'one lock order never deadlocks');
  assert.equal(result.verdict.reproduced, n['racy: counts lost, all runs'] > 0, JSON.stringify(result.verdict));
  assert.ok(n['racy: lowest count'] <= n['expected count']);
  assert.ok(longestGap < 500, `the main thread went ${longestGap} ms without a frame`);
});

test('runLesson rejects an unknown id, and a non-string, with a clear Error', async () => {
  assert.match(await rejection('no-such-lesson'), /^Error: no lesson `no-such-lesson`; the lessons are: overlapping-waits, .*shared-counter/);
  assert.match(await rejection(42), /^Error: runLesson\(\) takes a lesson id/);
  assert.equal(await app.page.evaluate(() => window.kitchen.progress()), null, 'nothing was started');
});

test('the page runs a lesson from its button and shows the verdict; Stop ends a lesson', async () => {
  const { page } = app;
  await page.click('#view-lessons'); // the lessons are a view one click away
  const item = page.locator('#lesson-oven');
  await item.locator('summary').click();
  await item.locator('button.run-lesson').click();
  await page.waitForSelector('#lesson-oven .lesson-running');
  assert.ok(await page.locator('#lesson-amdahl button.run-lesson').isDisabled(), 'other lessons wait');
  assert.ok(await page.locator('#run').isDisabled(), 'Run waits for the lesson');
  await page.waitForSelector('#lesson-oven .verdict', { timeout: 60_000 });
  const headline = await item.locator('.verdict-headline').textContent();
  console.log(`UI, oven: ${headline}`);
  assert.match(headline, /^(Reproduced on your machine|Not reproduced): \d+ dishes of 300 ms in the oven took/);
  assert.match(await item.locator('.verdict-numbers caption').textContent(), /^Measured/);
  assert.equal(await item.locator('.verdict-numbers tr').count(), 3);
  assert.equal(await item.locator('.lesson-outcome').getAttribute('aria-live'), 'polite');
  assert.equal(await item.locator('.lesson-runs li').count(), 2);
  assert.equal(await item.locator('.lesson-explained li').count(), 2, 'where each run\'s time went');
  assert.ok(!(await item.locator('button.run-lesson').isDisabled()), 'ready again');
  await page.locator('section.lessons').screenshot({ path: `${SHOTS}lessons.png` });
  await page.setViewportSize({ width: 480, height: 800 });
  await item.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}lessons-narrow.png` });
  await page.setViewportSize({ width: 1280, height: 800 });

  // Load its dishes: the lesson's first run goes into the composer.
  await item.locator('button.load-lesson').click();
  const dishes = await page.$$eval('li[data-id]', (lis) => lis.map((li) => li.dataset.id));
  assert.ok(dishes.length >= 2 && dishes.every((d) => /^roast-\d$/.test(d)), JSON.stringify(dishes));

  // Stop: the juggling lesson runs six runs; stopped in the first, it gives no verdict.
  const juggling = page.locator('#lesson-juggling-is-not-cooking');
  await juggling.locator('summary').click();
  await juggling.locator('button.run-lesson').click();
  await page.waitForSelector('#lesson-juggling-is-not-cooking .lesson-running');
  await juggling.locator('button.stop-lesson').click();
  await page.waitForSelector('#lesson-juggling-is-not-cooking .lesson-stopped', { timeout: 30_000 });
  assert.equal(await juggling.locator('.verdict').count(), 0);
  assert.ok(!(await page.locator('#run').isDisabled()), 'the page is ready again');
  assert.deepEqual(app.errors, []);
});
