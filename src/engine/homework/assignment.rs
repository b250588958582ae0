//! The assignment format (version 1): what a teacher asks — steps of experiments with seeded
//! variants, the runs each step needs, and questions graded against the student's own runs.
//!
//! Types here mirror the JSON one to one; [`Assignment::from_json`] parses and then validates
//! what the types cannot say (ids unique, runs named by questions exist, variant ranges within
//! the engine's limits), naming the JSON path of the first problem. Documented in
//! docs/format.md, "Assignments".

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::engine::error::{Error, ErrorKind};
use crate::engine::experiment::{Experiment, Model};
use crate::engine::graph::{Plan, MAX_CHEFS, MAX_COOK_MS, MAX_SIMMER_MS, MAX_TASKS};
use crate::engine::kernel::Calibration;
use crate::engine::{lessons, presets};

use super::variant::Seed;

/// The only assignment (and submission) format version this build reads.
pub const HOMEWORK_VERSION: u32 = 1;

/// Most steps in one assignment, questions or runs in one step: plenty for homework, and a
/// bound on what a hostile file can make the grader do.
pub const MAX_STEPS: usize = 50;
/// See [`MAX_STEPS`].
pub const MAX_ITEMS: usize = 100;

/// A homework assignment: ordered steps, each an experiment to predict and then run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// Format version; must be [`HOMEWORK_VERSION`].
    pub version: u32,
    /// Always `"assignment"`, so a submission or an experiment given by mistake is named as such.
    pub kind: AssignmentTag,
    /// The assignment's name, for people.
    pub title: String,
    /// Markdown (a safe subset; raw HTML is shown as text).
    #[serde(default)]
    pub instructions: String,
    /// The steps, in the order the student does them.
    pub steps: Vec<Step>,
}

/// The `kind` tag of an assignment file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AssignmentTag {
    /// `"assignment"`.
    #[serde(rename = "assignment")]
    Assignment,
}

/// One step: an experiment, what the student may not change, how it varies per student, the
/// runs to make and the questions about them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// Unique within the assignment; submissions name steps by it.
    pub id: String,
    /// The step's name, for people.
    pub title: String,
    /// Markdown, like the assignment's.
    #[serde(default)]
    pub instructions: String,
    /// The dishes: a preset, a lesson (whose plan gives the runs) or an inline experiment.
    pub experiment: StepExperiment,
    /// What the student may not change while exploring the step.
    #[serde(default)]
    pub locked: Locks,
    /// Parameters drawn per student from the seed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<Variant>,
    /// The runs to make (none for a lesson step: its plan gives them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<RunRequest>,
    /// The questions, in order.
    #[serde(default)]
    pub questions: Vec<Question>,
}

/// Where a step's dishes come from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum StepExperiment {
    /// A preset by id (`engine::presets`), cooked with the step's runs' models.
    Preset(String),
    /// A lesson by id (`engine::lessons`): its plan on the student's machine gives the runs,
    /// with ids `run-1`, `run-2`, … in plan order.
    Lesson(String),
    /// An experiment written out (docs/format.md, "Experiments").
    Inline(Experiment),
}

/// What the student page does not let the student change while exploring a step. The graded
/// runs are always the step's own, whatever is unlocked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Locks {
    /// The dishes (default locked).
    pub dishes: bool,
    /// The execution model (default locked).
    pub model: bool,
    /// The number of chefs (default locked).
    pub chefs: bool,
}

impl Default for Locks {
    fn default() -> Self {
        Locks { dishes: true, model: true, chefs: true }
    }
}

/// One parameter drawn per student: a value in `min..=max` in `step` increments, uniformly.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variant {
    /// Unique within the step; the draw depends on it (and the seed and the step's id).
    pub name: String,
    /// What the value sets.
    pub param: VariantParam,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
    /// Increment between values (default 1).
    #[serde(default = "one")]
    pub step: f64,
    /// For `simmer_ms` and `cook_ms`: only these dishes (default all).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dishes: Vec<String>,
}

fn one() -> f64 {
    1.0
}

