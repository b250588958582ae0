//! Races and deadlocks, for real and in safe Rust: the demos behind the lesson "Shared counters
//! and crossed locks".
//!
//! - **Lost updates**: several chefs add one to a shared tally many times. The racy tally is an
//!   `AtomicU64` read with `load` and written with `store` — two steps, so two chefs can read the
//!   same value and both write it plus one, losing a count. No undefined behaviour: every access
//!   is atomic, only the read-modify-write is not. The fixed tallies use `fetch_add` (one atomic
//!   step) or a `Mutex<u64>`.
//! - **Deadlock**: two chefs each take one of two locks, then reach for the other's. Nobody
//!   blocks forever: a chef waits for a lock with `try_lock` and short sleeps until a deadline,
//!   then reports that it gave up and lets go. Taking the locks in one consistent order fixes it.
//!
//! ## Where the threads come from
//!
//! Every demo runs its chefs through the small [`Threads`] trait ("run these closures at the same
//! time, each on its own thread, and join"), because the same code must run natively on
//! `std::thread::scope` ([`StdThreads`]) and in the browser on wasm worker threads, which only
//! rayon starts there ([`CurrentPool`], or a `rayon::ThreadPool` directly). A trait rather than a
//! `&rayon::ThreadPool` parameter so that native callers need no pool and tests can use either.
//!
//! The demos block their threads (sleeps, spinning at a rendezvous), so in the browser they must
//! run on worker threads, never on the page's main thread, which may not block. Time is read
//! through [`Clock`], since `std::time::Instant` does not exist on wasm32-unknown-unknown.

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use serde::Serialize;

use super::clock::Clock;
use super::lessons::{Machine, Verdict};

/// Runs closures at the same time, each on its own thread, and waits for all of them.
pub trait Threads {
    /// How many closures [`Threads::run`] can run at the same time.
    fn available(&self) -> usize;
    /// Runs `work(0)`, …, `work(n - 1)`, each on its own thread, and returns when all have
    /// returned. Callers check `n <= self.available()` first: with fewer threads some closures
    /// would only start when others ended, and a closure that waits for its siblings would wait
    /// in vain (the demos notice that with deadlines, but it defeats them).
    fn run(&self, n: usize, work: &(dyn Fn(usize) + Sync));
}

/// Native OS threads from `std::thread::scope`: as many as asked for.
#[cfg(not(target_arch = "wasm32"))]
#[derive(Clone, Copy, Debug, Default)]
pub struct StdThreads;

#[cfg(not(target_arch = "wasm32"))]
impl Threads for StdThreads {
    fn available(&self) -> usize {
        usize::MAX
    }

    fn run(&self, n: usize, work: &(dyn Fn(usize) + Sync)) {
        std::thread::scope(|s| {
            for i in 0..n {
                s.spawn(move || work(i));
            }
        });
    }
}

/// The rayon pool the caller runs in (the global pool outside any pool): how the browser runs
/// the demos on its wasm worker threads. Call it from a worker thread (for example inside
/// `rayon::spawn` or `ThreadPool::install`): the calling thread takes part in the scope, so all
/// of the pool's threads are available.
#[derive(Clone, Copy, Debug, Default)]
pub struct CurrentPool;

impl Threads for CurrentPool {
    fn available(&self) -> usize {
        rayon::current_num_threads()
    }

    fn run(&self, n: usize, work: &(dyn Fn(usize) + Sync)) {
        rayon::scope(|s| {
            for i in 0..n {
                s.spawn(move |_| work(i));
            }
        });
    }
}

impl Threads for rayon::ThreadPool {
    fn available(&self) -> usize {
        self.current_num_threads()
    }

    fn run(&self, n: usize, work: &(dyn Fn(usize) + Sync)) {
        self.install(|| CurrentPool.run(n, work));
    }
}

/// Why a demo could not run.
#[derive(Clone, Debug, PartialEq, Serialize, thiserror::Error)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum RaceError {
    /// The demo needs more threads at once than the [`Threads`] it was given can run.
    #[error("needs {needed} threads running at once; only {available} available")]
    NotEnoughThreads { needed: usize, available: usize },
    /// A count, a timeout or a repeat count out of range.
    #[error("{0}")]
    BadInput(String),
}

