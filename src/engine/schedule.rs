//! The scheduling core every executor shares: which dish a chef works on next.
//!
//! It owns no threads and reads no clock: executors ask it for a [`Job`], do the job with real
//! work or a real wait, and report back with the times they measured. The four models differ
//! only in how many chefs ask, whether a chef *juggles* (leaves a simmering or time-sliced dish
//! to take another), and where the chefs run.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;

use super::experiment::Model;
use super::graph::{Plan, Step};
use super::kernel::{Calibration, Kernel};
use super::trace::{Lane, Span, SpanKind, TaskTiming, Trace};
use super::FORMAT_VERSION;

/// How chefs treat their dishes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// Juggle: a simmering dish frees its chef, and a cook yields after each slice.
    pub juggle: bool,
    /// Cook in slices of about this many ms: a juggling chef switches dishes after each
    /// (preemption points); every chef checks for a stop request between slices.
    pub slice_ms: f64,
}

impl Policy {
    /// Time slice of the juggling models, and how often non-juggling chefs check for Stop.
    pub const DEFAULT_SLICE_MS: f64 = 10.0;

    pub fn for_model(model: Model) -> Policy {
        Policy { juggle: model.juggles(), slice_ms: Self::DEFAULT_SLICE_MS }
    }
}

/// What a chef should do next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Job {
    /// Run `units` of `kernel` for `task`, then report with [`Schedule::cooked`].
    Cook { task: usize, kernel: Kernel, units: u64 },
    /// Wait `ms` while holding `task` (non-juggling models), then report with [`Schedule::simmered`].
    Simmer { task: usize, ms: f64 },
    /// Nothing to do: ask again at `until` (a simmer ends), or when another chef reports.
    Idle { until: Option<f64> },
    /// Every dish is done, or the run was stopped.
    Finished,
}

#[derive(Clone, Debug, Default)]
struct TaskRun {
    waiting_on: usize,
    step: usize,
    units_done: u64,
    start: Option<f64>,
    first_lane: usize,
    end: Option<f64>,
    /// Index in `spans` of this dish's latest span, so a chef that keeps cooking the same dish
    /// extends one span instead of writing one per slice.
    last_span: Option<usize>,
}

/// Dishes simmering in juggling models, earliest end first.
type SimmerQueue = BinaryHeap<Reverse<(OrderedMs, usize)>>;

