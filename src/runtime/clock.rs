//! The browser's clock, readable from the main thread and from every worker.

use std::cell::OnceCell;

use wasm_bindgen::JsCast;
use web_sys::Performance;

use crate::engine::clock::Clock;

thread_local! {
    static PERFORMANCE: OnceCell<Performance> = const { OnceCell::new() };
}

/// `performance.timeOrigin + performance.now()`: each worker's `now()` counts from its own
/// start, so adding the time origin puts every thread on one axis.
#[derive(Clone, Copy, Debug, Default)]
pub struct BrowserClock;

impl Clock for BrowserClock {
    fn now_ms(&self) -> f64 {
        PERFORMANCE.with(|cell| {
            let perf = cell.get_or_init(|| {
                js_sys::Reflect::get(&js_sys::global(), &"performance".into())
                    .expect("performance exists in windows and workers")
                    .unchecked_into()
            });
            perf.time_origin() + perf.now()
        })
    }
}

/// The smallest step the clock shows (browsers coarsen it: 5 µs when cross-origin isolated,
/// 100 µs otherwise), measured by reading it until it changes.
pub fn measure_resolution_ms() -> f64 {
    let clock = BrowserClock;
    let mut smallest = f64::INFINITY;
    for _ in 0..20 {
        let t0 = clock.now_ms();
        let mut t1 = clock.now_ms();
        while t1 == t0 {
            t1 = clock.now_ms();
        }
        smallest = smallest.min(t1 - t0);
    }
    smallest
}
