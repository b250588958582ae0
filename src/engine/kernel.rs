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
    /// Escape times over a tile of the Mandelbrot set: floating point work, no memory traffic.
    Mandelbrot,
    /// Filling a buffer with pseudo-random numbers and sorting it: memory work, loads, stores
    /// and data-dependent branches rather than arithmetic (on 16 KiB, which stays in the
    /// core's cache: not a test of main-memory bandwidth).
    Sort,
    /// Hashing a 64-byte block with FNV-1a: a chain of 64 multiplies, a unit well under a
    /// microsecond — small enough to cut pieces that cost more to hand out than to cook.
    Hash,
}

/// Each primes unit counts the primes below this bound.
const PRIMES_UNIT_BOUND: u32 = 2_000;
/// π(2000): what one primes unit must find.
pub const PRIMES_PER_UNIT: u64 = 303;

/// Each Mandelbrot unit computes escape times on this many points per side of its tile...
const MANDELBROT_TILE: usize = 16;
/// ...over the whole set, `[-2, 0.5] × [-1.25, 1.25]`, so the tile has points inside and outside...
const MANDELBROT_REGION: Region = Region { re: -2.0, im: -1.25, width: 2.5, height: 2.5 };
/// ...giving up on a point after this many iterations (it counts as inside).
const MANDELBROT_MAX_ITER: u32 = 200;
/// Total escape iterations over one Mandelbrot tile: what one unit must return.
pub const MANDELBROT_PER_UNIT: u64 = 14_098;

/// Each sort unit sorts this many numbers (16 KiB of `u32`)...
const SORT_LEN: usize = 4_096;
/// ...generated from this seed, the same every unit so that every unit sorts the same numbers.
const SORT_SEED: u32 = 0x2545_f491;
/// Position-weighted sum of one sorted buffer: what one unit must return.
pub const SORT_PER_UNIT: u64 = 23_997_678_664_149_094;

/// Each hash unit hashes this block (the bytes 0, 1, …, 63)...
const HASH_BLOCK: [u8; 64] = {
    let mut block = [0u8; 64];
    let mut i = 0;
    while i < block.len() {
        block[i] = i as u8;
        i += 1;
    }
    block
};
/// ...with 64-bit FNV-1a (Fowler–Noll–Vo): start from the offset basis, then per byte xor it
/// in and multiply by the prime.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
/// FNV-1a of the block: what one hash unit must return.
pub const HASH_PER_UNIT: u64 = 0x8368_214f_7799_5ee5;

impl Kernel {
    /// Every kernel, in declaration order, so `kernel.index()` indexes per-kernel tables.
    pub const ALL: [Kernel; 4] = [Kernel::Primes, Kernel::Mandelbrot, Kernel::Sort, Kernel::Hash];

    pub fn name(self) -> &'static str {
        match self {
            Kernel::Primes => "primes",
            Kernel::Mandelbrot => "mandelbrot",
            Kernel::Sort => "sort",
            Kernel::Hash => "hash",
        }
    }

    /// This kernel's position in [`Kernel::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Does `units` units of real work and returns a checksum that depends on all of it.
    pub fn run(self, units: u64) -> u64 {
        match self {
            Kernel::Primes => (0..units)
                .map(|_| count_primes_below(std::hint::black_box(PRIMES_UNIT_BOUND)))
                .sum(),
            Kernel::Mandelbrot => (0..units)
                .map(|_| mandelbrot_tile(std::hint::black_box(MANDELBROT_REGION)))
                .fold(0, u64::wrapping_add),
            Kernel::Sort => (0..units)
                .map(|_| sort_unit(std::hint::black_box(SORT_SEED)))
                .fold(0, u64::wrapping_add),
            Kernel::Hash => (0..units).map(|_| fnv1a(std::hint::black_box(&HASH_BLOCK))).fold(0, u64::wrapping_add),
        }
    }

    /// The checksum [`Kernel::run`] must return for `units` units.
    pub fn expected_checksum(self, units: u64) -> u64 {
        match self {
            Kernel::Primes => units * PRIMES_PER_UNIT,
            // Wrapping, like `run`: sort checksums overflow u64 after about 770 units.
            Kernel::Mandelbrot => units.wrapping_mul(MANDELBROT_PER_UNIT),
            Kernel::Sort => units.wrapping_mul(SORT_PER_UNIT),
            Kernel::Hash => units.wrapping_mul(HASH_PER_UNIT),
        }
    }
}

// Per-kernel tables are indexed by `kernel.index()`: `ALL` must list the kernels in order.
const _: () = {
    let mut i = 0;
    while i < Kernel::ALL.len() {
        assert!(Kernel::ALL[i].index() == i);
        i += 1;
    }
};

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

