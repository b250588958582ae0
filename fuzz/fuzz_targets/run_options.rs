//! Fuzzes the options of a run that a native build can read.
//!
//! `kitchen.run`'s own options object (`RunOptions`, `{ mainThread: true }`) is read from a
//! JavaScript value by serde-wasm-bindgen in the wasm-only `runtime::api::run_options_from_js`:
//! no native build reaches it. What is native, and fuzzed here on the same text: the model name
//! (`Model::from_str`, the CLI's `--model`), and the settings an experiment carries for how it
//! runs, each read alone with serde_json as inside an experiment — `model`, `kernel` and
//! `yield`. An accepted `yield` then drives a small fixed plan through the simulator under
//! every model: any time slice, however small, huge or odd, must give a finished run.

#![no_main]

use std::sync::{Arc, OnceLock};

use kitchen::engine::experiment::YieldPolicy;
use kitchen::engine::simulate::simulate;
use kitchen::engine::{Calibration, Experiment, Kernel, Model, Plan, Policy};
use libfuzzer_sys::fuzz_target;

/// Two dishes of 20 units, one with a simmer: at most 40 turns even with a one-unit slice.
const PLAN: &str = r#"{"version":1,"model":"concurrent","tasks":[
    {"id":"a","phases":[{"cook":{"units":20}},{"simmer":{"ms":1}}]},
    {"id":"b","phases":[{"cook":{"units":20,"kernel":"sort"}}]}]}"#;

fn plan() -> Arc<Plan> {
    static PLAN_ONCE: OnceLock<Arc<Plan>> = OnceLock::new();
    let fixed = |kernel: Kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 };
    PLAN_ONCE.get_or_init(|| Arc::new(Plan::new(&Experiment::from_json(PLAN).unwrap(), &fixed).unwrap())).clone()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(model) = text.parse::<Model>() {
        assert_eq!(model.name(), text, "a model parses only from its own name");
    }
    let _ = serde_json::from_str::<Model>(text);
    let _ = serde_json::from_str::<Kernel>(text);
    if let Ok(policy) = serde_json::from_str::<YieldPolicy>(text) {
        for model in Model::ALL {
            let trace = simulate(plan(), model.effective_chefs(2), Policy::new(model, policy));
            assert_eq!(trace.tasks.len(), 2, "{model:?} with {policy:?} left dishes unfinished");
        }
    }
});