/// Longest time the threads of a demo wait for each other to start, before going on anyway.
const START_WITHIN_MS: f64 = 1_000.0;
/// How long a chef sleeps between two tries for a lock.
const RETRY_EVERY: Duration = Duration::from_micros(200);
/// Longest lock timeout a demo accepts: it is a demo, not a stress test.
pub const MAX_TIMEOUT_MS: f64 = 10_000.0;

fn check_threads(threads: &dyn Threads, needed: usize) -> Result<(), RaceError> {
    let available = threads.available();
    if needed == 0 {
        return Err(RaceError::BadInput("needs at least one thread".into()));
    }
    if needed > available {
        return Err(RaceError::NotEnoughThreads { needed, available });
    }
    Ok(())
}

/// Counts this thread in and waits (spinning, politely) until `n` threads are in or `deadline`
/// passes. Returns whether all `n` arrived.
fn rendezvous(arrived: &AtomicUsize, n: usize, clock: &dyn Clock, deadline: f64) -> bool {
    arrived.fetch_add(1, Ordering::SeqCst);
    wait_until(|| arrived.load(Ordering::SeqCst) >= n, clock, deadline)
}

/// Spins until `ready()` or `deadline`; yields to the OS between checks so a waiting thread
/// does not keep the thread it waits for off its core.
fn wait_until(ready: impl Fn() -> bool, clock: &dyn Clock, deadline: f64) -> bool {
    loop {
        if ready() {
            return true;
        }
        if clock.now_ms() >= deadline {
            return false;
        }
        std::hint::spin_loop();
        std::thread::yield_now();
    }
}

// ---------------------------------------------------------------------------------------------
// Lost updates

/// Which shared tally the chefs add to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Counter {
    /// `load`, then `store` of the value plus one: two atomic steps, so updates can be lost.
    Racy,
    /// `fetch_add(1)`: one atomic read-modify-write, never loses a count.
    FetchAdd,
    /// A `Mutex<u64>` locked around `+= 1`: one chef at a time, never loses a count.
    Mutex,
}

impl Counter {
    pub const ALL: [Counter; 3] = [Counter::Racy, Counter::FetchAdd, Counter::Mutex];

    /// How the tally is updated, in code.
    pub fn describe(self) -> &'static str {
        match self {
            Counter::Racy => "load + store",
            Counter::FetchAdd => "fetch_add",
            Counter::Mutex => "Mutex",
        }
    }
}

/// The tally's storage, one variant per [`Counter`].
enum Tally {
    Racy(AtomicU64),
    FetchAdd(AtomicU64),
    Mutex(Mutex<u64>),
}

impl Tally {
    fn new(counter: Counter) -> Tally {
        match counter {
            Counter::Racy => Tally::Racy(AtomicU64::new(0)),
            Counter::FetchAdd => Tally::FetchAdd(AtomicU64::new(0)),
            Counter::Mutex => Tally::Mutex(Mutex::new(0)),
        }
    }

    fn increment(&self) {
        match self {
            Tally::Racy(n) => {
                // Deliberately two steps: another chef may store between our load and store.
                let seen = n.load(Ordering::Relaxed);
                n.store(seen + 1, Ordering::Relaxed);
            }
            Tally::FetchAdd(n) => {
                n.fetch_add(1, Ordering::Relaxed);
            }
            Tally::Mutex(n) => *lock(n) += 1,
        }
    }

    fn value(self) -> u64 {
        match self {
            Tally::Racy(n) | Tally::FetchAdd(n) => n.into_inner(),
            Tally::Mutex(n) => n.into_inner().unwrap_or_else(|e| e.into_inner()),
        }
    }
}

/// Locks `m`; a poisoned lock still holds a valid `u64` (a panic cannot leave `+= 1` half done).
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// One run of the shared-tally demo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountRun {
    pub counter: Counter,
    pub threads: usize,
    pub per_thread: u64,
    /// `threads × per_thread`: what the tally should read.
    pub expected: u64,
    /// What it read.
    pub got: u64,
    /// `expected − got`: counts lost to the race (never negative: every value stored is one
    /// more than a value stored earlier, so the tally cannot overshoot).
    pub lost: u64,
    pub ms: f64,
    /// Whether every thread was running before any started counting (so they could collide).
    pub started_together: bool,
}