/// What a [`Variant`] sets in the step's experiment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariantParam {
    /// Every simmer phase's ms (of the variant's `dishes`, or all).
    SimmerMs,
    /// Every cook phase's ms (of the variant's `dishes`, or all); a cook given in units becomes ms.
    CookMs,
    /// How many dishes: the dish list kept or repeated cyclically to this count, copies' ids
    /// suffixed `#2`, `#3`, …; only for experiments without dependencies.
    Dishes,
    /// The step's default width: the chefs of runs that name none.
    Chefs,
}

impl VariantParam {
    /// The name used in the JSON format.
    pub fn name(self) -> &'static str {
        match self {
            VariantParam::SimmerMs => "simmer_ms",
            VariantParam::CookMs => "cook_ms",
            VariantParam::Dishes => "dishes",
            VariantParam::Chefs => "chefs",
        }
    }

    /// Whether values are counts (integers ≥ 1).
    fn is_count(self) -> bool {
        matches!(self, VariantParam::Dishes | VariantParam::Chefs)
    }

    /// The largest value the engine takes.
    fn limit(self) -> f64 {
        match self {
            VariantParam::SimmerMs => MAX_SIMMER_MS,
            VariantParam::CookMs => MAX_COOK_MS,
            VariantParam::Dishes => MAX_TASKS as f64,
            VariantParam::Chefs => MAX_CHEFS as f64,
        }
    }
}

/// Most values one variant may range over (so a draw's index fits any number type).
pub const MAX_VARIANT_VALUES: f64 = 1_000_000.0;

/// One run the step asks for: the step's dishes with a model and a width.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunRequest {
    /// Unique within the step; questions and submissions name runs by it. No `@` (sweep runs
    /// are named `ID@1`, `ID@2`, … and `ID@baseline`).
    pub id: String,
    /// For people (default: the id).
    #[serde(default)]
    pub label: String,
    /// The execution model.
    pub model: Model,
    /// The chefs (default: the step's width — the experiment's, or the `chefs` variant's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chefs: Option<usize>,
    /// A sweep: a sequential baseline, then 1..=N chefs with N the threads the student's page
    /// starts ([`lessons::Machine::threads_for`] of its cores, at most its threads). Parallel
    /// models only.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sweep: bool,
}

/// One question. One struct for every kind (rather than an enum per kind) so that a mistake
/// is reported at its exact JSON path and unknown fields are refused; [`Assignment::from_json`]
/// checks that each kind has the fields it needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// Unique within the step; answers name questions by it.
    pub id: String,
    /// What kind of answer is asked.
    pub kind: QuestionKind,
    /// Points for a right answer (0 for an explanation, which is not auto-graded).
    #[serde(default)]
    pub points: f64,
    /// The question, in Markdown.
    #[serde(default)]
    pub prompt: String,
    /// Numeric: what is predicted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<Quantity>,
    /// Numeric and choice: graded against the measurement (default) or the engine's computation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub against: Option<Against>,
    /// Numeric: the relative tolerance (default [`DEFAULT_TOLERANCE`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// Choice: the options, each naming a run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<ChoiceOption>,
    /// Choice: which option is right.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correct: Option<Correct>,
    /// Ordering: the runs to put from fastest to slowest.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub runs: Vec<String>,
    /// What the student reads after the check.
    #[serde(default)]
    pub feedback: Feedback,
}

/// The relative tolerance of a numeric question that gives none.
pub const DEFAULT_TOLERANCE: f64 = 0.25;

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// A number (a wall time, a speedup, a knee), right within a relative tolerance.
    Numeric,
    /// One of several options, each naming a run: the fastest or the slowest is right.
    Choice,
    /// Runs from fastest to slowest.
    Ordering,
    /// Free text, not auto-graded: collected for the teacher.
    Explanation,
}

impl QuestionKind {
    /// Whether the answer is a prediction, locked once the step's first run starts.
    pub fn is_prediction(self) -> bool {
        !matches!(self, QuestionKind::Explanation)
    }
}

