//! A sweep: one experiment run sequentially, then with 1..=N chefs, and what the measured wall
//! times say — speedup, efficiency, the Karp–Flatt serial fraction per width, Amdahl's law fitted
//! over the widths that had a core each.
//!
//! [`sweep_runs`] lists the runs and [`Sweep::of`] reads their traces. The native runner, the
//! page's Sweep panel and `kitchen.sweep` (so the bench) all use these two, so every place shows
//! the same numbers.
//!
//! A speedup curve alone can mislead: three equal dishes on two chefs take two rounds, which
//! Amdahl's law would read as a serial fraction the dishes do not have. So
//! [`Sweep::explained`] reads the curve against the computed [`Limits`] — the available
//! parallelism and the walls the simulator predicts for each width — and fits a serial
//! fraction only to what remains once the rounds' and the dependencies' idle time is taken out
//! ([`Explained`]), saying plainly when granularity explains the plateau.

use serde::Serialize;

use super::analysis::{fit_amdahl, karp_flatt};
use super::breakdown::{calibration_from, equal_rounds, ms_text, BeyondIdeal};
use super::error::{Error, ErrorKind};
use super::experiment::{Experiment, Model};
use super::kernel::Calibration;
use super::setup::Setup;
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
    /// Amdahl's law fitted to the raw points with 2..=`cores` chefs; `None` when there are
    /// none. It reads every shortfall as serial work — rounds and dependencies too — so the
    /// page shows [`Sweep::explained`]'s fit instead.
    pub amdahl: Option<AmdahlFit>,
    /// The curve read against the schedule's computed limits, when the dishes were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explained: Option<Explained>,
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
        Ok(Sweep { cores, baseline_ms: baseline.wall_ms, points, amdahl, explained: None })
    }

    /// [`Sweep::of`], read against `limits` (computed for the same dishes): see [`Explained`].
    pub fn explained<'a>(
        baseline: &Trace,
        runs: impl IntoIterator<Item = &'a Trace>,
        cores: usize,
        limits: Limits,
    ) -> Result<Sweep, Error> {
        let mut sweep = Sweep::of(baseline, runs, cores)?;
        sweep.explained = Some(Explained::of(&sweep, limits));
        Ok(sweep)
    }
}

/// What the schedule alone predicts for a sweep, width by width: computed from the dishes and
/// the calibration of the baseline run, never measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Limits {
    /// Cooking, simmering and the critical path's length (the graph analysis).
    pub work_ms: f64,
    pub wait_ms: f64,
    pub span_ms: f64,
    /// Available parallelism, work ÷ span: more chefs than this cannot be kept busy on average.
    pub parallelism: f64,
    /// The sequential baseline as the simulator predicts it.
    pub baseline_ms: f64,
    /// How many dishes, and whether they are all one equal unsplit cook with nothing to wait
    /// for (then "n dishes can't use more than n chefs").
    pub dishes: usize,
    pub equal_dishes: bool,
    /// One per width, 1..=the widest swept.
    pub widths: Vec<WidthLimit>,
}

/// The computed limits at one width.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WidthLimit {
    pub chefs: usize,
    /// `max(work ÷ chefs, span)`: no schedule beats it.
    pub ideal_ms: f64,
    /// The simulated wall: the rounds curve.
    pub simulated_ms: f64,
    /// `baseline_ms / ideal_ms`: the work/span limit on the speedup.
    pub limit_speedup: f64,
    /// Chefs beyond the cores take turns at them: `max(0, work ÷ cores − simulated_ms)`.
    pub stoves_ms: f64,
    /// `baseline_ms / (simulated_ms + stoves_ms)`: the speedup the schedule predicts on these cores.
    pub predicted_speedup: f64,
    /// The simulated chefs' idle time by cause, divided by the chefs (ms of wall): with no dish
    /// left (rounds), with nothing ready (dependencies), behind a serial part. The serial
    /// fraction is fitted once the first two are taken out of the walls.
    pub rounds_ms: f64,
    pub waiting_ms: f64,
    pub serial_ms: f64,
    /// What the simulated wall adds over the ideal, by cause (as a run's breakdown shares it).
    pub beyond_ideal: BeyondIdeal,
}

