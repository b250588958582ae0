//! Lessons about waiting: one chef who juggles overlaps the waits (1) but cooks no faster (2),
//! and chefs standing by do not make the oven faster (5).

use super::builders::{cooks, dish, experiment, need_threads, preset, run};
use super::verdict::{Finding, Measures, Runs};
use super::words::{ms, num, times};
use super::{Lesson, Machine, RunSpec};
use crate::engine::experiment::{Model, Phase, Simmer, TaskSpec};

// ---------------------------------------------------------------------------------------------
// 1. Overlapping waits

pub(super) const OVERLAPPING_WAITS: Lesson = Lesson {
    number: 1,
    id: "overlapping-waits",
    title: "Overlapping waits",
    claim: "Calling a slow supplier 1000 times, 200 ms a call, takes about 200 s if the chef waits out each call \
            before placing the next. A chef who places every order and juggles the waits has all 1000 answers in \
            about the time of one call (200–400 ms), without cooking any faster.",
    measures: Measures::Traces,
    tries: 1,
    plan: plan_overlapping_waits,
    judge: Some(judge_overlapping_waits),
    caveat: None,
};

/// The juggled run is within this many calls' time.
const JUGGLED_WITHIN_CALLS: f64 = 2.0;
/// Calls made one after another: few, so the run takes seconds rather than minutes.
const SEQUENTIAL_CALLS: usize = 10;

fn plan_overlapping_waits(_: &Machine) -> Result<Vec<RunSpec>, String> {
    let all = preset("restaurant-rush", Model::Concurrent, 1)?;
    let mut few = preset("restaurant-rush", Model::Sequential, 1)?;
    few.tasks.truncate(SEQUENTIAL_CALLS);
    Ok(vec![
        run(format!("concurrent, all {} calls", all.tasks.len()), all),
        run(format!("sequential, the first {} calls only (all would take minutes)", few.tasks.len()), few),
    ])
}

fn judge_overlapping_waits(r: &Runs) -> Finding {
    let (n_all, n_few) = (r.experiment(0).tasks.len(), r.experiment(1).tasks.len());
    let (juggled, few) = (r.wall(0), r.wall(1));
    let per_call = few / n_few as f64;
    let extrapolated = per_call * n_all as f64;
    let ratio = juggled / per_call;
    Finding {
        holds: ratio <= JUGGLED_WITHIN_CALLS,
        what: format!(
            "{n_few} calls took {} one after another ({} a call); {n_all} would take ~{} ({}× that); one chef juggling \
             all {n_all} took {}, {} one call",
            ms(few),
            ms(per_call),
            ms(extrapolated),
            n_all / n_few,
            ms(juggled),
            times(ratio)
        ),
        numbers: vec![
            num(format!("{n_few} calls one after another, ms"), few),
            num("one call, ms", per_call),
            num(format!("{n_all} calls one after another (extrapolated), ms"), extrapolated),
            num(format!("{n_all} calls juggled, ms"), juggled),
            num("juggled / one call", ratio),
        ],
        why_not: Some(format!(
            "juggling took more than {JUGGLED_WITHIN_CALLS} calls' time: the timers fired late (a busy machine, or a \
             background tab whose timers the browser slows down)"
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Juggling doesn't make cooking faster

pub(super) const JUGGLING_IS_NOT_COOKING: Lesson = Lesson {
    number: 2,
    id: "juggling-is-not-cooking",
    title: "Juggling doesn't make cooking faster",
    claim: "A chef who juggles three dishes that only need cooking still cooks all of them: switching between \
            them cannot make the total shorter, only a little longer, since every switch costs a moment.",
    measures: Measures::Traces,
    tries: 3,
    plan: plan_juggling,
    judge: Some(judge_juggling),
    caveat: None,
};

/// The juggled run takes at least this share of the sequential one.
const JUGGLED_AT_LEAST: f64 = 0.95;

/// Three dishes of this much cooking: short, since the lesson runs them several times.
const JUGGLED_DISH_MS: f64 = 100.0;

fn plan_juggling(_: &Machine) -> Result<Vec<RunSpec>, String> {
    let tasks = cooks(3, JUGGLED_DISH_MS);
    Ok(vec![
        run(format!("sequential, three {JUGGLED_DISH_MS} ms dishes"), experiment(Model::Sequential, 1, tasks.clone())),
        run("concurrent, the same dishes juggled", experiment(Model::Concurrent, 1, tasks)),
    ])
}

fn judge_juggling(r: &Runs) -> Finding {
    let (sequential, juggled) = (r.wall(0), r.wall(1));
    let ratio = juggled / sequential;
    Finding {
        holds: ratio >= JUGGLED_AT_LEAST,
        what: format!(
            "{} dishes took {} one after another and {} juggled: {} the time",
            r.experiment(0).tasks.len(),
            ms(sequential),
            ms(juggled),
            times(ratio)
        ),
        numbers: vec![num("sequential, ms", sequential), num("juggled, ms", juggled), num("juggled / sequential", ratio)],
        why_not: Some(format!(
            "the juggled run was more than {:.0} % faster than the same work one after another, which juggling cannot \
             do: the sequential run was probably slowed by something else on the machine; try again",
            (1.0 - JUGGLED_AT_LEAST) * 100.0
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// 5. The oven

pub(super) const OVEN: Lesson = Lesson {
    number: 5,
    id: "oven",
    title: "Chefs don't make the oven faster",
    claim: "Dishes that only wait in the oven are done when the oven is done, however many chefs stand by: one \
            chef per dish takes as long as one chef juggling them all.",
    measures: Measures::Traces,
    tries: 1,
    plan: plan_oven,
    judge: Some(judge_oven),
    caveat: None,
};

const OVEN_DISHES: usize = 4;
const OVEN_MS: f64 = 300.0;
/// Parallel and juggled walls agree within this share.
const OVEN_TOLERANCE: f64 = 0.2;

fn plan_oven(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "to compare several waiting chefs with one juggling chef")?;
    // One chef per dish: as many dishes as chefs the machine can give.
    let n = OVEN_DISHES.min(machine.most_chefs());
    let tasks: Vec<TaskSpec> =
        (1..=n).map(|i| dish(format!("roast-{i}"), vec![Phase::Simmer(Simmer { ms: OVEN_MS })], vec![])).collect();
    Ok(vec![
        run(format!("parallel, {n} chefs for {n} dishes in the oven"), experiment(Model::Parallel, n, tasks.clone())),
        run("concurrent, one chef juggling them", experiment(Model::Concurrent, 1, tasks)),
    ])
}

fn judge_oven(r: &Runs) -> Finding {
    let (parallel, juggled, n) = (r.wall(0), r.wall(1), r.chefs(0));
    let ratio = parallel / juggled;
    Finding {
        holds: (ratio - 1.0).abs() <= OVEN_TOLERANCE,
        what: format!(
            "{n} dishes of {} in the oven took {} with {n} chefs and {} with one juggling chef: {}",
            ms(OVEN_MS),
            ms(parallel),
            ms(juggled),
            times(ratio)
        ),
        numbers: vec![num(format!("{n} chefs, ms"), parallel), num("one juggling chef, ms", juggled), num("ratio", ratio)],
        why_not: Some("timers fired late in one of the runs (a busy machine, or a background tab whose timers the browser slows down)".into()),
    }
}
