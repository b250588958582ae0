//! The machine a lesson runs on: its cores and the worker threads the page may use. Plans
//! depend on it (one chef per core, twice as many chefs as cores, …).

use serde::{Deserialize, Serialize};

use crate::engine::experiment::Experiment;
use crate::engine::graph::MAX_CHEFS;

/// What the lessons need to know about the machine they run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU cores (stoves): `navigator.hardwareConcurrency` in the browser.
    pub cores: usize,
    /// Worker threads a parallel run may use (chefs ≤ threads): the page's pool size, 0 when the
    /// page has no workers (then only the single-chef models run).
    pub threads: usize,
}

impl Machine {
    /// A machine with `cores` cores and `threads` worker threads.
    pub fn new(cores: usize, threads: usize) -> Machine {
        Machine { cores, threads }
    }

    /// The worker threads a page starts: twice the cores (so "more chefs than stoves" can be
    /// measured), 2..=16.
    pub fn threads_for(cores: usize) -> usize {
        cores.saturating_mul(2).clamp(2, 16)
    }

    /// A cross-origin isolated page on `cores` cores, with the threads it starts
    /// ([`Machine::threads_for`]; see `runtime::pool`).
    pub fn browser_like(cores: usize) -> Machine {
        Machine { cores, threads: Machine::threads_for(cores) }
    }

    /// This machine, natively: its available parallelism as cores, and threads as the page
    /// would start them (native runs could use more, but the lessons should plan alike).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn native() -> Machine {
        Machine::browser_like(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Whether `experiment` can run here: a parallel model needs a worker thread per chef,
    /// and no experiment may ask for more than [`MAX_CHEFS`].
    pub fn can_run(&self, experiment: &Experiment) -> bool {
        let chefs = experiment.chefs;
        (1..=MAX_CHEFS).contains(&chefs) && (!experiment.model.is_parallel() || chefs <= self.threads)
    }

    /// The widest useful parallel run: one chef per core, if there are threads for them.
    pub(super) fn width(&self) -> usize {
        self.cores.min(self.threads).min(MAX_CHEFS)
    }

    /// The most chefs a parallel run may have here.
    pub(super) fn most_chefs(&self) -> usize {
        self.threads.min(MAX_CHEFS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_starts_twice_the_cores_between_2_and_16_threads() {
        let threads: Vec<usize> = [0, 1, 2, 4, 8, 9, 64, usize::MAX].map(Machine::threads_for).to_vec();
        assert_eq!(threads, [2, 2, 4, 8, 16, 16, 16, 16]);
        assert_eq!(Machine::browser_like(3), Machine::new(3, 6));
    }
}
