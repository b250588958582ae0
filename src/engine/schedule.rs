//! The scheduling core every executor shares: which dish (or chunk of a dish) a chef works on
//! next.
//!
//! It owns no threads and reads no clock: executors ask it for a [`Job`], do the job with real
//! work or a real wait (or, in [`super::simulate`], on a virtual clock), and report back with the
//! times they measured. The four models differ only in how many chefs ask, whether a chef
//! *juggles* (lets go of a dish at a simmer or after a time slice to take another), and where
//! the chefs run.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;

use super::experiment::{Model, YieldPolicy};
use super::graph::{Plan, Step};
use super::kernel::Kernel;
use super::trace::{lanes_of, Source, Span, SpanKind, TaskTiming, Trace};
use super::FORMAT_VERSION;

/// How chefs treat their dishes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    pub model: Model,
    /// Juggle: a simmering dish frees its chef, and so may a time slice.
    pub juggle: bool,
    /// Juggling chefs' preemption points.
    pub yield_policy: YieldPolicy,
}

/// Work is handed out in slices of about this many ms, so that every chef notices a stop
/// request quickly whatever the model.
pub const CHECK_EVERY_MS: f64 = 10.0;

/// Shorter waits between a dish joining the queue and a chef taking it are the chef's own
/// bookkeeping, not waiting: not recorded as spans.
const MIN_WAIT_MS: f64 = 0.05;

impl Policy {
    pub fn new(model: Model, yield_policy: YieldPolicy) -> Policy {
        Policy { model, juggle: model.juggles(), yield_policy }
    }

    pub fn for_model(model: Model) -> Policy {
        Policy::new(model, YieldPolicy::default())
    }
}

/// What a chef should do next.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Job {
    /// Run `units` of `kernel` for `task` (or one of its chunks), then report with [`Schedule::cooked`].
    Cook { task: usize, chunk: Option<usize>, kernel: Kernel, units: u64 },
    /// Wait `ms` while holding `task` (non-juggling models), then report with [`Schedule::simmered`].
    Simmer { task: usize, ms: f64 },
    /// Nothing to do: ask again at `until` (a simmer ends), or when another chef reports.
    Idle { until: Option<f64> },
    /// Every dish is done, or the run was stopped.
    Finished,
}

/// Why a chef with nothing to do has nothing to do, at one moment of a run (see
/// [`Schedule::idle_cause`]). The breakdown of a wall time sorts idle chef time by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdleCause {
    /// Dishes are still to come but none is ready: they wait for the dishes they come after,
    /// or for a simmer to end (dependencies).
    Waiting,
    /// A split dish's unsplit part is cooking: its pieces wait for it, and only one chef can
    /// cook it (Amdahl's serial part).
    SerialPart,
    /// Every dish left is in another chef's hands: there is no dish left to take (rounds).
    NoDishLeft,
}

#[derive(Clone, Debug, Default)]
struct TaskRun {
    waiting_on: usize,
    step: usize,
    /// Units done of the current cook step.
    units_done: u64,
    eligible: Option<f64>,
    start: Option<f64>,
    first_lane: usize,
    end: Option<f64>,
    /// The chef holding the dish: to its end without juggling, for one turn with it.
    holder: Option<usize>,
    /// When the dish last joined the ready queue.
    queued_at: f64,
    polls: u32,
    /// Units cooked in the current turn (a juggling chef lets go after a time slice).
    poll_units: u64,
    fork: Option<ForkRun>,
}

/// Progress of a dish's current fork step.
#[derive(Clone, Debug, Default)]
struct ForkRun {
    next_chunk: usize,
    chunks_done: usize,
    units_done: Vec<u64>,
    /// The latest end of a chunk reported so far: the join. Chefs read their end before
    /// taking the schedule's lock, so the last chunk reported need not be the last to end
    /// (without this a dish could end, and a run's wall close, before a chunk span did).
    latest_end: f64,
}

#[derive(Clone, Debug, Default)]
struct Chef {
    dish: Option<usize>,
    chunk: Option<(usize, usize)>,
    /// Index in `spans` of this chef's latest span, so continuing work extends it.
    last_span: Option<usize>,
}

