//! Fuzzes the experiment decoder: JSON text → `Experiment::from_json` → `Plan::new` (the graph
//! validation every run, simulation and analysis goes through) → `GraphAnalysis::of` (what
//! `kitchen.analyse` and the composer compute from an accepted experiment).
//!
//! The calibration is fixed, not measured, so every input replays exactly: a crash found here
//! reproduces with `cargo fuzz run experiment fuzz/artifacts/experiment/crash-…`.

#![no_main]

use kitchen::engine::analysis::GraphAnalysis;
use kitchen::engine::{Calibration, Experiment, Kernel, Plan};
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fn fixed(kernel: Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }
}

fuzz_target!(|data: &[u8]| {
    // Every caller hands the decoder text (a file, a textarea, `JSON.stringify`): bytes that are
    // not UTF-8 never reach it.
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(experiment) = Experiment::from_json(text) else { return };
    // Accepted text is one JSON document, nothing after it.
    assert!(serde_json::from_str::<serde_json::Value>(text).is_ok(), "accepted text that is not JSON");
    // The composer's export writes an accepted experiment back out; it must read back in.
    let json = serde_json::to_string(&experiment).expect("an accepted experiment serialises");
    if let Err(e) = Experiment::from_json(&json) {
        panic!("an accepted experiment, written out, no longer parses: {e}\n{json}");
    }
    if let Ok(plan) = Plan::new(&experiment, &fixed) {
        GraphAnalysis::of(&plan);
    }
});

// Edits of well-formed documents besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
