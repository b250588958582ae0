//! The environment probe: what this browser offers for concurrency and parallelism.

use serde::Serialize;

use super::{clock, pool, run};
use crate::engine::Calibration;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Env {
    pub cross_origin_isolated: bool,
    pub shared_array_buffer: bool,
    /// Logical cores the browser reports (`navigator.hardwareConcurrency`).
    pub hardware_concurrency: usize,
    /// Worker threads actually running in the pool (0 when none could start).
    pub threads: usize,
    /// Why there are no worker threads, when there are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threads_unavailable: Option<String>,
    pub timer_resolution_ms: f64,
    /// Kernel calibrations measured so far on this page (`kitchen.calibrate()` measures all).
    pub calibration: Vec<Calibration>,
}

pub async fn probe() -> Env {
    let threads = pool::ready().await;
    let shared_array_buffer = js_sys::Reflect::has(&js_sys::global(), &"SharedArrayBuffer".into()).unwrap_or(false);
    Env {
        cross_origin_isolated: pool::cross_origin_isolated(),
        shared_array_buffer,
        hardware_concurrency: pool::hardware_concurrency(),
        threads: *threads.as_ref().unwrap_or(&0),
        threads_unavailable: threads.err().map(|why| why.to_string()),
        timer_resolution_ms: clock::measure_resolution_ms(),
        calibration: run::calibrations_so_far(),
    }
}
