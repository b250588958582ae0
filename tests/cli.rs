//! The native runner as a user calls it: `run --json` and `sweep --json` print JSON that parses
//! and agrees with itself (speedup = baseline wall / wall, …) and with the text output.

// On wasm32 the binary is the web app, not this runner.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

use kitchen::engine::analysis::{fit_amdahl, karp_flatt};
use serde_json::Value;

/// Four dishes of 2 ms of cooking: a run takes milliseconds (calibration takes longer).
const TINY: &str = r#"{"version":1,"model":"parallel","chefs":2,"tasks":[
  {"id":"a","phases":[{"cook":{"ms":2}}]}, {"id":"b","phases":[{"cook":{"ms":2}}]},
  {"id":"c","phases":[{"cook":{"ms":2}}],"after":["a"]}, {"id":"d","phases":[{"cook":{"ms":2}}]}]}"#;

/// Writes the tiny experiment to a file of its own for `test` (tests run in parallel).
fn tiny(test: &str) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{test}.json"));
    std::fs::write(&path, TINY).unwrap();
    path
}

fn cli(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_concurrency-kitchen")).args(args).output().expect("start the runner")
}

/// Runs the CLI, which must succeed, and parses its stdout as JSON.
fn cli_json(args: &[&str]) -> Value {
    let out = cli(args);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn sweep_json_is_consistent() {
    let path = tiny("sweep");
    let json = cli_json(&["sweep", path.to_str().unwrap(), "--max-chefs", "2", "--json"]);
    assert_eq!(json["path"], path.to_str().unwrap());
    assert_eq!(json["model"], "parallel");
    assert_eq!(json["tries"], 1);
    let cores = json["cores"].as_u64().unwrap() as usize;
    assert!(cores >= 1);
    let baseline = num(&json["baseline_ms"]);
    assert!(baseline > 0.0);
    let points = json["points"].as_array().unwrap();
    assert_eq!(points.iter().map(|p| p["chefs"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2]);
    let mut pairs = Vec::new();
    for p in points {
        let (chefs, wall, speedup) = (p["chefs"].as_u64().unwrap() as usize, num(&p["wall_ms"]), num(&p["speedup"]));
        assert!(wall > 0.0 && close(speedup, baseline / wall), "{p}");
        assert!(close(num(&p["efficiency"]), speedup / chefs as f64), "{p}");
        match karp_flatt(speedup, chefs) {
            Some(e) => assert!(close(num(&p["karp_flatt"]), e), "{p}"),
            None => assert!(p["karp_flatt"].is_null(), "{p}"),
        }
        pairs.push((chefs, speedup));
    }
    // By hand too, so the check does not only repeat the engine's function.
    let s2 = num(&points[1]["speedup"]);
    assert!(close(num(&points[1]["karp_flatt"]), (1.0 / s2 - 0.5) / 0.5));
    // Amdahl is fitted over the widths with a core each: none beyond one on a one-core machine.
    let within: Vec<_> = pairs.into_iter().filter(|&(p, _)| p <= cores).collect();
    match fit_amdahl(&within) {
        Some(f) => {
            assert!(close(num(&json["amdahl"]["serial_fraction"]), f), "{json}");
            let max = &json["amdahl"]["max_speedup"];
            assert!(if f > 0.0 { close(num(max), 1.0 / f) } else { max.is_null() }, "{json}");
        }
        None => assert!(json["amdahl"].is_null() && cores == 1, "{json}"),
    }
    // The computed limits: one simulated wall per width, never below the work/span ideal,
    // and a sentence on the serial fraction whichever way it goes.
    let x = &json["explained"];
    let widths = x["limits"]["widths"].as_array().unwrap();
    assert_eq!(widths.iter().map(|w| w["chefs"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2], "{x}");
    for w in widths {
        assert!(num(&w["simulated_ms"]) >= num(&w["ideal_ms"]) - 1e-9, "{w}");
        let predicted = num(&x["limits"]["baseline_ms"]) / (num(&w["simulated_ms"]) + num(&w["stoves_ms"]));
        assert!(close(num(&w["predicted_speedup"]), predicted), "{w}");
    }
    assert!(x["plateau"].is_string() && x["serial_says"].as_str().unwrap().contains("serial"), "{x}");
}

#[test]
fn sweep_text_is_the_table() {
    let path = tiny("sweep-text");
    let out = cli(&["sweep", path.to_str().unwrap(), "--max-chefs", "2", "--tries", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("sweep of parallel on ") && lines[0].ends_with(" ms (measured)"), "{text}");
    assert_eq!(lines[1].split_whitespace().collect::<Vec<_>>(), ["chefs", "wall", "ms", "speedup", "efficiency", "Karp-Flatt"]);
    // One row per width: chefs, wall, speedup, efficiency, Karp–Flatt ("-" for one chef).
    let rows: Vec<Vec<&str>> = lines[2..4].iter().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!((rows[0][0], rows[0][4]), ("1", "-"), "{text}");
    assert_eq!(rows[1][0], "2", "{text}");
    assert!(rows[1][4].parse::<f64>().is_ok(), "{text}");
    let refused = cli(&["sweep", path.to_str().unwrap(), "--tries", "0"]);
    assert!(!refused.status.success() && String::from_utf8_lossy(&refused.stderr).contains("--tries must be at least 1"));
}

#[test]
fn run_json_summarises_the_trace() {
    let path = tiny("run");
    let trace_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cli-run.trace.json");
    let json = cli_json(&["run", path.to_str().unwrap(), "--json", "--trace", trace_path.to_str().unwrap()]);
    let trace: Value = serde_json::from_str(&std::fs::read_to_string(&trace_path).unwrap()).unwrap();
    assert_eq!(json["model"], "parallel");
    assert_eq!(json["chefs"], 2);
    assert_eq!(json["stopped"], false);
    assert_eq!(json["checksums_ok"], true);
    // The summary is of the trace --trace wrote.
    assert_eq!(json["wall_ms"], trace["wall_ms"]);
    assert_eq!(json["tasks"], trace["tasks"]);
    assert_eq!(json["calibration"], trace["calibration"]);
    let wall = num(&json["wall_ms"]);
    assert!(wall > 0.0 && json["metrics"]["wall_ms"] == json["wall_ms"]);
    let utilisation = num(&json["metrics"]["utilisation"]);
    assert!((0.0..=1.0 + 1e-9).contains(&utilisation), "{json}");
    let a = &json["analysis"];
    let (work, span) = (num(&a["work_ms"]), num(&a["span_ms"]));
    // a → c is the critical path: two dishes of about 2 ms each, the others beside it.
    assert_eq!(a["critical_path"], serde_json::json!(["a", "c"]));
    assert!(close(num(&a["parallelism"]), work / span), "{a}");
    assert!(close(num(&a["ideal_wall_ms"]), span.max(work / 2.0)), "{a}");
    assert_eq!(json["tasks"].as_array().unwrap().len(), 4);
    // The breakdown: every part once, labelled, adding up to the measured wall.
    let b = &json["breakdown"];
    let parts = b["parts"].as_array().unwrap();
    let names: Vec<&str> = parts.iter().map(|p| p["part"].as_str().unwrap()).collect();
    assert_eq!(names, ["ideal", "rounds", "dependencies", "serial_part", "simmering", "stoves", "overhead"]);
    let sum: f64 = parts.iter().map(|p| num(&p["ms"])).sum();
    assert!((sum - wall).abs() < 1e-6, "{sum} vs {wall}: {b}");
    assert!(close(num(&parts[0]["ms"]), num(&a["ideal_wall_ms"])), "{b}");
    assert_eq!(parts[0]["basis"], "computed");
    assert_eq!(parts[6]["basis"], "measured_minus_computed");
    // The overhead is what the measured wall adds to everything computed.
    let computed: f64 = parts[..6].iter().map(|p| num(&p["ms"])).sum();
    assert!((num(&parts[6]["ms"]) - (wall - computed)).abs() < 1e-6, "{b}");
    assert!(num(&parts[6]["ms"]) <= wall - num(&b["simulated_ms"]) + 1e-9, "{b}");
    assert!(parts.iter().all(|p| !p["says"].as_str().unwrap().is_empty()), "{b}");
}

#[test]
fn run_text_shows_where_the_wall_went() {
    let path = tiny("run-text");
    let out = cli(&["run", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let at = text.find("where the ").unwrap_or_else(|| panic!("{text}"));
    for title in ["Ideal", "Rounds (granularity)", "Dependencies", "Serial part", "Simmering not overlapped", "More chefs than stoves", "Overhead"] {
        assert!(text[at..].contains(title), "{title}: {text}");
    }
    assert!(text.contains("measured − computed"), "{text}");
}
