//! Lessons: claims about concurrency and parallelism that you can check on your own machine.
//!
//! Each [`Lesson`] states a claim in kitchen language, plans the runs that test it
//! ([`Lesson::plan`], which may depend on the [`Machine`]), and computes a [`Verdict`] from the
//! measured traces of those runs ([`Lesson::verdict`]): "reproduced on your machine: …" with the
//! numbers, or "not reproduced: …" with the likely reason. Verdicts are never canned: they read
//! only the traces' measured wall times (and, for one lesson, the page's measured
//! responsiveness; for another, the race demo's report), so the same lesson may reproduce on one
//! machine and not on another.
//!
//! What each lesson reads is its [`Measures`], and only [`Measures::is_race_demo`] and
//! [`Measures::needs_meter`] decide what that means for whoever runs it:
//! - [`Measures::Traces`]: run every [`RunSpec`] of the plan, in order, and pass the traces to
//!   [`Lesson::verdict`].
//! - [`Measures::TracesAndResponsiveness`] ("Blocking the pass", `needs_meter`): the same, plus
//!   one [`ResponsivenessSample`] per run — the longest the page went without a turn of its
//!   event loop during that run, which only the browser can measure — passed to
//!   [`Lesson::verdict_with_responsiveness`]. Without samples (natively) the verdict says so.
//! - [`Measures::RaceDemo`] ("Shared counters and crossed locks", `is_race_demo`): no kitchen
//!   runs (its plan is empty); run [`race::run_demo`] with [`race::RacePlan::for_machine`] and
//!   pass the report to [`race::verdict`], the demo's own verdict.
//!
//! CPU runs on a shared machine are noisy (another program may take a core for a while), so a
//! lesson may ask for several [`Lesson::tries`]: the plan then lists all its runs once per try,
//! interleaved (A, B, A, B, …), and the verdict reads the fastest try of each run — the least
//! disturbed measurement of how long the work takes.
//!
//! Traces from [`crate::engine::simulate`] are accepted too, and their verdicts say "in
//! simulation (a prediction, not a measurement)" instead of "on your machine".
//!
//! Every verdict also says where each run's time went ([`Verdict::explained`]: the run's
//! [`crate::engine::breakdown`] on the machine's cores), and a reason for a claim that did not
//! hold names the part that weighs most beyond the ideal — "3 chefs take turns at 2 stoves"
//! rather than an unexplained miss. Judges need not do anything for it.
//!
//! ## Where things are
//!
//! - `machine.rs`: the [`Machine`]; `verdict.rs`: [`Verdict`], [`Measures`], the checks of
//!   traces against a plan and the `Runs` a judge reads; `words.rs`: numbers in words;
//!   `builders.rs`: experiments, runs and dishes for plans.
//! - The lessons, by theme: `waits.rs` (1, 2, 5), `cores.rs` (3, 4, 10, 12), `amdahl.rs` (6),
//!   `granularity.rs` (7, 8), `blocking.rs` (9), and [`race`] (11, with the race and deadlock
//!   demo).
//!
//! ## Adding a lesson
//!
//! Write a plan builder (`fn(&Machine) -> Result<Vec<RunSpec>, String>`, refusing machines that
//! cannot show the claim, with the reason) and a judge (`fn(&Runs) -> Finding`, reading
//! `Runs::wall(i)` for run `i` as the plan listed it), and a `pub(super) const` [`Lesson`] with
//! them (`plan: plan_x, judge: Some(judge_x)`, usually `measures: Measures::Traces`, and
//! `caveat: None` unless the lesson runs a partial plan on some machines), in its
//! theme's file or a new one (then one `mod` line below). Then add one line to [`LESSONS`]: its
//! `number` is its position there, which a test checks. A lesson that reads something new adds
//! a [`Measures`] variant and answers its methods in `verdict.rs`, the one place that matches
//! on it.

mod amdahl;
mod blocking;
mod builders;
mod cores;
mod granularity;
mod machine;
pub mod race;
mod verdict;
mod waits;
mod words;

use serde::Serialize;

pub use amdahl::serial_fraction;
pub use blocking::{FROZEN_MS, RESPONSIVE_MS};
pub use machine::Machine;
pub use verdict::{Measures, ResponsivenessSample, Verdict};

use super::experiment::Experiment;
use super::trace::{Source, Trace};
use verdict::{check_traces, Finding, Runs};

/// Every lesson, in teaching order.
pub const LESSONS: &[Lesson] = &[
    waits::OVERLAPPING_WAITS,
    waits::JUGGLING_IS_NOT_COOKING,
    cores::MORE_CHEFS,
    cores::MORE_CHEFS_THAN_STOVES,
    waits::OVEN,
    amdahl::AMDAHL,
    granularity::TINY_TASKS,
    granularity::GRAPH_DECIDES,
    blocking::BLOCKING_THE_PASS,
    cores::THREE_DISHES,
    race::SHARED_COUNTER,
    cores::MIXED_WORK,
];

/// The lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

/// One run a lesson needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSpec {
    /// What this run is, for people: "sequential, 10 calls".
    pub label: String,
    /// What to cook.
    pub experiment: Experiment,
    /// Run this on the page's main thread (whatever the model) and measure the page's
    /// responsiveness meanwhile; natively there is no main thread to protect, so it is ignored.
    pub main_thread: bool,
}

