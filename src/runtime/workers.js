// The JavaScript half of the two worker back-ends (src/runtime/backend.rs, crew.rs):
// - probeSharedMemory: does shared memory really work here? Tried, not inferred from
//   `crossOriginIsolated` (WebKitGTK says isolated yet cannot post a shared memory);
// - startPool: the shared-memory chefs, rayon's pool, built by the worker that was probed;
// - startCrew: the message-passing chefs, dedicated workers that each instantiate the page's
//   compiled WebAssembly.Module with a fresh memory of their own and cook what they are sent.

// A message-passing chef. The page's main script (wasm-bindgen's glue) is imported and the
// module instantiated without a memory, so the glue makes a fresh one; the app's start-up sees
// it runs in a worker and does nothing (kitchen::start).
const CHEF = `let kitchen;
self.onmessage = async ({ data }) => {
  if (data.type === 'init') {
    try {
      kitchen = await import(data.mainJS);
      kitchen.initSync({ module: data.module });
      postMessage({ type: 'ready' });
    } catch (e) {
      postMessage({ type: 'failed', why: 'a worker could not start the module: ' + (e && e.message || e) });
    }
  } else if (data.type === 'cook') {
    try {
      postMessage({ type: 'cooked', job: data.job, ...kitchen.kitchenCook(data.kernel, data.units) });
    } catch (e) {
      postMessage({ type: 'failed', job: data.job, why: 'a worker failed while cooking: ' + (e && e.message || e) });
    }
  }
};`;

// The pool starter. First the probe: it adds one to the first word of the memory it is sent,
// so the page can see the add land in its own copy (only then is the memory really shared),
// and meanwhile loads the page's glue. Then, told to start, it joins the page's memory and
// builds the rayon pool there: `build_global` waits until every pool thread runs, and on the
// main thread wasm_sync turns that wait into a spin that keeps retaking the lock the starting
// threads need (the page froze ~160 ms at start-up; crossbeam's channel may even try
// Atomics.wait, which the main thread must not; wasm-bindgen-rayon's advice is a worker).
// It stays alive: the pool's threads are its child workers.
const STARTER = `let glue;
self.onmessage = async ({ data }) => {
  if (data.type === 'probe') {
    try { Atomics.add(new Int32Array(data.memory.buffer), 0, 1); postMessage({ type: 'probed', why: '' }); }
    catch (e) { postMessage({ type: 'probed', why: 'a worker could not use the shared memory it was sent (' + e + ')' }); return; }
    glue = import(data.mainJS);
    glue.catch(() => {});
  } else if (data.type === 'start') {
    try {
      const kitchen = await glue;
      kitchen.initSync({ module: data.module, memory: data.memory });
      await kitchen.kitchenStartPool(data.threads);
      postMessage({ type: 'ready' });
    } catch (e) {
      postMessage({ type: 'failed', why: (e && e.message) || String(e) });
    }
  }
};`;

const blobUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
const message = (e) => `${e && e.name ? e.name + ': ' : ''}${e && e.message || e}`;

// The probed worker, kept to start the pool (startPool) once the probe has passed.
let starter;

/**
 * Resolves with '' when a shared WebAssembly.Memory reaches a worker and stays shared, else
 * why not. The worker that passed stays, to build the pool (startPool); meanwhile it loads the
 * glue at `mainJS`.
 */