#[derive(Clone, Copy, Debug)]
struct RawSpan {
    task: usize,
    lane: usize,
    kind: SpanKind,
    chunk: Option<usize>,
    /// Which turn of the dish this span belongs to: only spans of one turn are merged.
    poll: u32,
    start: f64,
    end: f64,
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
    chefs: usize,
    /// Per kernel: units per stop-check slice, and per juggling time slice.
    check_units: HashMap<Kernel, u64>,
    switch_units: HashMap<Kernel, u64>,
    tasks: Vec<TaskRun>,
    ready: VecDeque<usize>,
    simmering: SimmerQueue,
    /// Started dishes with chunks nobody has taken yet.
    forking: VecDeque<usize>,
    lanes: HashMap<usize, Chef>,
    spans: Vec<RawSpan>,
    /// Dishes whose dependencies have not all ended yet.
    blocked: usize,
    done: usize,
    stopped: bool,
    start_ms: f64,
    cooked_units: u64,
    checksums_ok: bool,
}

impl Schedule {
    /// A schedule for `plan` with `chefs` chefs, starting at `start_ms` on the run's clock.
    pub fn new(plan: Arc<Plan>, chefs: usize, policy: Policy, start_ms: f64) -> Schedule {
        let tasks: Vec<TaskRun> = plan
            .deps
            .iter()
            .map(|d| TaskRun { waiting_on: d.len(), queued_at: start_ms, ..Default::default() })
            .collect();
        let units = |ms: f64| plan.calibration.iter().map(|c| (c.kernel, c.units_for(ms))).collect();
        let switch_ms = match policy.yield_policy {
            YieldPolicy::EveryMs(ms) if policy.juggle => ms,
            _ => f64::INFINITY,
        };
        let mut schedule = Schedule {
            check_units: units(CHECK_EVERY_MS),
            switch_units: if switch_ms.is_finite() { units(switch_ms) } else { HashMap::new() },
            plan,
            policy,
            chefs,
            tasks,
            ready: VecDeque::new(),
            simmering: BinaryHeap::new(),
            forking: VecDeque::new(),
            lanes: HashMap::new(),
            spans: Vec::new(),
            blocked: 0,
            done: 0,
            stopped: false,
            start_ms,
            cooked_units: 0,
            checksums_ok: true,
        };
        for task in 0..schedule.tasks.len() {
            if schedule.tasks[task].waiting_on == 0 {
                schedule.make_eligible(task, start_ms);
            } else {
                schedule.blocked += 1;
            }
        }
        schedule
    }

    /// Why a chef asking now would get [`Job::Idle`]: dishes still blocked or simmering come
    /// first, then a split dish's serial part, else every dish left is in another chef's hands.
    /// Only meaningful while some chef is idle.
    pub fn idle_cause(&self) -> IdleCause {
        if self.blocked > 0 || !self.simmering.is_empty() {
            return IdleCause::Waiting;
        }
        let is_split = |task: usize| self.plan.steps[task].iter().any(|s| matches!(s, Step::Fork { .. }));
        let serial = self.lanes.values().filter_map(|chef| chef.dish).any(|task| {
            let at_fork = matches!(self.plan.steps[task][self.tasks[task].step], Step::Fork { .. });
            is_split(task) && !at_fork
        });
        if serial {
            IdleCause::SerialPart
        } else {
            IdleCause::NoDishLeft
        }
    }

    pub fn is_finished(&self) -> bool {
        self.stopped || self.done == self.plan.len()
    }

    pub fn tasks_done(&self) -> usize {
        self.done
    }

    /// Stops the run: every chef gets [`Job::Finished`] at its next request; the trace keeps
    /// what was done.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// The next job for the chef on `lane`, at time `now`.
    pub fn next_job(&mut self, lane: usize, now: f64) -> Job {
        if self.is_finished() {
            return Job::Finished;
        }
        self.wake_simmered(now);
        let chef = self.lanes.entry(lane).or_default();
        if let Some((task, chunk)) = chef.chunk {
            return self.chunk_job(task, chunk);
        }
        let holding = chef.dish;
        if let Some(task) = holding {
            if let Some(job) = self.dish_job(task, lane, now) {
                return job;
            }
        }
        if let Some(job) = self.take_chunk(lane) {
            return job;
        }
        // A chef still holding a dish (waiting for its chunks) starts no other dish.
        while self.lanes[&lane].dish.is_none() {
            let Some(task) = self.ready.pop_front() else { break };
            self.pick(task, lane, now);
            if let Some(job) = self.dish_job(task, lane, now) {
                return job;
            }
            if let Some(job) = self.take_chunk(lane) {
                return job;
            }
        }
        if self.is_finished() {
            return Job::Finished;
        }
        Job::Idle { until: self.simmering.peek().map(|Reverse((t, _))| t.0) }
    }

