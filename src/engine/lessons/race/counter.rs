//! Lost updates: chefs adding one to a shared tally, racy (`load` + `store`) or fixed
//! (`fetch_add`, a `Mutex`).

use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Mutex;

use serde::Serialize;

use super::threads::{check_threads, lock, rendezvous, RaceError, Threads, START_WITHIN_MS};
use crate::engine::clock::Clock;

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
