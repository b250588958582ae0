//! The lesson's demo and its verdict: every tally several times, then both lock orders, judged
//! into a [`Verdict`] like the other lessons' verdicts.

use serde::Serialize;

use super::counter::{count, CountRun, Counter};
use super::locks::{two_locks, LockOrder, TwoLockRun};
use super::threads::{RaceError, Threads};
use crate::engine::clock::Clock;
use crate::engine::lessons::{Machine, Verdict};

/// What the "Shared counters and crossed locks" lesson runs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RacePlan {
    /// Chefs adding to the tallies at once.
    pub threads: usize,
    /// Increments per chef.
    pub per_thread: u64,
    /// Runs of each tally: lost updates are likely, not certain, so the racy one gets several tries.
    pub repeats: usize,
    /// How long a chef of the two-lock demo waits for a lock before giving up.
    pub timeout_ms: f64,
}

impl RacePlan {
    /// Most chefs the tally demo uses: enough to collide, few enough to stay quick.
    pub const MAX_THREADS: usize = 4;
    /// Enough that each chef counts for milliseconds even in optimised code: far longer than
    /// one OS time slice, so the chefs really run at the same moment on a busy machine
    /// (100 000 take about 0.1 ms, often over before the next chef is even scheduled).
    pub const PER_THREAD: u64 = 1_000_000;
    pub const REPEATS: usize = 5;
    pub const TIMEOUT_MS: f64 = 200.0;

    /// The demo for `machine`: up to [`RacePlan::MAX_THREADS`] chefs. Needs at least one worker
    /// thread, since the demos block their threads and a page's main thread may not block.
    pub fn for_machine(machine: &Machine) -> Result<RacePlan, String> {
        if machine.threads == 0 {
            return Err(format!(
                "needs worker threads to race (the demos block their threads, which the page's main thread may not \
                 do); this machine has {}",
                machine.threads
            ));
        }
        Ok(RacePlan {
            threads: machine.threads.min(Self::MAX_THREADS),
            per_thread: Self::PER_THREAD,
            repeats: Self::REPEATS,
            timeout_ms: Self::TIMEOUT_MS,
        })
    }
}

/// Everything the demo measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RaceReport {
    pub plan: RacePlan,
    /// Every tally run: [`RacePlan::repeats`] of each [`Counter`].
    pub counts: Vec<CountRun>,
    /// The two-lock demo with opposite and with consistent order; an error when it could not
    /// run (it needs two threads at once).
    pub opposite: Result<TwoLockRun, RaceError>,
    pub consistent: Result<TwoLockRun, RaceError>,
}

/// Runs the whole demo on `pool`: every tally `plan.repeats` times, then both lock orders.
pub fn run_demo(plan: &RacePlan, pool: &dyn Threads, clock: &dyn Clock) -> Result<RaceReport, RaceError> {
    if plan.repeats == 0 {
        return Err(RaceError::BadInput("repeats must be at least 1".into()));
    }
    let mut counts = Vec::with_capacity(plan.repeats * Counter::ALL.len());
    for _ in 0..plan.repeats {
        for counter in Counter::ALL {
            counts.push(count(pool, clock, counter, plan.threads, plan.per_thread)?);
        }
    }
    // Two chefs at once, but never more than the plan allows (it reflects the machine).
    let locks = |order| match plan.threads {
        0 | 1 => Err(RaceError::NotEnoughThreads { needed: 2, available: plan.threads }),
        _ => two_locks(pool, clock, order, plan.timeout_ms),
    };
    Ok(RaceReport { plan: plan.clone(), opposite: locks(LockOrder::Opposite), consistent: locks(LockOrder::Consistent), counts })
}

/// The lesson's verdict from a demo's report: reproduced when the racy tally lost counts in at
/// least one run, both fixed tallies were exact in every run, opposite lock order deadlocked
/// and consistent order finished.
pub fn verdict(report: &RaceReport) -> Verdict {
    let runs = |c: Counter| report.counts.iter().filter(move |r| r.counter == c);
    let racy_lost: u64 = runs(Counter::Racy).map(|r| r.lost).sum();
    let racy_runs = runs(Counter::Racy).count();
    let worst = runs(Counter::Racy).map(|r| r.got).min().unwrap_or(0);
    let fixed_exact = [Counter::FetchAdd, Counter::Mutex].iter().all(|&c| runs(c).count() > 0 && runs(c).all(|r| r.got == r.expected));
    let expected = report.counts.first().map_or(0, |r| r.expected);
    let p = &report.plan;
    let mut what = format!(
        "{} threads × {} increments (expected {expected}): the racy tally lost {racy_lost} counts over {racy_runs} runs \
         (lowest {worst}); fetch_add and the Mutex {}",
        p.threads,
        p.per_thread,
        if fixed_exact { format!("got exactly {expected} every time") } else { "did NOT always get it".into() },
    );
    what.push_str(&describe_locks(&report.opposite, &report.consistent));
    let mut numbers = vec![
        ("threads".to_string(), p.threads as f64),
        ("expected count".to_string(), expected as f64),
        ("racy: counts lost, all runs".to_string(), racy_lost as f64),
        ("racy: lowest count".to_string(), worst as f64),
    ];
    for (name, run) in [("opposite order", &report.opposite), ("consistent order", &report.consistent)] {
        if let Ok(run) = run {
            numbers.push((format!("{name}: deadlocked (1 = yes)"), f64::from(u8::from(run.deadlocked))));
            numbers.push((format!("{name}: ms"), run.ms));
        }
    }
    let locks_ok = matches!(&report.opposite, Ok(r) if r.deadlocked) && matches!(&report.consistent, Ok(r) if !r.deadlocked);
    let holds = racy_lost > 0 && fixed_exact && locks_ok;
    let why_not = (!holds).then(|| race_reason(report, racy_lost, fixed_exact));
    Verdict::from_finding(holds, false, what, numbers, why_not)
}

fn describe_locks(opposite: &Result<TwoLockRun, RaceError>, consistent: &Result<TwoLockRun, RaceError>) -> String {
    let one = |name: &str, run: &Result<TwoLockRun, RaceError>| match run {
        Ok(r) if r.deadlocked => format!("{name} order deadlocked: both waited > {:.0} ms, then let go", r.timeout_ms),
        Ok(r) => format!("{name} order finished in {:.1} ms", r.ms),
        Err(e) => format!("{name} order did not run ({e})"),
    };
    format!("; {}; {}", one("opposite", opposite), one("consistent", consistent))
}

fn race_reason(report: &RaceReport, racy_lost: u64, fixed_exact: bool) -> String {
    let mut reasons = Vec::new();
    if racy_lost == 0 {
        reasons.push(if report.plan.threads < 2 {
            "with only 1 thread nobody races: no counts can be lost".to_string()
        } else {
            "no lost counts this time: the threads did not collide (they may not have run at the same moment); try again"
                .to_string()
        });
    }
    if !fixed_exact {
        reasons.push("a fixed tally was not exact, which should be impossible: please report it".into());
    }
    match &report.opposite {
        Ok(r) if !r.deadlocked && !r.started_together => {
            reasons.push("the two lock chefs did not run at the same time, so they could not cross".into())
        }
        Ok(r) if !r.deadlocked => reasons.push("the opposite-order chefs did not deadlock".into()),
        Err(e) => reasons.push(format!("the deadlock demo could not run: {e}")),
        Ok(_) => {}
    }
    if let Ok(r) = &report.consistent {
        if r.deadlocked {
            reasons.push("the consistent-order chefs timed out: the machine was too busy to finish within the timeout".into());
        }
    }
    reasons.join("; ")
}