    /// A chef takes up a dish from the ready queue.
    fn pick(&mut self, task: usize, lane: usize, now: f64) {
        let run = &mut self.tasks[task];
        let waited = if run.start.is_none() { SpanKind::Wait } else { SpanKind::Ready };
        if run.start.is_none() {
            run.start = Some(now);
            run.first_lane = lane;
        }
        run.polls += 1;
        run.poll_units = 0;
        run.holder = Some(lane);
        let (queued_at, poll) = (run.queued_at, run.polls);
        if now - queued_at >= MIN_WAIT_MS {
            self.spans.push(RawSpan { task, lane, kind: waited, chunk: None, poll, start: queued_at, end: now });
        }
        self.lanes.get_mut(&lane).unwrap().dish = Some(task);
        self.open_fork(task);
    }

    /// The job for the dish a chef holds, or `None` when the chef must look elsewhere.
    fn dish_job(&mut self, task: usize, lane: usize, now: f64) -> Option<Job> {
        match &self.plan.steps[task][self.tasks[task].step] {
            &Step::Cook { kernel, units } => {
                let run = &self.tasks[task];
                let mut slice = self.check_units.get(&kernel).copied().unwrap_or(u64::MAX);
                if let Some(&switch) = self.switch_units.get(&kernel) {
                    slice = slice.min(switch.saturating_sub(run.poll_units).max(1));
                }
                Some(Job::Cook { task, chunk: None, kernel, units: (units - run.units_done).min(slice.max(1)) })
            }
            &Step::Simmer { ms } if !self.policy.juggle => Some(Job::Simmer { task, ms }),
            &Step::Simmer { ms } => {
                let poll = self.tasks[task].polls;
                self.spans.push(RawSpan { task, lane, kind: SpanKind::Simmer, chunk: None, poll, start: now, end: now + ms });
                self.simmering.push(Reverse((OrderedMs(now + ms), task)));
                self.release(task);
                None
            }
            // Chunks left are taken by `take_chunk`; a juggling chef does not wait for the join.
            Step::Fork { .. } => {
                if self.policy.juggle {
                    self.release(task);
                }
                None
            }
        }
    }

    /// Makes a started dish's chunks available to every chef, once it reaches a fork step.
    fn open_fork(&mut self, task: usize) {
        let run = &mut self.tasks[task];
        if let Step::Fork { chunks, .. } = &self.plan.steps[task][run.step] {
            if run.fork.is_none() {
                run.fork = Some(ForkRun { units_done: vec![0; chunks.len()], ..Default::default() });
                self.forking.push_back(task);
            }
        }
    }

    /// Hands the chef the next untaken chunk of any started dish.
    fn take_chunk(&mut self, lane: usize) -> Option<Job> {
        let &task = self.forking.front()?;
        let Step::Fork { chunks, .. } = &self.plan.steps[task][self.tasks[task].step] else { unreachable!() };
        let fork = self.tasks[task].fork.as_mut().unwrap();
        let chunk = fork.next_chunk;
        fork.next_chunk += 1;
        if fork.next_chunk == chunks.len() {
            self.forking.pop_front();
        }
        self.lanes.get_mut(&lane).unwrap().chunk = Some((task, chunk));
        Some(self.chunk_job(task, chunk))
    }

    fn chunk_job(&self, task: usize, chunk: usize) -> Job {
        let Step::Fork { kernel, chunks } = &self.plan.steps[task][self.tasks[task].step] else { unreachable!() };
        let done = self.tasks[task].fork.as_ref().unwrap().units_done[chunk];
        let check = self.check_units.get(kernel).copied().unwrap_or(u64::MAX);
        let slice = check.min(self.switch_units.get(kernel).copied().unwrap_or(u64::MAX)).max(1);
        Job::Cook { task, chunk: Some(chunk), kernel: *kernel, units: (chunks[chunk] - done).min(slice) }
    }

    /// The chef lets go of the dish (it simmers, awaits its chunks, or its turn is over).
    fn release(&mut self, task: usize) {
        if let Some(lane) = self.tasks[task].holder.take() {
            self.lanes.get_mut(&lane).unwrap().dish = None;
        }
    }

    fn enqueue(&mut self, task: usize, at: f64) {
        self.tasks[task].queued_at = at;
        self.ready.push_back(task);
    }

    fn make_eligible(&mut self, task: usize, at: f64) {
        self.tasks[task].eligible = Some(at);
        self.enqueue(task, at);
    }