export function probeSharedMemory(timeoutMs, mainJS) {
  let memory, worker, url;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return Promise.resolve(`this browser cannot make a shared WebAssembly memory (${message(e)})`);
  }
  try {
    url = blobUrl(STARTER);
    worker = new Worker(url, { type: 'module' });
  } catch (e) {
    return Promise.resolve(`a worker could not start (${message(e)})`);
  }
  return new Promise((resolve) => {
    const done = (why) => {
      clearTimeout(timer);
      worker.onerror = worker.onmessage = null;
      URL.revokeObjectURL(url);
      if (why) worker.terminate(); else starter = worker;
      resolve(why);
    };
    const timer = setTimeout(() => done(`a worker sent a shared memory did not answer within ${timeoutMs} ms`), timeoutMs);
    worker.onerror = (e) => { e.preventDefault(); done(`a worker could not start (${e.message || 'error event'})`); };
    worker.onmessage = ({ data }) => {
      const seen = new Int32Array(memory.buffer)[0];
      done(data.why || (seen === 1 ? '' : 'the memory a worker was sent arrived as a copy, not shared'));
    };
    try {
      worker.postMessage({ type: 'probe', memory, mainJS });
    } catch (e) {
      done(`the browser refused to send a shared memory to a worker (${message(e)})`);
    }
  });
}

/**
 * Has the probed worker (probeSharedMemory) build `threads` rayon workers on the page's shared
 * `memory`. Resolves once they all run; rejects with why not.
 */
export function startPool(module, memory, threads, timeoutMs) {
  const worker = starter;
  if (!worker) return Promise.reject(new Error('no worker passed the shared-memory probe'));
  return new Promise((resolve, reject) => {
    const done = (error) => {
      clearTimeout(timer);
      worker.onerror = worker.onmessage = null;
      if (error) { worker.terminate(); starter = undefined; reject(error); } else resolve();
    };
    const timer = setTimeout(() => done(new Error(`the worker pool did not start within ${timeoutMs} ms`)), timeoutMs);
    worker.onerror = (e) => { e.preventDefault(); done(new Error(`the pool's starter failed: ${e.message || 'error event'}`)); };
    worker.onmessage = ({ data }) => done(data.type === 'ready' ? undefined : new Error(data.why));
    try {
      worker.postMessage({ type: 'start', module, memory, threads });
    } catch (e) {
      done(new Error(`the shared memory could not be posted to the pool's starter (${message(e)})`));
    }
  });
}

/**
 * Starts `size` message-passing chefs, each instantiating `module` (compiled once, posted to
 * every worker) through the glue at `mainJS`. `onReport(worker, report)` receives each
 * worker's answers: `{type: 'cooked', job, start, end, checksum}` or `{type: 'failed', why}`.
 * Resolves with the crew once every worker is ready; rejects with why one is not.
 */
export async function startCrew(module, mainJS, size, onReport, timeoutMs) {
  const url = blobUrl(CHEF);
  const workers = [];
  try {
    await Promise.all(Array.from({ length: size }, (_, i) => new Promise((resolve, reject) => {
      const worker = new Worker(url, { type: 'module' });
      workers.push(worker);
      const timer = setTimeout(() => reject(new Error(`worker ${i} did not start within ${timeoutMs} ms`)), timeoutMs);
      worker.onerror = (e) => { e.preventDefault(); clearTimeout(timer); reject(new Error(`worker ${i} failed: ${e.message || 'error event'}`)); };
      worker.onmessage = ({ data }) => {
        clearTimeout(timer);
        if (data.type !== 'ready') return reject(new Error(data.why));
        worker.onmessage = ({ data }) => onReport(i, data);
        worker.onerror = (e) => { e.preventDefault(); onReport(i, { type: 'failed', why: `worker ${i} failed: ${e.message || 'error event'}` }); };
        resolve();
      };
      try {
        worker.postMessage({ type: 'init', module, mainJS });
      } catch (e) {
        clearTimeout(timer);
        reject(new Error(`the compiled module could not be posted to a worker (${message(e)})`));
      }
    })));
  } catch (e) {
    workers.forEach((w) => w.terminate());
    throw e;
  } finally {
    URL.revokeObjectURL(url);
  }
  return {
    size,
    /** Hands worker `i` job number `job`: cook `units` of kernel number `kernel`. */
    cook(i, job, kernel, units) { workers[i].postMessage({ type: 'cook', job, kernel, units }); },
  };
}
