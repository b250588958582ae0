//! Checking one answer against the student's own runs: used by the student page right after a
//! run (instant feedback) and by the grader, so the two agree by construction.
//!
//! [`check_answer`] reads only what it is given: the measured wall times ([`MeasuredRuns`],
//! with the runs the grader flagged) and the engine's computed walls ([`Computed`]). A
//! prediction answered after the step's first run started scores 0.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::breakdown::ms_text;
use crate::engine::kernel::{Calibration, Kernel};
use crate::engine::setup::Setup;
use crate::engine::trace::Trace;

use super::assignment::{Against, Correct, Question, QuestionKind, Quantity, Step, DEFAULT_TOLERANCE, KNEE_GAIN};
use super::submission::{Answer, AnswerValue};
use super::variant::PlannedRun;

/// Two runs whose walls differ by less than this fraction may be ordered either way (and
/// either may be picked as the fastest or slowest): closer than a shared machine's noise.
pub const TIE: f64 = 0.02;

/// What one measured run says to the checks.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Measured {
    /// The trace's wall time, ms.
    pub wall_ms: f64,
    /// When the run started (epoch ms), if known.
    pub started_at: Option<f64>,
    /// Why the grader does not trust this run (`None`: nothing found).
    pub flagged: Option<String>,
}

/// The measured runs of one step, by planned run id.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MeasuredRuns {
    runs: BTreeMap<String, Measured>,
}

impl MeasuredRuns {
    /// No runs yet.
    pub fn new() -> MeasuredRuns {
        MeasuredRuns::default()
    }

    /// Records run `id`'s trace (replacing an earlier one of that id).
    pub fn insert(&mut self, id: &str, trace: &Trace, started_at: Option<f64>) {
        self.runs.insert(id.to_string(), Measured { wall_ms: trace.wall_ms, started_at, flagged: None });
    }

    /// Marks run `id` as not to be trusted, with the reason; answers reading it score 0.
    pub fn flag(&mut self, id: &str, reason: String) {
        if let Some(m) = self.runs.get_mut(id) {
            m.flagged = Some(reason);
        }
    }

    /// Run `id`, if it was made.
    pub fn get(&self, id: &str) -> Option<&Measured> {
        self.runs.get(id)
    }

    /// When the step's first run started: predictions must be older.
    pub fn first_started_at(&self) -> Option<f64> {
        self.runs.values().filter_map(|m| m.started_at).min_by(f64::total_cmp)
    }

    /// Whether any run was made.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }
}

/// The wall times the engine computes (simulates) for a step's runs, with the student's
/// calibration: what questions `against: computed` and `predicted_wall_ms` read.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Computed {
    walls: BTreeMap<String, Result<f64, String>>,
}

impl Computed {
    /// Nothing computed: questions that need it say they cannot be checked.
    pub fn none() -> Computed {
        Computed::default()
    }

    /// Simulates the runs of `planned` that `step`'s questions read as computed, with
    /// `calibration` (a kernel missing from it makes those runs uncomputable, with the reason).
    pub fn for_step(step: &Step, planned: &[PlannedRun], calibration: &[Calibration]) -> Computed {
        let needed: Vec<&str> = step.questions.iter().flat_map(computed_runs).collect();
        let wanted = |id: &str| needed.iter().any(|n| *n == id || id.split_once('@').is_some_and(|(s, _)| s == *n));
        let walls = planned
            .iter()
            .filter(|r| wanted(&r.id))
            .map(|r| (r.id.clone(), simulate_wall(r, calibration)))
            .collect();
        Computed { walls }
    }

    /// The computed wall of run `id`.
    pub fn wall(&self, id: &str) -> Option<&Result<f64, String>> {
        self.walls.get(id)
    }
}

/// The runs a question reads as computed (a sweep's id stands for all its runs).
fn computed_runs(q: &Question) -> Vec<&str> {
    let computed = q.against == Some(Against::Computed);
    match (&q.quantity, q.kind) {
        (Some(Quantity::PredictedWallMs(r)), _) => vec![r.as_str()],
        (Some(Quantity::WallMs(r)), _) | (Some(Quantity::Knee(r)), _) if computed => vec![r.as_str()],
        (Some(Quantity::Speedup(s)), _) if computed => vec![s.run.as_str(), s.baseline.as_str()],
        (_, QuestionKind::Choice) if computed => q.options.iter().map(|o| o.run.as_str()).collect(),
        (_, QuestionKind::Ordering) if computed => q.runs.iter().map(String::as_str).collect(),
        _ => vec![],
    }
}

