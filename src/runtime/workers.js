// The JavaScript half of the two worker back-ends (src/runtime/backend.rs, crew.rs):
// - probeSharedMemory: does shared memory really work here? Tried, not inferred from
//   `crossOriginIsolated` (WebKitGTK says isolated yet cannot post a shared memory);
// - startCrew: the message-passing chefs, dedicated workers that each instantiate the page's
//   compiled WebAssembly.Module with a fresh memory of their own and cook what they are sent.

// Adds one to the first word of the memory it is sent, so the page can see the add land in
// its own copy: only then is the memory really shared.
const PROBE = `self.onmessage = ({ data }) => {
  try { Atomics.add(new Int32Array(data.buffer), 0, 1); postMessage(''); }
  catch (e) { postMessage('a worker could not use the shared memory it was sent (' + e + ')'); }
};`;

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

const blobUrl = (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
const message = (e) => `${e && e.name ? e.name + ': ' : ''}${e && e.message || e}`;

/** Resolves with '' when a shared WebAssembly.Memory reaches a worker and stays shared, else why not. */
export function probeSharedMemory(timeoutMs) {
  let memory, worker, url;
  try {
    memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (e) {
    return Promise.resolve(`this browser cannot make a shared WebAssembly memory (${message(e)})`);
  }
  try {
    url = blobUrl(PROBE);
    worker = new Worker(url);
  } catch (e) {
    return Promise.resolve(`a worker could not start (${message(e)})`);
  }
  return new Promise((resolve) => {
    const done = (why) => { clearTimeout(timer); worker.terminate(); URL.revokeObjectURL(url); resolve(why); };
    const timer = setTimeout(() => done(`a worker sent a shared memory did not answer within ${timeoutMs} ms`), timeoutMs);
    worker.onerror = (e) => { e.preventDefault(); done(`a worker could not start (${e.message || 'error event'})`); };
    worker.onmessage = ({ data }) => {
      const seen = new Int32Array(memory.buffer)[0];
      done(data || (seen === 1 ? '' : 'the memory a worker was sent arrived as a copy, not shared'));
    };
    try {
      worker.postMessage(memory);
    } catch (e) {
      done(`the browser refused to send a shared memory to a worker (${message(e)})`);
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
