//! Seeds and variants: each student's own numbers, derived from the assignment and the
//! student id, so the page and the grader rebuild the same experiments independently.
//!
//! Everything is SHA-256 (crate `sha2`), so it is fully specified (docs/format.md, "Seeds and
//! variants") and any other tool can reproduce it:
//! - digest = hex SHA-256 of the assignment's canonical JSON (`serde_json::to_string` of the
//!   parsed value, so whitespace and key order in the file do not matter);
//! - seed = the first 8 bytes (big-endian) of SHA-256(digest ‖ "\n" ‖ student id trimmed);
//! - a variant's value index = the first 8 bytes of SHA-256(seed as 16 hex ‖ "\n" ‖ step id ‖
//!   "\n" ‖ variant name) modulo its number of values.
//!
//! Hashing each draw (rather than a PRNG stream) keeps draws independent of order: adding a
//! variant to a step changes no other draw, and no PRNG crate's value-stability matters.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::engine::error::{Error, ErrorKind};
use crate::engine::experiment::{Cook, Experiment, Phase};
use crate::engine::graph::{MAX_CHEFS, MAX_TASKS};
use crate::engine::lessons::{self, Machine};
use crate::engine::sweep::sweep_runs;

use super::assignment::{Assignment, Step, StepExperiment, Variant, VariantParam};

/// A student's seed: 64 bits, written as 16 lowercase hex digits in JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Seed(pub u64);

impl fmt::Display for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

impl FromStr for Seed {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("a seed is 16 hex digits, got `{s}`"));
        }
        u64::from_str_radix(s, 16).map(Seed).map_err(|e| e.to_string())
    }
}

/// The first 8 bytes of SHA-256 of `parts` joined by newlines, big-endian.
fn hash64(parts: &[&str]) -> u64 {
    let digest = Sha256::digest(parts.join("\n").as_bytes());
    u64::from_be_bytes(digest[..8].try_into().expect("SHA-256 has 32 bytes"))
}

impl Assignment {
    /// Lowercase hex SHA-256 of the assignment's canonical JSON: names this exact assignment.
    pub fn digest(&self) -> String {
        let canonical = serde_json::to_string(self).expect("an assignment serialises");
        Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The step with this id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }
}

/// The seed of `student` (trimmed) for the assignment with this digest.
pub fn seed_for(digest: &str, student: &str) -> Seed {
    Seed(hash64(&[digest, student.trim()]))
}

impl Variant {
    /// The value this variant takes for `seed` in step `step_id`.
    pub fn draw(&self, seed: Seed, step_id: &str) -> f64 {
        let index = hash64(&[&seed.to_string(), step_id, &self.name]) % self.count().max(1);
        self.value(index)
    }
}

/// One run a student makes for a step: what to cook and how.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PlannedRun {
    /// The id answers and submissions name it by: the request's id, `ID@baseline` / `ID@N` for
    /// a sweep, `run-N` for a lesson step.
    pub id: String,
    /// For people.
    pub label: String,
    /// The student's experiment for this run (variants applied, model and chefs set).
    pub experiment: Experiment,
    /// A lesson's run that belongs on the page's main thread (the page measures its
    /// responsiveness); always false for other steps.
    pub main_thread: bool,
}

impl Step {
    /// The student's experiment for this step: the step's dishes with every variant drawn from
    /// `seed` (model sequential, chefs the step's width). A lesson step has no one experiment
    /// (its plan gives each run's): use [`Step::runs_for`].
    pub fn experiment_for(&self, seed: Seed) -> Result<Experiment, Error> {
        if let StepExperiment::Lesson(id) = &self.experiment {
            let problem = format!("step `{}` is lesson `{id}`: its runs come from the lesson's plan", self.id);
            return Err(ErrorKind::InvalidAssignment { path: None, problem }.into());
        }
        self.experiment_with(|v| v.draw(seed, &self.id))
    }

    /// The step's experiment with each variant set to `value(variant)`.
    pub(super) fn experiment_with(&self, value: impl Fn(&Variant) -> f64) -> Result<Experiment, Error> {
        let mut e = self.base_experiment().ok_or_else(|| {
            Error::from(ErrorKind::InvalidAssignment { path: None, problem: "a lesson step has no single experiment".into() })
        })?;
        // Phase lengths first, so copies made by `dishes` inherit them.
        for v in self.variants.iter().filter(|v| matches!(v.param, VariantParam::SimmerMs | VariantParam::CookMs)) {
            set_phases(&mut e, v, value(v));
        }
        for v in &self.variants {
            match v.param {
                // Clamped as validation would: an unvalidated step must not allocate without bound.
                VariantParam::Dishes => repeat_dishes(&mut e, (value(v) as usize).clamp(1, MAX_TASKS)),
                VariantParam::Chefs => e.chefs = (value(v) as usize).clamp(1, MAX_CHEFS),
                _ => {}
            }
        }
        Ok(e)
    }

