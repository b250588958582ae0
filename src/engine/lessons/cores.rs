//! Lessons about cores (stoves): more chefs cook faster up to one per core (3) and no faster
//! beyond it (4), the 3:1 shape of three dishes (10; on fewer than three cores measured as far
//! as it goes, with the three-core result computed beside it), and several juggling chefs on
//! mixed work (12).

use super::builders::{cooks, experiment, need_threads, preset, run};
use super::verdict::{Finding, Measures, Runs};
use super::words::{ms, num, times, BUSY};
use super::{Lesson, Machine, RunSpec};
use crate::engine::experiment::Model;
use crate::engine::kernel::Kernel;
use crate::engine::setup::Setup;

/// Speedup at one chef per core, as a share of the chefs.
const SPEEDUP_AT_LEAST: f64 = 0.9;
/// Dishes per chef: many equal dishes, so every chef cooks the same number of rounds.
const DISHES_PER_CHEF: usize = 8;
const EQUAL_DISH_MS: f64 = 25.0;
/// Twice the chefs may be at most this much faster than one per core (measurement noise).
const OVERSUBSCRIBED_TOLERANCE: f64 = 1.05;

// ---------------------------------------------------------------------------------------------
// 3. More chefs, up to the number of stoves

pub(super) const MORE_CHEFS: Lesson = Lesson {
    number: 3,
    id: "more-chefs",
    title: "More chefs cook faster, up to the number of stoves",
    claim: "With one chef per stove (CPU core), many equal dishes cook almost that many times faster: at least \
            90 % of it.",
    measures: Measures::Traces,
    tries: 2,
    plan: plan_more_chefs,
    judge: Some(judge_more_chefs),
    caveat: None,
};

fn plan_more_chefs(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 1, "for its parallel run")?;
    let chefs = machine.width().max(1);
    let tasks = cooks(DISHES_PER_CHEF * chefs, EQUAL_DISH_MS);
    Ok(vec![
        run(format!("sequential, {} dishes of {EQUAL_DISH_MS} ms", tasks.len()), experiment(Model::Sequential, 1, tasks.clone())),
        run(format!("parallel, {chefs} chefs"), experiment(Model::Parallel, chefs, tasks)),
    ])
}

