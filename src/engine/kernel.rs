//! Computation kernels: the real CPU work behind a cook phase, and their calibration.
//!
//! A kernel's work is counted in *units*, each the same amount of computation, so that
//! `units` is exact and `ms` can be turned into units by measuring units per ms here.

use serde::{Deserialize, Serialize};

use super::clock::Clock;

/// Which computation a cook phase runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    /// Counting primes by trial division: pure integer ALU work, no memory traffic.
    #[default]
    Primes,
}

/// Each primes unit counts the primes below this bound.
const PRIMES_UNIT_BOUND: u32 = 2_000;
/// π(2000): what one primes unit must find.
pub const PRIMES_PER_UNIT: u64 = 303;

impl Kernel {
    pub fn name(self) -> &'static str {
        match self {
            Kernel::Primes => "primes",
        }
    }

    /// Does `units` units of real work and returns a checksum that depends on all of it.
    pub fn run(self, units: u64) -> u64 {
        match self {
            Kernel::Primes => (0..units)
                .map(|_| count_primes_below(std::hint::black_box(PRIMES_UNIT_BOUND)))
                .sum(),
        }
    }

    /// The checksum [`Kernel::run`] must return for `units` units.
    pub fn expected_checksum(self, units: u64) -> u64 {
        match self {
            Kernel::Primes => units * PRIMES_PER_UNIT,
        }
    }
}

// Not inlined: V8 has no on-stack replacement for wasm, so a long kernel call written as one
// function would keep running baseline (Liftoff) code to its end. As a call per unit, the
// optimised code takes over within a few units.
#[inline(never)]
fn count_primes_below(bound: u32) -> u64 {
    (2..bound).filter(|&n| is_prime(n)).count() as u64
}

fn is_prime(n: u32) -> bool {
    if n < 4 {
        return n >= 2;
    }
    if n % 2 == 0 {
        return false;
    }
    let mut d = 3;
    while d * d <= n {
        if n % d == 0 {
            return false;
        }
        d += 2;
    }
    true
}

/// How fast a kernel runs on one thread of this machine, as measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub kernel: Kernel,
    pub units_per_ms: f64,
    /// How long the measurement itself took.
    pub measured_over_ms: f64,
}

impl Calibration {
    /// Measures `kernel` on the calling thread for about `budget_ms`, keeping the fastest of
    /// several rounds (the slow ones are the ones something else interrupted).
    pub fn measure(kernel: Kernel, clock: &dyn Clock, budget_ms: f64) -> Calibration {
        let started = clock.now_ms();
        // Warm up first, so a JIT's baseline tier is not what gets measured.
        while clock.now_ms() - started < budget_ms / 4.0 {
            std::hint::black_box(kernel.run(8));
        }
        let mut best: f64 = 0.0;
        let mut batch = 1;
        while clock.now_ms() - started < budget_ms {
            let t0 = clock.now_ms();
            std::hint::black_box(kernel.run(batch));
            let took = clock.now_ms() - t0;
            if took < 2.0 {
                batch *= 2; // too short to time reliably with a coarse clock
                continue;
            }
            best = best.max(batch as f64 / took);
        }
        if best == 0.0 {
            // The budget ran out before a batch was long enough to time: use what we have.
            let took = (clock.now_ms() - started).max(0.001);
            best = batch as f64 / took;
        }
        Calibration { kernel, units_per_ms: best, measured_over_ms: clock.now_ms() - started }
    }

    /// Units of work that take about `ms` on one thread; at least one unit for any positive ms.
    pub fn units_for(&self, ms: f64) -> u64 {
        ((ms * self.units_per_ms).round() as u64).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::clock::SystemClock;

    #[test]
    fn primes_unit_counts_the_primes_below_2000() {
        assert_eq!(count_primes_below(2_000), 303);
        assert_eq!(count_primes_below(100), 25);
        assert_eq!(Kernel::Primes.run(3), Kernel::Primes.expected_checksum(3));
    }

    #[test]
    fn calibration_converts_ms_to_a_plausible_amount_of_work() {
        let clock = SystemClock::new();
        let cal = Calibration::measure(Kernel::Primes, &clock, 60.0);
        assert!(cal.units_per_ms > 0.5, "{cal:?}");
        let units = cal.units_for(30.0);
        let t0 = clock.now_ms();
        Kernel::Primes.run(units);
        let took = clock.now_ms() - t0;
        // Loose: a loaded CI machine may be slower, never wildly faster than calibrated.
        assert!(took > 10.0 && took < 300.0, "30 ms of work took {took} ms");
    }
}
