//! The student page's state: one reducer over the assignment, this student's variant, and the
//! work per step (answers with when they were given, runs with their traces). What is derived —
//! each step's experiment and runs for this seed and machine, the checks of its answers — is
//! computed here when its inputs change, never in a render. The work is what local storage
//! keeps ([`Kept`]) and what "Hand in" writes.

use std::rc::Rc;

use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::engine::homework::{self as hw, check_answer, Answer, AnswerValue, Assignment, Checked, Computed, MeasuredRuns, RunRecord, Seed, StepWork};
use crate::engine::lessons::Machine;
use crate::engine::Experiment;
use crate::runtime::env::Env;

/// What local storage keeps for one student and assignment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Kept {
    /// One per step of the assignment, in its order.
    pub steps: Vec<KeptStep>,
}

/// A step's work as kept.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeptStep {
    /// What the submission carries for the step.
    pub work: StepWork,
    /// When the step's runs were first started (epoch ms): from then on its predictions are
    /// locked, even if the runs are started again.
    #[serde(default)]
    pub first_run_at: Option<f64>,
}

/// A step's run as the page runs it: the engine's request, expanded for this seed and machine.
pub type Planned = hw::PlannedRun;

/// Where a step's runs are.
#[derive(Clone, Debug, PartialEq)]
pub enum StepStatus {
    Idle,
    /// Run `index` of `total` is under way.
    Running { index: usize, total: usize, label: String },
    /// The runs could not finish (stopped, or an error), and why.
    Failed(String),
}

/// One step on the page.
#[derive(Clone, Debug, PartialEq)]
pub struct StepState {
    /// The step's experiment for this student's variant, or why it can't be built.
    pub experiment: Result<Rc<Experiment>, String>,
    /// Its runs on this machine; `None` until the page knows its workers.
    pub runs: Option<Result<Rc<Vec<Planned>>, String>>,
    pub kept: KeptStep,
    pub status: StepStatus,
    /// One check per question, in order (recomputed when answers or runs change).
    pub checks: Rc<Vec<Checked>>,
}

impl StepState {
    /// Whether the predictions are locked: the runs have started once.
    pub fn locked(&self) -> bool {
        self.kept.first_run_at.is_some()
    }

    /// The answer to `question`, if given.
    pub fn answer(&self, question: &str) -> Option<&Answer> {
        self.kept.work.answers.iter().find(|a| a.question == question)
    }

    /// Whether every run of the step has a trace.
    pub fn all_ran(&self) -> bool {
        match &self.runs {
            Some(Ok(runs)) => runs.iter().all(|r| self.kept.work.runs.iter().any(|k| k.run == r.id)),
            _ => false,
        }
    }
}

/// The student page's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Work {
    pub assignment: Rc<Assignment>,
    pub digest: String,
    pub student: String,
    pub seed: Seed,
    pub env: Option<Env>,
    pub steps: Vec<StepState>,
    /// Said above the work: kept work that could not be read, or storage that refused.
    pub notice: Option<String>,
    /// Counts changes of the kept work: the page saves when it moves.
    pub revision: u64,
}

impl Work {
    /// `student`'s work on `assignment`, starting from `kept` (if any).
    pub fn new(assignment: Rc<Assignment>, student: String, kept: Option<Kept>, notice: Option<String>) -> Work {
        let digest = assignment.digest();
        let seed = hw::seed_for(&digest, &student);
        let kept = kept.unwrap_or_default();
        let steps = assignment
            .steps
            .iter()
            .enumerate()
            .map(|(i, step)| {
                // Kept work of another shape (the assignment changed?) is not this step's.
                let kept = kept.steps.get(i).filter(|k| k.work.step == step.id).cloned();
                StepState {
                    experiment: step.experiment_for(seed).map(Rc::new).map_err(|e| e.to_string()),
                    runs: None,
                    kept: kept.unwrap_or_else(|| KeptStep { work: StepWork { step: step.id.clone(), answers: vec![], runs: vec![] }, first_run_at: None }),
                    status: StepStatus::Idle,
                    checks: Rc::default(),
                }
            })
            .collect();
        let mut work = Work { assignment, digest, student, seed, env: None, steps, notice, revision: 0 };
        (0..work.steps.len()).for_each(|i| work.recheck(i));
        work
    }

    /// What local storage keeps.
    pub fn kept(&self) -> Kept {
        Kept { steps: self.steps.iter().map(|s| s.kept.clone()).collect() }
    }