impl Limits {
    /// The limits of sweeping `experiment` with 1..=`max_chefs` chefs (the [`swept_model`]) on
    /// `cores` stoves, cook times from `calibration` (the baseline trace's, so they are the runs').
    pub fn of(experiment: &Experiment, calibration: &[Calibration], max_chefs: usize, cores: usize) -> Result<Limits, Error> {
        let calibration = calibration_from(experiment, calibration, "the baseline")?;
        let at = |model: Model, chefs: usize| Setup::new(&Experiment { model, chefs, ..experiment.clone() }, &calibration);
        let sequential = at(Model::Sequential, 1)?;
        let analysis = sequential.analysis();
        let baseline_ms = sequential.simulate().wall_ms;
        let model = swept_model(experiment.model);
        let widths = (1..=max_chefs)
            .map(|chefs| {
                let prediction = at(model, chefs)?.predict();
                let (total, wall, ideal) = (prediction.total(), prediction.trace.wall_ms, analysis.ideal_wall_ms(chefs));
                let per_chef = |ms: f64| ms / chefs as f64;
                let stoves_ms = if chefs > cores { (analysis.work_ms / cores.max(1) as f64 - wall).max(0.0) } else { 0.0 };
                Ok(WidthLimit {
                    chefs,
                    ideal_ms: ideal,
                    simulated_ms: wall,
                    limit_speedup: ratio(baseline_ms, ideal),
                    stoves_ms,
                    predicted_speedup: ratio(baseline_ms, wall + stoves_ms),
                    rounds_ms: per_chef(total.no_dish_ms),
                    waiting_ms: per_chef(total.waiting_ms),
                    serial_ms: per_chef(total.serial_ms),
                    beyond_ideal: BeyondIdeal::of(&total, chefs, wall, ideal),
                })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Limits {
            work_ms: analysis.work_ms,
            wait_ms: analysis.wait_ms,
            span_ms: analysis.span_ms,
            parallelism: analysis.parallelism,
            baseline_ms,
            dishes: experiment.tasks.len(),
            equal_dishes: equal_rounds(experiment, 2).is_some(),
            widths,
        })
    }

    /// The limits at `chefs`, if computed.
    pub fn at(&self, chefs: usize) -> Option<&WidthLimit> {
        self.widths.iter().find(|w| w.chefs == chefs)
    }
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// What shapes a sweep's curve, as [`Explained`] reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Plateau {
    /// The dishes don't divide evenly among the chefs, or there are fewer of them than chefs:
    /// granularity, not a serial part.
    Granularity,
    /// A split dish's serial part: Amdahl's law at work.
    SerialPart,
    /// Dishes waiting for the dishes they come after.
    Dependencies,
    /// Chefs who don't juggle standing by simmering dishes.
    Simmering,
    /// None of the above: what slows the wider runs is the machine (handing out work, threads, other programs).
    Overhead,
    /// The speedup keeps up with the chefs.
    None,
}

/// A sweep read against its computed [`Limits`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explained {
    pub limits: Limits,
    /// Amdahl's law fitted, over the measured widths 2..=cores, to the measured walls once the
    /// rounds' and the dependencies' idle time (computed, per chef) is taken out: what serial
    /// parts and the machine's overhead leave. `None` without such a width.
    pub serial_fraction: Option<f64>,
    /// The same fit on the simulated walls: the dishes' own serial part (computed).
    pub dishes_serial_fraction: Option<f64>,
    /// `1 / serial_fraction`; `None` (unbounded) for 0.
    pub max_speedup: Option<f64>,
    pub plateau: Plateau,
    /// What the limits say about the curve, sentence by sentence, in kitchen language.
    pub says: Vec<String>,
    /// The sentence on the serial fraction.
    pub serial_says: String,
}

/// A share of a wall time under which a cause is not worth naming.
const NEGLIGIBLE: f64 = 0.02;

