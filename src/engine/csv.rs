//! The measured table as CSV (RFC 4180), for spreadsheets and homework: one row per dish with
//! its chef, thread, lane, when it became eligible, started and ended, and its turns.
//!
//! Written by hand rather than with the `csv` crate: the whole format here is quoting one kind
//! of field, and the page's weight counts (the crate reads it back in the tests). A dish name a
//! spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! prefixed with `'`, as OWASP advises for CSV meant for spreadsheets.

use std::fmt::Write as _;

use super::trace::Trace;

/// The header row's columns.
pub const COLUMNS: [&str; 8] = ["dish", "chef", "thread", "lane", "eligible_ms", "start_ms", "end_ms", "polls"];

/// `trace`'s dishes as CSV, in the trace's order, times in ms to three decimals. Chefs are
/// numbered from 1 in lane order, as the timeline numbers them.
pub fn tasks_csv(trace: &Trace) -> String {
    let mut lanes: Vec<usize> = trace.lanes.iter().map(|l| l.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for t in &trace.tasks {
        let chef = lanes.iter().position(|&l| l == t.lane).map_or(String::new(), |i| (i + 1).to_string());
        let thread = trace.lanes.iter().find(|l| l.lane == t.lane).map_or("", |l| l.thread.as_str());
        let _ = write!(
            out,
            "{},{chef},{},{},{:.3},{:.3},{:.3},{}\r\n",
            field(&t.id),
            field(thread),
            t.lane,
            t.eligible_ms,
            t.start_ms,
            t.end_ms,
            t.polls
        );
    }
    out
}

/// One text field: quoted when it holds a comma, quote or line break (quotes doubled), and
/// defused when a spreadsheet would read it as a formula.
pub(crate) fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate::simulate;
    use crate::engine::{Calibration, Experiment, Plan, Policy};
    use std::sync::Arc;

    fn trace(ids: &[&str]) -> Trace {
        let tasks: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id":{},"phases":[{{"cook":{{"units":50}}}}]}}"#, serde_json::to_string(id).unwrap()))
            .collect();
        let e = Experiment::from_json(&format!(r#"{{"version":1,"model":"parallel","chefs":2,"tasks":[{}]}}"#, tasks.join(","))).unwrap();
        let fixed = |kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 };
        simulate(Arc::new(Plan::new(&e, &fixed).unwrap()), 2, Policy::new(e.model, e.yield_policy))
    }

    #[test]
    fn every_dish_reads_back_through_a_csv_reader() {
        let ids = ["soup", "crème, brûlée", "say \"cheese\"", "two\nlines", "=1+1", "-x", "@home", "🍲"];
        let t = trace(&ids);
        let text = tasks_csv(&t);
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), COLUMNS);
        let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), ids.len());
        for (row, task) in rows.iter().zip(&t.tasks) {
            let expected = if task.id.starts_with(['=', '-', '@']) { format!("'{}", task.id) } else { task.id.clone() };
            assert_eq!(&row[0], expected);
            assert_eq!(row[3].parse::<usize>().unwrap(), task.lane);
            assert!((row[5].parse::<f64>().unwrap() - task.start_ms).abs() < 5e-4);
            assert!((row[6].parse::<f64>().unwrap() - task.end_ms).abs() < 5e-4);
            assert_eq!(row[7].parse::<u32>().unwrap(), task.polls);
            assert!(["1", "2"].contains(&&row[1]), "chef {}", &row[1]);
            assert!(row[2].starts_with("worker"), "{}", &row[2]);
        }
    }
}
