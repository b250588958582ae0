//! Homework: assignments a teacher writes, students answer by predicting and then measuring,
//! and a grader that checks what they hand in.
//!
//! - `assignment.rs`: the assignment format ([`Assignment`]: steps, seeded [`Variant`]s, runs,
//!   [`Question`]s) and its validation, with JSON paths in errors.
//! - `variant.rs`: the [`Seed`] of a student ([`seed_for`] the assignment's
//!   [`Assignment::digest`] and the student id) and each student's experiments
//!   ([`Step::experiment_for`], [`Step::runs_for`]).
//! - `submission.rs`: what a student hands in ([`Submission`]): answers with their times and
//!   every run's trace.
//! - `check.rs`: [`check_answer`], used by the student page right after a run and by the
//!   grader, so they agree.
//! - `grade.rs`: [`grade`] a submission into a [`Report`], and the reports as [`csv`] or
//!   Gradescope's results.json ([`gradescope`]).
//! - `verify.rs`: [`verify_run`], whether a trace is a consistent measurement of the experiment.
//!
//! The page and the grader derive everything from the assignment and the student id; nothing
//! in a submission is trusted that can be recomputed. Formats: docs/format.md, "Assignments".

mod assignment;
mod check;
mod grade;
mod submission;
mod variant;
mod verify;

pub use assignment::{
    Against, Assignment, AssignmentTag, ChoiceOption, Correct, Feedback, Locks, Quantity, Question, QuestionKind,
    RunRequest, SpeedupOf, Step, StepExperiment, Variant, VariantParam, DEFAULT_TOLERANCE, HOMEWORK_VERSION, KNEE_GAIN,
    MAX_ITEMS, MAX_STEPS, MAX_VARIANT_VALUES,
};
pub use grade::{csv, grade, gradescope, QuestionReport, Report, StepReport};
pub use check::{check_answer, Checked, Computed, Measured, MeasuredRuns, Verdict, TIE};
pub use submission::{Answer, AnswerValue, Environment, RunRecord, StepWork, Submission, SubmissionTag, MAX_SUBMITTED};
pub use variant::{seed_for, sweep_width, PlannedRun, Seed};
pub use verify::{verify_run, Problem, ProblemKind, MIN_CALIBRATED_UNITS, MIN_COOK_FRACTION, SIMMER_SLACK_MS, SLACK_MS};
