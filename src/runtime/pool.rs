//! The worker pool: rayon on Web Workers through wasm-bindgen-rayon.
//!
//! Started once per page, only when the page is cross-origin isolated: without
//! SharedArrayBuffer the workers cannot share memory and `rayon::spawn` would never complete.

use std::cell::RefCell;

use js_sys::Promise;
use wasm_bindgen_futures::JsFuture;

use super::error::{Error, ErrorKind};
use crate::engine::lessons::Machine;
use super::js::describe_js_error;

#[derive(Clone, Debug)]
pub enum PoolState {
    /// The page is not cross-origin isolated: no shared memory, no workers.
    Unavailable(String),
    Starting(Promise),
    Ready(usize),
    Failed(String),
}

thread_local! {
    static POOL: RefCell<Option<PoolState>> = const { RefCell::new(None) };
}

pub fn cross_origin_isolated() -> bool {
    // Read from the global object: web-sys gates `Window::cross_origin_isolated` as unstable.
    js_sys::Reflect::get(&js_sys::global(), &"crossOriginIsolated".into()).is_ok_and(|v| v.is_truthy())
}

pub fn hardware_concurrency() -> usize {
    web_sys::window().map_or(1, |w| w.navigator().hardware_concurrency() as usize).max(1)
}

/// Threads to start: twice the cores, so "more chefs than stoves" can be measured for real.
pub fn planned_threads() -> usize {
    Machine::threads_for(hardware_concurrency())
}

/// Starts the pool in the background (once); [`ready`] awaits it.
pub fn start() {
    POOL.with(|pool| {
        let mut pool = pool.borrow_mut();
        if pool.is_some() {
            return;
        }
        *pool = Some(if cross_origin_isolated() {
            PoolState::Starting(wasm_bindgen_rayon::init_thread_pool(planned_threads()))
        } else {
            PoolState::Unavailable(
                "this page is not cross-origin isolated (no SharedArrayBuffer), so no worker threads can share its memory; \
                 serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp"
                    .into(),
            )
        });
    });
}

/// How many worker threads are running, once the pool has started; or why there are none.
pub async fn ready() -> Result<usize, Error> {
    start();
    let state = POOL.with(|p| p.borrow().clone()).expect("started above");
    let result = match state {
        PoolState::Ready(n) => return Ok(n),
        PoolState::Unavailable(why) | PoolState::Failed(why) => return Err(ErrorKind::NoWorkers(why).into()),
        PoolState::Starting(promise) => JsFuture::from(promise).await,
    };
    let next = match result {
        Ok(_) => PoolState::Ready(rayon::current_num_threads()),
        Err(e) => PoolState::Failed(format!("the worker pool failed to start: {}", describe_js_error(&e))),
    };
    POOL.with(|p| *p.borrow_mut() = Some(next.clone()));
    match next {
        PoolState::Ready(n) => Ok(n),
        PoolState::Failed(why) => Err(ErrorKind::NoWorkers(why).into()),
        _ => unreachable!(),
    }
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