    /// Every run the student makes for this step, in order, on `machine` (whose cores and
    /// threads decide a sweep's widths and a lesson's plan; a run asking for more chefs than
    /// the machine has threads is capped at its threads, and a parallel run on a machine
    /// without threads is refused).
    pub fn runs_for(&self, seed: Seed, machine: &Machine) -> Result<Vec<PlannedRun>, Error> {
        if let StepExperiment::Lesson(id) = &self.experiment {
            let lesson = lessons::find(id).ok_or_else(|| invalid(format!("unknown lesson `{id}`")))?;
            let specs = lesson.plan(machine).map_err(|why| invalid(format!("lesson `{id}` cannot run here: {why}")))?;
            return Ok(specs
                .into_iter()
                .enumerate()
                .map(|(i, s)| PlannedRun { id: format!("run-{}", i + 1), label: s.label, experiment: s.experiment, main_thread: s.main_thread })
                .collect());
        }
        let base = self.experiment_for(seed)?;
        let mut runs = Vec::new();
        for r in &self.runs {
            let label = if r.label.trim().is_empty() { r.id.clone() } else { r.label.clone() };
            if r.model.is_parallel() && machine.threads == 0 {
                return Err(invalid(format!("run `{}` is {}: it needs worker threads, which this page does not have", r.id, r.model.name())));
            }
            let asked = r.model.effective_chefs(r.chefs.unwrap_or(base.chefs));
            // A page runs at most one chef per worker thread: a wider run is capped, as a
            // sweep is, so the student's runs depend on their machine (the grader reads it
            // from the submission's environment).
            let chefs = if r.model.is_parallel() { asked.min(machine.threads) } else { asked };
            let label = if chefs < asked { format!("{label} (capped at {chefs} chefs: this page's threads)") } else { label };
            let experiment = Experiment { model: r.model, chefs, ..base.clone() };
            if !r.sweep {
                runs.push(PlannedRun { id: r.id.clone(), label, experiment, main_thread: false });
                continue;
            }
            let widest = sweep_width(machine);
            for (i, e) in sweep_runs(&experiment, widest).into_iter().enumerate() {
                let (id, what) = match i {
                    0 => (format!("{}@baseline", r.id), "sequential baseline".to_string()),
                    n => (format!("{}@{n}", r.id), format!("{n} chef{}", if n == 1 { "" } else { "s" })),
                };
                runs.push(PlannedRun { id, label: format!("{label}: {what}"), experiment: e, main_thread: false });
            }
        }
        Ok(runs)
    }
}

/// The widest run of a sweep on `machine`: the threads a page starts on its cores, at most the
/// threads it has.
pub fn sweep_width(machine: &Machine) -> usize {
    Machine::threads_for(machine.cores).min(machine.threads).min(MAX_CHEFS)
}

fn invalid(problem: String) -> Error {
    ErrorKind::InvalidAssignment { path: None, problem }.into()
}

/// Sets every simmer (or cook) phase of the variant's dishes (all when it names none) to `ms`.
fn set_phases(e: &mut Experiment, v: &Variant, ms: f64) {
    for task in e.tasks.iter_mut().filter(|t| v.dishes.is_empty() || v.dishes.contains(&t.id)) {
        for phase in &mut task.phases {
            match (v.param, phase) {
                (VariantParam::SimmerMs, Phase::Simmer(s)) => s.ms = ms,
                (VariantParam::CookMs, Phase::Cook(c)) => *c = Cook { ms: Some(ms), units: None, ..c.clone() },
                _ => {}
            }
        }
    }
}

