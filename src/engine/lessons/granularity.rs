//! Lessons about how work is cut up: pieces too small to be worth handing out (7), and the
//! dependency graph deciding what may run at once (8).

use super::builders::{dish, experiment, need_threads, run};
use super::verdict::{Finding, Measures, Runs};
use super::words::{ms, num, times, units, BUSY};
use super::{Lesson, Machine, RunSpec};
use crate::engine::experiment::{Cook, Experiment, Model, Phase, Split, TaskSpec};
use crate::engine::kernel::Kernel;

// ---------------------------------------------------------------------------------------------
// 7. Tiny tasks

pub(super) const TINY_TASKS: Lesson = Lesson {
    number: 7,
    id: "tiny-tasks",
    title: "Tiny tasks cost more to hand out than to cook",
    claim: "Cutting a small dish into pieces lets several chefs help, but every piece must be handed out. Cut \
            it fine enough and handing out costs more than cooking: several chefs lose to one chef cooking it whole. \
            In between is the crossover, the smallest piece still worth sharing on this machine.",
    measures: Measures::Traces,
    tries: 3,
    plan: plan_tiny_tasks,
    judge: Some(judge_tiny_tasks),
    caveat: None,
};

/// Exact units of hash work — a unit takes well under a microsecond (about 0.05 µs natively),
/// so the whole dish is about 13 ms natively — and every cut gives whole units.
const TINY_UNITS: u64 = 262_144;
/// From the whole dish (one piece) down to pieces of 8 units, a fraction of a microsecond of
/// cooking: smaller than what handing a piece out costs.
const TINY_CHUNKS: [u32; 6] = [1, 8, 64, 512, 4096, 32_768];
const TINY_KERNEL: Kernel = Kernel::Hash;

fn plan_tiny_tasks(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "for several chefs to share the pieces")?;
    let chefs = machine.width().max(2).min(machine.most_chefs());
    let mut specs = Vec::new();
    for chunks in TINY_CHUNKS {
        let split = Cook { ms: None, units: Some(TINY_UNITS), kernel: TINY_KERNEL, split: Some(Split { chunks }), serial_ms: None };
        let tasks = vec![dish("crumbs".into(), vec![Phase::Cook(split)], vec![])];
        let of = match chunks {
            1 => "the whole dish (1 piece)".to_string(),
            _ => format!("{chunks} pieces of {}", units((TINY_UNITS / u64::from(chunks)) as f64)),
        };
        specs.push(run(format!("sequential, {of}"), experiment(Model::Sequential, 1, tasks.clone())));
        specs.push(run(format!("parallel, {chefs} chefs, {of}"), experiment(Model::Parallel, chefs, tasks)));
    }
    Ok(specs)
}

/// The pieces a run's dish is cut into.
fn chunks_of(e: &Experiment) -> Option<u32> {
    e.tasks.iter().flat_map(|t| &t.phases).find_map(|p| match p {
        Phase::Cook(Cook { split: Some(s), .. }) => Some(s.chunks),
        _ => None,
    })
}

/// Per piece count, in increasing order: the sequential and parallel walls.
fn fastest_by_chunks(r: &Runs) -> Vec<(u32, f64, f64)> {
    let mut best: Vec<(u32, f64, f64)> = Vec::new();
    for i in 0..r.len() {
        let e = r.experiment(i);
        let Some(chunks) = chunks_of(e) else { continue };
        let at = match best.iter().position(|b| b.0 == chunks) {
            Some(at) => at,
            None => {
                best.push((chunks, f64::INFINITY, f64::INFINITY));
                best.len() - 1
            }
        };
        let slot = if e.model.is_parallel() { &mut best[at].2 } else { &mut best[at].1 };
        *slot = slot.min(r.wall(i));
    }
    best.sort_by_key(|b| b.0);
    best
}

