//! Executors: chefs that take jobs from a shared [`Schedule`] and do them for real.
//!
//! A chef is a loop on one thread. Where the parallelism comes from is the caller's choice:
//! [`cook_on_this_thread`] runs one chef on the calling thread; [`cook_on_current_pool`] runs
//! one chef on each of `chefs` distinct threads of the current rayon pool. The browser's
//! main-thread (async) chef lives in `runtime`, because it must yield to the event loop.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::clock::Clock;
use super::schedule::{Job, Schedule};

/// Longest a waiting chef goes without checking for a stop request.
pub const STOP_CHECK_MS: f64 = 50.0;

/// What the outside world may touch during a run, without locks: a stop request and progress.
/// (A browser's main thread must never block on a lock the chefs hold.)
#[derive(Debug, Default)]
pub struct Control {
    stop: AtomicBool,
    tasks_done: AtomicUsize,
}

impl Control {
    pub fn new() -> Arc<Control> {
        Arc::new(Control::default())
    }

    /// Asks the run to stop; every chef notices within [`STOP_CHECK_MS`] or one slice.
    pub fn request_stop(&self) {
        self.stop.store(true, Ordering::Relaxed);
    }

    pub fn stop_requested(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    pub fn tasks_done(&self) -> usize {
        self.tasks_done.load(Ordering::Relaxed)
    }

    /// Copies the schedule's state out after a report: applies a pending stop, publishes progress.
    pub fn sync(&self, schedule: &mut Schedule) {
        if self.stop_requested() {
            schedule.stop();
        }
        self.tasks_done.store(schedule.tasks_done(), Ordering::Relaxed);
    }
}

/// A schedule shared by the chefs of one run; the condvar wakes idle chefs when work appears.
pub struct Kitchen {
    schedule: Mutex<Schedule>,
    changed: Condvar,
    control: Arc<Control>,
}

impl Kitchen {
    pub fn new(schedule: Schedule, control: Arc<Control>) -> Kitchen {
        Kitchen { schedule: Mutex::new(schedule), changed: Condvar::new(), control }
    }

    fn lock(&self) -> MutexGuard<'_, Schedule> {
        // A chef that panicked cannot leave the schedule half-updated: every update is one call.
        self.schedule.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn into_schedule(self) -> Schedule {
        self.schedule.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn wait<'a>(&self, guard: MutexGuard<'a, Schedule>, until: Option<f64>, now: f64) -> MutexGuard<'a, Schedule> {
        let ms = until.map_or(STOP_CHECK_MS, |t| (t - now).clamp(0.0, STOP_CHECK_MS));
        let timeout = Duration::from_secs_f64(ms / 1000.0);
        self.changed.wait_timeout(guard, timeout).unwrap_or_else(|e| e.into_inner()).0
    }
}

/// One chef's working life on the calling thread: take a job, do it for real, report, repeat.
/// Blocks the thread, so never call it on a browser's main thread.
pub fn chef_loop(kitchen: &Kitchen, lane: usize, clock: &dyn Clock) {
    let mut schedule = kitchen.lock();
    loop {
        kitchen.control.sync(&mut schedule);
        let now = clock.now_ms();
        match schedule.next_job(lane, now) {
            Job::Finished => break,
            Job::Idle { until } => schedule = kitchen.wait(schedule, until, now),
            Job::Cook { kernel, units, .. } => {
                drop(schedule); // cook without holding the schedule: other chefs keep going
                let start = clock.now_ms();
                let checksum = kernel.run(units);
                let end = clock.now_ms();
                schedule = kitchen.lock();
                schedule.cooked(lane, units, checksum, start, end);
                kitchen.changed.notify_all();
            }
            Job::Simmer { ms, .. } => {
                // A real wait that keeps this chef: the condvar lets a stop request cut it short.
                let until = now + ms;
                loop {
                    let t = clock.now_ms();
                    kitchen.control.sync(&mut schedule);
                    if t >= until || schedule.is_finished() {
                        break;
                    }
                    schedule = kitchen.wait(schedule, Some(until), t);
                }
                schedule.simmered(lane, now, clock.now_ms());
                kitchen.changed.notify_all();
            }
        }
    }
    kitchen.changed.notify_all(); // others may be idle waiting for a dish that will never come
}

/// One chef on the calling thread (lane 0): where the sequential and single-chef concurrent
/// models run natively. No parallelism at all.
pub fn cook_on_this_thread(kitchen: &Kitchen, clock: &dyn Clock) {
    chef_loop(kitchen, 0, clock);
}

/// `chefs` chefs, each on its own thread of the current rayon pool; the lane is the real
/// thread (pool index + 1). Parallelism comes from the pool's threads, so the pool must have
/// at least `chefs` threads or the extra chefs would only start once the others finished.
pub fn cook_on_current_pool(kitchen: &Kitchen, chefs: usize, clock: &dyn Clock) {
    assert!(chefs <= rayon::current_num_threads(), "{chefs} chefs need as many pool threads");
    rayon::scope(|s| {
        for _ in 0..chefs {
            s.spawn(|_| chef_loop(kitchen, pool_lane(), clock));
        }
    });
}

/// The lane of the calling rayon pool thread.
pub fn pool_lane() -> usize {
    rayon::current_thread_index().map_or(0, |i| i + 1)
}