/// Runs `threads` chefs that each add one to a shared tally `per_thread` times.
pub fn count(
    pool: &dyn Threads,
    clock: &dyn Clock,
    counter: Counter,
    threads: usize,
    per_thread: u64,
) -> Result<CountRun, RaceError> {
    check_threads(pool, threads)?;
    let expected = (threads as u64)
        .checked_mul(per_thread)
        .ok_or_else(|| RaceError::BadInput(format!("{threads} × {per_thread} increments overflow a u64")))?;
    let tally = Tally::new(counter);
    let arrived = AtomicUsize::new(0);
    let together = AtomicBool::new(true);
    let start = clock.now_ms();
    pool.run(threads, &|_| {
        // Start together, or the first thread may finish before the last one starts.
        if !rendezvous(&arrived, threads, clock, start + START_WITHIN_MS) {
            together.store(false, Ordering::Relaxed);
        }
        for _ in 0..per_thread {
            tally.increment();
        }
    });
    let ms = clock.now_ms() - start;
    let got = tally.value();
    Ok(CountRun {
        counter,
        threads,
        per_thread,
        expected,
        got,
        lost: expected.saturating_sub(got),
        ms,
        started_together: together.into_inner(),
    })
}

// ---------------------------------------------------------------------------------------------
// Deadlock

/// In which order the two chefs take the two locks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LockOrder {
    /// Chef 0 takes lock 0 then lock 1; chef 1 takes lock 1 then lock 0: a deadlock.
    Opposite,
    /// Both take lock 0 then lock 1: whoever gets lock 0 first finishes, then the other.
    Consistent,
}

/// What one chef of the two-lock demo did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ChefOutcome {
    /// Took both locks, did its work and let go, `ms` after it started.
    Finished { ms: f64 },
    /// Waited `waited_ms` (more than the timeout) for lock `wanted`, holding lock `holding`
    /// (if any), then gave up and let go of everything.
    GaveUp { holding: Option<usize>, wanted: usize, waited_ms: f64 },
    /// The chef's closure never ran: the [`Threads`] did not run every closure it was given.
    NotRun,
}

impl ChefOutcome {
    pub fn gave_up(&self) -> bool {
        matches!(self, ChefOutcome::GaveUp { .. })
    }
}

/// One run of the two-lock demo.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TwoLockRun {
    pub order: LockOrder,
    /// How long a chef waits for a lock before giving up.
    pub timeout_ms: f64,
    /// Chef 0's and chef 1's outcome.
    pub chefs: Vec<ChefOutcome>,
    /// Both chefs gave up, each waiting for a lock the other held.
    pub deadlocked: bool,
    pub ms: f64,
    /// Whether both chefs were running before either took a lock (without that, one may simply
    /// finish before the other starts, and no deadlock can happen).
    pub started_together: bool,
}

/// The shared state of one two-lock run.
struct Table<'a> {
    /// Each lock guards a count of dishes plated with it (so holding it means something).
    locks: [Mutex<u64>; 2],
    order: LockOrder,
    clock: &'a dyn Clock,
    timeout_ms: f64,
    arrived: AtomicUsize,
    together: AtomicBool,
    holding_first: [AtomicBool; 2],
    tried_second: [AtomicBool; 2],
}