fn simulate_wall(run: &PlannedRun, calibration: &[Calibration]) -> Result<f64, String> {
    let missing = std::cell::Cell::new(None);
    let cal = |kernel: Kernel| {
        calibration.iter().find(|c| c.kernel == kernel).copied().unwrap_or_else(|| {
            missing.set(Some(kernel));
            Calibration { kernel, units_per_ms: 1.0, measured_over_ms: 0.0 }
        })
    };
    if let Some(c) = calibration.iter().find(|c| !(c.units_per_ms.is_finite() && c.units_per_ms > 0.0)) {
        return Err(format!("the {} calibration is not a positive rate", c.kernel.name()));
    }
    let setup = Setup::new(&run.experiment, &cal).map_err(|e| e.to_string())?;
    if let Some(k) = missing.get() {
        return Err(format!("no calibration of the {} kernel to compute with", k.name()));
    }
    Ok(setup.simulate().wall_ms)
}

/// The outcome of checking one answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Checked {
    /// Points earned.
    pub points: f64,
    /// Points the question is worth.
    pub max_points: f64,
    /// Right, wrong, or why it could not be judged.
    pub verdict: Verdict,
    /// The right answer, for people ("1,234 ms ± 25 %", "One juggling chef").
    pub expected: Option<String>,
    /// The question's feedback for this verdict (empty when it has none).
    pub feedback: String,
}

/// What a check concluded.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "verdict", content = "reason", rename_all = "snake_case")]
pub enum Verdict {
    /// Full points.
    Right,
    /// No points.
    Wrong,
    /// No answer given.
    Unanswered,
    /// An explanation: collected for the teacher, not scored.
    NotGraded,
    /// A prediction answered after the step's first run started: 0 points.
    PredictedAfterRunning,
    /// A run the question reads was flagged by the grader (the reason): 0 points.
    Flagged(String),
    /// What the question reads is missing (a run not made yet, nothing computed): 0 points.
    CannotCheck(String),
}

impl Verdict {
    /// A short sentence for people.
    pub fn describe(&self) -> String {
        match self {
            Verdict::Right => "right".into(),
            Verdict::Wrong => "wrong".into(),
            Verdict::Unanswered => "unanswered".into(),
            Verdict::NotGraded => "not auto-graded".into(),
            Verdict::PredictedAfterRunning => "predicted after running".into(),
            Verdict::Flagged(why) => format!("flagged: {why}"),
            Verdict::CannotCheck(why) => format!("cannot check: {why}"),
        }
    }
}

/// Checks `answer` to `question` against the step's measured `runs` and `computed` walls.
pub fn check_answer(question: &Question, answer: Option<&Answer>, runs: &MeasuredRuns, computed: &Computed) -> Checked {
    let max_points = question.points;
    let checked = |verdict: Verdict, expected: Option<String>| {
        let feedback = match verdict {
            Verdict::Right => question.feedback.right.clone(),
            Verdict::Wrong => question.feedback.wrong.clone(),
            _ => String::new(),
        };
        let points = if verdict == Verdict::Right { max_points } else { 0.0 };
        Checked { points, max_points, verdict, expected, feedback }
    };
    if question.kind == QuestionKind::Explanation {
        return checked(Verdict::NotGraded, None);
    }
    let Some(answer) = answer else { return checked(Verdict::Unanswered, None) };
    if let Some(first) = runs.first_started_at() {
        match answer.answered_at {
            Some(t) if t <= first => {}
            _ => return checked(Verdict::PredictedAfterRunning, None),
        }
    }
    let source = Source { runs, computed, against: question.against.unwrap_or(Against::Measured) };
    let outcome = match question.kind {
        QuestionKind::Numeric => check_numeric(question, &answer.value, &source),
        QuestionKind::Choice => check_choice(question, &answer.value, &source),
        QuestionKind::Ordering => check_ordering(question, &answer.value, &source),
        QuestionKind::Explanation => unreachable!("returned above"),
    };
    match outcome {
        Ok((right, expected)) => checked(if right { Verdict::Right } else { Verdict::Wrong }, Some(expected)),
        Err(verdict) => checked(verdict, None),
    }
}