/// Several chefs sharing the pieces against one chef cooking the dish whole — the one chef
/// needs no pieces, so whatever handing them out costs is the chefs' alone. The one chef's
/// runs with the pieces measure that cost: (wall with k pieces − wall whole) / (k − 1).
fn judge_tiny_tasks(r: &Runs) -> Finding {
    let best = fastest_by_chunks(r);
    let chefs = (0..r.len()).find(|&i| r.experiment(i).model.is_parallel()).map_or(2, |i| r.chefs(i));
    let unit_ms = r.traces.iter().flat_map(|t| &t.calibration).find(|c| c.kernel == TINY_KERNEL).map(|c| 1.0 / c.units_per_ms);
    let piece = |chunks: u32| TINY_UNITS as f64 / f64::from(chunks);
    let cooking = |chunks: u32| unit_ms.map_or(String::new(), |u| format!(", {} of cooking", ms(piece(chunks) * u)));
    let mut numbers = Vec::new();
    for &(chunks, seq, par) in &best {
        numbers.push(num(format!("{chunks} pieces: sequential, ms"), seq));
        numbers.push(num(format!("{chunks} pieces: parallel, ms"), par));
    }
    let (Some(&(1, whole, _)), Some(&(finest, seq, par))) = (best.first(), best.last()) else {
        return Finding { holds: false, what: "no runs of the whole dish and of pieces".into(), numbers, why_not: None };
    };
    numbers.push(num("one chef, whole dish, ms", whole));
    if let Some(u) = unit_ms {
        numbers.push(num("cooking a unit, µs", u * 1000.0));
    }
    let hand_out_ms = (seq - whole) / f64::from(finest.max(2) - 1);
    numbers.push(num("handing out a piece, µs", hand_out_ms * 1000.0));
    // The crossover: the smallest piece (most pieces) at which the chefs still beat one chef.
    let crossover = best.iter().rev().find(|b| b.2 < whole).map(|b| b.0);
    let found = match crossover {
        Some(c) => {
            numbers.push(num("crossover piece, units", piece(c)));
            if let Some(u) = unit_ms {
                numbers.push(num("crossover piece, µs", piece(c) * u * 1000.0));
            }
            format!("the smallest piece still worth sharing here is {}{} ({c} pieces)", units(piece(c)), cooking(c))
        }
        None => format!("the {chefs} chefs beat the one chef at no cut"),
    };
    let lost = par > whole;
    Finding {
        holds: lost && crossover.is_some(),
        what: format!(
            "cut into {finest} pieces of {}{}, {chefs} chefs took {} against {} for one chef cooking it whole; \
             handing out a piece cost about {} (one chef took {} with the pieces); {found}",
            units(piece(finest)),
            cooking(finest),
            ms(par),
            ms(whole),
            ms(hand_out_ms),
            ms(seq)
        ),
        numbers,
        why_not: Some(if !lost {
            format!(
                "the chefs still won with pieces of {}: handing out a piece costs less than they gain on this machine",
                units(piece(finest))
            )
        } else if r.machine.cores < 2 {
            format!("sharing never paid: this machine has {} core, so the chefs take turns on it", r.machine.cores)
        } else {
            format!("sharing never paid, not even with the biggest pieces: {BUSY}")
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The graph decides, the width executes

pub(super) const GRAPH_DECIDES: Lesson = Lesson {
    number: 8,
    id: "graph-decides",
    title: "The graph decides, the width executes",
    claim: "Dishes that each wait for the one before (a chain) cook one after another however many chefs there \
            are; dishes that can all start once one is ready (a fan-out) get faster with more chefs. The \
            recipe decides what may run at once; the chefs only decide how much of it does.",
    measures: Measures::Traces,
    tries: 2,
    plan: plan_graph,
    judge: Some(judge_graph),
    caveat: None,
};

const GRAPH_DISHES: usize = 8;
const GRAPH_DISH_MS: f64 = 40.0;
/// The chain's walls agree within this share...
const CHAIN_TOLERANCE: f64 = 0.15;
/// ...and the fan-out is at least this much faster with more chefs.
const FAN_OUT_SPEEDUP: f64 = 1.5;

/// `GRAPH_DISHES` dishes: a chain (each after the one before) or a fan-out (all after the first).
fn graph(chain: bool) -> Vec<TaskSpec> {
    (1..=GRAPH_DISHES)
        .map(|i| {
            let after = match (i, chain) {
                (1, _) => vec![],
                (_, true) => vec![format!("step-{}", i - 1)],
                (_, false) => vec!["step-1".to_string()],
            };
            dish(format!("step-{i}"), vec![Phase::Cook(Cook::ms(GRAPH_DISH_MS))], after)
        })
        .collect()
}

fn plan_graph(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "to compare one chef with several")?;
    let wide = GRAPH_DISHES.min(machine.most_chefs());
    Ok(vec![
        run("chain, 1 chef", experiment(Model::Parallel, 1, graph(true))),
        run(format!("chain, {wide} chefs"), experiment(Model::Parallel, wide, graph(true))),
        run("fan-out, 1 chef", experiment(Model::Parallel, 1, graph(false))),
        run(format!("fan-out, {wide} chefs"), experiment(Model::Parallel, wide, graph(false))),
    ])
}

fn judge_graph(r: &Runs) -> Finding {
    let wide = r.chefs(1);
    let chain_ratio = r.wall(1) / r.wall(0);
    let fan_speedup = r.wall(2) / r.wall(3);
    let cores = r.machine.cores;
    let chain_same = (chain_ratio - 1.0).abs() <= CHAIN_TOLERANCE;
    let fan_faster = cores >= 2 && fan_speedup >= FAN_OUT_SPEEDUP;
    let why_not = match (chain_same, fan_faster) {
        (false, _) => format!("the chain's walls differ by more than {:.0} %: {BUSY}", CHAIN_TOLERANCE * 100.0),
        (_, false) if cores < 2 => format!("the fan-out needs 2 cores to get faster; this machine has {cores}"),
        _ => format!("the fan-out was less than {}× faster: {BUSY}", FAN_OUT_SPEEDUP),
    };
    Finding {
        holds: chain_same && fan_faster,
        what: format!(
            "a chain of {GRAPH_DISHES} dishes took {} with 1 chef and {} with {wide} ({}); a fan-out of the same dishes took \
             {} with 1 chef and {} with {wide} ({} faster)",
            ms(r.wall(0)),
            ms(r.wall(1)),
            times(chain_ratio),
            ms(r.wall(2)),
            ms(r.wall(3)),
            times(fan_speedup)
        ),
        numbers: vec![
            num("chain, 1 chef, ms", r.wall(0)),
            num(format!("chain, {wide} chefs, ms"), r.wall(1)),
            num("fan-out, 1 chef, ms", r.wall(2)),
            num(format!("fan-out, {wide} chefs, ms"), r.wall(3)),
            num(format!("chain: {wide} chefs / 1 chef"), chain_ratio),
            num(format!("fan-out: speedup with {wide} chefs"), fan_speedup),
        ],
        why_not: Some(why_not),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphs_are_a_chain_and_a_fan_out() {
        let chain = graph(true);
        assert!(chain.windows(2).all(|w| w[1].after == [w[0].id.clone()]));
        let fan = graph(false);
        assert!(fan[1..].iter().all(|t| t.after == ["step-1"]));
    }
}
