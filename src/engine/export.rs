//! Export: a trace as Chrome trace event JSON, the format Perfetto (ui.perfetto.dev) and
//! chrome://tracing open, so a run can be studied in a full trace viewer.
//!
//! The output is the JSON Object Format: `{"traceEvents": [...], "displayTimeUnit": "ms",
//! "otherData": {...}}`, with one complete event (`"ph": "X"`) per span and metadata events
//! (`"ph": "M"`) naming the process and its tracks.
//!
//! **Tracks.** Viewers draw the events of one thread (`tid`) as a stack of *nested* slices;
//! Perfetto's JSON importer mishandles slices that overlap without nesting. A lane whose spans
//! never overlap (non-juggling models) gets one track, named after its thread ("worker 2"). A
//! lane whose spans do overlap (juggling models: dishes simmer while the chef cooks another)
//! gets one track per dish instead, named "main · soup". Should one dish's own spans ever
//! overlap, they are spread over extra tracks ("main · soup (2)"), so no track ever holds two
//! overlapping events.
//!
//! **Times.** `ts` and `dur` are whole microseconds, rounded from the trace's milliseconds.
//! Rounding both ends keeps their order, so spans that touch still touch; fractional values
//! would not be safe, as Perfetto truncates `ts × 1000` to nanoseconds and can make touching
//! spans overlap by one. Microseconds are finer than any clock behind a browser trace.

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Value};

use super::trace::{Lane, Span, SpanKind, Trace};

/// The process id of every event: one run is one process.
const PID: u32 = 1;

/// `trace` as a Chrome trace event JSON object (see the module documentation for the rules).
pub fn chrome_trace(trace: &Trace) -> Value {
    let slices: Vec<Slice> = trace.spans.iter().map(Slice::of).collect();
    let tracks = tracks(&slices);
    let mut events = vec![metadata("process_name", 0, json!({ "name": process_name(trace) }))];
    let mut tid_of = vec![0; slices.len()];
    for (i, track) in tracks.iter().enumerate() {
        let tid = i + 1;
        let thread = thread_name(trace, track.lane);
        let name = match (&track.task, track.copy) {
            (None, _) => thread.clone(),
            (Some(task), 0) => format!("{thread} · {task}"),
            (Some(task), copy) => format!("{thread} · {task} ({})", copy + 1),
        };
        events.push(metadata("thread_name", tid, json!({ "name": name })));
        // Keep tracks in lane order, and a juggling lane's dishes in the order they started.
        events.push(metadata("thread_sort_index", tid, json!({ "sort_index": tid })));
        for &s in &track.slices {
            tid_of[s] = tid;
        }
    }
    for (slice, tid) in slices.iter().zip(tid_of) {
        events.push(complete(slice, tid, &thread_name(trace, slice.span.lane)));
    }
    json!({
        "traceEvents": events,
        "displayTimeUnit": "ms",
        "otherData": {
            "version": trace.version,
            "model": trace.model.name(),
            "chefs": trace.chefs,
            "wall_ms": trace.wall_ms,
            "stopped": trace.stopped,
        },
    })
}

/// A span with its ends in whole microseconds.
struct Slice<'a> {
    span: &'a Span,
    ts: i64,
    end: i64,
}

impl Slice<'_> {
    fn of(span: &Span) -> Slice<'_> {
        let ts = micros(span.start_ms);
        Slice { span, ts, end: micros(span.end_ms).max(ts) }
    }
}

fn micros(ms: f64) -> i64 {
    (ms * 1000.0).round() as i64
}

/// One track (`tid`): a lane, or one dish on a lane; `copy` numbers the extra tracks of a dish
/// whose own spans overlap.
struct Track {
    lane: usize,
    task: Option<String>,
    copy: usize,
    /// Indices into the slices, in time order, none overlapping.
    slices: Vec<usize>,
}