/// Where a check reads wall times from.
struct Source<'a> {
    runs: &'a MeasuredRuns,
    computed: &'a Computed,
    against: Against,
}

impl Source<'_> {
    /// The wall of run `id`, measured or computed as the question asks.
    fn wall(&self, id: &str) -> Result<f64, Verdict> {
        match self.against {
            Against::Measured => self.measured(id),
            Against::Computed => self.computed(id),
        }
    }

    fn measured(&self, id: &str) -> Result<f64, Verdict> {
        match self.runs.get(id) {
            None => Err(Verdict::CannotCheck(format!("run `{id}` has not been made"))),
            Some(Measured { flagged: Some(why), .. }) => Err(Verdict::Flagged(format!("run `{id}`: {why}"))),
            Some(m) => Ok(m.wall_ms),
        }
    }

    fn computed(&self, id: &str) -> Result<f64, Verdict> {
        match self.computed.wall(id) {
            None => Err(Verdict::CannotCheck(format!("no computed wall time for run `{id}`"))),
            Some(Err(why)) => Err(Verdict::CannotCheck(why.clone())),
            Some(Ok(ms)) => Ok(*ms),
        }
    }

    /// The knee of sweep `id`: the chefs after which one more chef adds less than
    /// [`KNEE_GAIN`] to the speedup (the widest measured if it never does).
    fn knee(&self, id: &str) -> Result<f64, Verdict> {
        let baseline = self.wall(&format!("{id}@baseline"))?;
        let mut speedups = Vec::new();
        for n in 1.. {
            let key = format!("{id}@{n}");
            let present = match self.against {
                Against::Measured => self.runs.get(&key).is_some(),
                Against::Computed => self.computed.wall(&key).is_some(),
            };
            if !present {
                break;
            }
            speedups.push(baseline / self.wall(&key)?);
        }
        if speedups.is_empty() {
            return Err(Verdict::CannotCheck(format!("run `{id}@1` has not been made")));
        }
        let knee = speedups.windows(2).position(|w| w[1] < w[0] * (1.0 + KNEE_GAIN)).map_or(speedups.len(), |i| i + 1);
        Ok(knee as f64)
    }
}

/// A check's result: (right?, the expected answer for people), or why it could not be judged.
type Outcome = Result<(bool, String), Verdict>;

fn check_numeric(q: &Question, value: &AnswerValue, source: &Source) -> Outcome {
    let quantity = q.quantity.as_ref().ok_or_else(|| Verdict::CannotCheck("the question has no quantity".into()))?;
    let (expected, unit) = match quantity {
        Quantity::WallMs(r) => (source.wall(r)?, Unit::Ms),
        Quantity::PredictedWallMs(r) => (source.computed(r)?, Unit::Ms),
        Quantity::Speedup(s) => (source.wall(&s.baseline)? / source.wall(&s.run)?, Unit::Times),
        Quantity::Knee(r) => (source.knee(r)?, Unit::Chefs),
    };
    let tolerance = q.tolerance.unwrap_or(DEFAULT_TOLERANCE);
    let text = format!("{} ± {:.0} %", unit.text(expected), tolerance * 100.0);
    let AnswerValue::Number(given) = value else { return Ok((false, text)) };
    let right = given.is_finite() && expected.is_finite() && (given - expected).abs() <= tolerance * expected.abs();
    Ok((right, text))
}

/// How a numeric quantity is written for people.
enum Unit {
    Ms,
    Times,
    Chefs,
}

impl Unit {
    fn text(&self, v: f64) -> String {
        match self {
            Unit::Ms => ms_text(v),
            Unit::Times => format!("{v:.2}×"),
            Unit::Chefs => format!("{v:.0} chef{}", if v == 1.0 { "" } else { "s" }),
        }
    }
}

fn check_choice(q: &Question, value: &AnswerValue, source: &Source) -> Outcome {
    let walls = q.options.iter().map(|o| source.wall(&o.run)).collect::<Result<Vec<f64>, Verdict>>()?;
    let fastest = q.correct != Some(Correct::Slowest);
    // Order the options best first: fastest (smallest wall) or slowest (largest).
    let key = |w: f64| if fastest { w } else { -w };
    let best = (0..walls.len()).min_by(|&a, &b| key(walls[a]).total_cmp(&key(walls[b]))).expect("validated: two options");
    let expected = q.options[best].label.clone();
    let AnswerValue::Text(run) = value else { return Ok((false, expected)) };
    let Some(picked) = q.options.iter().position(|o| &o.run == run) else { return Ok((false, expected)) };
    let right = picked == best || within_tie(walls[picked], walls[best]);
    Ok((right, expected))
}

