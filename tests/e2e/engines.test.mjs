// The cross-engine suite: Chromium, Firefox ESR and WebKitGTK, each with dist/ served in the
// four ways of server.mjs. In each: the page loads, `kitchen.env()` answers with a back-end
// that has workers, all four models run a small experiment with their defining shape (parallel:
// two dishes cook at the same time on two lanes), Stop works, and a bad experiment gets a
// message. Which back-end each engine got in each serving mode is written to
// target/e2e/backends.md (the README's table is copied from it) and backends.json.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { launch, waitFor, waitForKitchen, ENGINES } from './engines.mjs';
import { serve, serveEmbed } from './server.mjs';
import { SHOTS } from './browser.mjs';

const DIST = new URL('../../dist/', import.meta.url).pathname;
const MODES = [
  { id: 'coop-coep', title: 'served with COOP/COEP', start: () => serve(DIST, { mode: 'coop-coep' }) },
  { id: 'none', title: 'served with no headers', start: () => serve(DIST, { mode: 'none' }) },
  { id: 'dip-iframe', title: 'iframe with Document-Isolation-Policy in a page with no headers', start: () => serveEmbed(DIST, 'dip') },
  { id: 'none-iframe', title: 'iframe in a page with no headers, no headers itself', start: () => serveEmbed(DIST, 'none') },
];
// Two dishes of 100 ms cooking and one 100 ms simmer.
const TASKS = [
  { id: 'soup', phases: [{ cook: { ms: 100 } }] },
  { id: 'roast', phases: [{ cook: { ms: 100 } }] },
  { id: 'stock', phases: [{ simmer: { ms: 100 } }] },
];

const results = {}; // engine → { version, modes: { mode → { backend, threads, why, isolation } } }
const overlaps = (a, b) => a.start_ms < b.end_ms && b.start_ms < a.end_ms;
const activity = (r) => r.spans.filter((s) => s.kind === 'cook' || s.kind === 'simmer');

const run = (session, experiment) =>
  session.evaluate((e) => window.kitchen.run(e).then((trace) => ({ trace }), (err) => ({ error: err.message })), experiment);

async function runModel(session, model) {
  const { trace, error } = await run(session, { version: 1, model, chefs: 2, tasks: TASKS });
  assert.equal(error, undefined, `${model}: ${error}`);
  assert.equal(trace.tasks.length, 3, model);
  assert.ok(trace.checksums_ok, `${model}: checksums`);
  return trace;
}

/** Every model's defining shape, from the measured spans. */
async function fourModels(session, backend) {
  const seq = await runModel(session, 'sequential');
  const spans = activity(seq);
  for (const [i, a] of spans.entries()) for (const b of spans.slice(i + 1)) assert.ok(!overlaps(a, b), 'sequential never overlaps');
  assert.equal(seq.lanes.length, 1);

  const con = await runModel(session, 'concurrent');
  assert.deepEqual(con.lanes.map((l) => l.lane), [0], 'concurrent: the main thread');
  const simmer = con.spans.find((s) => s.kind === 'simmer');
  assert.ok(con.spans.some((s) => s.kind === 'cook' && overlaps(s, simmer)), 'concurrent: cooks while the stock simmers');

  for (const model of ['parallel', 'concurrent-parallel']) {
    // Up to three tries: on a loaded machine (or with a coarse clock) one worker can finish a
    // dish before the other starts, so a single run may not overlap; a serialising back-end
    // never would, so three non-overlapping runs still fail.
    let cooks = [];
    for (let tries = 0; tries < 3; tries++) {
      const par = await runModel(session, model);
      cooks = par.spans.filter((s) => s.kind === 'cook');
      assert.ok(cooks.every((s) => s.lane > 0), `${model}: chefs are workers`);
      if (cooks.some((a) => cooks.some((b) => a.lane !== b.lane && overlaps(a, b)))) break;
      cooks = null;
    }
    assert.ok(cooks, `${model} on ${backend}: two dishes cook at once on two lanes (3 tries)`);
  }
}

