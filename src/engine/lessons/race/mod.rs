//! Lesson 11, "Shared counters and crossed locks": races and deadlocks, for real and in safe
//! Rust. Its verdict comes from the demo's report ([`run_demo`], then [`verdict`]), not from
//! kitchen runs ([`Measures::RaceDemo`]).
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
//! through [`Clock`](crate::engine::clock::Clock), since `std::time::Instant` does not exist on wasm32-unknown-unknown.
//!
//! ## Files
//!
//! `threads.rs` (the [`Threads`] trait, rendezvous and deadlines), `counter.rs` (lost updates:
//! [`count`]), `locks.rs` (deadlock: [`two_locks`]), `demo.rs` (the lesson's [`RacePlan`],
//! [`run_demo`] and [`verdict`]), and here the lesson itself. The demo depends on the lessons'
//! [`Machine`] and [`super::Verdict`], never the other way round: the lessons know it only
//! through the registry line for `SHARED_COUNTER`.

mod counter;
mod demo;
mod locks;
mod threads;

pub use counter::{count, CountRun, Counter};
pub use demo::{run_demo, verdict, RacePlan, RaceReport};
pub use locks::{two_locks, ChefOutcome, LockOrder, TwoLockRun, MAX_TIMEOUT_MS};
#[cfg(not(target_arch = "wasm32"))]
pub use threads::StdThreads;
pub use threads::{CurrentPool, RaceError, Threads};

use super::{Lesson, Machine, Measures, RunSpec};

/// Lesson 11: judged by [`verdict`] on the demo's report, so it has no judge of traces.
pub(super) const SHARED_COUNTER: Lesson = Lesson {
    number: 11,
    id: "shared-counter",
    title: "Shared counters and crossed locks",
    claim: "Chefs who add to one tally by reading it, adding one and writing it back lose counts when two read \
            at once; an atomic add or a lock keeps every count. Two chefs who each hold one tool and wait for the \
            other's wait forever (a deadlock), unless both always take the tools in the same order.",
    measures: Measures::RaceDemo,
    tries: 1,
    plan: plan_race,
    judge: None,
    caveat: None,
};

/// No kitchen runs; refuses machines the demo cannot run on (no worker threads).
fn plan_race(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    RacePlan::for_machine(machine).map(|_| Vec::new())
}
