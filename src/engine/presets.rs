//! Ready-made experiments: each shows one thing about concurrency and parallelism.

use super::experiment::{Cook, Experiment, Model, Phase, Simmer, Split, TaskSpec, YieldPolicy, FORMAT_VERSION};
use super::kernel::Kernel;

/// A named preset.
#[derive(Clone, Copy, Debug)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    /// One sentence in kitchen language: what it shows.
    pub about: &'static str,
    build: fn() -> Vec<TaskSpec>,
}

/// Presets are the same when their ids are (function pointers compare unreliably).
impl PartialEq for Preset {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Preset {
    /// The preset's dishes with the given model and width.
    pub fn experiment(&self, model: Model, chefs: usize) -> Experiment {
        Experiment { version: FORMAT_VERSION, model, chefs, yield_policy: YieldPolicy::default(), tasks: (self.build)() }
    }
}

pub const PRESETS: &[Preset] = &[
    Preset { id: "three-dishes", title: "Three dishes", about: "Three equal CPU-bound dishes, no dependencies.", build: three_dishes },
    Preset {
        id: "restaurant-rush",
        title: "Restaurant rush",
        about: "1000 orders, each a 200 ms call to a slow supplier: waiting, not cooking.",
        build: restaurant_rush,
    },
    Preset { id: "video-frames", title: "Video frames", about: "48 equal CPU-bound frames of 25 ms.", build: video_frames },
    Preset {
        id: "web-server",
        title: "Web server",
        about: "100 requests: parse (2 ms cook), query a database (50 ms simmer), render (3 ms cook).",
        build: web_server,
    },
    Preset {
        id: "terraform",
        title: "Terraform-like graph",
        about: "A plan with a chain (network → subnet → cluster) and a fan-out of independent resources.",
        build: terraform,
    },
    Preset {
        id: "tiny-tasks",
        title: "Tiny tasks",
        about: "One small dish cut into 8192 pieces of 8 hash units, well under a microsecond each: handing out a piece costs more than cooking it. Lesson 7 finds where that starts.",
        build: tiny_tasks,
    },
    Preset {
        id: "amdahl",
        title: "Amdahl",
        about: "A 250 ms serial part, then 1000 ms cut into 32 pieces: 20 % serial caps the speedup at 5×.",
        build: amdahl,
    },
];

pub fn find(id: &str) -> Option<&'static Preset> {
    PRESETS.iter().find(|p| p.id == id)
}

fn dish(id: impl Into<String>, phases: Vec<Phase>, after: &[&str]) -> TaskSpec {
    TaskSpec { id: id.into(), phases, after: after.iter().map(|s| s.to_string()).collect() }
}

fn cook(ms: f64) -> Phase {
    Phase::Cook(Cook::ms(ms))
}

fn simmer(ms: f64) -> Phase {
    Phase::Simmer(Simmer { ms })
}

fn three_dishes() -> Vec<TaskSpec> {
    ["soup", "roast", "dessert"].into_iter().map(|id| dish(id, vec![cook(300.0)], &[])).collect()
}

fn restaurant_rush() -> Vec<TaskSpec> {
    (1..=1000).map(|i| dish(format!("order-{i:04}"), vec![simmer(200.0)], &[])).collect()
}

fn video_frames() -> Vec<TaskSpec> {
    (1..=48).map(|i| dish(format!("frame-{i:02}"), vec![cook(25.0)], &[])).collect()
}

fn web_server() -> Vec<TaskSpec> {
    (1..=100).map(|i| dish(format!("request-{i:03}"), vec![cook(2.0), simmer(50.0), cook(3.0)], &[])).collect()
}

fn terraform() -> Vec<TaskSpec> {
    let api = |cook_ms, wait_ms| vec![cook(cook_ms), simmer(wait_ms)];
    vec![
        dish("provider", vec![cook(40.0)], &[]),
        dish("network", api(20.0, 150.0), &["provider"]),
        dish("subnet", api(20.0, 120.0), &["network"]),
        dish("cluster", api(60.0, 300.0), &["subnet"]),
        dish("bucket-logs", api(20.0, 100.0), &["provider"]),
        dish("bucket-assets", api(20.0, 100.0), &["provider"]),
        dish("dns-zone", api(30.0, 200.0), &["provider"]),
        dish("iam-role", api(30.0, 80.0), &["provider"]),
        dish("certificate", api(40.0, 250.0), &["dns-zone"]),
        dish("app", api(80.0, 150.0), &["cluster", "bucket-assets", "certificate", "iam-role"]),
    ]
}

fn tiny_tasks() -> Vec<TaskSpec> {
    let split = Cook { ms: None, units: Some(65_536), kernel: Kernel::Hash, split: Some(Split { chunks: 8192 }), serial_ms: None };
    vec![dish("crumbs", vec![Phase::Cook(split)], &[])]
}

fn amdahl() -> Vec<TaskSpec> {
    let split = Cook { split: Some(Split { chunks: 32 }), serial_ms: Some(250.0), ..Cook::ms(1000.0) };
    vec![dish("render", vec![Phase::Cook(split)], &[])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::graph::Plan;
    use crate::engine::kernel::Calibration;

    #[test]
    fn every_preset_is_valid_and_ids_are_unique() {
        let cal = |kernel| Calibration { kernel, units_per_ms: 80.0, measured_over_ms: 0.0 };
        for (i, p) in PRESETS.iter().enumerate() {
            let e = p.experiment(Model::Parallel, 2);
            Plan::new(&e, &cal).unwrap_or_else(|err| panic!("{}: {err}", p.id));
            assert!(PRESETS[i + 1..].iter().all(|q| q.id != p.id));
            assert_eq!(find(p.id), Some(p));
        }
    }
}
