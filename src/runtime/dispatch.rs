//! The message-passing back-end's chefs: the engine's [`Schedule`] runs on the main thread and
//! decides, for each chef, what it does next — exactly as the shared-memory chefs ask it from
//! their threads. Chef `k` is worker `k` of [`super::crew`] on lane `k + 1`: its cooking is
//! posted to that worker, whose measured times and checksum come back by message; its
//! simmering (for chefs that do not juggle) is a timer here. Parallelism comes from the
//! workers cooking at the same time; the main thread only hands out jobs and books results,
//! between which it gives the event loop its turns.

use std::sync::Arc;

use super::clock::BrowserClock;
use super::crew::{self, Cooked};
use super::error::{Error, ErrorKind};
use crate::engine::clock::Clock;
use crate::engine::executor::{Control, STOP_CHECK_MS};
use crate::engine::schedule::Job;
use crate::engine::trace::Source;
use crate::engine::{Schedule, Trace};

/// What one chef is doing.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Chef {
    /// Ready to ask the schedule for a job.
    Free,
    /// Its worker cooks `units` (job number `job`), posted at `posted`.
    Cooking { job: u64, units: u64, posted: f64 },
    /// Holds a simmering dish until `until` (models that do not juggle).
    Simmering { start: f64, until: f64 },
    /// The schedule said it is finished.
    Done,
}

/// Runs `schedule` with `chefs` chefs on the message-passing workers; resolves with the
/// measured trace (same format as every executor's).
pub async fn cook_by_messages(mut schedule: Schedule, chefs: usize, control: Arc<Control>) -> Result<Trace, Error> {
    let clock = BrowserClock;
    let mut crew = crew::lease()?;
    if chefs > crew.size {
        return Err(ErrorKind::TooManyChefs { chefs, threads: crew.size }.into());
    }
    let mut lanes = vec![Chef::Free; chefs];
    loop {
        control.sync(&mut schedule);
        let now = clock.now_ms();
        let mut wake = f64::INFINITY;
        for (k, chef) in lanes.iter_mut().enumerate() {
            let lane = k + 1;
            if let Chef::Simmering { start, until } = *chef {
                if now >= until || schedule.is_finished() {
                    schedule.simmered(lane, start, now);
                    *chef = Chef::Free;
                }
            }
            if *chef == Chef::Free {
                *chef = match schedule.next_job(lane, now) {
                    Job::Finished => Chef::Done,
                    Job::Idle { until } => {
                        wake = wake.min(until.unwrap_or(f64::INFINITY));
                        Chef::Free
                    }
                    Job::Cook { kernel, units, .. } => Chef::Cooking { job: crew.cook(k, kernel, units)?, units, posted: now },
                    Job::Simmer { ms, .. } => Chef::Simmering { start: now, until: now + ms },
                };
            }
            if let Chef::Simmering { until, .. } = *chef {
                wake = wake.min(until);
            }
        }
        if lanes.iter().all(|c| *c == Chef::Done) {
            break;
        }
        let timeout = (wake - clock.now_ms()).clamp(0.0, STOP_CHECK_MS);
        if let Some(cooked) = crew.next(timeout).await? {
            book(&mut schedule, &mut lanes, cooked, clock.now_ms());
        }
    }
    Ok(schedule.into_trace(clock.now_ms(), Source::Measured))
}

/// Books a worker's report in the schedule. The times are clamped between posting and
/// receipt, so that clock skew between threads never puts a span outside its job's life.
fn book(schedule: &mut Schedule, lanes: &mut [Chef], cooked: Cooked, received: f64) {
    let Some(chef) = lanes.get_mut(cooked.worker) else { return };
    let Chef::Cooking { job, units, posted } = *chef else { return };
    if job != cooked.job {
        return; // a report from a job of an earlier, failed run
    }
    let end = cooked.end.clamp(posted, received);
    let start = cooked.start.clamp(posted, end);
    schedule.cooked(cooked.worker + 1, units, cooked.checksum, start, end);
    *chef = Chef::Free;
}
