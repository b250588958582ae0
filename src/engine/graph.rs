//! The dependency graph: validates an experiment and turns it into a [`Plan`] the executors run.
//!
//! The graph decides what is *eligible* to run; the number of chefs decides how much of it
//! runs at once. Cycle detection is a small hand-written DFS (rather than petgraph) because we
//! want the cycle's tasks in order, for the message.

use std::collections::HashMap;

use super::error::{Error, ErrorKind};
use super::experiment::{Cook, Experiment, Phase, TaskSpec, FORMAT_VERSION};
use super::kernel::{Calibration, Kernel};

/// Largest experiment accepted: enough for 10,000-dish lessons, small enough to stay responsive.
pub const MAX_TASKS: usize = 20_000;
pub const MAX_PHASES: usize = 100;
pub const MAX_CHEFS: usize = 64;
/// A split cook may have at most this many chunks.
pub const MAX_CHUNKS: u32 = 100_000;
/// One cook phase may ask for at most a minute of work...
pub const MAX_COOK_MS: f64 = 60_000.0;
pub const MAX_COOK_UNITS: u64 = 50_000_000;
/// ...and one simmer may wait at most ten minutes.
pub const MAX_SIMMER_MS: f64 = 600_000.0;

/// One step of a planned task, with work already converted to kernel units.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Work only the dish's own chef does.
    Cook { kernel: Kernel, units: u64 },
    /// Work cut into chunks (units each) that any chef may take; the dish goes on when all are done.
    Fork { kernel: Kernel, chunks: Vec<u64> },
    /// A timed wait.
    Simmer { ms: f64 },
}

impl Step {
    /// Total kernel units of a cook or fork step (0 for a simmer).
    pub fn units(&self) -> u64 {
        match self {
            Step::Cook { units, .. } => *units,
            Step::Fork { chunks, .. } => chunks.iter().sum(),
            Step::Simmer { .. } => 0,
        }
    }

    pub fn kernel(&self) -> Option<Kernel> {
        match self {
            Step::Cook { kernel, .. } | Step::Fork { kernel, .. } => Some(*kernel),
            Step::Simmer { .. } => None,
        }
    }
}

/// A validated experiment, ready for any executor.
#[derive(Clone, Debug)]
pub struct Plan {
    pub ids: Vec<String>,
    pub steps: Vec<Vec<Step>>,
    /// `deps[t]`: the tasks that must end before `t` starts.
    pub deps: Vec<Vec<usize>>,
    /// `dependents[t]`: the tasks waiting for `t`.
    pub dependents: Vec<Vec<usize>>,
    /// The calibration of every kernel the plan cooks with.
    pub calibration: Vec<Calibration>,
}