/// What a numeric question asks for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Quantity {
    /// The wall time of a run, ms.
    WallMs(String),
    /// `baseline`'s wall ÷ `run`'s wall.
    Speedup(SpeedupOf),
    /// For a sweep run: the chefs after which the speedup stops growing by at least
    /// [`KNEE_GAIN`] (10 %) per added chef.
    Knee(String),
    /// The wall time the engine's schedule predicts for a run (always computed).
    PredictedWallMs(String),
}

/// The growth in speedup from one chef more below which a sweep has reached its knee.
pub const KNEE_GAIN: f64 = 0.10;

/// The two runs of a speedup.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedupOf {
    /// The faster run, usually.
    pub run: String,
    /// The run it is compared with.
    pub baseline: String,
}

/// What a numeric or choice answer is compared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Against {
    /// The student's own measured traces.
    Measured,
    /// The engine's simulation of the same runs with the student's calibration.
    Computed,
}

/// One option of a choice question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChoiceOption {
    /// For people.
    pub label: String,
    /// The run this option stands for; the answer is this id.
    pub run: String,
}

/// Which option of a choice question is right.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correct {
    /// The option whose run had the shortest wall time.
    Fastest,
    /// The option whose run had the longest wall time.
    Slowest,
}

/// What the student reads after a check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Feedback {
    /// After a right answer.
    pub right: String,
    /// After a wrong one.
    pub wrong: String,
}

impl Assignment {
    /// Parses JSON text and validates it, naming the JSON path of the first problem (e.g.
    /// `steps[0].questions[1].quantity`). Text after the assignment is refused.
    pub fn from_json(text: &str) -> Result<Assignment, Error> {
        let assignment: Assignment = Error::read_json(text, |path, problem| ErrorKind::InvalidAssignment { path, problem })?;
        assignment.validate()?;
        Ok(assignment)
    }

    /// What the format promises beyond its types (see [`Assignment::from_json`]).
    pub fn validate(&self) -> Result<(), Error> {
        let at = |path: String, problem: String| -> Error { ErrorKind::InvalidAssignment { path: Some(path), problem }.into() };
        if self.version != HOMEWORK_VERSION {
            return Err(at("version".into(), format!("unknown version {}; this kitchen reads version {HOMEWORK_VERSION}", self.version)));
        }
        if self.title.trim().is_empty() {
            return Err(at("title".into(), "the title is empty".into()));
        }
        if self.steps.is_empty() || self.steps.len() > MAX_STEPS {
            return Err(at("steps".into(), format!("an assignment has 1 to {MAX_STEPS} steps, this one {}", self.steps.len())));
        }
        let mut ids = HashSet::new();
        for (i, step) in self.steps.iter().enumerate() {
            let path = format!("steps[{i}]");
            if !ids.insert(step.id.as_str()) {
                return Err(at(format!("{path}.id"), format!("duplicate step id `{}`", step.id)));
            }
            step.validate(&path).map_err(|(p, problem)| at(p, problem))?;
        }
        Ok(())
    }
}

/// A problem found by validation: the JSON path and what is wrong.
type Problem = (String, String);

/// Checks that `id` is a usable id: not empty, at most 100 characters, no `@`.
fn check_id(id: &str, path: &str) -> Result<(), Problem> {
    if id.trim().is_empty() || id.len() > 100 || id.contains('@') {
        return Err((path.into(), format!("`{id}` is not an id: 1 to 100 characters, no `@`")));
    }
    Ok(())
}

/// Checks that ids are unique and valid: `items` gives each one's id.
fn check_ids<'a>(ids: impl Iterator<Item = &'a str>, path: &str, what: &str) -> Result<(), Problem> {
    let mut seen = HashSet::new();
    for (i, id) in ids.enumerate() {
        let p = format!("{path}[{i}].id");
        check_id(id, &p)?;
        if !seen.insert(id) {
            return Err((p, format!("duplicate {what} id `{id}`")));
        }
    }
    Ok(())
}

/// The calibration validation plans with: any will do, since it only checks shapes and limits.
pub(super) fn nominal_calibration(kernel: crate::engine::Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 100.0, measured_over_ms: 0.0 }
}