impl Table<'_> {
    fn order_of(&self, chef: usize) -> [usize; 2] {
        match (self.order, chef) {
            (LockOrder::Opposite, 1) => [1, 0],
            _ => [0, 1],
        }
    }

    /// Tries for lock `i` until the timeout; `None` if it stayed taken.
    fn lock_within(&self, i: usize) -> Option<MutexGuard<'_, u64>> {
        let deadline = self.clock.now_ms() + self.timeout_ms;
        loop {
            match self.locks[i].try_lock() {
                Ok(guard) => return Some(guard),
                Err(TryLockError::Poisoned(p)) => return Some(p.into_inner()),
                Err(TryLockError::WouldBlock) if self.clock.now_ms() >= deadline => return None,
                Err(TryLockError::WouldBlock) => std::thread::sleep(RETRY_EVERY),
            }
        }
    }

    /// One chef's life: first lock, then second, with a timeout on each.
    fn chef(&self, me: usize) -> ChefOutcome {
        let other = 1 - me;
        let [first, second] = self.order_of(me);
        let start = self.clock.now_ms();
        if !rendezvous(&self.arrived, 2, self.clock, start + START_WITHIN_MS) {
            self.together.store(false, Ordering::SeqCst);
        }
        let started = self.clock.now_ms();
        let Some(mut held) = self.lock_within(first) else {
            self.tried_second[me].store(true, Ordering::SeqCst);
            return ChefOutcome::GaveUp { holding: None, wanted: first, waited_ms: self.clock.now_ms() - started };
        };
        self.holding_first[me].store(true, Ordering::SeqCst);
        // The deadlock is deterministic only if both chefs hold their first lock before either
        // reaches for its second: wait for the other when its first lock is a different one.
        // (With the same first lock it is waiting for ours, and would never get there.)
        if self.order_of(other)[0] != first {
            wait_until(|| self.holding_first[other].load(Ordering::SeqCst), self.clock, started + START_WITHIN_MS);
        }
        let asked = self.clock.now_ms();
        let outcome = match self.lock_within(second) {
            Some(mut also) => {
                *held += 1;
                *also += 1;
                ChefOutcome::Finished { ms: self.clock.now_ms() - started }
            }
            None => ChefOutcome::GaveUp { holding: Some(first), wanted: second, waited_ms: self.clock.now_ms() - asked },
        };
        self.tried_second[me].store(true, Ordering::SeqCst);
        if outcome.gave_up() {
            // Keep our lock until the other chef has given up too: letting go at once would let
            // it through and hide the deadlock on its side. Bounded, like every wait here.
            let until = self.clock.now_ms() + 2.0 * self.timeout_ms;
            wait_until(|| self.tried_second[other].load(Ordering::SeqCst), self.clock, until);
        }
        drop(held);
        outcome
    }
}

/// Two chefs take two locks in `order`, each giving up after waiting `timeout_ms` for a lock.
/// With [`LockOrder::Opposite`] both give up (a deadlock, detected and released); with
/// [`LockOrder::Consistent`] both finish.
pub fn two_locks(
    pool: &dyn Threads,
    clock: &dyn Clock,
    order: LockOrder,
    timeout_ms: f64,
) -> Result<TwoLockRun, RaceError> {
    check_threads(pool, 2)?;
    if !(timeout_ms > 0.0 && timeout_ms <= MAX_TIMEOUT_MS) {
        return Err(RaceError::BadInput(format!(
            "lock timeout must be a positive number of ms up to {MAX_TIMEOUT_MS}, got {timeout_ms}"
        )));
    }
    let table = Table {
        locks: [Mutex::new(0), Mutex::new(0)],
        order,
        clock,
        timeout_ms,
        arrived: AtomicUsize::new(0),
        together: AtomicBool::new(true),
        holding_first: [AtomicBool::new(false), AtomicBool::new(false)],
        tried_second: [AtomicBool::new(false), AtomicBool::new(false)],
    };
    let outcomes: [Mutex<Option<ChefOutcome>>; 2] = [Mutex::new(None), Mutex::new(None)];
    let start = clock.now_ms();
    pool.run(2, &|me| *lock(&outcomes[me]) = Some(table.chef(me)));
    let ms = clock.now_ms() - start;
    let chefs: Vec<ChefOutcome> = outcomes
        .into_iter()
        .map(|o| o.into_inner().unwrap_or_else(|e| e.into_inner()))
        .map(|o| o.unwrap_or(ChefOutcome::NotRun))
        .collect();
    Ok(TwoLockRun {
        order,
        timeout_ms,
        deadlocked: chefs.iter().all(ChefOutcome::gave_up),
        chefs,
        ms,
        started_together: table.together.into_inner(),
    })
}

// ---------------------------------------------------------------------------------------------
// The lesson's demo and verdict

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
