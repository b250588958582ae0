//! Strategies shared by the property tests (tests/properties.rs, tests/homework.rs): random
//! valid experiments and a fixed calibration to simulate them with.
#![allow(dead_code)] // each test crate that includes this uses part of it

use kitchen::engine::experiment::{Cook, Phase, Simmer, Split, TaskSpec, YieldPolicy};
use kitchen::engine::{Calibration, Experiment, Kernel, Model};
use proptest::prelude::*;

/// A calibration that is the same on every machine, so simulated schedules are reproducible.
pub fn fixed(kernel: Kernel) -> Calibration {
    Calibration { kernel, units_per_ms: 4.0 + kernel.index() as f64, measured_over_ms: 0.0 }
}

/// A phase: cook (plain or split) of a few units, or a short simmer.
pub fn phase(max_units: u64, max_simmer_ms: f64) -> impl Strategy<Value = Phase> {
    let kernel = || prop::sample::select(Kernel::ALL.to_vec());
    prop_oneof![
        (1..=max_units, kernel()).prop_map(|(u, kernel)| Phase::Cook(Cook { ms: None, units: Some(u), kernel, ..Cook::ms(1.0) })),
        (4..=max_units.max(4), 1u32..=4, kernel()).prop_map(|(u, chunks, kernel)| Phase::Cook(Cook {
            ms: None,
            units: Some(u),
            kernel,
            split: Some(Split { chunks }),
            ..Cook::ms(1.0)
        })),
        (1.0..=max_simmer_ms).prop_map(|ms| Phase::Simmer(Simmer { ms })),
    ]
}

/// 1..=max_tasks dishes; each may come after any earlier dish, so the graph is acyclic.
pub fn experiment(max_tasks: usize, max_units: u64, max_simmer_ms: f64) -> impl Strategy<Value = Experiment> {
    let models = prop::sample::select(Model::ALL.to_vec());
    let policy = prop_oneof![Just(YieldPolicy::AtSimmers), (1.0..5.0f64).prop_map(YieldPolicy::EveryMs)];
    let task = (prop::collection::vec(phase(max_units, max_simmer_ms), 1..4), prop::collection::vec(any::<prop::sample::Index>(), 0..3));
    (models, 1usize..=4, policy, prop::collection::vec(task, 1..=max_tasks)).prop_map(|(model, chefs, yield_policy, tasks)| {
        let tasks = tasks
            .into_iter()
            .enumerate()
            .map(|(i, (phases, deps))| {
                let mut after: Vec<String> = if i == 0 { vec![] } else { deps.iter().map(|d| format!("t{}", d.index(i))).collect() };
                after.sort();
                after.dedup();
                TaskSpec { id: format!("t{i}"), phases, after }
            })
            .collect();
        Experiment { version: 1, model, chefs, yield_policy, tasks }
    })
}
