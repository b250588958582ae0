//! A simulated run: the real [`Schedule`] driven on a virtual clock, where cooking takes its
//! calibrated duration and nothing really runs.
//!
//! This is a *prediction*, labelled [`Source::Simulated`] in its trace and never shown as a
//! measurement. It lets tests check the scheduling rules over thousands of random experiments
//! in milliseconds, deterministically, with the same code the real executors use.

use std::sync::Arc;

use super::graph::Plan;
use super::schedule::{Job, Policy, Schedule};
use super::trace::{Source, Trace};

/// What a simulated chef is doing until `at`.
#[derive(Clone, Copy, Debug)]
enum Doing {
    /// Free to ask for a job at `at`.
    Asking,
    /// Cooking `units` since `start`; reports at `at`.
    Cooking { units: u64, checksum: u64, start: f64 },
    /// Waiting out a simmer since `start`; reports at `at`.
    Simmering { start: f64 },
    /// Idle with nothing to wake it but another chef's report.
    Waiting,
    Finished,
}

/// Runs `plan` with `chefs` chefs on a virtual clock starting at 0.
pub fn simulate(plan: Arc<Plan>, chefs: usize, policy: Policy) -> Trace {
    let ms_per_unit: Vec<_> = plan.calibration.iter().map(|c| (c.kernel, 1.0 / c.units_per_ms)).collect();
    let duration = |kernel, units: u64| units as f64 * ms_per_unit.iter().find(|(k, _)| *k == kernel).unwrap().1;
    let mut schedule = Schedule::new(plan, chefs, policy, 0.0);
    // Lanes 1..=chefs, like pool threads; each chef: (next event time, what it is doing).
    let mut chef: Vec<(f64, Doing)> = vec![(0.0, Doing::Asking); chefs];
    let mut now = 0.0;
    loop {
        // The earliest event; reports before requests at the same instant.
        let Some(i) = (0..chefs)
            .filter(|&i| !matches!(chef[i].1, Doing::Waiting | Doing::Finished))
            .min_by(|&a, &b| chef[a].0.total_cmp(&chef[b].0).then(is_request(chef[a].1).cmp(&is_request(chef[b].1))))
        else {
            break; // every chef finished, or all wait on each other (cannot happen for a valid plan)
        };
        now = chef[i].0.max(now);
        let lane = i + 1;
        match chef[i].1 {
            Doing::Cooking { units, checksum, start } => {
                schedule.cooked(lane, units, checksum, start, now);
                wake_waiting(&mut chef, now);
                chef[i].1 = Doing::Asking;
            }
            Doing::Simmering { start } => {
                schedule.simmered(lane, start, now);
                wake_waiting(&mut chef, now);
                chef[i].1 = Doing::Asking;
            }
            Doing::Asking => {
                chef[i] = match schedule.next_job(lane, now) {
                    Job::Cook { kernel, units, .. } => {
                        (now + duration(kernel, units), Doing::Cooking { units, checksum: kernel.expected_checksum(units), start: now })
                    }
                    Job::Simmer { ms, .. } => (now + ms, Doing::Simmering { start: now }),
                    Job::Idle { until: Some(t) } => (t, Doing::Asking),
                    Job::Idle { until: None } => (now, Doing::Waiting),
                    Job::Finished => {
                        wake_waiting(&mut chef, now);
                        (now, Doing::Finished)
                    }
                };
            }
            Doing::Waiting | Doing::Finished => unreachable!(),
        }
    }
    schedule.into_trace(now, Source::Simulated)
}

fn is_request(doing: Doing) -> bool {
    matches!(doing, Doing::Asking)
}

/// Another chef reported: idle chefs ask again now (as a condvar wakes real ones).
fn wake_waiting(chef: &mut [(f64, Doing)], now: f64) {
    for c in chef.iter_mut() {
        if matches!(c.1, Doing::Waiting) || (matches!(c.1, Doing::Asking) && c.0 > now) {
            *c = (now, Doing::Asking);
        }
    }
}