impl Plan {
    /// Validates `experiment`, converting cook `ms` into units with `calibration(kernel)`.
    pub fn new(
        experiment: &Experiment,
        calibration: &dyn Fn(Kernel) -> Calibration,
    ) -> Result<Plan, Error> {
        validate_shape(experiment)?;
        let index = index_ids(experiment)?;
        let deps = resolve_deps(experiment, &index)?;
        if let Some(cycle) = find_cycle(&deps) {
            return Err(ErrorKind::Cycle(cycle.into_iter().map(|t| experiment.tasks[t].id.clone()).collect()).into());
        }
        let steps = experiment
            .tasks
            .iter()
            .map(|t| plan_steps(t, calibration))
            .collect::<Result<Vec<_>, _>>()?;
        let mut kernels: Vec<Kernel> = steps.iter().flatten().filter_map(Step::kernel).collect();
        kernels.sort_by_key(|k| k.name());
        kernels.dedup();
        let mut dependents = vec![Vec::new(); deps.len()];
        for (task, ds) in deps.iter().enumerate() {
            for &d in ds {
                dependents[d].push(task);
            }
        }
        let ids = experiment.tasks.iter().map(|t| t.id.clone()).collect();
        Ok(Plan { ids, steps, deps, dependents, calibration: kernels.into_iter().map(calibration).collect() })
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

fn validate_shape(e: &Experiment) -> Result<(), Error> {
    if e.version != FORMAT_VERSION {
        return Err(ErrorKind::UnsupportedVersion(e.version).into());
    }
    if e.tasks.is_empty() {
        return Err(ErrorKind::Empty.into());
    }
    if e.tasks.len() > MAX_TASKS {
        return Err(ErrorKind::TooManyTasks(e.tasks.len()).into());
    }
    if e.chefs == 0 || e.chefs > MAX_CHEFS {
        return Err(ErrorKind::BadChefs(e.chefs).into());
    }
    Ok(())
}

fn index_ids(e: &Experiment) -> Result<HashMap<&str, usize>, Error> {
    let mut index = HashMap::with_capacity(e.tasks.len());
    for (i, task) in e.tasks.iter().enumerate() {
        if task.id.trim().is_empty() {
            return Err(ErrorKind::EmptyId(i).into());
        }
        if index.insert(task.id.as_str(), i).is_some() {
            return Err(ErrorKind::DuplicateId(task.id.clone()).into());
        }
    }
    Ok(index)
}

fn resolve_deps(e: &Experiment, index: &HashMap<&str, usize>) -> Result<Vec<Vec<usize>>, Error> {
    e.tasks
        .iter()
        .map(|task| {
            let mut deps = Vec::with_capacity(task.after.len());
            for name in &task.after {
                if *name == task.id {
                    return Err(ErrorKind::SelfDependency(task.id.clone()).into());
                }
                let &d = index.get(name.as_str()).ok_or_else(|| ErrorKind::UnknownDependency {
                    task: task.id.clone(),
                    missing: name.clone(),
                })?;
                if !deps.contains(&d) {
                    deps.push(d);
                }
            }
            Ok(deps)
        })
        .collect()
}

/// Returns one cycle as a path `a, b, …, a`, or `None` when the graph is acyclic.
fn find_cycle(deps: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnPath,
        Done,
    }
    let mut mark = vec![Mark::New; deps.len()];
    for root in 0..deps.len() {
        if mark[root] != Mark::New {
            continue;
        }
        // Iterative DFS: (node, next edge to follow); the stack is the current path.
        let mut stack = vec![(root, 0)];
        mark[root] = Mark::OnPath;
        while let Some(&mut (node, ref mut edge)) = stack.last_mut() {
            if let Some(&next) = deps[node].get(*edge) {
                *edge += 1;
                match mark[next] {
                    Mark::New => {
                        mark[next] = Mark::OnPath;
                        stack.push((next, 0));
                    }
                    Mark::OnPath => {
                        let from = stack.iter().position(|&(n, _)| n == next).unwrap();
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                        cycle.push(next);
                        // `deps` edges point from a task to what it waits for; read the
                        // cycle in execution order instead ("a must end before b").
                        cycle.reverse();
                        return Some(cycle);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    None
}

fn plan_steps(task: &TaskSpec, calibration: &dyn Fn(Kernel) -> Calibration) -> Result<Vec<Step>, Error> {
    if task.phases.is_empty() || task.phases.len() > MAX_PHASES {
        return Err(ErrorKind::PhaseCount { task: task.id.clone(), count: task.phases.len() }.into());
    }
    let bad = |phase: usize, problem: String| -> Error {
        ErrorKind::BadAmount { task: task.id.clone(), phase: phase + 1, problem }.into()
    };
    let mut steps = Vec::with_capacity(task.phases.len());
    for (i, phase) in task.phases.iter().enumerate() {
        match phase {
            Phase::Cook(cook) => plan_cook(cook, calibration, &mut steps).map_err(|p| bad(i, p))?,
            Phase::Simmer(simmer) => {
                check_ms("simmer ms", simmer.ms, MAX_SIMMER_MS).map_err(|p| bad(i, p))?;
                steps.push(Step::Simmer { ms: simmer.ms });
            }
        }
    }
    Ok(steps)
}

/// A cook phase becomes one `Cook` step, or a serial `Cook` (if any) and a `Fork`.
fn plan_cook(cook: &Cook, calibration: &dyn Fn(Kernel) -> Calibration, steps: &mut Vec<Step>) -> Result<(), String> {
    let kernel = cook.kernel;
    let units = match (cook.ms, cook.units) {
        (Some(ms), None) => {
            check_ms("cook ms", ms, MAX_COOK_MS)?;
            calibration(kernel).units_for(ms)
        }
        (None, Some(units)) if units == 0 || units > MAX_COOK_UNITS => {
            return Err(format!("cook units must be between 1 and {MAX_COOK_UNITS}, got {units}"))
        }
        (None, Some(units)) => units,
        (Some(_), Some(_)) => return Err("cook takes either `ms` or `units`, not both".into()),
        (None, None) => return Err("cook needs `ms` or `units`".into()),
    };
    let Some(split) = cook.split else {
        if cook.serial_ms.is_some() {
            return Err("`serial_ms` only goes with `split`".into());
        }
        steps.push(Step::Cook { kernel, units });
        return Ok(());
    };
    if let Some(ms) = cook.serial_ms {
        check_ms("serial ms", ms, MAX_COOK_MS)?;
        steps.push(Step::Cook { kernel, units: calibration(kernel).units_for(ms) });
    }
    let chunks = u64::from(split.chunks);
    if split.chunks == 0 || split.chunks > MAX_CHUNKS {
        return Err(format!("split chunks must be between 1 and {MAX_CHUNKS}, got {}", split.chunks));
    }
    if chunks > units {
        return Err(format!("{chunks} chunks is more than the {units} units of work to split; use fewer chunks or more work"));
    }
    // Equal chunks; the first `units % chunks` get one unit more.
    let chunk_units = (0..chunks).map(|c| units / chunks + u64::from(c < units % chunks)).collect();
    steps.push(Step::Fork { kernel, chunks: chunk_units });
    Ok(())
}

fn check_ms(what: &str, ms: f64, max: f64) -> Result<(), String> {
    if !ms.is_finite() || ms <= 0.0 {
        Err(format!("{what} must be a positive number, got {ms}"))
    } else if ms > max {
        Err(format!("{what} must be at most {max}, got {ms}"))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::{Model, Simmer, Split, YieldPolicy};

    fn fixed(kernel: Kernel) -> Calibration {
        Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }
    }

    fn task(id: &str, after: &[&str]) -> TaskSpec {
        TaskSpec {
            id: id.into(),
            phases: vec![Phase::Simmer(Simmer { ms: 1.0 })],
            after: after.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn experiment(tasks: Vec<TaskSpec>) -> Experiment {
        Experiment { version: 1, model: Model::Sequential, chefs: 1, yield_policy: YieldPolicy::default(), tasks }
    }

    fn error(tasks: Vec<TaskSpec>) -> ErrorKind {
        Plan::new(&experiment(tasks), &fixed).unwrap_err().kind
    }

    #[test]
    fn a_valid_graph_lists_dependents() {
        let plan = Plan::new(&experiment(vec![task("a", &[]), task("b", &["a"]), task("c", &["a", "b"])]), &fixed).unwrap();
        assert_eq!(plan.deps, vec![vec![], vec![0], vec![0, 1]]);
        assert_eq!(plan.dependents, vec![vec![1, 2], vec![2], vec![]]);
    }

    #[test]
    fn cook_ms_become_calibrated_units() {
        let mut t = task("a", &[]);
        t.phases = vec![Phase::Cook(Cook::ms(4.0))];
        let plan = Plan::new(&experiment(vec![t]), &fixed).unwrap();
        assert_eq!(plan.steps[0], vec![Step::Cook { kernel: Kernel::Primes, units: 40 }]);
    }

    #[test]
    fn a_split_cook_becomes_a_serial_cook_and_equal_chunks() {
        let mut t = task("a", &[]);
        t.phases = vec![Phase::Cook(Cook { split: Some(Split { chunks: 3 }), serial_ms: Some(1.0), ..Cook::ms(1.0) })];
        let plan = Plan::new(&experiment(vec![t]), &fixed).unwrap();
        assert_eq!(
            plan.steps[0],
            vec![Step::Cook { kernel: Kernel::Primes, units: 10 }, Step::Fork { kernel: Kernel::Primes, chunks: vec![4, 3, 3] }]
        );
    }

    #[test]
    fn cycle_names_its_tasks_in_order() {
        let kind = error(vec![task("a", &["c"]), task("b", &["a"]), task("c", &["b"]), task("d", &[])]);
        let ErrorKind::Cycle(path) = &kind else { panic!("{kind:?}") };
        assert_eq!(path.first(), path.last());
        let mut members = path[..3].to_vec();
        members.sort();
        assert_eq!(members, ["a", "b", "c"]);
        assert!(kind.to_string().contains("→"));
    }

    #[test]
    fn cycle_path_follows_execution_order() {
        let ErrorKind::Cycle(path) = error(vec![task("a", &["b"]), task("b", &["a"])]) else { panic!() };
        // b comes after a and a after b: either reading is a cycle, but each arrow must be an edge.
        for pair in path.windows(2) {
            assert_ne!(pair[0], pair[1]);
        }
        assert_eq!(path.len(), 3);
    }

    #[test]
    fn validation_errors_name_the_problem() {
        assert_eq!(error(vec![]), ErrorKind::Empty);
        assert_eq!(error(vec![task("a", &[]), task("a", &[])]), ErrorKind::DuplicateId("a".into()));
        assert_eq!(error(vec![task("a", &["a"])]), ErrorKind::SelfDependency("a".into()));
        assert_eq!(
            error(vec![task("a", &["ghost"])]),
            ErrorKind::UnknownDependency { task: "a".into(), missing: "ghost".into() }
        );
        assert_eq!(error(vec![task(" ", &[])]), ErrorKind::EmptyId(0));
        let mut no_phases = task("a", &[]);
        no_phases.phases.clear();
        assert_eq!(error(vec![no_phases]), ErrorKind::PhaseCount { task: "a".into(), count: 0 });
    }

    #[test]
    fn bad_amounts_are_rejected_with_the_value() {
        for (phase, needle) in [
            (Phase::Simmer(Simmer { ms: -5.0 }), "-5"),
            (Phase::Simmer(Simmer { ms: f64::NAN }), "NaN"),
            (Phase::Simmer(Simmer { ms: 1e9 }), "at most"),
            (Phase::Cook(Cook::ms(-1.0)), "positive"),
            (Phase::Cook(Cook { units: Some(1), ..Cook::ms(1.0) }), "not both"),
            (Phase::Cook(Cook { ms: None, ..Cook::ms(1.0) }), "needs"),
            (Phase::Cook(Cook { ms: None, units: Some(0), ..Cook::ms(1.0) }), "units"),
            (Phase::Cook(Cook { serial_ms: Some(1.0), ..Cook::ms(1.0) }), "only goes with `split`"),
            (Phase::Cook(Cook { split: Some(Split { chunks: 0 }), ..Cook::ms(1.0) }), "chunks"),
            (Phase::Cook(Cook { split: Some(Split { chunks: 11 }), ..Cook::ms(1.0) }), "more than the 10 units"),
        ] {
            let mut t = task("soup", &[]);
            t.phases = vec![phase];
            let kind = error(vec![t]);
            let msg = kind.to_string();
            assert!(matches!(kind, ErrorKind::BadAmount { .. }) && msg.contains("soup") && msg.contains(needle), "{msg}");
        }
    }

    #[test]
    fn limits_on_size_and_width() {
        let many: Vec<_> = (0..=MAX_TASKS).map(|i| task(&i.to_string(), &[])).collect();
        assert_eq!(error(many), ErrorKind::TooManyTasks(MAX_TASKS + 1));
        let mut e = experiment(vec![task("a", &[])]);
        e.chefs = 0;
        assert_eq!(Plan::new(&e, &fixed).unwrap_err().kind, ErrorKind::BadChefs(0));
        e.version = 2;
        assert_eq!(Plan::new(&e, &fixed).unwrap_err().kind, ErrorKind::UnsupportedVersion(2));
    }
}