/// A rectangle of the complex plane: lower-left corner and size.
#[derive(Clone, Copy, Debug)]
struct Region {
    re: f64,
    im: f64,
    width: f64,
    height: f64,
}

// Not inlined, like `count_primes_below`.
#[inline(never)]
fn mandelbrot_tile(region: Region) -> u64 {
    let (dx, dy) = (region.width / MANDELBROT_TILE as f64, region.height / MANDELBROT_TILE as f64);
    let mut total = 0;
    for row in 0..MANDELBROT_TILE {
        for col in 0..MANDELBROT_TILE {
            // Pixel centres: the tile samples the region evenly without landing on its edges.
            let re = region.re + (col as f64 + 0.5) * dx;
            let im = region.im + (row as f64 + 0.5) * dy;
            total += u64::from(escape_time(re, im, MANDELBROT_MAX_ITER));
        }
    }
    total
}

/// Iterations of `z ← z² + c` from `z = 0` before `|z| > 2`, or `max_iter` if it never gets
/// there (then `c` counts as inside the set). Plain IEEE `+`/`*`, so every platform (and wasm)
/// computes the same counts.
fn escape_time(re: f64, im: f64, max_iter: u32) -> u32 {
    let (mut zr, mut zi) = (0.0f64, 0.0f64);
    for n in 0..max_iter {
        let (zr2, zi2) = (zr * zr, zi * zi);
        if zr2 + zi2 > 4.0 {
            return n;
        }
        zi = 2.0 * zr * zi + im;
        zr = zr2 - zi2 + re;
    }
    max_iter
}

// Not inlined, like `count_primes_below`. The buffer is on the stack, not the heap, so that
// chefs sorting in parallel do not contend for the allocator.
#[inline(never)]
fn sort_unit(seed: u32) -> u64 {
    let mut buf = [0u32; SORT_LEN];
    fill_xorshift(&mut buf, seed);
    // Unstable is fine: equal `u32`s are indistinguishable, so the result is the same either way.
    // std's sort, made in a crate of its own so that it keeps its speed in the size-optimised
    // web build (crates/kitchen-sort).
    kitchen_sort::sort_unstable(&mut buf);
    position_checksum(&buf)
}

/// Fills `buf` from Marsaglia's xorshift32 generator started at `seed` (which must not be 0).
fn fill_xorshift(buf: &mut [u32], seed: u32) {
    let mut x = seed;
    for slot in buf {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *slot = x;
    }
}

/// `Σ (i + 1) · buf[i]`, wrapping: weighted by position so that the same numbers in another
/// order (an unsorted or half-sorted buffer) give another sum.
fn position_checksum(buf: &[u32]) -> u64 {
    buf.iter()
        .zip(1u64..)
        .fold(0, |sum, (&x, i)| sum.wrapping_add(i.wrapping_mul(u64::from(x))))
}

// Not inlined, like `count_primes_below`. Each multiply waits for the one before, so a unit
// cannot be vectorised away: its 64 steps take about as long everywhere.
#[inline(never)]
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV_OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(FNV_PRIME))
}

/// How fast a kernel runs on one thread of this machine, as measured.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    pub kernel: Kernel,
    pub units_per_ms: f64,
    /// How long the measurement itself took.
    pub measured_over_ms: f64,
}

