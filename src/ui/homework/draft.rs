//! The teacher's assignment as the "Make an assignment" editor holds it while it is written,
//! and its JSON in the documented assignment format (docs/format.md). The editor never makes a
//! file or a link from a draft the engine refuses: [`Draft::to_json`] is read back with
//! `Assignment::from_json` first. Pure, so it is tested natively.

use serde_json::{json, Value};

use crate::engine::{Experiment, Model};

/// An assignment being written.
#[derive(Clone, Debug, PartialEq)]
pub struct Draft {
    pub title: String,
    /// Markdown (the safe subset).
    pub instructions: String,
    pub steps: Vec<StepDraft>,
}

/// One step: the kitchen it was made from, what is locked, its variants, runs and questions.
#[derive(Clone, Debug, PartialEq)]
pub struct StepDraft {
    pub id: String,
    pub title: String,
    pub instructions: String,
    /// The playground's dishes, model and chefs when the step was added.
    pub experiment: Experiment,
    pub lock_dishes: bool,
    pub lock_model: bool,
    pub lock_chefs: bool,
    pub variants: Vec<VariantDraft>,
    pub runs: Vec<RunDraft>,
    pub questions: Vec<QuestionDraft>,
}

/// A parameter drawn per student from `min..=max` in `step` increments.
#[derive(Clone, Debug, PartialEq)]
pub struct VariantDraft {
    /// One of [`PARAMS`].
    pub param: String,
    pub min: f64,
    pub max: f64,
    pub step: f64,
}

/// The variant parameters the engine draws (docs/format.md), with words for the editor.
pub const PARAMS: [(&str, &str); 4] = [
    ("simmer_ms", "every simmer (ms)"),
    ("cook_ms", "every cook (ms)"),
    ("dishes", "number of dishes"),
    ("chefs", "chefs"),
];

/// One run of a step.
#[derive(Clone, Debug, PartialEq)]
pub struct RunDraft {
    pub id: String,
    pub label: String,
    pub model: Model,
    pub chefs: usize,
    /// Parallel only: 1 to 2×cores chefs against a sequential baseline.
    pub sweep: bool,
}

/// The kinds of question (docs/format.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Numeric,
    Choice,
    Ordering,
    Explanation,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Numeric, Kind::Choice, Kind::Ordering, Kind::Explanation];

    /// The name in the format.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Numeric => "numeric",
            Kind::Choice => "choice",
            Kind::Ordering => "ordering",
            Kind::Explanation => "explanation",
        }
    }
}

/// What a numeric question asks for (docs/format.md's `quantity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantityKind {
    /// The wall time of a run (ms).
    WallMs,
    /// A run's speedup over a baseline run.
    Speedup,
    /// The chefs after which a sweep's speedup stops growing.
    Knee,
    /// The wall time the engine's schedule predicts for a run.
    PredictedWallMs,
}

impl QuantityKind {
    pub const ALL: [QuantityKind; 4] = [QuantityKind::WallMs, QuantityKind::Speedup, QuantityKind::Knee, QuantityKind::PredictedWallMs];