fn judge_more_chefs(r: &Runs) -> Finding {
    let (sequential, parallel, chefs) = (r.wall(0), r.wall(1), r.chefs(1));
    let speedup = sequential / parallel;
    let enough = chefs >= 2;
    Finding {
        holds: enough && speedup >= SPEEDUP_AT_LEAST * chefs as f64,
        what: format!(
            "{} equal dishes took {} on one chef and {} on {chefs} chefs ({} cores): {} faster, {:.0} % of {chefs}×",
            r.experiment(0).tasks.len(),
            ms(sequential),
            ms(parallel),
            r.machine.cores,
            times(speedup),
            100.0 * speedup / chefs as f64
        ),
        numbers: vec![
            num("sequential, ms", sequential),
            num(format!("{chefs} chefs, ms"), parallel),
            num("speedup", speedup),
            num("efficiency", speedup / chefs as f64),
        ],
        why_not: Some(if enough {
            BUSY.to_string()
        } else {
            format!("needs at least 2 cores and 2 threads for more than one chef; this machine has {} cores and {} threads", r.machine.cores, r.machine.threads)
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// 4. More chefs than stoves

pub(super) const MORE_CHEFS_THAN_STOVES: Lesson = Lesson {
    number: 4,
    id: "more-chefs-than-stoves",
    title: "More chefs than stoves",
    claim: "Chefs beyond the number of stoves only take turns at them: twice as many chefs as cores are no \
            faster than one per core, and the turn-taking costs a little.",
    measures: Measures::Traces,
    tries: 2,
    plan: plan_more_than_stoves,
    judge: Some(judge_more_than_stoves),
    caveat: None,
};

fn plan_more_than_stoves(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    let (cores, over) = (machine.cores.max(1), (2 * machine.cores).min(machine.most_chefs()));
    if over <= cores {
        return Err(format!(
            "needs more worker threads than cores to put more chefs than stoves to work; this machine has {} threads \
             for {} cores",
            machine.threads, machine.cores
        ));
    }
    let tasks = cooks(DISHES_PER_CHEF * cores, EQUAL_DISH_MS);
    Ok(vec![
        run(format!("sequential, {} dishes of {EQUAL_DISH_MS} ms", tasks.len()), experiment(Model::Sequential, 1, tasks.clone())),
        run(format!("parallel, {cores} chefs (one per core)"), experiment(Model::Parallel, cores, tasks.clone())),
        run(format!("parallel, {over} chefs"), experiment(Model::Parallel, over, tasks)),
    ])
}

fn judge_more_than_stoves(r: &Runs) -> Finding {
    let (sequential, at_cores, over) = (r.wall(0), r.wall(1), r.wall(2));
    let (cores, many) = (r.chefs(1), r.chefs(2));
    let (s_cores, s_over) = (sequential / at_cores, sequential / over);
    let overhead = over - at_cores;
    Finding {
        holds: s_over <= OVERSUBSCRIBED_TOLERANCE * s_cores,
        what: format!(
            "{cores} chefs took {} ({} faster than one), {many} chefs took {} ({}): {} {} ({:+.1} %)",
            ms(at_cores),
            times(s_cores),
            ms(over),
            times(s_over),
            ms(overhead.abs()),
            if overhead >= 0.0 { "slower" } else { "faster" },
            100.0 * overhead / at_cores
        ),
        numbers: vec![
            num("sequential, ms", sequential),
            num(format!("{cores} chefs, ms"), at_cores),
            num(format!("{many} chefs, ms"), over),
            num(format!("speedup, {cores} chefs"), s_cores),
            num(format!("speedup, {many} chefs"), s_over),
            num("overhead of the extra chefs, ms", overhead),
        ],
        why_not: Some(
            "more chefs than reported cores ran faster: the machine may have more cores than it reports (browsers may \
             report fewer), or the run with one chef per core was slowed by other programs"
                .into(),
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Three dishes, three chefs

pub(super) const THREE_DISHES: Lesson = Lesson {
    number: 10,
    id: "three-dishes",
    title: "Three dishes, three chefs",
    claim: "Three equal dishes take 6 units of time on one chef and 2 units on three chefs: the 3:1 shape, if the \
            kitchen has three stoves.",
    measures: Measures::Traces,
    tries: 2,
    plan: plan_three_dishes,
    judge: Some(judge_three_dishes),
    caveat: Some(caveat_three_dishes),
};

const THREE_TO_ONE: std::ops::RangeInclusive<f64> = 2.55..=3.45;
/// The chefs and stoves the claim is about.
const THREE: usize = 3;

/// One chef, then three (as many as there are threads, if fewer) — on any number of cores: with
/// fewer than three the lesson measures what they do and computes what three cores would.
fn plan_three_dishes(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "for several chefs")?;
    let chefs = THREE.min(machine.most_chefs());
    Ok(vec![
        run("sequential, three 300 ms dishes", preset("three-dishes", Model::Sequential, 1)?),
        run(format!("parallel, {chefs} chefs"), preset("three-dishes", Model::Parallel, chefs)?),
    ])
}

/// Said before running on fewer than three cores.
fn caveat_three_dishes(machine: &Machine) -> Option<String> {
    let cores = machine.cores;
    let chefs = THREE.min(machine.most_chefs());
    (cores < THREE).then(|| {
        format!(
            "This machine reports {cores} core{}, so {chefs} chefs share {cores} stove{} and the 3:1 shape cannot show \
             here. The lesson still measures one chef and {chefs} chefs, and shows beside them what three cores would \
             give, computed by the engine's schedule from this machine's calibration (labelled computed).",
            if cores == 1 { "" } else { "s" },
            if cores == 1 { "" } else { "s" }
        )
    })
}

fn judge_three_dishes(r: &Runs) -> Finding {
    let (one, many) = (r.wall(0), r.wall(1));
    let (chefs, cores) = (r.chefs(1), r.machine.cores);
    let ratio = one / many;
    let chefs_ms = if chefs == THREE { "three chefs, ms".to_string() } else { format!("{chefs} chefs, ms") };
    let mut numbers = vec![num("one chef, ms", one), num(chefs_ms, many), num("ratio", ratio)];
    let measured = format!("three dishes took {} on one chef and {} on {chefs} chefs", ms(one), ms(many));
    if cores >= THREE && chefs == THREE {
        return Finding {
            holds: THREE_TO_ONE.contains(&ratio),
            what: format!("{measured}: {ratio:.2} to 1"),
            numbers,
            why_not: Some(BUSY.into()),
        };
    }
    let shared = format!("{measured} sharing {cores} core{}: {ratio:.2} to 1 (measured)", if cores == 1 { "" } else { "s" });
    let computed = computed_on_three_cores(r);
    let what = match computed {
        Some((one_c, three_c)) => {
            numbers.extend([
                num("one chef, ms (computed)", one_c),
                num("three chefs on 3 cores, ms (computed)", three_c),
                num("ratio on 3 cores (computed)", one_c / three_c),
            ]);
            format!(
                "{shared}; on three cores the engine's schedule computes {} for one chef and {} for three: {:.2} to 1 \
                 (computed, not measured)",
                ms(one_c),
                ms(three_c),
                one_c / three_c
            )
        }
        None => shared,
    };
    Finding {
        holds: false,
        what,
        numbers,
        why_not: Some(format!(
            "needs 3 cores, this machine has {cores}: the chefs took turns on {cores} stove{}; the three-core figures are \
             computed, not measured",
            if cores == 1 { "" } else { "s" }
        )),
    }
}

/// One chef's wall and three chefs' on three cores, as the engine's schedule computes them on
/// a virtual clock with the calibration this machine measured (the first run's); `None` if the
/// run carries none to compute with.
fn computed_on_three_cores(r: &Runs) -> Option<(f64, f64)> {
    // The dishes cook primes (the default kernel).
    let primes = r.traces.first()?.calibration.iter().find(|c| c.kernel == Kernel::Primes).copied()?;
    let wall = |model, chefs| -> Option<f64> {
        let e = preset("three-dishes", model, chefs).ok()?;
        Some(Setup::new(&e, &|_| primes).ok()?.simulate().wall_ms)
    };
    Some((wall(Model::Sequential, 1)?, wall(Model::Parallel, THREE)?))
}

// ---------------------------------------------------------------------------------------------
// 12. Mixed work

pub(super) const MIXED_WORK: Lesson = Lesson {
    number: 12,
    id: "mixed-work",
    title: "Mixed work: juggle and share",
    claim: "A web server's requests cook a little, wait on a database, then cook again. One juggling chef \
            overlaps the waits but cooks alone; chefs who don't juggle stand idle through every wait. Several \
            chefs who juggle beat both.",
    measures: Measures::Traces,
    tries: 1,
    plan: plan_mixed,
    judge: Some(judge_mixed),
    caveat: None,
};

/// Juggling chefs must beat each pure model by at least this share, not by noise.
const MIXED_MARGIN: f64 = 0.95;

fn plan_mixed(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "for several chefs")?;
    let chefs = machine.width().max(2).min(machine.most_chefs());
    Ok(vec![
        run("concurrent, one juggling chef", preset("web-server", Model::Concurrent, 1)?),
        run(format!("parallel, {chefs} chefs"), preset("web-server", Model::Parallel, chefs)?),
        run(format!("concurrent-parallel, {chefs} juggling chefs"), preset("web-server", Model::ConcurrentParallel, chefs)?),
    ])
}

fn judge_mixed(r: &Runs) -> Finding {
    let (juggled, parallel, both) = (r.wall(0), r.wall(1), r.wall(2));
    let chefs = r.chefs(2);
    let best_pure = juggled.min(parallel);
    let cores = r.machine.cores;
    Finding {
        holds: both <= MIXED_MARGIN * best_pure,
        what: format!(
            "{} requests took {} on one juggling chef, {} on {chefs} chefs who wait, and {} on {chefs} juggling chefs ({} \
             faster than the better pure model)",
            r.experiment(0).tasks.len(),
            ms(juggled),
            ms(parallel),
            ms(both),
            times(best_pure / both)
        ),
        numbers: vec![
            num("one juggling chef, ms", juggled),
            num(format!("{chefs} chefs, ms"), parallel),
            num(format!("{chefs} juggling chefs, ms"), both),
            num("speedup over the better pure model", best_pure / both),
        ],
        why_not: Some(if cores < 2 {
            format!("needs 2 cores for several juggling chefs to cook at once; this machine has {cores}")
        } else {
            BUSY.into()
        }),
    }
}