impl Step {
    fn validate(&self, path: &str) -> Result<(), Problem> {
        check_id(&self.id, &format!("{path}.id"))?;
        if self.title.trim().is_empty() {
            return Err((format!("{path}.title"), "the title is empty".into()));
        }
        for (name, len) in [("variants", self.variants.len()), ("runs", self.runs.len()), ("questions", self.questions.len())] {
            if len > MAX_ITEMS {
                return Err((format!("{path}.{name}"), format!("at most {MAX_ITEMS} {name}, got {len}")));
            }
        }
        self.validate_experiment(path)?;
        check_ids(self.variants.iter().map(|v| v.name.as_str()), &format!("{path}.variants"), "variant")
            .map_err(|(p, e)| (p.replace("].id", "].name"), e))?;
        check_ids(self.runs.iter().map(|r| r.id.as_str()), &format!("{path}.runs"), "run")?;
        for (i, run) in self.runs.iter().enumerate() {
            let p = format!("{path}.runs[{i}]");
            if run.sweep && !run.model.is_parallel() {
                return Err((format!("{p}.sweep"), format!("a sweep widens a parallel model, not `{}`", run.model.name())));
            }
            if let Some(chefs) = run.chefs {
                if !(1..=MAX_CHEFS).contains(&chefs) {
                    return Err((format!("{p}.chefs"), format!("chefs must be between 1 and {MAX_CHEFS}, got {chefs}")));
                }
            }
        }
        check_ids(self.questions.iter().map(|q| q.id.as_str()), &format!("{path}.questions"), "question")?;
        for (i, q) in self.questions.iter().enumerate() {
            q.validate(self, &format!("{path}.questions[{i}]"))?;
        }
        Ok(())
    }

    /// The experiment reference resolves, the variants fit it, and the experiment is valid
    /// with every variant at its smallest and at its largest value.
    fn validate_experiment(&self, path: &str) -> Result<(), Problem> {
        let base = match &self.experiment {
            StepExperiment::Preset(id) => match presets::find(id) {
                Some(_) => self.base_experiment().expect("preset exists"),
                None => {
                    let ids: Vec<_> = presets::PRESETS.iter().map(|p| p.id).collect();
                    return Err((format!("{path}.experiment.preset"), format!("unknown preset `{id}`, expected one of: {}", ids.join(", "))));
                }
            },
            StepExperiment::Lesson(id) => {
                if lessons::find(id).is_none() {
                    let ids: Vec<_> = lessons::LESSONS.iter().map(|l| l.id).collect();
                    return Err((format!("{path}.experiment.lesson"), format!("unknown lesson `{id}`, expected one of: {}", ids.join(", "))));
                }
                if let Some(what) = [("variants", !self.variants.is_empty()), ("runs", !self.runs.is_empty())].iter().find(|w| w.1) {
                    return Err((format!("{path}.{}", what.0), "a lesson step takes its runs from the lesson's plan: no variants or runs".into()));
                }
                return Ok(());
            }
            StepExperiment::Inline(e) => {
                Plan::new(e, &nominal_calibration).map_err(|e| (format!("{path}.experiment.inline"), e.to_string()))?;
                e.clone()
            }
        };
        if self.runs.is_empty() {
            return Err((format!("{path}.runs"), "a step needs at least one run".into()));
        }
        for (i, v) in self.variants.iter().enumerate() {
            v.validate(&base, &format!("{path}.variants[{i}]"))?;
            // Two counts of dishes would repeat an already repeated list (its copies' ids
            // clash), and two widths contradict each other: one of each per step.
            if matches!(v.param, VariantParam::Dishes | VariantParam::Chefs) && self.variants[..i].iter().any(|w| w.param == v.param) {
                return Err((format!("{path}.variants[{i}].param"), format!("a step has at most one `{}` variant", v.param.name())));
            }
        }
        for pick in [Pick::Min, Pick::Max] {
            let e = self.experiment_with(|v| pick.of(v)).map_err(|e| (format!("{path}.variants"), e.to_string()))?;
            Plan::new(&e, &nominal_calibration)
                .map_err(|e| (format!("{path}.variants"), format!("with every variant at its {}: {e}", pick.name())))?;
        }
        Ok(())
    }