/// Batches of at least 2 ms a calibration times before it may stop: the fastest is kept, so one
/// batch interrupted by something else cannot decide it.
const MIN_TIMED_BATCHES: u32 = 5;

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
        // Every batch, timed or too short to time: the fallback below.
        let (mut units, mut units_ms) = (0u64, 0.0);
        let mut timed = 0;
        loop {
            // Past the budget only until a few batches were long enough to time (a thread
            // descheduled for the whole budget on a loaded machine once measured primes 300×
            // slower than they are), and never past ten budgets.
            let elapsed = clock.now_ms() - started;
            if elapsed >= 10.0 * budget_ms || (elapsed >= budget_ms && timed >= MIN_TIMED_BATCHES) {
                break;
            }
            let t0 = clock.now_ms();
            std::hint::black_box(kernel.run(batch));
            let took = clock.now_ms() - t0;
            units += batch;
            units_ms += took;
            if took < 2.0 {
                batch *= 2; // too short to time reliably with a coarse clock
                continue;
            }
            timed += 1;
            best = best.max(batch as f64 / took);
        }
        if best == 0.0 {
            // Ten budgets and no batch long enough to time: the units over their time.
            best = units as f64 / units_ms.max(0.001);
        }
        Calibration { kernel, units_per_ms: best, measured_over_ms: clock.now_ms() - started }
    }

    /// Units of work that take about `ms` on one thread; at least one unit for any positive ms.
    pub fn units_for(&self, ms: f64) -> u64 {
        ((ms * self.units_per_ms).round() as u64).max(1)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))] // SystemClock is native only
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::engine::clock::SystemClock;

    #[test]
    fn primes_unit_counts_the_primes_below_2000() {
        assert_eq!(count_primes_below(2_000), 303);
        assert_eq!(count_primes_below(100), 25);
        assert_eq!(Kernel::Primes.run(3), Kernel::Primes.expected_checksum(3));
    }

    #[test]
    fn mandelbrot_escape_times_match_known_points() {
        // Inside: the centre, the period-2 bulb's centre, the tip -2, i (0, i, i-1, -i, i-1, ...)
        // and the cusp 1/4 (the orbit creeps up to 1/2).
        for (re, im) in [(0.0, 0.0), (-1.0, 0.0), (-2.0, 0.0), (0.0, 1.0), (0.25, 0.0)] {
            assert_eq!(escape_time(re, im, 200), 200, "{re}+{im}i is in the set");
        }
        // Outside, by hand: 2+2i has |z₁|² = 8; for 1 the orbit is 0, 1, 2, 5; for 0.5+0.5i
        // it is 0, 0.5+0.5i, 0.5+i, -0.25+1.5i, -1.6875-0.25i, 3.285…+1.34…i.
        assert_eq!(escape_time(2.0, 2.0, 200), 1);
        assert_eq!(escape_time(1.0, 0.0, 200), 3);
        assert_eq!(escape_time(0.5, 0.5, 200), 5);
        // Just right of the cusp at 1/4 the orbit creeps past it, slowly but surely.
        let slow = escape_time(0.26, 0.0, 200);
        assert!(slow > 10 && slow < 200, "{slow}");
    }

    /// Area of the set by counting grid points that do not escape in `max_iter` iterations.
    fn mandelbrot_area(side: usize, max_iter: u32) -> f64 {
        let d = 2.5 / side as f64;
        // Symmetric about the real axis: count the upper half and double it.
        let inside = (0..side / 2)
            .flat_map(|row| (0..side).map(move |col| (col, row)))
            .filter(|&(col, row)| {
                escape_time(-2.0 + (col as f64 + 0.5) * d, (row as f64 + 0.5) * d, max_iter) == max_iter
            })
            .count();
        2.0 * inside as f64 * d * d
    }

    #[test]
    fn mandelbrot_area_is_close_to_the_known_value() {
        const KNOWN_AREA: f64 = 1.5066;
        let accurate = mandelbrot_area(400, 1_000);
        assert!((accurate - KNOWN_AREA).abs() < 0.005 * KNOWN_AREA, "{accurate}");
        // The kernel's 200 iterations let slowly escaping points count as inside: a bit more.
        let kernels = mandelbrot_area(400, MANDELBROT_MAX_ITER);
        assert!(kernels >= accurate && kernels < 1.02 * KNOWN_AREA, "{kernels}");
    }

    #[test]
    fn mandelbrot_unit_returns_its_constant_over_a_mixed_tile() {
        assert_eq!(mandelbrot_tile(MANDELBROT_REGION), MANDELBROT_PER_UNIT);
        assert_eq!(Kernel::Mandelbrot.run(3), Kernel::Mandelbrot.expected_checksum(3));
        // The set covers about 1.5066 / 6.25 ≈ 24% of the region: both kinds of point are there.
        let d = 2.5 / MANDELBROT_TILE as f64;
        let centres = (0..MANDELBROT_TILE).map(|i| (i as f64 + 0.5) * d);
        let inside = centres
            .clone()
            .flat_map(|y| centres.clone().map(move |x| (-2.0 + x, -1.25 + y)))
            .filter(|&(re, im)| escape_time(re, im, MANDELBROT_MAX_ITER) == MANDELBROT_MAX_ITER)
            .count();
        assert!((40..80).contains(&inside), "{inside} of 256 points inside");
    }

    fn sort_input() -> Vec<u32> {
        let mut buf = vec![0; SORT_LEN];
        fill_xorshift(&mut buf, SORT_SEED);
        buf
    }

    #[test]
    fn sort_unit_sorts_a_permutation_of_its_input() {
        let input = sort_input();
        let mut sorted = input.clone();
        sorted.sort_unstable();
        assert!(sorted.windows(2).all(|w| w[0] <= w[1]));
        let counts = |v: &[u32]| v.iter().fold(HashMap::new(), |mut m, &x| {
            *m.entry(x).or_insert(0) += 1;
            m
        });
        assert_eq!(counts(&sorted), counts(&input));
        let sum = |v: &[u32]| v.iter().map(|&x| u64::from(x)).sum::<u64>();
        assert_eq!(sum(&sorted), sum(&input));
        assert_eq!(position_checksum(&sorted), SORT_PER_UNIT);
        assert_eq!(sort_unit(SORT_SEED), SORT_PER_UNIT);
        assert_eq!(Kernel::Sort.run(3), Kernel::Sort.expected_checksum(3));
    }

    #[test]
    fn sort_checksum_tells_a_sorted_buffer_from_others() {
        // Independent estimate: the i-th of N sorted uniform u32s is about (i / N) · 2³²,
        // so Σ (i + 1) · x[i] ≈ 2³² · N² / 3.
        let estimate = 2f64.powi(32) * (SORT_LEN * SORT_LEN) as f64 / 3.0;
        assert!((SORT_PER_UNIT as f64 / estimate - 1.0).abs() < 0.01);
        let input = sort_input();
        assert_ne!(position_checksum(&input), SORT_PER_UNIT);
        let mut almost = input.clone();
        almost.sort_unstable();
        almost.swap(1_000, 1_001);
        assert_ne!(position_checksum(&almost), SORT_PER_UNIT);
    }

    #[test]
    fn hash_unit_is_fnv1a_of_its_block() {
        // Published 64-bit FNV-1a test vectors (draft-eastlake-fnv): "", "a", "foobar".
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
        // The block's hash, computed independently (Python, the same definition).
        assert_eq!(fnv1a(&HASH_BLOCK), HASH_PER_UNIT);
        assert_eq!(Kernel::Hash.run(3), Kernel::Hash.expected_checksum(3));
    }

    #[test]
    fn every_kernel_is_listed_named_and_checked() {
        for (i, kernel) in Kernel::ALL.into_iter().enumerate() {
            assert_eq!(kernel.index(), i);
            let json = serde_json::to_string(&kernel).unwrap();
            assert_eq!(json, format!("\"{}\"", kernel.name()));
            assert_eq!(serde_json::from_str::<Kernel>(&json).unwrap(), kernel);
            assert_eq!(kernel.run(2), kernel.expected_checksum(2), "{kernel:?}");
        }
        // Wrapping: a long sort cook must not overflow when checked.
        assert_eq!(Kernel::Sort.expected_checksum(50_000_000), 50_000_000u64.wrapping_mul(SORT_PER_UNIT));
    }

    /// The system clock, jumping `jump_ms` ahead once `after_ms` have passed: a thread
    /// descheduled that long in the middle of a measurement.
    struct PreemptedClock {
        inner: SystemClock,
        after_ms: f64,
        jump_ms: f64,
    }

    impl Clock for PreemptedClock {
        fn now_ms(&self) -> f64 {
            let now = self.inner.now_ms();
            now + if now >= self.after_ms { self.jump_ms } else { 0.0 }
        }
    }

    #[test]
    fn a_thread_descheduled_past_the_budget_does_not_make_the_kernel_look_slower() {
        let budget_ms = 40.0;
        let undisturbed = Calibration::measure(Kernel::Primes, &SystemClock::new(), budget_ms);
        // The jump lands just after the warm-up (a quarter of the budget), among the first,
        // tiny batches: the batch it lands in looks twice the budget long, and the budget is over.
        let clock = PreemptedClock { inner: SystemClock::new(), after_ms: budget_ms / 4.0 + 0.2, jump_ms: 2.0 * budget_ms };
        let preempted = Calibration::measure(Kernel::Primes, &clock, budget_ms);
        // Stopping there measured a few units over 80 ms: hundreds of times too slow. Loose, as
        // other tests share the cores: a broken measurement is off by far more than 10×.
        assert!(
            preempted.units_per_ms > undisturbed.units_per_ms / 10.0,
            "preempted {preempted:?} against undisturbed {undisturbed:?}"
        );
    }

    #[test]
    fn calibration_converts_ms_to_a_plausible_amount_of_work() {
        let clock = SystemClock::new();
        // Calibrating and cooking both read the wall clock, so a burst of load during either
        // (other tests share the cores) skews one attempt; a broken calibration fails all three.
        let attempts: Vec<f64> = (0..3)
            .map(|_| {
                let cal = Calibration::measure(Kernel::Primes, &clock, 60.0);
                assert!(cal.units_per_ms > 0.5, "{cal:?}");
                let units = cal.units_for(30.0);
                let t0 = clock.now_ms();
                Kernel::Primes.run(units);
                clock.now_ms() - t0
            })
            .collect();
        // Loose: a loaded CI machine may be slower, never wildly faster than calibrated.
        assert!(attempts.iter().any(|&took| took > 10.0 && took < 300.0), "30 ms of work took {attempts:?} ms");
    }
}