    fn wake_simmered(&mut self, now: f64) {
        while let Some(&Reverse((until, task))) = self.simmering.peek() {
            if until.0 > now {
                break;
            }
            self.simmering.pop();
            self.advance(task, until.0);
        }
    }

    /// The chef on `lane` reports `units` of its job cooked between `start` and `end`, with the
    /// kernel's checksum. Returns whether the chef let go of its work: a yield point, where a
    /// main-thread chef gives the page a turn.
    pub fn cooked(&mut self, lane: usize, units: u64, checksum: u64, start: f64, end: f64) -> bool {
        let chef = &self.lanes[&lane];
        let (task, chunk) = match (chef.chunk, chef.dish) {
            (Some((task, chunk)), _) => (task, Some(chunk)),
            (None, Some(task)) => (task, None),
            (None, None) => unreachable!("cooked() from a chef with no job"),
        };
        let step = &self.plan.steps[task][self.tasks[task].step];
        let kernel = step.kernel().expect("a cook job is for a cook or fork step");
        self.cooked_units += units;
        self.checksums_ok &= checksum == kernel.expected_checksum(units);
        self.record_work(task, lane, chunk, start, end);
        match chunk {
            Some(chunk) => self.chunk_cooked(task, chunk, lane, units, end),
            None => self.dish_cooked(task, units, end),
        }
    }

    fn chunk_cooked(&mut self, task: usize, chunk: usize, lane: usize, units: u64, end: f64) -> bool {
        let Step::Fork { chunks, .. } = &self.plan.steps[task][self.tasks[task].step] else { unreachable!() };
        let total = chunks.len();
        let fork = self.tasks[task].fork.as_mut().unwrap();
        fork.units_done[chunk] += units;
        fork.latest_end = fork.latest_end.max(end);
        if fork.units_done[chunk] < chunks[chunk] {
            return self.chunk_slice_yields();
        }
        fork.chunks_done += 1;
        let all_done = fork.chunks_done == total;
        self.lanes.get_mut(&lane).unwrap().chunk = None;
        if all_done {
            let joined = fork.latest_end;
            self.tasks[task].fork = None;
            self.advance(task, joined);
        }
        self.policy.juggle
    }

    /// Whether a chunk slice ends at a yield point. A juggling chef keeps its chunk to the end
    /// (chunks are not switched mid-way), but yields to its event loop after each time slice.
    fn chunk_slice_yields(&self) -> bool {
        self.policy.juggle && !self.switch_units.is_empty()
    }

    fn dish_cooked(&mut self, task: usize, units: u64, end: f64) -> bool {
        let total = self.plan.steps[task][self.tasks[task].step].units();
        let run = &mut self.tasks[task];
        run.units_done += units;
        run.poll_units += units;
        if run.units_done == total {
            run.units_done = 0;
            self.advance(task, end);
            // A finished dish hands control back to its executor: a yield point. (Without it a
            // juggling main-thread chef ran many short dishes back to back without giving the
            // page a turn.) An unfinished dish goes on in the same turn.
            return self.policy.juggle && self.tasks[task].end.is_some();
        }
        let kernel = self.plan.steps[task][run.step].kernel().unwrap();
        let slice_over = self.switch_units.get(&kernel).is_some_and(|&s| run.poll_units >= s);
        if slice_over {
            self.release(task);
            self.enqueue(task, end);
        }
        slice_over
    }

    /// A non-juggling chef reports it waited out its dish's simmer from `start` to `end`.
    pub fn simmered(&mut self, lane: usize, start: f64, end: f64) {
        let task = self.lanes[&lane].dish.expect("simmered() from a chef holding no dish");
        let poll = self.tasks[task].polls;
        self.spans.push(RawSpan { task, lane, kind: SpanKind::Simmer, chunk: None, poll, start, end });
        self.lanes.get_mut(&lane).unwrap().last_span = Some(self.spans.len() - 1);
        self.advance(task, end);
    }

    /// Moves `task` past its current step at time `at`: to its next step, or to done.
    fn advance(&mut self, task: usize, at: f64) {
        let run = &mut self.tasks[task];
        run.step += 1;
        if run.step == self.plan.steps[task].len() {
            return self.finish(task, at);
        }
        if run.holder.is_some() {
            self.open_fork(task); // the holder goes on; others may help with chunks
        } else {
            self.enqueue(task, at);
        }
    }