    /// The step's experiment before variants (`None` for a lesson step).
    pub(super) fn base_experiment(&self) -> Option<Experiment> {
        match &self.experiment {
            StepExperiment::Preset(id) => presets::find(id).map(|p| p.experiment(Model::Sequential, 1)),
            StepExperiment::Lesson(_) => None,
            StepExperiment::Inline(e) => Some(e.clone()),
        }
    }

    /// Whether `run` names one of this step's runs: a request's id, or `ID@baseline` / `ID@N`
    /// (N ≥ 1) of a sweep request, or `run-N` of a lesson step.
    pub fn names_run(&self, run: &str) -> bool {
        if let StepExperiment::Lesson(_) = self.experiment {
            return run.strip_prefix("run-").and_then(|n| n.parse::<usize>().ok()).is_some_and(|n| n >= 1);
        }
        match run.split_once('@') {
            None => self.runs.iter().any(|r| r.id == run),
            Some((id, width)) => {
                self.runs.iter().any(|r| r.id == id && r.sweep)
                    && (width == "baseline" || width.parse::<usize>().is_ok_and(|n| (1..=MAX_CHEFS).contains(&n)))
            }
        }
    }
}

/// Which end of every variant's range.
#[derive(Clone, Copy)]
enum Pick {
    Min,
    Max,
}

impl Pick {
    fn of(self, v: &Variant) -> f64 {
        match self {
            Pick::Min => v.min,
            Pick::Max => v.values_last(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Pick::Min => "smallest",
            Pick::Max => "largest",
        }
    }
}

impl Variant {
    /// How many values the variant ranges over (validated: 1..=[`MAX_VARIANT_VALUES`]; at
    /// least 1 and no overflow for an unvalidated one, as an editor may ask).
    pub fn count(&self) -> u64 {
        // `as` saturates: NaN and negatives give 0, infinities u64::MAX.
        ((((self.max - self.min) / self.step) + 1e-9).floor() as u64).saturating_add(1)
    }

    /// The `index`-th value (0-based): `min + index × step`.
    pub fn value(&self, index: u64) -> f64 {
        let v = self.min + index as f64 * self.step;
        if self.param.is_count() {
            v.round()
        } else {
            v
        }
    }

    /// The largest value drawn.
    fn values_last(&self) -> f64 {
        self.value(self.count() - 1)
    }

