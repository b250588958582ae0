//! Time per unit of each kernel, natively: `cargo bench --bench kernels`.
//!
//! A unit should take roughly 0.01–0.1 ms, small enough to slice work finely and large enough
//! that a call per unit costs nothing. The 100-unit batch shows that units cost the same in a
//! run as alone (no warm-up or cache effect hidden in the single-unit figure).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kitchen::engine::Kernel;

fn kernels(c: &mut Criterion) {
    for kernel in Kernel::ALL {
        let mut group = c.benchmark_group(kernel.name());
        for units in [1, 100] {
            // Fewer samples of the batch, so that it fits criterion's default 5 s per benchmark.
            group.sample_size(if units == 1 { 100 } else { 20 });
            group.throughput(Throughput::Elements(units));
            group.bench_function(format!("{units} units"), |b| b.iter(|| kernel.run(black_box(units))));
        }
        group.finish();
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
