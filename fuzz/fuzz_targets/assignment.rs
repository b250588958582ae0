//! Fuzzes the assignment decoder (`Assignment::from_json`: serde with JSON paths, then the
//! format's validation) and what an accepted assignment reaches: its digest, each step's
//! variant for a few students (`Step::experiment_for`) and its runs on machines with and
//! without worker threads (`Step::runs_for`), the computed walls (`Computed::for_step`) and
//! grading an empty submission. None may panic; every planned run must be a valid experiment
//! (validation promised it), and an accepted assignment written out reads back the same, with
//! the same digest.

#![no_main]

use kitchen::engine::homework::{
    grade, seed_for, Assignment, Computed, Environment, Submission, SubmissionTag, HOMEWORK_VERSION,
};
use kitchen::engine::lessons::Machine;
use kitchen::engine::{Calibration, Kernel, Plan};
use libfuzzer_sys::{fuzz_mutator, fuzz_target};

/// The calibration validation plans with (100 units/ms, `assignment.rs`): on a much slower
/// machine a split cook of few ms can have more chunks than units, which that machine's page
/// reports as it does for any experiment.
fn cal(kernel: Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 100.0, measured_over_ms: 0.0 }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(assignment) = Assignment::from_json(text) else { return };
    let json = serde_json::to_string(&assignment).expect("an assignment serialises");
    let again = Assignment::from_json(&json).unwrap_or_else(|e| panic!("written out, no longer reads: {e}\n{json}"));
    assert_eq!(again, assignment);
    let digest = assignment.digest();
    assert_eq!(again.digest(), digest);
    let calibration: Vec<Calibration> = Kernel::ALL.iter().map(|k| cal(*k)).collect();
    for student in ["ada", "x"] {
        let seed = seed_for(&digest, student);
        for step in &assignment.steps {
            if let Ok(e) = step.experiment_for(seed) {
                Plan::new(&e, &cal).unwrap_or_else(|err| panic!("step {}: a drawn variant is invalid: {err}", step.id));
            }
            for machine in [Machine::browser_like(1), Machine::new(3, 0)] {
                let Ok(runs) = step.runs_for(seed, &machine) else { continue };
                for r in &runs {
                    Plan::new(&r.experiment, &cal).unwrap_or_else(|err| panic!("run {}: invalid: {err}", r.id));
                    assert!(step.names_run(&r.id), "run {} is not named by its step", r.id);
                }
                Computed::for_step(step, &runs, &calibration);
            }
        }
        let submission = Submission {
            version: HOMEWORK_VERSION,
            kind: SubmissionTag::Submission,
            assignment_digest: digest.clone(),
            assignment_title: String::new(),
            student: student.into(),
            seed,
            environment: Environment { cores: 2, ..Environment::default() },
            handed_in_at: None,
            steps: vec![],
        };
        let report = grade(&assignment, &submission);
        assert_eq!(report.score, 0.0, "nothing handed in, nothing earned");
    }
});

// Edits of well-formed documents besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