/// A lesson's plan builder.
type PlanFn = fn(&Machine) -> Result<Vec<RunSpec>, String>;
/// A lesson's judge: reads runs already checked against the plan.
type JudgeFn = fn(&Runs) -> Finding;
/// What a lesson says before running on a machine that cannot show its claim in full.
type CaveatFn = fn(&Machine) -> Option<String>;

/// A claim you can check.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Lesson {
    /// 1-based position in [`LESSONS`].
    pub number: u32,
    /// Stable id, for `kitchen.runLesson(id)`.
    pub id: &'static str,
    /// The lesson's name, for people.
    pub title: &'static str,
    /// The claim, in kitchen language.
    pub claim: &'static str,
    /// What its verdict reads.
    pub measures: Measures,
    /// How many times the plan lists each run (interleaved); the verdict reads the fastest.
    pub tries: usize,
    #[serde(skip)]
    plan: PlanFn,
    /// `None` exactly when [`Measures::is_race_demo`]: the race demo has its own verdict.
    #[serde(skip)]
    judge: Option<JudgeFn>,
    /// For a lesson that runs what it can where its claim cannot fully show (lesson 10 on
    /// fewer than 3 cores): what to say before it runs there.
    #[serde(skip)]
    caveat: Option<CaveatFn>,
}

impl Lesson {
    /// The runs this lesson needs on `machine`, in order (every run once per try, tries
    /// interleaved); or why it cannot run there (for example parallel runs on a page without
    /// worker threads). Every run is valid for [`crate::engine::Plan::new`] and runnable on
    /// `machine` (chefs ≤ threads for parallel models).
    pub fn plan(&self, machine: &Machine) -> Result<Vec<RunSpec>, String> {
        let once = (self.plan)(machine)?;
        if let Some(s) = once.iter().find(|s| !machine.can_run(&s.experiment)) {
            // Defensive: a plan builder that asked for more chefs than threads is a bug here,
            // reported as a value rather than a run the page would refuse.
            return Err(format!("run `{}` needs {} threads; this machine has {}", s.label, s.experiment.chefs, machine.threads));
        }
        Ok(with_tries(once, self.tries))
    }

    /// What to know before running this lesson on `machine` when the machine cannot show the
    /// claim in full: the lesson still runs what it can, and says here what that is. `None`
    /// where the claim can show (or the lesson cannot run at all: then [`Lesson::plan`] says why).
    pub fn caveat(&self, machine: &Machine) -> Option<String> {
        self.plan(machine).ok().and(self.caveat).and_then(|f| f(machine))
    }

    /// The verdict from the traces of this lesson's plan, in plan order. Traces that do not
    /// match the plan (missing, another model or width, stopped, wrong checksums) give a
    /// "not reproduced" verdict naming the problem, never a panic.
    pub fn verdict(&self, machine: &Machine, traces: &[Trace]) -> Verdict {
        self.verdict_with_responsiveness(machine, traces, &[])
    }

    /// [`Lesson::verdict`] with the page's responsiveness during each run, in plan order: what
    /// "Blocking the pass" ([`Measures::TracesAndResponsiveness`]) reads. Other lessons ignore
    /// `samples`. The race demo ([`Measures::RaceDemo`]) is not judged here but by
    /// [`race::verdict`]: asked anyway, this says so.
    pub fn verdict_with_responsiveness(
        &self,
        machine: &Machine,
        traces: &[Trace],
        samples: &[ResponsivenessSample],
    ) -> Verdict {
        // Only the race demo has no judge (a test checks it): its report is no kitchen run.
        let Some(judge) = self.judge else {
            return Verdict::cannot_judge(
                "this lesson is measured by the race demo, not by kitchen runs",
                "run race::run_demo and judge its report with race::verdict".into(),
            );
        };
        let specs = match self.plan(machine) {
            Ok(specs) => specs,
            Err(why) => return Verdict::cannot_judge("this machine cannot run the lesson", why),
        };
        if let Err(why) = check_traces(&specs, traces) {
            return Verdict::cannot_judge("the runs do not match the lesson's plan", why);
        }
        let runs = Runs { machine, specs: &specs, traces, samples, tries: self.tries.max(1) };
        let simulated = traces.iter().any(|t| t.source == Source::Simulated);
        let mut f = judge(&runs);
        if runs.tries > 1 {
            f.what.push_str(&format!(" (fastest of {} tries each)", runs.tries));
        }
        Verdict::from_finding(f.holds, simulated, f.what, f.numbers, f.why_not).explained_by(&runs.breakdowns())
    }
}

/// Lists `once` `tries` times, interleaved, labelling each try when there are several.
fn with_tries(once: Vec<RunSpec>, tries: usize) -> Vec<RunSpec> {
    if tries <= 1 {
        return once;
    }
    (1..=tries)
        .flat_map(|t| once.iter().map(move |s| RunSpec { label: format!("{} (try {t} of {tries})", s.label), ..s.clone() }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_ids_and_numbers_are_unique_and_in_order() {
        for (i, lesson) in LESSONS.iter().enumerate() {
            assert_eq!(lesson.number as usize, i + 1);
            assert!(LESSONS[i + 1..].iter().all(|l| l.id != lesson.id));
            assert_eq!(find(lesson.id).map(|l| l.number), Some(lesson.number));
        }
    }

    #[test]
    fn only_the_race_demo_has_no_judge() {
        for lesson in LESSONS {
            assert_eq!(lesson.judge.is_none(), lesson.measures.is_race_demo(), "{}", lesson.id);
        }
    }
}