    fn validate(&self, base: &Experiment, path: &str) -> Result<(), Problem> {
        let limit = self.param.limit();
        let low = if self.param.is_count() { 1.0 } else { 0.0 };
        for (field, v) in [("min", self.min), ("max", self.max)] {
            if !(v.is_finite() && v >= low && v <= limit) {
                return Err((format!("{path}.{field}"), format!("{} must be between {low} and {limit}, got {v}", self.param.name())));
            }
            if self.param.is_count() && v.fract() != 0.0 {
                return Err((format!("{path}.{field}"), format!("{} is a count: a whole number, got {v}", self.param.name())));
            }
        }
        if self.min > self.max {
            return Err((format!("{path}.max"), format!("max ({}) is below min ({})", self.max, self.min)));
        }
        if !(self.step.is_finite() && self.step > 0.0) || (self.param.is_count() && self.step.fract() != 0.0) {
            return Err((format!("{path}.step"), format!("step must be a positive{} number, got {}", if self.param.is_count() { " whole" } else { "" }, self.step)));
        }
        if (self.max - self.min) / self.step >= MAX_VARIANT_VALUES {
            return Err((format!("{path}.step"), format!("at most {MAX_VARIANT_VALUES} values between min and max")));
        }
        match self.param {
            VariantParam::Dishes if base.tasks.iter().any(|t| !t.after.is_empty()) => {
                return Err((format!("{path}.param"), "`dishes` repeats the dish list, so it needs dishes without dependencies".into()));
            }
            VariantParam::SimmerMs | VariantParam::CookMs => {
                if let Some((i, d)) = self.dishes.iter().enumerate().find(|(_, d)| !base.tasks.iter().any(|t| &t.id == *d)) {
                    return Err((format!("{path}.dishes[{i}]"), format!("no dish `{d}` in the step's experiment")));
                }
            }
            _ if !self.dishes.is_empty() => {
                return Err((format!("{path}.dishes"), format!("`dishes` limits only simmer_ms and cook_ms, not {}", self.param.name())));
            }
            _ => {}
        }
        Ok(())
    }
}

impl Question {
    fn validate(&self, step: &Step, path: &str) -> Result<(), Problem> {
        let field = |name: &str| format!("{path}.{name}");
        if !(self.points.is_finite() && self.points >= 0.0 && self.points <= 1000.0) {
            return Err((field("points"), format!("points must be between 0 and 1000, got {}", self.points)));
        }
        let run = |name: &str, p: String| -> Result<(), Problem> {
            if step.names_run(name) {
                Ok(())
            } else {
                Err((p, format!("no run `{name}` in this step")))
            }
        };
        // Fields that belong to other kinds are refused, so a mistaken kind is noticed.
        let allowed: &[&str] = match self.kind {
            QuestionKind::Numeric => &["quantity", "against", "tolerance"],
            QuestionKind::Choice => &["options", "correct", "against"],
            QuestionKind::Ordering => &["runs", "against"],
            QuestionKind::Explanation => &[],
        };
        let present = [
            ("quantity", self.quantity.is_some()),
            ("against", self.against.is_some()),
            ("tolerance", self.tolerance.is_some()),
            ("options", !self.options.is_empty()),
            ("correct", self.correct.is_some()),
            ("runs", !self.runs.is_empty()),
        ];
        if let Some((name, _)) = present.iter().find(|(name, there)| *there && !allowed.contains(name)) {
            return Err((field(name), format!("a {} question has no `{name}`", self.kind_name())));
        }
        match self.kind {
            QuestionKind::Numeric => {
                let quantity = self.quantity.as_ref().ok_or_else(|| (field("quantity"), "a numeric question needs a `quantity`".to_string()))?;
                match quantity {
                    Quantity::WallMs(r) => run(r, field("quantity.wall_ms"))?,
                    Quantity::PredictedWallMs(r) => {
                        run(r, field("quantity.predicted_wall_ms"))?;
                        if self.against == Some(Against::Measured) {
                            return Err((field("against"), "a predicted wall time is computed, not measured".into()));
                        }
                    }
                    Quantity::Speedup(s) => {
                        run(&s.run, field("quantity.speedup.run"))?;
                        run(&s.baseline, field("quantity.speedup.baseline"))?;
                    }
                    Quantity::Knee(r) => {
                        if !step.runs.iter().any(|q| &q.id == r && q.sweep) {
                            return Err((field("quantity.knee"), format!("no sweep run `{r}` in this step")));
                        }
                    }
                }
                if let Some(t) = self.tolerance {
                    if !(t.is_finite() && (0.0..=10.0).contains(&t)) {
                        return Err((field("tolerance"), format!("a relative tolerance between 0 and 10, got {t}")));
                    }
                }
            }
            QuestionKind::Choice => {
                if self.options.len() < 2 {
                    return Err((field("options"), "a choice question needs at least two options".into()));
                }
                for (i, o) in self.options.iter().enumerate() {
                    run(&o.run, field(&format!("options[{i}].run")))?;
                    if self.options[..i].iter().any(|p| p.run == o.run) {
                        return Err((field(&format!("options[{i}].run")), format!("two options name run `{}`", o.run)));
                    }
                }
                if self.correct.is_none() {
                    return Err((field("correct"), "a choice question needs `correct`: fastest or slowest".into()));
                }
            }
            QuestionKind::Ordering => {
                if self.runs.len() < 2 {
                    return Err((field("runs"), "an ordering question needs at least two runs".into()));
                }
                for (i, r) in self.runs.iter().enumerate() {
                    run(r, field(&format!("runs[{i}]")))?;
                    if self.runs[..i].contains(r) {
                        return Err((field(&format!("runs[{i}]")), format!("run `{r}` is listed twice")));
                    }
                }
            }
            QuestionKind::Explanation => {
                if self.points != 0.0 {
                    return Err((field("points"), "an explanation is not auto-graded: no points".into()));
                }
            }
        }
        Ok(())
    }

