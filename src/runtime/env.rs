//! The environment probe: what this browser offers for concurrency and parallelism.

use serde::Serialize;

use super::backend::{self, Backend};
use super::{clock, isolation, pool, run};
use crate::engine::{Calibration, Kernel};

/// `kitchen.env()`: what this browser offers for concurrency and parallelism.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    /// What the browser says (`crossOriginIsolated`); whether memory is really shared is `backend`.
    pub cross_origin_isolated: bool,
    /// How the page was isolated (headers or service worker), or why not, in words.
    pub isolation: String,
    pub shared_array_buffer: bool,
    /// Logical cores the browser reports (`navigator.hardwareConcurrency`).
    pub hardware_concurrency: usize,
    /// Where parallel chefs run: `shared-memory`, `message-passing` or `none`.
    pub backend: Backend,
    /// Why this back-end: what was tried and what happened, in words.
    pub backend_reason: String,
    /// Workers actually running, in either back-end (0 when none could start).
    pub threads: usize,
    /// Why there are no worker threads, when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads_unavailable: Option<String>,
    pub timer_resolution_ms: f64,
    /// Kernel calibrations measured so far on this page (`kitchen.calibrate()` measures all).
    pub calibration: Vec<Calibration>,
}

/// What this page offers, once its back-end is chosen and its workers run.
pub async fn probe() -> Env {
    let chefs = backend::chefs().await;
    let threads = chefs.workers();
    let shared_array_buffer = js_sys::Reflect::has(&js_sys::global(), &"SharedArrayBuffer".into()).unwrap_or(false);
    Env {
        cross_origin_isolated: pool::cross_origin_isolated(),
        isolation: isolation::sentence(),
        shared_array_buffer,
        hardware_concurrency: pool::hardware_concurrency(),
        backend: chefs.backend,
        backend_reason: chefs.why,
        threads: *threads.as_ref().unwrap_or(&0),
        threads_unavailable: threads.err().map(|why| why.to_string()),
        timer_resolution_ms: clock::measure_resolution_ms(),
        calibration: run::calibrations_so_far(),
    }
}

/// [`probe`] for a page about to check its dishes: also measures the default kernel's
/// calibration, which that check needs, on a worker first ([`run::calibrate_ahead`]), so
/// the page does not freeze to measure it on the main thread.
pub async fn probe_for_page() -> Env {
    let env = probe().await;
    run::calibrate_ahead(Kernel::default()).await;
    Env { calibration: run::calibrations_so_far(), ..env }
}