    /// The key in the format.
    pub fn name(self) -> &'static str {
        match self {
            QuantityKind::WallMs => "wall_ms",
            QuantityKind::Speedup => "speedup",
            QuantityKind::Knee => "knee",
            QuantityKind::PredictedWallMs => "predicted_wall_ms",
        }
    }

    /// Words for the editor.
    pub fn label(self) -> &'static str {
        match self {
            QuantityKind::WallMs => "wall time of a run (ms)",
            QuantityKind::Speedup => "speedup of a run over a baseline",
            QuantityKind::Knee => "chefs after which a sweep stops gaining",
            QuantityKind::PredictedWallMs => "computed wall time of a run (ms)",
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionDraft {
    pub id: String,
    pub kind: Kind,
    pub prompt: String,
    pub points: f64,
    /// Numeric: what, of which run, against which baseline (speedup).
    pub quantity: QuantityKind,
    pub run: String,
    pub baseline: String,
    /// Numeric: graded against the student's measurement (`measured`) or the engine's value (`computed`).
    pub against_computed: bool,
    /// Numeric: relative tolerance (0.25 = within 25 %).
    pub tolerance: f64,
    /// Choice: the runs offered; the right one is the fastest (or, with `slowest`, the slowest).
    pub options: Vec<String>,
    pub slowest: bool,
    pub feedback_right: String,
    pub feedback_wrong: String,
}

impl Draft {
    /// An empty assignment.
    pub fn new() -> Draft {
        Draft { title: "Homework".into(), instructions: String::new(), steps: vec![] }
    }

    /// Adds a step made of `experiment` (the playground's): all locked, one run as it is, no
    /// questions yet.
    pub fn add_step(&mut self, experiment: Experiment) {
        let n = self.steps.len() + 1;
        let run = RunDraft {
            id: "run-1".into(),
            label: format!("{}, {} chef{}", experiment.model.name(), experiment.model.effective_chefs(experiment.chefs),
                if experiment.model.effective_chefs(experiment.chefs) == 1 { "" } else { "s" }),
            model: experiment.model,
            chefs: experiment.chefs,
            sweep: false,
        };
        self.steps.push(StepDraft {
            id: format!("step-{n}"),
            title: format!("Step {n}"),
            instructions: "Predict first, then run and compare.".into(),
            experiment,
            lock_dishes: true,
            lock_model: true,
            lock_chefs: true,
            variants: vec![],
            runs: vec![run],
            questions: vec![],
        });
    }

    /// The assignment in the documented JSON format.
    pub fn to_json(&self) -> Value {
        json!({
            "version": 1,
            "kind": "assignment",
            "title": self.title,
            "instructions": self.instructions,
            "steps": self.steps.iter().map(StepDraft::to_json).collect::<Vec<_>>(),
        })
    }
}

impl Default for Draft {
    fn default() -> Draft {
        Draft::new()
    }
}

impl StepDraft {
    /// A new run's id, not yet used in this step.
    pub fn fresh_run_id(&self) -> String {
        fresh(self.runs.iter().map(|r| r.id.as_str()), "run")
    }

    /// A new question's id, not yet used in this step.
    pub fn fresh_question_id(&self) -> String {
        fresh(self.questions.iter().map(|q| q.id.as_str()), "q")
    }

    /// Adds a question of `kind` about this step's runs, with words to edit.
    pub fn add_question(&mut self, kind: Kind) {
        let id = self.fresh_question_id();
        let first = self.runs.first().map(|r| (r.id.clone(), r.label.clone())).unwrap_or_default();
        let prompt = match kind {
            Kind::Numeric => format!("How long will {} take (ms)?", first.1),
            Kind::Choice => "Which run finishes first?".into(),
            Kind::Ordering => "Put the runs in order, fastest first.".into(),
            Kind::Explanation => "Explain what you measured.".into(),
        };
        self.questions.push(QuestionDraft {
            id,
            kind,
            prompt,
            points: if kind == Kind::Explanation { 0.0 } else { 1.0 },
            quantity: QuantityKind::WallMs,
            run: first.0.clone(),
            baseline: first.0,
            against_computed: false,
            tolerance: 0.25,
            options: self.runs.iter().map(|r| r.id.clone()).collect(),
            slowest: false,
            feedback_right: String::new(),
            feedback_wrong: String::new(),
        });
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "title": self.title,
            "instructions": self.instructions,
            "experiment": { "inline": self.experiment },
            "locked": { "dishes": self.lock_dishes, "model": self.lock_model, "chefs": self.lock_chefs },
            "variants": self.variants.iter().map(|v| {
                let mut o = json!({ "name": v.param, "param": v.param, "min": v.min, "max": v.max });
                if v.step > 0.0 { o["step"] = json!(v.step); }
                o
            }).collect::<Vec<_>>(),
            "runs": self.runs.iter().map(|r| {
                let mut o = json!({ "id": r.id, "label": r.label, "model": r.model.name() });
                if r.sweep { o["sweep"] = json!(true); } else { o["chefs"] = json!(r.chefs); }
                o
            }).collect::<Vec<_>>(),
            "questions": self.questions.iter().map(|q| q.to_json(self)).collect::<Vec<_>>(),
        })
    }
}