/// Keeps the first `count` dishes, or repeats the list cyclically up to `count` with the
/// copies' ids suffixed `#2`, `#3`, … (dishes without dependencies only: validated).
fn repeat_dishes(e: &mut Experiment, count: usize) {
    let original = std::mem::take(&mut e.tasks);
    let n = original.len().max(1);
    e.tasks = (0..count)
        .filter_map(|i| {
            let mut t = original.get(i % n)?.clone();
            if i >= n {
                t.id = format!("{}#{}", t.id, i / n + 1);
            }
            Some(t)
        })
        .collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::{Model, Simmer};
    use crate::engine::homework::RunRequest;

    fn rush() -> Assignment {
        Assignment::from_json(super::super::assignment::tests::RUSH).unwrap()
    }

    #[test]
    fn seeds_print_as_16_hex_digits_and_parse_back() {
        let seed = Seed(0x00ab_cdef_0123_4567);
        assert_eq!(seed.to_string(), "00abcdef01234567");
        assert_eq!("00abcdef01234567".parse::<Seed>().unwrap(), seed);
        for bad in ["", "abc", "00abcdef0123456g", "00abcdef012345678", "+0abcdef01234567"] {
            assert!(bad.parse::<Seed>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_digest_ignores_layout_and_changes_with_content() {
        let a = rush();
        let squeezed = Assignment::from_json(&serde_json::to_string(&a).unwrap()).unwrap();
        assert_eq!(a.digest(), squeezed.digest());
        assert_eq!(a.digest().len(), 64);
        let mut b = a.clone();
        b.title.push('!');
        assert_ne!(a.digest(), b.digest());
    }

    #[test]
    fn the_seed_is_the_documented_hash_and_trims_the_id() {
        // SHA-256("abc\nada") starts 0x… — computed independently here with the same crate
        // would prove nothing, so check the definition's parts: trimming and dependence on both.
        assert_eq!(seed_for("abc", " ada \n"), seed_for("abc", "ada"));
        assert_ne!(seed_for("abc", "ada"), seed_for("abd", "ada"));
        assert_ne!(seed_for("abc", "ada"), seed_for("abc", "bob"));
        // A known vector: SHA-256 of "\n" (digest and student empty) is 01ba4719c80b6fe9….
        assert_eq!(seed_for("", ""), Seed(0x01ba_4719_c80b_6fe9));
    }

    #[test]
    fn variants_stay_in_range_and_differ_between_students() {
        let a = rush();
        let step = &a.steps[0];
        let mut seen = std::collections::HashSet::new();
        for student in 0..200 {
            let seed = seed_for(&a.digest(), &format!("student-{student}"));
            let e = step.experiment_for(seed).unwrap();
            assert!((6..=10).contains(&e.tasks.len()), "{}", e.tasks.len());
            let Phase::Simmer(Simmer { ms }) = e.tasks[0].phases[0] else { panic!() };
            assert!((150.0..=250.0).contains(&ms) && ms % 10.0 == 0.0, "{ms}");
            assert!(e.tasks.iter().all(|t| t.phases[0] == Phase::Simmer(Simmer { ms })));
            seen.insert((e.tasks.len(), ms as u64));
            assert_eq!(step.experiment_for(seed).unwrap(), e, "the same seed gives the same variant");
        }
        assert!(seen.len() > 20, "200 students share {} variants", seen.len());
    }

    #[test]
    fn dishes_repeat_cyclically_with_suffixed_ids() {
        let mut e = crate::engine::presets::find("three-dishes").unwrap().experiment(Model::Sequential, 1);
        repeat_dishes(&mut e, 7);
        let ids: Vec<_> = e.tasks.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["soup", "roast", "dessert", "soup#2", "roast#2", "dessert#2", "soup#3"]);
        repeat_dishes(&mut e, 2);
        assert_eq!(e.tasks.len(), 2);
    }

    #[test]
    fn runs_expand_sweeps_to_the_machine() {
        let a = rush();
        let seed = seed_for(&a.digest(), "ada");
        let runs = a.steps[0].runs_for(seed, &Machine::browser_like(2)).unwrap();
        let ids: Vec<_> = runs.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["one-chef", "juggling", "sweep@baseline", "sweep@1", "sweep@2", "sweep@3", "sweep@4"]);
        assert_eq!(runs[1].experiment.model, Model::Concurrent);
        assert_eq!((runs[2].experiment.model, runs[6].experiment.chefs), (Model::Sequential, 4));
        assert!(runs.iter().all(|r| a.steps[0].names_run(&r.id)));
        let err = a.steps[0].runs_for(seed, &Machine::new(4, 0)).unwrap_err().to_string();
        assert!(err.contains("worker threads"), "{err}");
        let mut wide = a.steps[0].clone();
        wide.runs[2] = RunRequest { id: "eight".into(), label: String::new(), model: Model::Parallel, chefs: Some(8), sweep: false };
        let runs = wide.runs_for(seed, &Machine::browser_like(1)).unwrap();
        assert_eq!(runs[2].experiment.chefs, 2, "capped at the threads of a one-core page");
        assert!(runs[2].label.contains("capped"), "{}", runs[2].label);
    }

    #[test]
    fn a_lesson_step_plans_its_lessons_runs() {
        let text = format!(
            r#"{{"version":1,"kind":"assignment","title":"L","steps":[{{"id":"s","title":"t","experiment":{{"lesson":"{}"}}}}]}}"#,
            lessons::LESSONS[0].id
        );
        let a = Assignment::from_json(&text).unwrap();
        let seed = seed_for(&a.digest(), "ada");
        let runs = a.steps[0].runs_for(seed, &Machine::browser_like(2)).unwrap();
        assert!(!runs.is_empty() && runs[0].id == "run-1");
        assert!(a.steps[0].experiment_for(seed).is_err());
    }
}