    fn finish(&mut self, task: usize, at: f64) {
        self.tasks[task].end = Some(at);
        self.done += 1;
        self.release(task);
        for i in 0..self.plan.dependents[task].len() {
            let next = self.plan.dependents[task][i];
            self.tasks[next].waiting_on -= 1;
            if self.tasks[next].waiting_on == 0 {
                self.blocked -= 1;
                self.make_eligible(next, at);
            }
        }
    }

    /// Records cooking; a chef that keeps cooking the same dish (or chunk) in the same turn
    /// extends its span instead of writing one per slice.
    fn record_work(&mut self, task: usize, lane: usize, chunk: Option<usize>, start: f64, end: f64) {
        let poll = self.tasks[task].polls;
        let chef = self.lanes.get_mut(&lane).unwrap();
        if let Some(i) = chef.last_span {
            let s = &mut self.spans[i];
            if s.task == task && s.kind == SpanKind::Cook && s.chunk == chunk && s.poll == poll {
                s.end = end;
                return;
            }
        }
        chef.last_span = Some(self.spans.len());
        self.spans.push(RawSpan { task, lane, kind: SpanKind::Cook, chunk, poll, start, end });
    }

    /// The trace, with times relative to the run's start; `end_ms` is when the last chef
    /// finished (the wall time of a stopped run).
    pub fn into_trace(self, end_ms: f64, source: Source) -> Trace {
        let rel = |t: f64| t - self.start_ms;
        let ids = &self.plan.ids;
        let tasks = self
            .tasks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(TaskTiming {
                    id: ids[i].clone(),
                    lane: r.first_lane,
                    eligible_ms: rel(r.eligible?),
                    start_ms: rel(r.start?),
                    end_ms: rel(r.end?),
                    polls: r.polls,
                })
            })
            .collect();
        let mut spans: Vec<Span> = self
            .spans
            .iter()
            .map(|s| Span {
                task: ids[s.task].clone(),
                lane: s.lane,
                kind: s.kind,
                chunk: s.chunk.map(|c| c as u32),
                start_ms: rel(s.start),
                end_ms: rel(s.end.min(if self.stopped { end_ms } else { s.end })),
            })
            .collect();
        spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        let lanes = lanes_of(&spans);
        let last_end = self.tasks.iter().filter_map(|r| r.end).fold(self.start_ms, f64::max);
        Trace {
            version: FORMAT_VERSION,
            source,
            model: self.policy.model,
            yield_policy: self.policy.juggle.then_some(self.policy.yield_policy),
            chefs: self.chefs,
            wall_ms: rel(if self.stopped { end_ms } else { last_end }),
            stopped: self.stopped && self.done < self.plan.len(),
            tasks,
            spans,
            lanes,
            cooked_units: self.cooked_units,
            checksums_ok: self.checksums_ok,
            calibration: self.plan.calibration.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::Experiment;
    use crate::engine::kernel::Calibration;

    fn schedule(model: &str, tasks: &str) -> Schedule {
        let e = Experiment::from_json(&format!(r#"{{"version":1,"model":"{model}","tasks":[{tasks}]}}"#)).unwrap();
        let cal = |kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 };
        Schedule::new(Arc::new(Plan::new(&e, &cal).unwrap()), 1, Policy::new(e.model, e.yield_policy), 0.0)
    }

    /// Cooks every job on lane 0 at once, returning what each `cooked` said about yielding.
    fn yields(mut s: Schedule) -> Vec<bool> {
        let mut out = vec![];
        while let Job::Cook { kernel, units, .. } = s.next_job(0, 0.0) {
            out.push(s.cooked(0, units, kernel.expected_checksum(units), 0.0, 0.0));
        }
        out
    }

    #[test]
    fn a_juggling_chef_yields_after_each_short_dish() {
        // Dishes shorter than a time slice: each one finished is a turn given back.
        let short = r#"{"id":"a","phases":[{"cook":{"ms":2}}]},{"id":"b","phases":[{"cook":{"ms":2}}]}"#;
        assert_eq!(yields(schedule("concurrent", short)), [true, true]);
        // A 25 ms dish in 10 ms slices: yields after each slice and at its end.
        assert_eq!(yields(schedule("concurrent", r#"{"id":"a","phases":[{"cook":{"ms":25}}]}"#)), [true, true, true]);
        // Without juggling a chef never lets go until the end of the run.
        assert_eq!(yields(schedule("sequential", short)), [false, false]);
    }
}
