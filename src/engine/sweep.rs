//! A sweep: one experiment run sequentially, then with 1..=N chefs, and what the measured wall
//! times say — speedup, efficiency, the Karp–Flatt serial fraction per width, Amdahl's law fitted
//! over the widths that had a core each.
//!
//! [`sweep_runs`] lists the runs and [`Sweep::of`] reads their traces. The native runner, the
//! page's Sweep panel and `kitchen.sweep` (so the bench) all use these two, so every place shows
//! the same numbers.

use serde::Serialize;

use super::analysis::{fit_amdahl, karp_flatt};
use super::error::{Error, ErrorKind};
use super::experiment::{Experiment, Model};
use super::trace::Trace;

/// The runs of a sweep of `experiment`, in order: a sequential baseline (one chef), then the
/// [`swept_model`] with 1..=`max_chefs` chefs.
pub fn sweep_runs(experiment: &Experiment, max_chefs: usize) -> Vec<Experiment> {
    let model = swept_model(experiment.model);
    std::iter::once((Model::Sequential, 1))
        .chain((1..=max_chefs).map(|chefs| (model, chefs)))
        .map(|(model, chefs)| Experiment { model, chefs, ..experiment.clone() })
        .collect()
}

/// The model a sweep widens: `model` itself if it is parallel, else [`Model::Parallel`].
pub fn swept_model(model: Model) -> Model {
    if model.is_parallel() {
        model
    } else {
        Model::Parallel
    }
}

/// Measured runs of one experiment at several widths, against a sequential baseline.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sweep {
    /// The cores the machine reports: Amdahl's law is fitted over widths up to this.
    pub cores: usize,
    /// The baseline's wall time: a sequential run of the same experiment.
    pub baseline_ms: f64,
    /// One point per run, in the order given.
    pub points: Vec<SweepPoint>,
    /// Amdahl's law fitted to the points with 2..=`cores` chefs; `None` when there are none.
    pub amdahl: Option<AmdahlFit>,
}

/// One width of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SweepPoint {
    /// The run's chefs (`p`), as its trace reports them.
    pub chefs: usize,
    /// The run's measured wall time.
    pub wall_ms: f64,
    /// `baseline_ms / wall_ms`.
    pub speedup: f64,
    /// `speedup / chefs`: 1 when every chef is used perfectly.
    pub efficiency: f64,
    /// [`karp_flatt`] of the speedup: the serial fraction this point implies (`None` for one chef).
    pub karp_flatt: Option<f64>,
}

/// Amdahl's law `S(p) = 1 / (f + (1 − f)/p)` fitted to a sweep ([`fit_amdahl`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct AmdahlFit {
    /// The fitted serial fraction `f`, in [0, 1].
    pub serial_fraction: f64,
    /// `1 / f`: the speedup no number of chefs exceeds if the law holds; `None` (unbounded) for `f = 0`.
    pub max_speedup: Option<f64>,
}

impl Sweep {
    /// Reads `runs` (one trace per width) against `baseline`, a sequential run of the same
    /// experiment, on a machine of `cores` cores (0 counts as 1). Every run must be complete.
    pub fn of<'a>(baseline: &Trace, runs: impl IntoIterator<Item = &'a Trace>, cores: usize) -> Result<Sweep, Error> {
        check(baseline, || "the baseline".into())?;
        let cores = cores.max(1);
        let points = runs
            .into_iter()
            .enumerate()
            .map(|(i, run)| {
                check(run, || format!("run {}", i + 1))?;
                Ok::<_, Error>(SweepPoint::new(run.chefs, run.wall_ms, baseline.wall_ms / run.wall_ms))
            })
            .collect::<Result<Vec<_>, _>>()?;
        // Past the core count, chefs share cores: those points measure oversubscription, not the
        // experiment's serial fraction, so the fit reads only the widths with a core each.
        let within: Vec<(usize, f64)> = points.iter().filter(|p| p.chefs <= cores).map(|p| (p.chefs, p.speedup)).collect();
        let amdahl = fit_amdahl(&within)
            .map(|f| AmdahlFit { serial_fraction: f, max_speedup: (f > 0.0).then(|| 1.0 / f) });
        Ok(Sweep { cores, baseline_ms: baseline.wall_ms, points, amdahl })
    }
}