/// Splits the slices into tracks: one per lane where that is enough, else one per dish.
fn tracks(slices: &[Slice]) -> Vec<Track> {
    let mut by_lane: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, slice) in slices.iter().enumerate() {
        by_lane.entry(slice.span.lane).or_default().push(i);
    }
    let mut tracks = Vec::new();
    for (lane, mut members) in by_lane {
        members.sort_by_key(|&i| (slices[i].ts, slices[i].end));
        let rows = pack(&members, slices);
        if rows.len() == 1 {
            tracks.push(Track { lane, task: None, copy: 0, slices: members });
            continue;
        }
        for (task, of_task) in by_task(&members, slices) {
            for (copy, rows) in pack(&of_task, slices).into_iter().enumerate() {
                tracks.push(Track { lane, task: Some(task.to_string()), copy, slices: rows });
            }
        }
    }
    tracks
}

/// Groups time-ordered slices by dish, dishes in the order they first appear.
fn by_task<'a>(members: &[usize], slices: &[Slice<'a>]) -> Vec<(&'a str, Vec<usize>)> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for &i in members {
        let task = slices[i].span.task.as_str();
        let g = *index.entry(task).or_insert_with(|| {
            groups.push((task, Vec::new()));
            groups.len() - 1
        });
        groups[g].1.push(i);
    }
    groups
}

/// First-fit packing of time-ordered slices into rows of non-overlapping slices: one row when
/// none overlap. Touching slices (one ends when the next starts) share a row.
fn pack(members: &[usize], slices: &[Slice]) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_end: Vec<i64> = Vec::new();
    for &i in members {
        match row_end.iter().position(|&end| end <= slices[i].ts) {
            Some(r) => {
                rows[r].push(i);
                row_end[r] = slices[i].end;
            }
            None => {
                rows.push(vec![i]);
                row_end.push(slices[i].end);
            }
        }
    }
    rows
}

fn process_name(trace: &Trace) -> String {
    let chefs = if trace.chefs == 1 { "chef" } else { "chefs" };
    format!("Concurrency Kitchen — {}, {} {chefs}", trace.model.name(), trace.chefs)
}

/// The thread a lane is, as the trace names it ("main", "worker 2").
fn thread_name(trace: &Trace, lane: usize) -> String {
    trace
        .lanes
        .iter()
        .find(|l| l.lane == lane)
        .map_or_else(|| Lane::for_id(lane).thread, |l| l.thread.clone())
}

/// The JSON name of a span kind ("cook", "simmer", …), read from its serde form so new kinds
/// need no change here.
fn kind_name(kind: SpanKind) -> String {
    match serde_json::to_value(kind) {
        Ok(Value::String(name)) => name,
        other => format!("{other:?}"),
    }
}

fn metadata(name: &str, tid: usize, args: Value) -> Value {
    json!({ "ph": "M", "pid": PID, "tid": tid, "name": name, "args": args })
}

fn complete(slice: &Slice, tid: usize, thread: &str) -> Value {
    let kind = kind_name(slice.span.kind);
    json!({
        "ph": "X",
        "pid": PID,
        "tid": tid,
        "name": slice.span.task,
        "cat": kind,
        "ts": slice.ts,
        // Saturating: a trace read from JSON may hold absurd times (a start of -1e308 ms
        // saturates `ts` to i64::MIN), which the browser's checks refuse but the export is
        // still given by other callers; overflowing here panicked in debug builds
        // (found by tests/decoders.rs).
        "dur": slice.end.saturating_sub(slice.ts),
        "args": { "kind": kind, "lane": slice.span.lane, "thread": thread },
    })
}

#[cfg(all(test, not(target_arch = "wasm32")))] // proptest is a native dev-dependency
mod tests {
    use super::*;
    use crate::engine::experiment::Model;
    use proptest::prelude::*;

    fn trace(model: Model, chefs: usize, spans: Vec<Span>) -> Trace {
        Trace::measured(model, chefs).with_spans(spans)
    }

