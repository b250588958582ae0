//! Fuzzes the trace decoder: JSON text → `Trace` with serde_json (how saved traces are read
//! back), then the native code a read trace reaches: the Chrome trace export
//! (`kitchen.chromeTrace`, the CLI's `--chrome`) and `TraceMetrics` (the results table).
//!
//! Checks applied: serde's (types, required fields, known enum variants) and then the format's
//! own, `Trace::from_json` / `Trace::check` (known version, finite times ≥ 0, spans that end
//! after they start), which must agree. The export and the metrics get every trace serde
//! reads, also those the checks refuse (the CLI exports without checking), and must not panic.

#![no_main]

use kitchen::engine::analysis::TraceMetrics;
use kitchen::engine::export::chrome_trace;
use kitchen::engine::Trace;
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(trace) = serde_json::from_str::<Trace>(text) else { return };
    // serde_json::from_str also refuses text after the trace, as `from_json` does.
    if Trace::from_json(text).is_ok() != trace.check().is_ok() {
        panic!("Trace::from_json and Trace::check disagree on {text}");
    }
    // The timeline's Save trace writes a trace out; it must read back in.
    let json = serde_json::to_string(&trace).expect("a trace serialises");
    if let Err(e) = serde_json::from_str::<Trace>(&json) {
        panic!("a trace, written out, no longer parses: {e}\n{json}");
    }
    chrome_trace(&trace);
    TraceMetrics::of(&trace);
});

// Edits of well-formed documents besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
