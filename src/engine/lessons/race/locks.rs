//! Deadlock: two chefs take two locks in opposite order, each waiting with a deadline, so the
//! deadlock is detected and released rather than blocking forever.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};
use std::time::Duration;

use serde::Serialize;

use super::threads::{check_threads, lock, rendezvous, wait_until, RaceError, Threads, START_WITHIN_MS};
use crate::engine::clock::Clock;

/// How long a chef sleeps between two tries for a lock.
const RETRY_EVERY: Duration = Duration::from_micros(200);
/// Longest lock timeout a demo accepts: it is a demo, not a stress test.
pub const MAX_TIMEOUT_MS: f64 = 10_000.0;

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
