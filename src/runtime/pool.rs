//! The shared-memory back-end: rayon on Web Workers through wasm-bindgen-rayon, every worker
//! a thread of this page's own WebAssembly memory.
//!
//! Started only once [`super::backend`] has seen a shared memory really reach a worker:
//! without that, `rayon::spawn` would never complete.

use js_sys::Promise;

use crate::engine::lessons::Machine;

/// `crossOriginIsolated` of this page (what the browser says; [`super::backend`] tries instead).
pub fn cross_origin_isolated() -> bool {
    // Read from the global object: web-sys gates `Window::cross_origin_isolated` as unstable.
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into()).is_ok_and(|v| v.is_truthy())
}

/// Logical cores the browser reports (`navigator.hardwareConcurrency`), at least 1.
pub fn hardware_concurrency() -> usize {
    web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize).max(1)
}

/// Workers to start, in either back-end: twice the cores, so "more chefs than stoves" can be
/// measured for real.
pub fn planned_threads() -> usize {
    Machine::threads_for(hardware_concurrency())
}

/// Starts `threads` rayon workers sharing this page's memory; the promise settles when they run.
pub fn start(threads: usize) -> Promise {
    wasm_bindgen_rayon::init_thread_pool(threads)
}

/// How many threads the started pool has.
pub fn threads() -> usize {
    rayon::current_num_threads()
}

/// Runs `work` on a worker thread of the pool and awaits its result, so the main thread stays
/// free meanwhile (a blocking call there would freeze the page). `Err` if the pool dropped it.
pub async fn on_worker<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, futures::channel::oneshot::Canceled> {
    let (done, result) = futures::channel::oneshot::channel();
    rayon::spawn(move || {
        let _ = done.send(work());
    });
    result.await
}
