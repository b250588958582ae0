//! Blocking the pass (9): cooking on the page's main thread freezes the page; juggling the same
//! work keeps it responsive. The only lesson that reads the page's responsiveness.

use super::builders::{preset, run};
use super::verdict::{Finding, Measures, Runs};
use super::words::{ms, num};
use super::{Lesson, Machine, RunSpec};
use crate::engine::experiment::Model;

pub(super) const BLOCKING_THE_PASS: Lesson = Lesson {
    number: 9,
    id: "blocking-the-pass",
    title: "Blocking the pass",
    claim: "A chef who cooks at the pass (the page's main thread) without looking up leaves every waiter \
            standing: the page freezes until the cooking is done. A chef who looks up every 10 ms keeps the page \
            responsive while doing the same work.",
    measures: Measures::TracesAndResponsiveness,
    tries: 1,
    plan: plan_blocking,
    judge: Some(judge_blocking),
    caveat: None,
};

/// A page that answers within this is responsive (about three frames at 60 Hz).
pub const RESPONSIVE_MS: f64 = 50.0;
/// A gap this long (four times that) is a freeze anyone notices.
pub const FROZEN_MS: f64 = 4.0 * RESPONSIVE_MS;

fn plan_blocking(_: &Machine) -> Result<Vec<RunSpec>, String> {
    // Both on the main thread: the sequential chef blocks it, the juggling one yields every slice.
    let on_main = |label: &str, model| Ok::<_, String>(RunSpec { main_thread: true, ..run(label, preset("three-dishes", model, 1)?) });
    Ok(vec![
        on_main("sequential on the main thread, three 300 ms dishes", Model::Sequential)?,
        on_main("concurrent on the main thread, the same dishes", Model::Concurrent)?,
    ])
}

fn judge_blocking(r: &Runs) -> Finding {
    let walls = format!("the runs took {} and {}", ms(r.wall(0)), ms(r.wall(1)));
    let mut numbers = vec![num("sequential, ms", r.wall(0)), num("juggled, ms", r.wall(1))];
    let gaps: Vec<f64> = r.samples.iter().map(|s| s.longest_gap_ms).collect();
    let [blocked, juggled] = gaps[..] else {
        return Finding {
            holds: false,
            what: format!("{walls}, but the page's responsiveness was not measured"),
            numbers,
            why_not: Some(format!(
                "needs the page's longest gap between event-loop turns during each run ({} samples, got {}); only the \
                 browser can measure it",
                r.len(),
                gaps.len()
            )),
        };
    };
    numbers.extend([num("sequential: longest gap, ms", blocked), num("juggled: longest gap, ms", juggled)]);
    if !(blocked >= 0.0 && juggled >= 0.0 && blocked.is_finite() && juggled.is_finite()) {
        let what = format!("{walls}; the page's samples are not durations ({blocked}, {juggled})");
        return Finding { holds: false, what, numbers, why_not: Some("the page sent a longest gap that is not a number of ms".into()) };
    }
    let frozen = blocked > FROZEN_MS;
    let responsive = juggled <= RESPONSIVE_MS;
    let why_not = match (frozen, responsive) {
        (false, _) => "the sequential run did not block the page: it may have run on a worker rather than the main thread".into(),
        _ => format!("the juggling chef left the page waiting more than {} at once: the page was busy with something else too", ms(RESPONSIVE_MS)),
    };
    Finding {
        holds: frozen && responsive,
        what: format!(
            "cooking one dish after another on the main thread froze the page for up to {}; juggling the same work kept \
             every gap within {} ({walls})",
            ms(blocked),
            ms(juggled)
        ),
        numbers,
        why_not: Some(why_not),
    }
}