impl Explained {
    fn of(sweep: &Sweep, limits: Limits) -> Explained {
        let within: Vec<(&SweepPoint, &WidthLimit)> =
            sweep.points.iter().filter(|p| p.chefs <= sweep.cores).filter_map(|p| Some((p, limits.at(p.chefs)?))).collect();
        let rest = |wall: f64, w: &WidthLimit| wall - w.rounds_ms - w.waiting_ms;
        let fit = |baseline: f64, walls: &dyn Fn(&SweepPoint, &WidthLimit) -> f64| {
            let points: Vec<(usize, f64)> =
                within.iter().map(|&(p, w)| (p.chefs, walls(p, w))).filter(|&(_, wall)| wall > 0.0).map(|(c, wall)| (c, baseline / wall)).collect();
            fit_amdahl(&points)
        };
        let serial_fraction = fit(sweep.baseline_ms, &|p, w| rest(p.wall_ms, w));
        let dishes_serial_fraction = fit(limits.baseline_ms, &|_, w| rest(w.simulated_ms, w));
        let widest = sweep.points.iter().map(|p| p.chefs).max().unwrap_or(1);
        let measured: Vec<&WidthLimit> = sweep.points.iter().filter(|p| p.chefs > 1).filter_map(|p| limits.at(p.chefs)).collect();
        // What each cause adds beyond the ideal, at its worst width; when nothing does, the raw
        // idle decides between rounds and dependencies for dishes too few for the chefs.
        let share = |get: fn(&BeyondIdeal) -> f64| {
            measured.iter().map(|w| ratio(get(&w.beyond_ideal), w.simulated_ms)).fold(0.0, f64::max)
        };
        let causes = [
            (share(|b| b.rounds_ms), Plateau::Granularity),
            (share(|b| b.dependencies_ms), Plateau::Dependencies),
            (share(|b| b.simmering_ms), Plateau::Simmering),
        ];
        let (biggest, cause) = causes.into_iter().fold((0.0, Plateau::None), |a, b| if b.0 > a.0 { b } else { a });
        let raw = |get: fn(&WidthLimit) -> f64| measured.iter().map(|w| get(w)).sum::<f64>();
        let too_few = limits.parallelism < widest as f64 && limits.parallelism > 0.0;
        let plateau = if dishes_serial_fraction.unwrap_or(0.0) >= NEGLIGIBLE {
            Plateau::SerialPart
        } else if biggest >= NEGLIGIBLE {
            cause
        } else if too_few && raw(|w| w.rounds_ms) > raw(|w| w.waiting_ms) {
            Plateau::Granularity
        } else if too_few {
            Plateau::Dependencies
        } else if serial_fraction.unwrap_or(0.0) >= 0.05 {
            Plateau::Overhead
        } else {
            Plateau::None
        };
        let words = SweepWords { limits: &limits, widest, measured: &measured };
        let serial_says = words.serial(serial_fraction, dishes_serial_fraction, sweep.cores);
        let says = [words.parallelism(), words.rounds(), Some(words.plateau(plateau))].into_iter().flatten().collect();
        Explained {
            max_speedup: serial_fraction.filter(|&f| f > 0.0).map(|f| 1.0 / f),
            serial_fraction,
            dishes_serial_fraction,
            plateau,
            says,
            serial_says,
            limits,
        }
    }
}

struct SweepWords<'a> {
    limits: &'a Limits,
    widest: usize,
    measured: &'a [&'a WidthLimit],
}