#[derive(Clone, Copy, Debug, PartialEq, PartialOrd)]
struct OrderedMs(f64);
impl Eq for OrderedMs {}
#[allow(clippy::derive_ord_xor_partial_ord)]
impl Ord for OrderedMs {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// The state of one run: which dishes are blocked, ready, held by a chef, simmering or done.
pub struct Schedule {
    plan: Arc<Plan>,
    policy: Policy,
    model: Model,
    chefs: usize,
    slice_units: HashMap<Kernel, u64>,
    calibration: Vec<Calibration>,
    tasks: Vec<TaskRun>,
    ready: VecDeque<usize>,
    simmering: SimmerQueue,
    /// lane → the dish that chef is holding (non-juggling models keep a dish to the end).
    held: HashMap<usize, usize>,
    spans: Vec<(usize, usize, SpanKind, f64, f64)>,
    done: usize,
    stopped: bool,
    start_ms: f64,
    cooked_units: u64,
    checksums_ok: bool,
}

impl Schedule {
    /// A schedule for `plan` starting at `start_ms` on the run's clock.
    pub fn new(plan: Arc<Plan>, model: Model, chefs: usize, policy: Policy, start_ms: f64) -> Schedule {
        let calibration = plan.calibration.clone();
        let tasks: Vec<TaskRun> =
            plan.deps.iter().map(|d| TaskRun { waiting_on: d.len(), ..Default::default() }).collect();
        let ready = (0..plan.len()).filter(|&t| tasks[t].waiting_on == 0).collect();
        let slice_units = calibration.iter().map(|c| (c.kernel, c.units_for(policy.slice_ms))).collect();
        Schedule {
            plan,
            policy,
            model,
            chefs,
            slice_units,
            calibration,
            tasks,
            ready,
            simmering: BinaryHeap::new(),
            held: HashMap::new(),
            spans: Vec::new(),
            done: 0,
            stopped: false,
            start_ms,
            cooked_units: 0,
            checksums_ok: true,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.stopped || self.done == self.plan.len()
    }

    pub fn tasks_done(&self) -> usize {
        self.done
    }

    /// Asks every chef to stop at its next report; the trace keeps what was done.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// The next job for the chef on `lane`, at time `now`.
    pub fn next_job(&mut self, lane: usize, now: f64) -> Job {
        if self.is_finished() {
            return Job::Finished;
        }
        if let Some(&task) = self.held.get(&lane) {
            return self.job_for(task, lane, now);
        }
        loop {
            self.wake_simmered(now);
            let Some(task) = self.ready.pop_front() else { break };
            let run = &mut self.tasks[task];
            if run.start.is_none() {
                run.start = Some(now);
                run.first_lane = lane;
            }
            if !self.policy.juggle {
                self.held.insert(lane, task);
            }
            match self.job_for(task, lane, now) {
                // A juggling chef that just put a dish on to simmer looks for other work.
                Job::Idle { .. } => continue,
                job => return job,
            }
        }
        if self.is_finished() {
            return Job::Finished;
        }
        Job::Idle { until: self.simmering.peek().map(|Reverse((t, _))| t.0) }
    }

    fn job_for(&mut self, task: usize, lane: usize, now: f64) -> Job {
        match self.plan.steps[task][self.tasks[task].step] {
            Step::Cook { kernel, units } => {
                let left = units - self.tasks[task].units_done;
                let slice = self.slice_units.get(&kernel).copied().unwrap_or(u64::MAX).max(1);
                Job::Cook { task, kernel, units: left.min(slice) }
            }
            Step::Simmer { ms } if !self.policy.juggle => Job::Simmer { task, ms },
            Step::Simmer { ms } => {
                self.start_simmer(task, lane, now, ms);
                Job::Idle { until: None }
            }
        }
    }

    /// Juggling: the dish simmers on its own (a timer, not a chef) until `now + ms`.
    fn start_simmer(&mut self, task: usize, lane: usize, now: f64, ms: f64) {
        self.record(task, lane, SpanKind::Simmer, now, now + ms);
        self.simmering.push(Reverse((OrderedMs(now + ms), task)));
    }

    fn wake_simmered(&mut self, now: f64) {
        while let Some(&Reverse((until, task))) = self.simmering.peek() {
            if until.0 > now {
                break;
            }
            self.simmering.pop();
            let lane = self.spans[self.tasks[task].last_span.unwrap()].1;
            self.advance(task, lane, until.0);
        }
    }

    /// A chef reports `units` of `task` cooked between `start` and `end`, with the kernel's checksum.
    pub fn cooked(&mut self, task: usize, lane: usize, units: u64, checksum: u64, start: f64, end: f64) {
        let Step::Cook { kernel, units: total } = self.plan.steps[task][self.tasks[task].step] else {
            unreachable!("cooked() reported for a step that is not a cook")
        };
        self.cooked_units += units;
        self.checksums_ok &= checksum == kernel.expected_checksum(units);
        self.record(task, lane, SpanKind::Cook, start, end);
        let run = &mut self.tasks[task];
        run.units_done += units;
        if run.units_done < total {
            if self.policy.juggle {
                self.ready.push_back(task); // time slice over: back of the line
            }
            return;
        }
        run.units_done = 0;
        self.advance(task, lane, end);
        // Reaching a simmer starts it in the same turn, as an async task starts its I/O
        // before it yields.
        let run = &self.tasks[task];
        if self.policy.juggle && run.end.is_none() {
            if let Step::Simmer { ms } = self.plan.steps[task][run.step] {
                let back = self.ready.pop_back();
                debug_assert_eq!(back, Some(task));
                self.start_simmer(task, lane, end, ms);
            }
        }
    }

    /// A non-juggling chef reports it waited out `task`'s simmer from `start` to `end`.
    pub fn simmered(&mut self, task: usize, lane: usize, start: f64, end: f64) {
        self.record(task, lane, SpanKind::Simmer, start, end);
        self.advance(task, lane, end);
    }

    /// Moves `task` past its current step at time `at`: to its next step, or to done.
    fn advance(&mut self, task: usize, lane: usize, at: f64) {
        let run = &mut self.tasks[task];
        run.step += 1;
        if run.step < self.plan.steps[task].len() {
            if self.policy.juggle {
                self.ready.push_back(task);
            }
            return;
        }
        run.end = Some(at);
        self.done += 1;
        self.held.remove(&lane);
        for &next in &self.plan.dependents[task] {
            let waiting = &mut self.tasks[next].waiting_on;
            *waiting -= 1;
            if *waiting == 0 {
                self.ready.push_back(next);
            }
        }
    }

    fn record(&mut self, task: usize, lane: usize, kind: SpanKind, start: f64, end: f64) {
        let run = &mut self.tasks[task];
        if let Some(i) = run.last_span {
            let span = &mut self.spans[i];
            // Same chef, same kind, nobody else in between: one continuous span.
            if !self.policy.juggle && span.0 == task && span.1 == lane && span.2 == kind && kind == SpanKind::Cook {
                span.4 = end;
                return;
            }
        }
        run.last_span = Some(self.spans.len());
        self.spans.push((task, lane, kind, start, end));
    }

    /// The measured trace, with times relative to the run's start; `end_ms` is when the last
    /// chef finished.
    pub fn into_trace(self, end_ms: f64) -> Trace {
        let rel = |t: f64| t - self.start_ms;
        let ids = &self.plan.ids;
        let tasks = self
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(TaskTiming { id: ids[i].clone(), lane: r.first_lane, start_ms: rel(r.start?), end_ms: rel(r.end?) })
            })
            .collect();
        let mut spans: Vec<Span> = self
            .spans
            .iter()
            .map(|&(task, lane, kind, start, end)| Span {
                task: ids[task].clone(),
                lane,
                kind,
                start_ms: rel(start),
                end_ms: rel(end),
            })
            .collect();
        spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let mut lanes: Vec<usize> = spans.iter().map(|s| s.lane).collect();
        lanes.sort_unstable();
        lanes.dedup();
        let last_end = self.tasks.iter().filter_map(|r| r.end).fold(self.start_ms, f64::max);
        Trace {
            version: FORMAT_VERSION,
            model: self.model,
            chefs: self.chefs,
            wall_ms: rel(if self.stopped { end_ms } else { last_end }),
            stopped: self.stopped && self.done < self.plan.len(),
            tasks,
            spans,
            lanes: lanes.into_iter().map(Lane::for_id).collect(),
            cooked_units: self.cooked_units,
            checksums_ok: self.checksums_ok,
            calibration: self.calibration,
        }
    }
}