    /// Two workers cooking whole dishes, one waiting through a simmer: no lane overlaps.
    fn parallel() -> Trace {
        trace(
            Model::Parallel,
            2,
            vec![
                Span::new("soup", 1, SpanKind::Cook, 0.0, 40.0),
                Span::new("soup", 1, SpanKind::Simmer, 40.0, 140.0),
                Span::new("roast", 2, SpanKind::Cook, 0.2, 80.5),
                Span::new("dessert", 2, SpanKind::Cook, 80.5, 120.0),
            ],
        )
    }

    /// One juggling chef: simmers overlap cooks on lane 0.
    fn concurrent() -> Trace {
        trace(
            Model::Concurrent,
            1,
            vec![
                Span::new("soup", 0, SpanKind::Cook, 0.0, 10.0),
                Span::new("soup", 0, SpanKind::Simmer, 10.0, 90.0),
                Span::new("roast", 0, SpanKind::Cook, 10.0, 20.0),
                Span::new("roast", 0, SpanKind::Simmer, 20.0, 100.0),
                Span::new("dessert", 0, SpanKind::Cook, 20.0, 30.0),
                Span::new("dessert", 0, SpanKind::Cook, 30.0, 40.0),
                Span::new("soup", 0, SpanKind::Cook, 90.0, 95.0),
            ],
        )
    }

    fn events(json: &Value) -> &Vec<Value> {
        json["traceEvents"].as_array().expect("traceEvents is an array")
    }

    fn completes(json: &Value) -> Vec<&Value> {
        events(json).iter().filter(|e| e["ph"] == "X").collect()
    }

    /// The names of the tracks, by tid.
    fn thread_names(json: &Value) -> HashMap<u64, String> {
        events(json)
            .iter()
            .filter(|e| e["ph"] == "M" && e["name"] == "thread_name")
            .map(|e| (e["tid"].as_u64().unwrap(), e["args"]["name"].as_str().unwrap().to_string()))
            .collect()
    }

    fn assert_well_formed(json: &Value) {
        assert_eq!(json["displayTimeUnit"], "ms");
        for e in events(json) {
            assert_eq!(e["pid"], PID, "{e}");
            assert!(e["tid"].is_u64() && e["name"].is_string(), "{e}");
            match e["ph"].as_str() {
                Some("M") => assert!(e["args"].is_object(), "{e}"),
                Some("X") => {
                    assert!(e["ts"].as_i64().is_some_and(|ts| ts >= 0), "{e}");
                    assert!(e["dur"].as_i64().is_some_and(|dur| dur >= 0), "{e}");
                    assert!(e["cat"].is_string() && e["args"]["kind"] == e["cat"] && e["args"]["lane"].is_u64(), "{e}");
                }
                other => panic!("unexpected ph {other:?} in {e}"),
            }
        }
    }

    /// The property Perfetto needs: no two events on one (pid, tid) overlap.
    fn assert_no_track_overlaps(json: &Value) {
        let mut by_track: HashMap<(u64, u64), Vec<(i64, i64)>> = HashMap::new();
        for e in completes(json) {
            let ts = e["ts"].as_i64().unwrap();
            let key = (e["pid"].as_u64().unwrap(), e["tid"].as_u64().unwrap());
            by_track.entry(key).or_default().push((ts, ts + e["dur"].as_i64().unwrap()));
        }
        for (track, slices) in by_track {
            for (i, a) in slices.iter().enumerate() {
                for b in &slices[i + 1..] {
                    assert!(!(a.0 < b.1 && b.0 < a.1), "track {track:?}: {a:?} overlaps {b:?}");
                }
            }
        }
    }

