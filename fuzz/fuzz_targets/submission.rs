//! Fuzzes the submission decoder (`Submission::from_json`: serde with JSON paths, then the
//! format's checks, every trace's own included) and the grader on what it accepts: the
//! submission graded against a fixed assignment (fuzz/fixtures, which the seed submission
//! answers, so the runs reach `verify_run`), the CSV and the Gradescope results. None may
//! panic; a grade is never above its maximum nor negative, and an accepted submission written
//! out reads back the same.

#![no_main]

use kitchen::engine::homework::{csv, grade, gradescope, Assignment, Submission};
use libfuzzer_sys::{fuzz_mutator, fuzz_target};
use std::sync::OnceLock;

fn assignment() -> &'static Assignment {
    static A: OnceLock<Assignment> = OnceLock::new();
    A.get_or_init(|| Assignment::from_json(include_str!("../fixtures/restaurant-rush-scaled.json")).expect("the fixture reads"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(submission) = Submission::from_json(text) else { return };
    let json = serde_json::to_string(&submission).expect("a submission serialises");
    let again = Submission::from_json(&json).unwrap_or_else(|e| panic!("written out, no longer reads: {e}\n{json}"));
    assert_eq!(again, submission);
    let report = grade(assignment(), &submission);
    assert!(report.score >= 0.0 && report.score <= report.max_score, "{} of {}", report.score, report.max_score);
    for step in &report.steps {
        assert!(step.questions.iter().all(|q| q.checked.points >= 0.0 && q.checked.points <= q.checked.max_points));
    }
    csv(assignment(), std::slice::from_ref(&report));
    let results = gradescope(&report);
    assert!(results["tests"].is_array());
});

// Edits of well-formed documents besides libFuzzer's byte mutations (fuzz/src/lib.rs).
fuzz_mutator!(|data: &mut [u8], size: usize, max_size: usize, seed: u32| {
    concurrency_kitchen_fuzz::mutate(data, size, max_size, seed)
});
