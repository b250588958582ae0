//! A simulated run: the real [`Schedule`] driven on a virtual clock, where cooking takes its
//! calibrated duration and nothing really runs.
//!
//! This is a *prediction*, labelled [`Source::Simulated`] in its trace and never shown as a
//! measurement. It lets tests check the scheduling rules over thousands of random experiments
//! in milliseconds, deterministically, with the same code the real executors use; and
//! [`predict`] also says how each chef spent the run ([`ChefTime`]), which the breakdown of a
//! measured wall time ([`super::breakdown`]) and the sweep's computed limits read.

use std::sync::Arc;

use serde::Serialize;

use super::graph::Plan;
use super::schedule::{IdleCause, Job, Policy, Schedule};
use super::trace::{Source, Trace};

/// How one simulated chef spent the run, ms. The fields add up to the simulated wall time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ChefTime {
    /// The chef's lane in the simulated trace (1..=chefs).
    pub lane: usize,
    /// Cooking.
    pub cook_ms: f64,
    /// Standing by a simmering dish it holds (chefs who don't juggle).
    pub simmer_ms: f64,
    /// Idle, nothing ready: dishes waited for others or for a simmer ([`IdleCause::Waiting`]).
    pub waiting_ms: f64,
    /// Idle while a split dish's serial part cooked ([`IdleCause::SerialPart`]).
    pub serial_ms: f64,
    /// Idle with every dish left in other chefs' hands ([`IdleCause::NoDishLeft`]).
    pub no_dish_ms: f64,
}

impl ChefTime {
    /// All the chef's idle time.
    pub fn idle_ms(&self) -> f64 {
        self.waiting_ms + self.serial_ms + self.no_dish_ms
    }

    fn add(&mut self, doing: Doing, cause: impl FnOnce() -> IdleCause, ms: f64) {
        match doing {
            Doing::Cooking { .. } => self.cook_ms += ms,
            Doing::Simmering { .. } => self.simmer_ms += ms,
            Doing::Asking | Doing::Waiting | Doing::Finished => match cause() {
                IdleCause::Waiting => self.waiting_ms += ms,
                IdleCause::SerialPart => self.serial_ms += ms,
                IdleCause::NoDishLeft => self.no_dish_ms += ms,
            },
        }
    }
}

/// A simulated run and how each chef spent it.
#[derive(Clone, Debug, PartialEq)]
pub struct Prediction {
    /// The simulated trace (labelled `simulated`).
    pub trace: Trace,
    /// One per chef, in lane order.
    pub chefs: Vec<ChefTime>,
}

impl Prediction {
    /// The chefs' times added up (its `lane` is 0).
    pub fn total(&self) -> ChefTime {
        self.chefs.iter().fold(ChefTime::default(), |a, c| ChefTime {
            lane: 0,
            cook_ms: a.cook_ms + c.cook_ms,
            simmer_ms: a.simmer_ms + c.simmer_ms,
            waiting_ms: a.waiting_ms + c.waiting_ms,
            serial_ms: a.serial_ms + c.serial_ms,
            no_dish_ms: a.no_dish_ms + c.no_dish_ms,
        })
    }
}

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
    predict(plan, chefs, policy).trace
}

/// [`simulate`], also telling how each chef spent the run.
pub fn predict(plan: Arc<Plan>, chefs: usize, policy: Policy) -> Prediction {
    let ms_per_unit: Vec<_> = plan.calibration.iter().map(|c| (c.kernel, 1.0 / c.units_per_ms)).collect();
    let duration = |kernel, units: u64| units as f64 * ms_per_unit.iter().find(|(k, _)| *k == kernel).unwrap().1;
    let mut schedule = Schedule::new(plan, chefs, policy, 0.0);
    // Lanes 1..=chefs, like pool threads; each chef: (next event time, what it is doing).
    let mut chef: Vec<(f64, Doing)> = vec![(0.0, Doing::Asking); chefs];
    let mut now = 0.0;
    let mut time: Vec<ChefTime> = (1..=chefs).map(|lane| ChefTime { lane, ..ChefTime::default() }).collect();
    loop {
        // The earliest event; reports before requests at the same instant.
        let Some(i) = (0..chefs)
            .filter(|&i| !matches!(chef[i].1, Doing::Waiting | Doing::Finished))
            .min_by(|&a, &b| chef[a].0.total_cmp(&chef[b].0).then(is_request(chef[a].1).cmp(&is_request(chef[b].1))))
        else {
            break; // every chef finished, or all wait on each other (cannot happen for a valid plan)
        };
        let next = chef[i].0.max(now);
        // Nothing changes between events: each chef did one thing from `now` to `next`, and an
        // idle chef's cause is the schedule's state now (asked once, and only if one is idle).
        if next > now {
            let cause = std::cell::OnceCell::new();
            for (t, c) in time.iter_mut().zip(&chef) {
                t.add(c.1, || *cause.get_or_init(|| schedule.idle_cause()), next - now);
            }
        }
        now = next;
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
    let trace = schedule.into_trace(now, Source::Simulated);
    Prediction { trace, chefs: time }
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