fn check_ordering(q: &Question, value: &AnswerValue, source: &Source) -> Outcome {
    let walls = q.runs.iter().map(|r| source.wall(r)).collect::<Result<Vec<f64>, Verdict>>()?;
    let mut order: Vec<usize> = (0..q.runs.len()).collect();
    order.sort_by(|&a, &b| walls[a].total_cmp(&walls[b]));
    let expected = order.iter().map(|&i| q.runs[i].as_str()).collect::<Vec<_>>().join(" < ");
    let AnswerValue::List(given) = value else { return Ok((false, expected)) };
    let mut sorted_given = given.clone();
    sorted_given.sort();
    let mut sorted_runs = q.runs.clone();
    sorted_runs.sort();
    if sorted_given != sorted_runs {
        return Ok((false, expected));
    }
    let wall = |id: &String| walls[q.runs.iter().position(|r| r == id).expect("same runs")];
    // Each run no slower than the next, but for ties.
    let right = given.windows(2).all(|w| wall(&w[0]) <= wall(&w[1]) || within_tie(wall(&w[0]), wall(&w[1])));
    Ok((right, expected))
}

/// Whether two walls are closer than [`TIE`] (relative to the larger).
fn within_tie(a: f64, b: f64) -> bool {
    (a - b).abs() <= TIE * a.abs().max(b.abs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::homework::assignment::tests::RUSH;
    use crate::engine::homework::submission::tests::trace;
    use crate::engine::homework::{seed_for, Assignment};
    use crate::engine::lessons::Machine;

    fn runs(walls: &[(&str, f64)], started: f64) -> MeasuredRuns {
        let mut m = MeasuredRuns::new();
        for (id, wall) in walls {
            m.insert(id, &Trace { wall_ms: *wall, ..trace() }, Some(started));
        }
        m
    }

    fn answer(value: AnswerValue, at: f64) -> Answer {
        Answer { question: "q".into(), value, answered_at: Some(at) }
    }

    fn rush() -> Assignment {
        Assignment::from_json(RUSH).unwrap()
    }

    fn question(a: &Assignment, id: &str) -> Question {
        a.steps[0].questions.iter().find(|q| q.id == id).unwrap().clone()
    }

    #[test]
    fn a_numeric_prediction_is_right_within_its_tolerance_of_the_measurement() {
        let a = rush();
        let q = question(&a, "predict");
        let measured = runs(&[("juggling", 1000.0)], 100.0);
        let check = |v: f64| check_answer(&q, Some(&answer(AnswerValue::Number(v), 50.0)), &measured, &Computed::none());
        assert_eq!(check(1200.0).verdict, Verdict::Right);
        assert_eq!(check(1200.0).points, 2.0);
        assert_eq!(check(1200.0).feedback, "Yes.");
        assert_eq!(check(1300.0).verdict, Verdict::Wrong);
        assert_eq!((check(1300.0).points, check(1300.0).feedback.as_str()), (0.0, "No."));
        assert!(check(1300.0).expected.unwrap().contains("± 25 %"));
    }

    #[test]
    fn a_prediction_made_after_the_first_run_started_scores_nothing() {
        let a = rush();
        let q = question(&a, "predict");
        let measured = runs(&[("juggling", 1000.0)], 100.0);
        let late = check_answer(&q, Some(&answer(AnswerValue::Number(1000.0), 101.0)), &measured, &Computed::none());
        assert_eq!((late.verdict, late.points), (Verdict::PredictedAfterRunning, 0.0));
        let untimed = Answer { answered_at: None, ..answer(AnswerValue::Number(1000.0), 0.0) };
        assert_eq!(check_answer(&q, Some(&untimed), &measured, &Computed::none()).verdict, Verdict::PredictedAfterRunning);
    }

    #[test]
    fn flagged_and_missing_runs_score_nothing_with_the_reason() {
        let a = rush();
        let q = question(&a, "predict");
        let mut measured = runs(&[("juggling", 1000.0)], 100.0);
        measured.flag("juggling", "a dish started before its dependency ended".into());
        let c = check_answer(&q, Some(&answer(AnswerValue::Number(1000.0), 1.0)), &measured, &Computed::none());
        assert!(matches!(&c.verdict, Verdict::Flagged(why) if why.contains("dependency")), "{c:?}");
        assert_eq!(c.points, 0.0);
        let c = check_answer(&q, Some(&answer(AnswerValue::Number(1000.0), 1.0)), &MeasuredRuns::new(), &Computed::none());
        assert!(matches!(c.verdict, Verdict::CannotCheck(_)));
        assert_eq!(check_answer(&q, None, &measured, &Computed::none()).verdict, Verdict::Unanswered);
    }

    #[test]
    fn choice_and_ordering_follow_the_measured_walls_with_ties_either_way() {
        let a = rush();
        let (choice, ordering) = (question(&a, "first"), question(&a, "order"));
        let measured = runs(&[("one-chef", 1800.0), ("juggling", 210.0)], 100.0);
        let text = |s: &str| AnswerValue::Text(s.into());
        let list = |l: &[&str]| AnswerValue::List(l.iter().map(|s| s.to_string()).collect());
        let check = |q: &Question, v| check_answer(q, Some(&answer(v, 1.0)), &measured, &Computed::none()).verdict;
        assert_eq!(check(&choice, text("juggling")), Verdict::Right);
        assert_eq!(check(&choice, text("one-chef")), Verdict::Wrong);
        assert_eq!(check(&choice, text("nonsense")), Verdict::Wrong);
        assert_eq!(check(&ordering, list(&["juggling", "one-chef"])), Verdict::Right);
        assert_eq!(check(&ordering, list(&["one-chef", "juggling"])), Verdict::Wrong);
        assert_eq!(check(&ordering, list(&["juggling"])), Verdict::Wrong);
        let tied = runs(&[("one-chef", 1000.0), ("juggling", 1010.0)], 100.0);
        let c = check_answer(&ordering, Some(&answer(list(&["juggling", "one-chef"]), 1.0)), &tied, &Computed::none());
        assert_eq!(c.verdict, Verdict::Right, "1 % apart is a tie");
    }

    #[test]
    fn speedups_and_knees_read_the_sweep() {
        let a = rush();
        let q = question(&a, "speed");
        // Speedups 1, 1.9, 2.0, 2.05: the knee is at 2 chefs.
        let measured = runs(&[("sweep@baseline", 1000.0), ("sweep@1", 1000.0), ("sweep@2", 526.0), ("sweep@3", 500.0), ("sweep@4", 488.0)], 5.0);
        let c = check_answer(&q, Some(&answer(AnswerValue::Number(1.9), 1.0)), &measured, &Computed::none());
        assert_eq!(c.verdict, Verdict::Right, "{c:?}");
        let source = Source { runs: &measured, computed: &Computed::none(), against: Against::Measured };
        assert_eq!(source.knee("sweep"), Ok(2.0));
        let growing = runs(&[("s@baseline", 1000.0), ("s@1", 1000.0), ("s@2", 500.0)], 5.0);
        let source = Source { runs: &growing, computed: &Computed::none(), against: Against::Measured };
        assert_eq!(source.knee("s"), Ok(2.0), "never flattening: the widest measured");
    }

    #[test]
    fn computed_walls_come_from_the_simulation_of_the_students_runs() {
        let a = rush();
        let mut step = a.steps[0].clone();
        step.questions[0].against = Some(Against::Computed);
        let seed = seed_for(&a.digest(), "ada");
        let planned = step.runs_for(seed, &Machine::browser_like(2)).unwrap();
        let computed = Computed::for_step(&step, &planned, &[]);
        let juggling = planned.iter().find(|r| r.id == "juggling").unwrap();
        let crate::engine::experiment::Phase::Simmer(s) = &juggling.experiment.tasks[0].phases[0] else { panic!() };
        // One juggling chef overlaps every simmer: the wall is one simmer long.
        let wall = *computed.wall("juggling").unwrap().as_ref().unwrap();
        assert!((wall - s.ms).abs() < 1.0, "{wall} vs {}", s.ms);
        assert!(computed.wall("one-chef").is_none(), "only what a question reads is simulated");
        let c = check_answer(&step.questions[0], Some(&answer(AnswerValue::Number(s.ms), 1.0)), &MeasuredRuns::new(), &computed);
        assert_eq!(c.verdict, Verdict::Right);
    }
}