    /// The kind's name in the JSON format.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            QuestionKind::Numeric => "numeric",
            QuestionKind::Choice => "choice",
            QuestionKind::Ordering => "ordering",
            QuestionKind::Explanation => "explanation",
        }
    }
}

/// A seed parses from and prints as 16 hex digits (a u64 does not fit a JS number).
impl Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Seed {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const RUSH: &str = r#"{
      "version": 1, "kind": "assignment", "title": "Restaurant rush",
      "instructions": "Predict, then run.",
      "steps": [ {
        "id": "rush", "title": "One juggling chef",
        "experiment": { "preset": "restaurant-rush" },
        "variants": [
          { "name": "simmer", "param": "simmer_ms", "min": 150, "max": 250, "step": 10 },
          { "name": "orders", "param": "dishes", "min": 6, "max": 10 } ],
        "runs": [
          { "id": "one-chef", "label": "One chef", "model": "sequential" },
          { "id": "juggling", "label": "One juggling chef", "model": "concurrent" },
          { "id": "sweep", "model": "parallel", "sweep": true } ],
        "questions": [
          { "id": "predict", "kind": "numeric", "points": 2, "prompt": "How long (ms)?",
            "quantity": { "wall_ms": "juggling" }, "tolerance": 0.25,
            "feedback": { "right": "Yes.", "wrong": "No." } },
          { "id": "speed", "kind": "numeric", "points": 1,
            "quantity": { "speedup": { "run": "sweep@2", "baseline": "sweep@baseline" } } },
          { "id": "first", "kind": "choice", "points": 1, "prompt": "Which finished first?",
            "options": [ { "label": "One chef", "run": "one-chef" }, { "label": "Juggling", "run": "juggling" } ],
            "correct": "fastest" },
          { "id": "order", "kind": "ordering", "points": 1, "runs": ["one-chef", "juggling"] },
          { "id": "why", "kind": "explanation", "prompt": "Why?" } ] } ] }"#;

    fn error_at(text: &str) -> (Option<String>, String) {
        match Assignment::from_json(text).unwrap_err().kind {
            ErrorKind::InvalidAssignment { path, problem } => (path, problem),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_documented_shape_parses_and_round_trips() {
        let a = Assignment::from_json(RUSH).unwrap();
        assert_eq!(a.steps[0].runs.len(), 3);
        assert_eq!(a.steps[0].locked, Locks::default());
        assert_eq!(a.steps[0].questions[0].quantity, Some(Quantity::WallMs("juggling".into())));
        let again = Assignment::from_json(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(again, a);
    }

    #[test]
    fn mistakes_are_named_with_their_json_path() {
        let cases = [
            (RUSH.replace(r#""wall_ms": "juggling""#, r#""wall_ms": "nope""#), "steps[0].questions[0].quantity.wall_ms", "no run `nope`"),
            (RUSH.replace(r#""sweep@2""#, r#""sweep@x""#), "steps[0].questions[1].quantity.speedup.run", "sweep@x"),
            (RUSH.replace(r#""max": 250"#, r#""max": 100"#), "steps[0].variants[0].max", "below min"),
            (
                RUSH.replace(r#"{ "name": "orders""#, r#"{ "name": "more", "param": "dishes", "min": 6, "max": 60 }, { "name": "orders""#),
                "steps[0].variants[2].param",
                "at most one `dishes`",
            ),
            (RUSH.replace(r#""step": 10"#, r#""step": 0"#), "steps[0].variants[0].step", "positive"),
            (RUSH.replace(r#""max": 10 }"#, r#""max": 10.5 }"#), "steps[0].variants[1].max", "whole number"),
            (RUSH.replace(r#""restaurant-rush""#, r#""rush-hour""#), "steps[0].experiment.preset", "unknown preset"),
            (RUSH.replace(r#""id": "juggling", "label""#, r#""id": "one-chef", "label""#), "steps[0].runs[1].id", "duplicate run id"),
            (RUSH.replace(r#""model": "parallel", "sweep""#, r#""model": "concurrent", "sweep""#), "steps[0].runs[2].sweep", "parallel"),
            (RUSH.replace(r#""prompt": "Why?""#, r#""prompt": "Why?", "points": 3"#), "steps[0].questions[4].points", "not auto-graded"),
            (RUSH.replace(r#""correct": "fastest""#, r#""correct": "first""#), "steps[0].questions[2].correct", "unknown variant"),
            (RUSH.replace(r#""tolerance": 0.25"#, r#""tolerence": 0.25"#), "steps[0].questions[0].tolerence", "unknown field"),
            (RUSH.replace(r#""runs": ["one-chef", "juggling"]"#, r#""runs": ["one-chef", "one-chef"]"#), "steps[0].questions[3].runs[1]", "twice"),
            (RUSH.replace(r#""kind": "ordering""#, r#""kind": "numeric""#), "steps[0].questions[3].runs", "no `runs`"),
            (RUSH.replace(r#""version": 1"#, r#""version": 2"#), "version", "unknown version 2"),
            (RUSH.replace(r#""kind": "assignment""#, r#""kind": "submission""#), "kind", "unknown variant"),
        ];
        for (text, path, words) in cases {
            let (p, problem) = error_at(&text);
            assert_eq!(p.as_deref(), Some(path), "{problem}");
            assert!(problem.contains(words), "{path}: {problem}");
        }
    }

    #[test]
    fn counting_an_unvalidated_variant_never_overflows() {
        let v = |min: f64, max: f64, step: f64| Variant { name: "v".into(), param: VariantParam::SimmerMs, min, max, step, dishes: vec![] };
        assert_eq!(v(150.0, 250.0, 10.0).count(), 11);
        assert_eq!(v(1.0, 1.0, 1.0).count(), 1);
        assert_eq!(v(5.0, 1.0, 1.0).count(), 1, "max below min");
        assert_eq!(v(0.0, 1.0, 0.0).count(), u64::MAX, "zero step");
        assert_eq!(v(f64::NAN, 1.0, 1.0).count(), 1);
        assert_eq!(v(0.0, 0.3, 0.1).count(), 4, "0, 0.1, 0.2, 0.3 despite rounding");
    }

    #[test]
    fn dishes_variant_is_refused_on_a_graph_with_dependencies() {
        let text = RUSH.replace("restaurant-rush", "terraform");
        let (p, problem) = error_at(&text);
        assert_eq!(p.as_deref(), Some("steps[0].variants[1].param"));
        assert!(problem.contains("without dependencies"), "{problem}");
    }

    #[test]
    fn variants_past_the_engine_limits_are_refused_at_the_variant() {
        let text = RUSH.replace(r#""min": 6, "max": 10"#, r#""min": 6, "max": 20001"#);
        assert_eq!(error_at(&text).0.as_deref(), Some("steps[0].variants[1].max"));
    }

    #[test]
    fn text_after_the_assignment_is_refused() {
        let err = Assignment::from_json(&format!("{RUSH} {{")).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::InvalidAssignment { path: None, .. }), "{err}");
        assert!(Assignment::from_json(&format!("{RUSH}\n")).is_ok());
    }

    #[test]
    fn lesson_steps_take_no_runs_or_variants() {
        let text = r#"{"version":1,"kind":"assignment","title":"L","steps":[{"id":"s","title":"t",
            "experiment":{"lesson":"overlapping-waits"},"questions":[
            {"id":"q","kind":"numeric","points":1,"quantity":{"wall_ms":"run-2"}}]}]}"#;
        let id = lessons::LESSONS[0].id;
        let text = text.replace("overlapping-waits", id);
        Assignment::from_json(&text).unwrap();
        let with_runs = text.replace(r#""questions""#, r#""runs":[{"id":"a","model":"sequential"}],"questions""#);
        assert_eq!(error_at(&with_runs).0.as_deref(), Some("steps[0].runs"));
    }
}