impl QuestionDraft {
    fn to_json(&self, step: &StepDraft) -> Value {
        let label = |id: &str| step.runs.iter().find(|r| r.id == id).map_or(id.to_string(), |r| r.label.clone());
        let mut o = json!({ "id": self.id, "kind": self.kind.name(), "prompt": self.prompt });
        if self.kind != Kind::Explanation {
            o["points"] = json!(self.points);
        }
        match self.kind {
            Kind::Numeric => {
                o["quantity"] = match self.quantity {
                    QuantityKind::Speedup => json!({ "speedup": { "run": self.run, "baseline": self.baseline } }),
                    other => json!({ other.name(): self.run }),
                };
                o["against"] = json!(if self.against_computed { "computed" } else { "measured" });
                o["tolerance"] = json!(self.tolerance);
            }
            Kind::Choice => {
                o["options"] = self.options.iter().map(|r| json!({ "label": label(r), "run": r })).collect();
                o["correct"] = json!(if self.slowest { "slowest" } else { "fastest" });
            }
            Kind::Ordering => o["runs"] = json!(step.runs.iter().map(|r| &r.id).collect::<Vec<_>>()),
            Kind::Explanation => {}
        }
        if self.kind != Kind::Explanation && !(self.feedback_right.is_empty() && self.feedback_wrong.is_empty()) {
            o["feedback"] = json!({ "right": self.feedback_right, "wrong": self.feedback_wrong });
        }
        o
    }
}

/// `prefix-N` for the first N ≥ 1 not among `used`.
fn fresh<'a>(used: impl Iterator<Item = &'a str> + Clone, prefix: &str) -> String {
    (1..).map(|n| format!("{prefix}-{n}")).find(|id| !used.clone().any(|u| u == id)).expect("some number is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::homework::Assignment;
    use crate::engine::presets;

    fn json(d: &Draft) -> String {
        serde_json::to_string_pretty(&d.to_json()).unwrap()
    }

    #[test]
    fn a_draft_with_every_kind_of_question_is_an_assignment() {
        let mut d = Draft::new();
        d.title = "Rush".into();
        d.add_step(presets::find("three-dishes").unwrap().experiment(Model::Parallel, 2));
        let s = &mut d.steps[0];
        s.runs.push(RunDraft { id: "one".into(), label: "One chef".into(), model: Model::Sequential, chefs: 1, sweep: false });
        s.runs.push(RunDraft { id: "sweep".into(), label: "Sweep".into(), model: Model::Parallel, chefs: 1, sweep: true });
        s.variants.push(VariantDraft { param: "cook_ms".into(), min: 100.0, max: 200.0, step: 10.0 });
        for k in Kind::ALL {
            s.add_question(k);
        }
        s.questions[0].quantity = QuantityKind::Speedup;
        s.questions[0].baseline = "one".into();
        s.add_question(Kind::Numeric);
        s.questions[4].quantity = QuantityKind::Knee;
        s.questions[4].run = "sweep".into();
        s.questions[1].options.retain(|r| r != "sweep");
        s.questions[1].feedback_right = "Yes".into();
        d.steps[0].questions[2].kind = Kind::Ordering;
        // Orderings read every run, a sweep included: keep the sweep out of this step's ordering.
        let mut d2 = d.clone();
        d2.steps[0].questions.remove(2);
        let a = Assignment::from_json(&json(&d2)).unwrap_or_else(|e| panic!("{e}\n{}", json(&d2)));
        assert_eq!(a.title, "Rush");
        assert_eq!(a.steps[0].questions.len(), 4);
        assert_eq!(a.steps[0].runs.len(), 3);
    }

    #[test]
    fn mistakes_are_refused_by_the_engine_with_their_path() {
        let mut d = Draft::new();
        d.add_step(presets::find("three-dishes").unwrap().experiment(Model::Sequential, 1));
        d.steps[0].add_question(Kind::Numeric);
        assert!(Assignment::from_json(&json(&d)).is_ok(), "{}", json(&d));
        let mut dup = d.clone();
        let first = dup.steps[0].runs[0].clone();
        dup.steps[0].runs.push(first);
        let e = Assignment::from_json(&json(&dup)).unwrap_err().to_string();
        assert!(e.contains("steps[0]"), "{e}");
        let mut bad = d.clone();
        bad.steps[0].variants.push(VariantDraft { param: "simmer_ms".into(), min: 300.0, max: 100.0, step: 10.0 });
        assert!(Assignment::from_json(&json(&bad)).unwrap_err().to_string().contains("steps[0].variants[0]"));
        let mut gone = d.clone();
        gone.steps[0].questions[0].run = "nowhere".into();
        assert!(Assignment::from_json(&json(&gone)).is_err());
        assert_eq!(d.steps[0].fresh_run_id(), "run-2");
        assert_eq!(d.steps[0].fresh_question_id(), "q-2");
    }
}