impl SweepPoint {
    fn new(chefs: usize, wall_ms: f64, speedup: f64) -> SweepPoint {
        // A trace of 0 chefs cannot come from a run; counted as 1 rather than dividing by 0.
        let efficiency = speedup / chefs.max(1) as f64;
        SweepPoint { chefs, wall_ms, speedup, efficiency, karp_flatt: karp_flatt(speedup, chefs) }
    }
}

/// A run a speedup can be read from: complete, with a positive, finite wall time.
fn check(trace: &Trace, name: impl Fn() -> String) -> Result<(), Error> {
    if trace.stopped {
        return Err(ErrorKind::StoppedRun(name()).into());
    }
    if !(trace.wall_ms > 0.0 && trace.wall_ms.is_finite()) {
        return Err(ErrorKind::NoWallTime(name(), trace.wall_ms).into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::trace::Source;

    /// A trace with only what a sweep reads: chefs, wall time, stopped.
    fn trace(model: Model, chefs: usize, wall_ms: f64) -> Trace {
        Trace {
            version: 1,
            source: Source::Measured,
            yield_policy: None,
            model,
            chefs,
            wall_ms,
            stopped: false,
            tasks: vec![],
            spans: vec![],
            lanes: vec![],
            cooked_units: 0,
            checksums_ok: true,
            calibration: vec![],
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn points_are_measured_against_the_baseline() {
        let baseline = trace(Model::Sequential, 1, 300.0);
        let runs = [trace(Model::Parallel, 1, 310.0), trace(Model::Parallel, 2, 160.0), trace(Model::Parallel, 4, 100.0)];
        let s = Sweep::of(&baseline, &runs, 4).unwrap();
        assert_eq!(s.baseline_ms, 300.0);
        assert_eq!(s.points.iter().map(|p| (p.chefs, p.wall_ms)).collect::<Vec<_>>(), [(1, 310.0), (2, 160.0), (4, 100.0)]);
        let p4 = &s.points[2];
        assert!(close(p4.speedup, 3.0) && close(p4.efficiency, 0.75), "{p4:?}");
        // Karp–Flatt by hand: (1/3 − 1/4) / (1 − 1/4) = 1/9.
        assert!(close(p4.karp_flatt.unwrap(), 1.0 / 9.0), "{p4:?}");
        assert!(close(s.points[1].speedup, 300.0 / 160.0) && close(s.points[1].efficiency, 300.0 / 320.0));
        assert_eq!(s.points[0].karp_flatt, None);
    }

    #[test]
    fn amdahl_is_fitted_only_within_the_cores() {
        // Exact Amdahl speedups with f = 0.2 on 2 cores, then an oversubscribed width that ran
        // slower: the fit must ignore it and recover 0.2 (including it would pull f up).
        let f = 0.2;
        let wall = |p: f64| 100.0 * (f + (1.0 - f) / p);
        let baseline = trace(Model::Sequential, 1, 100.0);
        let runs = [trace(Model::Parallel, 1, wall(1.0)), trace(Model::Parallel, 2, wall(2.0)), trace(Model::Parallel, 3, 90.0)];
        let s = Sweep::of(&baseline, &runs, 2).unwrap();
        let fit = s.amdahl.unwrap();
        assert!(close(fit.serial_fraction, 0.2) && close(fit.max_speedup.unwrap(), 5.0), "{fit:?}");
        assert_eq!(s.cores, 2);
        let all = Sweep::of(&baseline, &runs, 3).unwrap().amdahl.unwrap();
        assert!(all.serial_fraction > 0.3, "{all:?}");
    }

    #[test]
    fn linear_speedup_fits_no_serial_part_and_no_bound() {
        let baseline = trace(Model::Sequential, 1, 120.0);
        let runs: Vec<_> = (1..=4).map(|p| trace(Model::Parallel, p, 120.0 / p as f64)).collect();
        let fit = Sweep::of(&baseline, &runs, 4).unwrap().amdahl.unwrap();
        assert_eq!(fit, AmdahlFit { serial_fraction: 0.0, max_speedup: None });
    }

    #[test]
    fn no_fit_without_a_width_above_one_within_the_cores() {
        let baseline = trace(Model::Sequential, 1, 100.0);
        assert_eq!(Sweep::of(&baseline, &[trace(Model::Parallel, 1, 100.0)], 4).unwrap().amdahl, None);
        // Two chefs on a one-core machine are oversubscribed: nothing to fit.
        assert_eq!(Sweep::of(&baseline, &[trace(Model::Parallel, 2, 60.0)], 1).unwrap().amdahl, None);
        let only_baseline = Sweep::of(&baseline, &[], 4).unwrap();
        assert!(only_baseline.points.is_empty() && only_baseline.amdahl.is_none());
    }

    #[test]
    fn stopped_or_timeless_runs_make_no_sweep() {
        let baseline = trace(Model::Sequential, 1, 100.0);
        let mut stopped = trace(Model::Parallel, 2, 50.0);
        stopped.stopped = true;
        let err = Sweep::of(&baseline, &[trace(Model::Parallel, 1, 100.0), stopped.clone()], 4).unwrap_err();
        assert_eq!(err.kind, ErrorKind::StoppedRun("run 2".into()));
        assert_eq!(err.to_string(), "run 2 was stopped: a sweep needs complete runs");
        assert_eq!(Sweep::of(&stopped, &[], 4).unwrap_err().kind, ErrorKind::StoppedRun("the baseline".into()));
        let instant = trace(Model::Parallel, 1, 0.0);
        assert_eq!(Sweep::of(&baseline, &[instant], 4).unwrap_err().kind, ErrorKind::NoWallTime("run 1".into(), 0.0));
    }

    #[test]
    fn sweep_serialises_with_its_documented_fields() {
        let baseline = trace(Model::Sequential, 1, 100.0);
        let s = Sweep::of(&baseline, &[trace(Model::Parallel, 1, 100.0), trace(Model::Parallel, 2, 50.0)], 2).unwrap();
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["cores"], 2);
        assert_eq!(json["baseline_ms"], 100.0);
        assert_eq!(json["points"][0]["karp_flatt"], serde_json::Value::Null);
        assert_eq!(json["points"][1]["speedup"], 2.0);
        assert_eq!(json["points"][1]["efficiency"], 1.0);
        assert_eq!(json["points"][1]["karp_flatt"], 0.0);
        assert_eq!(json["amdahl"], serde_json::json!({ "serial_fraction": 0.0, "max_speedup": null }));
    }

    #[test]
    fn runs_are_a_sequential_baseline_then_every_width() {
        let experiment = |model| Experiment::from_json(&format!(
            r#"{{"version":1,"model":"{model}","chefs":3,"tasks":[{{"id":"a","phases":[{{"cook":{{"ms":1}}}}]}}]}}"#
        ))
        .unwrap();
        let shape = |runs: Vec<Experiment>| runs.iter().map(|e| (e.model, e.chefs)).collect::<Vec<_>>();
        assert_eq!(
            shape(sweep_runs(&experiment("concurrent"), 2)),
            [(Model::Sequential, 1), (Model::Parallel, 1), (Model::Parallel, 2)]
        );
        assert_eq!(
            shape(sweep_runs(&experiment("concurrent-parallel"), 1)),
            [(Model::Sequential, 1), (Model::ConcurrentParallel, 1)]
        );
        assert_eq!(shape(sweep_runs(&experiment("parallel"), 0)), [(Model::Sequential, 1)]);
        assert_eq!(sweep_runs(&experiment("parallel"), 2)[2].tasks, experiment("parallel").tasks);
    }
}