async function stopWorks(session) {
  const out = await session.evaluate(async () => {
    const tasks = ['a', 'b'].map((id) => ({ id, phases: [{ cook: { ms: 3000 } }] }));
    const running = window.kitchen.run({ version: 1, model: 'parallel', chefs: 2, tasks });
    await new Promise((r) => setTimeout(r, 300));
    const stopped = window.kitchen.stop();
    const trace = await running;
    return { stopped, wall: trace.wall_ms, flag: trace.stopped };
  });
  assert.ok(out.stopped && out.flag, JSON.stringify(out));
  assert.ok(out.wall < 2000, `stopped within ~2 s of 6 s of cooking: ${out.wall}`);
}

async function badInput(session) {
  const { error } = await run(session, { version: 1, model: 'parallel', chefs: 2, tasks: [{ id: 'a', phases: [{ boil: {} }] }] });
  assert.match(error, /boil/);
  const tooMany = await run(session, { version: 1, model: 'parallel', chefs: 64, tasks: TASKS });
  assert.match(tooMany.error, /64 chefs/);
}

function writeTable() {
  const engines = Object.keys(results);
  if (engines.length === 0) return;
  const cell = (r) => (r ? `${r.backend}${r.threads ? ` (${r.threads} workers)` : ''}` : 'not run');
  const lines = [
    `| engine | ${MODES.map((m) => m.title).join(' | ')} |`,
    `|---|${MODES.map(() => '---').join('|')}|`,
    ...engines.map((e) => `| ${results[e].version} | ${MODES.map((m) => cell(results[e].modes[m.id])).join(' | ')} |`),
  ];
  writeFileSync(`${SHOTS}backends.md`, `${lines.join('\n')}\n`);
  writeFileSync(`${SHOTS}backends.json`, `${JSON.stringify(results, null, 2)}\n`);
}

after(writeTable);

for (const name of ENGINES) {
  describe(name, () => {
    let browser;
    before(async () => {
      browser = await launch(name);
      results[name] = { version: browser.version, modes: {} };
    });
    after(async () => { await browser?.close(); });

    for (const mode of MODES) {
      test(`${name}, ${mode.title}: workers, four models, Stop, bad input`, async () => {
        const server = await mode.start();
        const session = await browser.open(server.url, { frameUrl: server.appUrl });
        try {
          await waitForKitchen(session);
          const env = await session.evaluate(() => window.kitchen.env());
          results[name].version = browser.version;
          results[name].modes[mode.id] = { backend: env.backend, threads: env.threads, why: env.backendReason, isolation: env.isolation };
          console.log(`${name} / ${mode.id}: ${env.backend}, ${env.threads} workers — ${env.backendReason}; ${env.isolation}`);
          assert.notEqual(env.backend, 'none', env.backendReason);
          // Without headers a service worker is tried, and the page says how that went.
          if (mode.id === 'none') assert.match(env.isolation, /service worker/);
          assert.ok(env.threads >= 2, `threads ${env.threads}`);
          assert.equal(env.sharedArrayBuffer && env.backend === 'shared-memory', env.sharedArrayBuffer, 'SharedArrayBuffer implies the shared-memory back-end');
          // The panel says the same, in words (it shows once the page has checked its dishes).
          const panel = await waitFor(session, () => document.querySelector('#env-backend')?.textContent, 'the environment panel');
          assert.match(panel, env.backend === 'shared-memory' ? /sharing the page's memory/ : /each in its own worker, talking by messages/);
          await fourModels(session, env.backend);
          await stopWorks(session);
          await badInput(session);
          await session.screenshot(`${SHOTS}engines-${name}-${mode.id}.png`);
          assert.deepEqual(session.errors, []);
        } finally {
          await session.close();
          await server.close();
        }
      });
    }
  });
}