impl SweepWords<'_> {
    fn parallelism(&self) -> Option<String> {
        let l = self.limits;
        let head = format!(
            "Computed from the dishes: {} of cooking, a longest chain of {}, so an available parallelism of {:.2}",
            ms_text(l.work_ms),
            ms_text(l.span_ms),
            l.parallelism
        );
        Some(if l.parallelism >= self.widest as f64 {
            format!("{head}: enough to keep all {} chefs busy.", self.widest)
        } else if l.wait_ms > l.work_ms {
            format!(
                "Computed from the dishes: {} of simmering against {} of cooking: mostly waiting, so the simulated curve, \
                 not the available parallelism of the cooking ({:.2}), is the limit to read.",
                ms_text(l.wait_ms),
                ms_text(l.work_ms),
                l.parallelism
            )
        } else if l.equal_dishes {
            format!("{head}: these {} dishes can't use more than {} chefs.", l.dishes, l.dishes)
        } else {
            format!("{head}: these dishes can't keep more than {:.2} chefs busy on average.", l.parallelism)
        })
    }

    fn rounds(&self) -> Option<String> {
        let rounds = |w: &&&WidthLimit| ratio(w.beyond_ideal.rounds_ms, w.simulated_ms);
        let worst = self.measured.iter().filter(|w| rounds(w) >= NEGLIGIBLE).max_by(|a, b| rounds(a).total_cmp(&rounds(b)))?;
        let l = self.limits;
        let (sim, ideal) = (ms_text(worst.simulated_ms), ms_text(worst.ideal_ms));
        Some(if l.equal_dishes {
            let rounds = l.dishes.div_ceil(worst.chefs);
            format!("Rounds: {} dishes on {} chefs take {rounds} rounds, {sim} computed against {ideal} ideal.", l.dishes, worst.chefs)
        } else {
            format!("Rounds: on {} chefs the dishes don't divide evenly, {sim} computed against {ideal} ideal.", worst.chefs)
        })
    }

    fn plateau(&self, plateau: Plateau) -> String {
        match plateau {
            Plateau::Granularity => "The curve is explained by granularity — how the dishes divide among the chefs — not by a serial part.".into(),
            Plateau::SerialPart => "The curve bends because of a serial part: Amdahl's law at work.".into(),
            Plateau::Dependencies => "The curve is held back by dependencies: dishes wait for the dishes they come after.".into(),
            Plateau::Simmering => {
                "The curve is held back by simmering: chefs who don't juggle stand by their simmering dishes.".into()
            }
            Plateau::Overhead => "The dishes would allow more: what holds the wider runs back is the machine's overhead.".into(),
            Plateau::None => "The speedup keeps up with the chefs: nothing in the dishes holds it back.".into(),
        }
    }

    fn serial(&self, measured: Option<f64>, dishes: Option<f64>, cores: usize) -> String {
        let (Some(f), Some(fd)) = (measured, dishes) else {
            return format!("No serial fraction fitted: that needs a run with 2 to {cores} chefs (one per core).");
        };
        if fd >= NEGLIGIBLE {
            let cap = if f > 0.0 { format!(", so at most {:.1}× however many chefs", 1.0 / f) } else { String::new() };
            let rest = match f - fd {
                d if d.abs() < 0.005 => "the measurements match it".to_string(),
                d if d > 0.0 => format!("the rest, {d:.3}, is the machine's overhead"),
                d => format!("the measurements came out {:.3} below it (noise, or kernels faster than calibrated)", -d),
            };
            format!(
                "Amdahl's law fitted to the runs on 1 to {cores} chefs once the rounds and dependencies are taken out: \
                 serial fraction {f:.3} (measured){cap}. The dishes' own serial part is {fd:.3} (computed): {rest}."
            )
        } else {
            format!(
                "No serial part: these dishes have none (computed). Once the rounds and dependencies are taken out, \
                 Amdahl's law fitted to the measured walls on 1 to {cores} chefs gives {f:.3}: the machine's overhead \
                 (handing out dishes, threads, other programs), not a part of the dishes."
            )
        }
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

    /// A trace with only what a sweep reads: chefs, wall time, stopped.
    fn trace(model: Model, chefs: usize, wall_ms: f64) -> Trace {
        Trace::measured(model, chefs).with_wall(wall_ms)
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

    fn calibration() -> Vec<Calibration> {
        crate::engine::Kernel::ALL.iter().map(|&kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }).collect()
    }

    /// The sweep of `tasks` over 1..=`widest` chefs on `cores` cores, each measured wall the
    /// simulated one times `slower` plus `plus_ms`.
    fn explained(tasks: &str, widest: usize, cores: usize, slower: f64, plus_ms: f64) -> Sweep {
        let e = Experiment::from_json(&format!(r#"{{"version":1,"model":"parallel","chefs":1,"tasks":[{tasks}]}}"#)).unwrap();
        let limits = Limits::of(&e, &calibration(), widest, cores).unwrap();
        let baseline = trace(Model::Sequential, 1, limits.baseline_ms * slower + plus_ms);
        let runs: Vec<Trace> =
            limits.widths.iter().map(|w| trace(Model::Parallel, w.chefs, w.simulated_ms * slower + plus_ms)).collect();
        Sweep::explained(&baseline, &runs, cores, limits).unwrap()
    }

    const THREE_DISHES: &str = r#"{"id":"soup","phases":[{"cook":{"ms":300}}]},
        {"id":"roast","phases":[{"cook":{"ms":300}}]}, {"id":"dessert","phases":[{"cook":{"ms":300}}]}"#;
    const AMDAHL: &str = r#"{"id":"render","phases":[{"cook":{"ms":1000,"split":{"chunks":32},"serial_ms":250}}]}"#;

    #[test]
    fn limits_are_the_work_span_bound_and_the_rounds_curve() {
        let e = Experiment::from_json(&format!(r#"{{"version":1,"model":"parallel","tasks":[{THREE_DISHES}]}}"#)).unwrap();
        let l = Limits::of(&e, &calibration(), 4, 4).unwrap();
        assert!((l.parallelism - 3.0).abs() < 1e-9 && l.baseline_ms == 900.0 && l.equal_dishes, "{l:?}");
        let walls: Vec<(f64, f64)> = l.widths.iter().map(|w| (w.ideal_ms, w.simulated_ms)).collect();
        assert_eq!(walls, [(900.0, 900.0), (450.0, 600.0), (300.0, 300.0), (300.0, 300.0)]);
        let speedups: Vec<(f64, f64)> = l.widths.iter().map(|w| (w.limit_speedup, w.predicted_speedup)).collect();
        assert_eq!(speedups, [(1.0, 1.0), (2.0, 1.5), (3.0, 3.0), (3.0, 3.0)]);
        // On 2 cores, 3 and 4 chefs take turns at the stoves: 900 ms of cooking needs 450 there.
        let on_two = Limits::of(&e, &calibration(), 4, 2).unwrap();
        let stoves: Vec<(f64, f64)> = on_two.widths.iter().map(|w| (w.stoves_ms, w.predicted_speedup)).collect();
        assert_eq!(stoves, [(0.0, 1.0), (0.0, 1.5), (150.0, 2.0), (150.0, 2.0)]);
        // On 2 chefs, chef 2 stands idle 300 ms with no dish left: 150 ms per chef.
        assert_eq!((l.widths[1].rounds_ms, l.widths[1].waiting_ms, l.widths[1].serial_ms), (150.0, 0.0, 0.0));
        assert_eq!(l.widths[3].rounds_ms, 300.0 * 3.0 / 4.0 - 225.0 + 75.0, "chef 4 idle 300 ms, over 4 chefs");
    }

    #[test]
    fn three_dishes_plateau_is_granularity_not_a_serial_fraction() {
        // 2 % slower than computed everywhere, 5 ms more per run: the machine's overhead.
        let s = explained(THREE_DISHES, 4, 2, 1.02, 5.0);
        // The raw fit reads the second round as serial work, as the page used to show.
        assert!(s.amdahl.unwrap().serial_fraction > 0.25, "{:?}", s.amdahl);
        let x = s.explained.unwrap();
        assert_eq!(x.plateau, Plateau::Granularity);
        assert_eq!(x.dishes_serial_fraction, Some(0.0));
        assert!(x.serial_fraction.unwrap() < 0.03, "{:?}", x.serial_fraction);
        assert!(x.serial_says.starts_with("No serial part"), "{}", x.serial_says);
        let says = x.says.join(" ");
        assert!(says.contains("these 3 dishes can't use more than 3 chefs"), "{says}");
        assert!(says.contains("3 dishes on 2 chefs take 2 rounds, 600 ms computed against 450 ms ideal"), "{says}");
        assert!(says.contains("granularity"), "{says}");
    }

    #[test]
    fn the_amdahl_preset_still_fits_its_serial_part() {
        for (cores, widest) in [(2, 4), (4, 8)] {
            let s = explained(AMDAHL, widest, cores, 1.0, 0.0);
            let x = s.explained.unwrap();
            assert_eq!(x.plateau, Plateau::SerialPart);
            let (f, fd) = (x.serial_fraction.unwrap(), x.dishes_serial_fraction.unwrap());
            assert!((f - 0.2).abs() < 0.01 && (fd - 0.2).abs() < 0.01, "{cores} cores: {f} {fd}");
            assert!(x.serial_says.contains(&format!("serial fraction {f:.3} (measured)")), "{}", x.serial_says);
            assert!((x.max_speedup.unwrap() - 1.0 / f).abs() < 1e-9);
        }
        // With 10 % more per run, the overhead shows up as more serial fraction, and is named so.
        let x = explained(AMDAHL, 4, 2, 1.0, 60.0).explained.unwrap();
        assert!(x.serial_fraction.unwrap() > x.dishes_serial_fraction.unwrap() + 0.02, "{x:?}");
        assert!(x.serial_says.contains("machine's overhead"), "{}", x.serial_says);
    }

    #[test]
    fn dishes_that_divide_evenly_keep_up_with_the_chefs() {
        let frames: Vec<String> = (0..48).map(|i| format!(r#"{{"id":"f{i}","phases":[{{"cook":{{"ms":25}}}}]}}"#)).collect();
        let x = explained(&frames.join(","), 4, 4, 1.0, 0.0).explained.unwrap();
        assert_eq!(x.plateau, Plateau::None, "{x:?}");
        assert!(x.serial_fraction.unwrap() < 1e-9);
        assert!(x.says[0].contains("enough to keep all 4 chefs busy"), "{:?}", x.says);
    }

    #[test]
    fn limits_need_the_calibration_of_the_dishes() {
        let e = Experiment::from_json(&format!(r#"{{"version":1,"model":"parallel","tasks":[{THREE_DISHES}]}}"#)).unwrap();
        let err = Limits::of(&e, &[], 2, 2).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::CannotBreakDown(_)) && err.to_string().contains("the baseline"), "{err}");
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
