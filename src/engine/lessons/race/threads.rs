//! Where the demos' threads come from: the [`Threads`] trait and its native ([`StdThreads`])
//! and rayon ([`CurrentPool`], `rayon::ThreadPool`) implementations, plus the waits every demo
//! shares (a rendezvous so threads start together, deadlines on every wait).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard};

use serde::Serialize;

use crate::engine::clock::Clock;

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
pub(super) const START_WITHIN_MS: f64 = 1_000.0;

pub(super) fn check_threads(threads: &dyn Threads, needed: usize) -> Result<(), RaceError> {
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
pub(super) fn rendezvous(arrived: &AtomicUsize, n: usize, clock: &dyn Clock, deadline: f64) -> bool {
    arrived.fetch_add(1, Ordering::SeqCst);
    wait_until(|| arrived.load(Ordering::SeqCst) >= n, clock, deadline)
}

/// Spins until `ready()` or `deadline`; yields to the OS between checks so a waiting thread
/// does not keep the thread it waits for off its core.
pub(super) fn wait_until(ready: impl Fn() -> bool, clock: &dyn Clock, deadline: f64) -> bool {
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

/// Locks `m`; a poisoned lock still holds a valid `u64` (a panic cannot leave `+= 1` half done).
pub(super) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