    /// Every span appears exactly once, on a named track.
    fn assert_spans_once(trace: &Trace, json: &Value) {
        let key =
            |task: &str, kind: &str, lane: u64, ts: i64, end: i64| (task.to_string(), kind.to_string(), lane, ts, end);
        let mut want: Vec<_> = trace
            .spans
            .iter()
            .map(|s| {
                let slice = Slice::of(s);
                key(&s.task, &kind_name(s.kind), s.lane as u64, slice.ts, slice.end)
            })
            .collect();
        let names = thread_names(json);
        let mut got: Vec<_> = completes(json)
            .iter()
            .map(|e| {
                assert!(names.contains_key(&e["tid"].as_u64().unwrap()), "unnamed track in {e}");
                let ts = e["ts"].as_i64().unwrap();
                let end = ts + e["dur"].as_i64().unwrap();
                let lane = e["args"]["lane"].as_u64().unwrap();
                key(e["name"].as_str().unwrap(), e["cat"].as_str().unwrap(), lane, ts, end)
            })
            .collect();
        want.sort();
        got.sort();
        assert_eq!(got, want);
    }

    fn assert_valid(trace: &Trace) -> Value {
        let json = chrome_trace(trace);
        assert_well_formed(&json);
        assert_no_track_overlaps(&json);
        assert_spans_once(trace, &json);
        json
    }

    #[test]
    fn a_parallel_run_has_one_track_per_lane() {
        let json = assert_valid(&parallel());
        let mut names: Vec<_> = thread_names(&json).into_values().collect();
        names.sort();
        assert_eq!(names, ["worker 0", "worker 1"]);
        let roast = completes(&json).into_iter().find(|e| e["name"] == "roast").unwrap().clone();
        assert_eq!((roast["ts"].as_i64(), roast["dur"].as_i64()), (Some(200), Some(80_300)), "µs");
        assert_eq!(roast["args"]["thread"], "worker 1");
    }

    #[test]
    fn a_juggling_lane_has_one_track_per_dish() {
        let json = assert_valid(&concurrent());
        let mut names: Vec<_> = thread_names(&json).into_values().collect();
        names.sort();
        assert_eq!(names, ["main · dessert", "main · roast", "main · soup"]);
    }

    #[test]
    fn the_process_is_named_after_the_run() {
        for (trace, name) in [
            (parallel(), "Concurrency Kitchen — parallel, 2 chefs"),
            (concurrent(), "Concurrency Kitchen — concurrent, 1 chef"),
        ] {
            let json = chrome_trace(&trace);
            let process = events(&json).iter().find(|e| e["name"] == "process_name").unwrap();
            assert_eq!(process["args"]["name"], name);
            assert_eq!(json["otherData"]["model"], trace.model.name());
        }
    }

    #[test]
    fn absurd_times_export_without_overflow() {
        let spans = vec![
            Span::new("soup", 1, SpanKind::Simmer, -1e308, 11.0),
            Span::new("soup", 1, SpanKind::Cook, 0.0, 1e308),
        ];
        let json = chrome_trace(&trace(Model::Sequential, 1, spans));
        let durations: Vec<i64> = events(&json).iter().filter(|e| e["ph"] == "X").map(|e| e["dur"].as_i64().unwrap()).collect();
        assert_eq!(durations, [i64::MAX, i64::MAX]);
    }

    #[test]
    fn an_empty_trace_exports_just_the_process() {
        let json = assert_valid(&trace(Model::Sequential, 1, vec![]));
        assert_eq!(events(&json).len(), 1);
    }

    proptest! {
        /// Any spans, even a dish overlapping itself, give well-formed events, each span once,
        /// and no overlap on a track.
        #[test]
        fn any_trace_exports_without_track_overlaps(
            raw in prop::collection::vec((0..4usize, 0..3usize, any::<bool>(), 0.0..500.0f64, 0.0..80.0f64), 0..40)
        ) {
            let spans = raw
                .into_iter()
                .map(|(task, lane, cook, start, len)| {
                    let kind = if cook { SpanKind::Cook } else { SpanKind::Simmer };
                    Span::new(&format!("dish {task}"), lane, kind, start, start + len)
                })
                .collect();
            assert_valid(&trace(Model::ConcurrentParallel, 3, spans));
        }
    }
}