    /// This page as the engine plans runs for it — as the grader rebuilds it from the
    /// submission's environment (cores, and workers unless the back-end is `none`), so the page
    /// and the grader plan the same runs.
    fn machine(&self) -> Option<Machine> {
        self.env.as_ref().map(|e| {
            let threads = if e.backend == crate::runtime::backend::Backend::None { 0 } else { Machine::threads_for(e.hardware_concurrency) };
            Machine::new(e.hardware_concurrency, threads)
        })
    }

    /// The checks of step `i`'s answers against its runs (the grader's code: `check_answer`).
    fn recheck(&mut self, i: usize) {
        let step = &self.assignment.steps[i];
        let state = &self.steps[i];
        let mut measured = MeasuredRuns::new();
        for r in &state.kept.work.runs {
            measured.insert(&r.run, &r.trace, r.started_at);
        }
        // Computed walls use the calibration the runs carry, as the grader does.
        let calibration = state.kept.work.runs.first().map_or(&[][..], |r| &r.trace.calibration[..]);
        let computed = match &state.runs {
            Some(Ok(planned)) if !state.kept.work.runs.is_empty() => Computed::for_step(step, planned, calibration),
            _ => Computed::none(),
        };
        let checks = step.questions.iter().map(|q| check_answer(q, state.answer(&q.id), &measured, &computed)).collect();
        self.steps[i].checks = Rc::new(checks);
    }

    /// Whether any step's runs are under way.
    pub fn running(&self) -> bool {
        self.steps.iter().any(|s| matches!(s.status, StepStatus::Running { .. }))
    }
}

/// What changes the student page's state.
pub enum WorkAction {
    /// The environment probe answered: the runs can be planned for this machine.
    EnvProbed(Env),
    /// The student answered a question of a step (`answered_at` is now).
    Answer { step: usize, question: String, value: AnswerValue },
    /// A step's runs started: its predictions lock.
    RunStarted(usize),
    /// A step moved on to its run `index`.
    RunProgress { step: usize, index: usize, total: usize, label: String },
    /// A run of a step ended with its trace.
    RunDone(usize, RunRecord),
    /// A step's runs ended (all done, or stopped, or failed).
    RunEnded(usize, Result<(), String>),
    /// Local storage refused to keep the work.
    SaveFailed(String),
}

impl Reducible for Work {
    type Action = WorkAction;

    fn reduce(self: Rc<Self>, action: WorkAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            WorkAction::EnvProbed(env) => {
                next.env = Some(env);
                let machine = next.machine().expect("just set");
                for (i, step) in next.assignment.clone().steps.iter().enumerate() {
                    next.steps[i].runs = Some(step.runs_for(next.seed, &machine).map(Rc::new).map_err(|e| e.to_string()));
                }
            }
            WorkAction::Answer { step, question, value } => {
                let s = &mut next.steps[step];
                let prediction = next.assignment.steps[step].questions.iter().any(|q| q.id == question && q.kind.is_prediction());
                if prediction && s.locked() {
                    return self; // locked once the runs started
                }
                let answer = Answer { question: question.clone(), value, answered_at: Some(js_sys::Date::now()) };
                let answers = &mut s.kept.work.answers;
                match answers.iter_mut().find(|a| a.question == question) {
                    Some(a) => *a = answer,
                    None => answers.push(answer),
                }
                next.recheck(step);
                next.revision += 1;
            }
            WorkAction::RunStarted(step) => {
                let s = &mut next.steps[step];
                s.kept.first_run_at.get_or_insert_with(js_sys::Date::now);
                s.kept.work.runs.clear();
                s.status = StepStatus::Running { index: 0, total: 0, label: String::new() };
                next.recheck(step);
                next.revision += 1;
            }
            WorkAction::RunProgress { step, index, total, label } => {
                next.steps[step].status = StepStatus::Running { index, total, label };
            }
            WorkAction::RunDone(step, record) => {
                next.steps[step].kept.work.runs.push(record);
                next.recheck(step);
                next.revision += 1;
            }
            WorkAction::RunEnded(step, result) => {
                next.steps[step].status = result.map_or_else(StepStatus::Failed, |()| StepStatus::Idle);
            }
            WorkAction::SaveFailed(why) => next.notice = Some(format!("Your work could not be kept in this browser: {why}. Hand it in before closing the page.")),
        }
        Rc::new(next)
    }
}
