//! Runtime glue in a real browser (wasm-bindgen-test in headless Chromium, cross-origin
//! isolated by the test runner's server): clock, timers, worker pool, the JS API's parsing,
//! and the main-thread and worker executors.
#![cfg(target_arch = "wasm32")]

use kitchen::engine::clock::Clock;
use kitchen::engine::trace::SpanKind;
use kitchen::engine::{presets, Experiment, Kernel, Model};
use kitchen::runtime::clock::BrowserClock;
use kitchen::runtime::timers::{sleep_ms, yield_to_event_loop};
use kitchen::runtime::backend::{self, Backend};
use kitchen::runtime::{js, pool, run, ErrorKind};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The "Three dishes" preset: three equal 300 ms dishes.
fn three_dishes(model: Model, chefs: usize) -> Experiment {
    presets::find("three-dishes").expect("a preset").experiment(model, chefs)
}

#[wasm_bindgen_test]
async fn sleep_waits_at_least_its_time_on_the_browser_clock() {
    let t0 = BrowserClock.now_ms();
    sleep_ms(30.0).await;
    let waited = BrowserClock.now_ms() - t0;
    assert!(waited >= 29.0, "waited {waited} ms");
    yield_to_event_loop().await; // resolves at all (a lost message would hang the test)
}

#[wasm_bindgen_test]
fn every_kernel_returns_its_natively_computed_checksum() {
    // The per-unit constants were computed natively: wasm must do the same arithmetic
    // (IEEE f64 without fused multiply-adds, wrapping u64).
    for kernel in Kernel::ALL {
        assert_eq!(kernel.run(2), kernel.expected_checksum(2), "{kernel:?}");
        assert!(run::calibrated(kernel).units_per_ms > 0.0, "{kernel:?}");
    }
}

#[wasm_bindgen_test]
async fn shared_memory_back_end_when_isolated() {
    assert!(pool::cross_origin_isolated(), "the test server sends COOP/COEP");
    let chefs = backend::chefs().await;
    assert_eq!(chefs.backend, Backend::SharedMemory, "{}", chefs.why);
    let threads = chefs.workers().expect("pool starts");
    assert!(threads >= 2, "{threads}");
    assert!(chefs.why.contains("stayed shared"), "{}", chefs.why);
}

#[wasm_bindgen_test]
async fn parallel_run_cooks_on_two_worker_lanes_at_once() {
    let trace = run::run(three_dishes(Model::Parallel, 2)).await.expect("runs");
    assert!(trace.checksums_ok);
    assert_eq!(trace.tasks.len(), 3);
    let cooks: Vec<_> = trace.spans.iter().filter(|s| s.kind == SpanKind::Cook).collect();
    assert!(cooks.iter().all(|s| s.lane > 0), "parallel chefs are workers: {cooks:?}");
    let overlap = cooks.iter().any(|a| cooks.iter().any(|b| a.lane != b.lane && a.start_ms < b.end_ms && b.start_ms < a.end_ms));
    assert!(overlap, "{cooks:?}");
}

#[wasm_bindgen_test]
async fn concurrent_run_stays_on_the_main_thread_and_overlaps_simmers() {
    let e = Experiment::from_json(
        r#"{"version":1,"model":"concurrent","tasks":[
            {"id":"a","phases":[{"simmer":{"ms":60}}]},{"id":"b","phases":[{"cook":{"ms":5}},{"simmer":{"ms":60}}]}]}"#,
    )
    .unwrap();
    let trace = run::run(e).await.expect("runs");
    assert!(trace.spans.iter().all(|s| s.lane == 0));
    assert!(trace.wall_ms < 110.0, "two 60 ms waits overlapped: {}", trace.wall_ms);
}

#[wasm_bindgen_test]
async fn too_many_chefs_is_refused_with_the_thread_count() {
    let err = run::run(three_dishes(Model::Parallel, 60)).await.unwrap_err();
    assert!(matches!(err.kind, ErrorKind::TooManyChefs { chefs: 60, .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("60 chefs") && message.contains("worker threads"), "{message}");
}

#[wasm_bindgen_test]
fn js_experiments_are_parsed_with_paths_in_errors() {
    let value = js_sys::JSON::parse(r#"{"version":1,"model":"parallel","chefs":2,"tasks":[{"id":"a","phases":[{"boil":{}}]}]}"#).unwrap();
    let err = js::experiment_from_js(value).unwrap_err().to_string();
    assert!(err.contains("tasks[0].phases[0]") && err.contains("boil"), "{err}");
    assert!(js::experiment_from_js(JsValue::from(3)).unwrap_err().to_string().contains("experiment object"));
    // Values cross as JSON text we made, so serde_json's "at line 1 column N" would mean
    // nothing to the caller: the path alone locates the problem.
    assert!(!err.contains("line 1") && !err.contains("column"), "{err}");
}

#[wasm_bindgen_test]
fn js_traces_and_values_cross_as_json() {
    let show = |text: &str| js::trace_from_js(js_sys::JSON::parse(text).unwrap(), "show").unwrap_err().to_string();
    let missing = show(r#"{"version":1}"#);
    assert!(missing.starts_with("not a trace: missing field `source`") && !missing.contains("column"), "{missing}");
    // What JSON cannot hold is refused with the browser's reason, not a panic.
    let object = js_sys::Object::new();
    js_sys::Reflect::set(&object, &"version".into(), &js_sys::BigInt::from(1u32).into()).unwrap();
    let bigint = js::experiment_from_js(object.into()).unwrap_err().to_string();
    assert!(bigint.contains("could not read the experiment") && bigint.contains("BigInt"), "{bigint}");
    // Out: plain objects and arrays, read back as the JSON they are.
    let out = js::to_js(&std::collections::BTreeMap::from([("lanes", vec![1, 2])]));
    assert_eq!(String::from(js_sys::JSON::stringify(&out).unwrap()), r#"{"lanes":[1,2]}"#);
}
