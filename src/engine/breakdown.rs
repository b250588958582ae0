//! Where a run's wall time went: the measured wall broken down against the schedule the engine
//! predicts for the same dishes, so every measured number comes with its explanation.
//!
//! The parts, in order, add up to the measured wall exactly:
//! - **ideal** (computed): `max(work ÷ chefs, span)`, the work/span bound of [`GraphAnalysis`];
//! - **rounds**, **dependencies**, **serial part**, **simmering not overlapped** (computed):
//!   what the simulated schedule ([`Setup::predict`], the same scheduler on a virtual clock with
//!   the trace's own calibration) adds over the ideal, sorted by why its chefs were not cooking
//!   ([`ChefTime`]);
//! - **more chefs than stoves** (computed, when the machine's cores are known): chefs beyond
//!   the cores take turns at them, so the cooking needs at least `work ÷ cores`;
//! - **overhead** (measured − computed): the measured wall minus all of the above — the real
//!   machine: handing out work, starting threads, yields to the page, other programs, kernels
//!   running slower than calibrated. For juggling runs it names what the juggling cost
//!   ([`Juggling`], measured from the trace and the page's frames).
//!
//! The simulated schedule's chefs spend `chefs × simulated wall` on cooking, standing by
//! simmers, and idling for one of three causes; divided by the chefs, that is the simulated
//! wall. The ideal already contains `ideal − work ÷ chefs` of it (the part of the critical path
//! no chef can help with), so each part is what its cause adds beyond the ideal
//! ([`BeyondIdeal`] says in which order the ideal's share is taken).
//!
//! Pure: [`Breakdown::of`] reads an experiment and a trace, and what is known of where it ran
//! ([`RunContext`]: the cores, and in the browser when the page drew its frames), so it is
//! reproducible from a saved trace and tested natively.

use serde::Serialize;

use super::analysis::{GraphAnalysis, TraceMetrics};
use super::error::{Error, ErrorKind};
use super::experiment::{Experiment, Phase};
use super::kernel::{Calibration, Kernel};
use super::setup::Setup;
use super::simulate::ChefTime;
use super::trace::{Source, SpanKind, Trace};

/// Where a part's number comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Read from a real clock during the run.
    Measured,
    /// Computed from the dishes and the calibration (analysis or simulation).
    Computed,
    /// A measured number minus a computed one.
    MeasuredMinusComputed,
}

impl Basis {
    /// How the UI and the CLI label it.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Measured => "measured",
            Basis::Computed => "computed",
            Basis::MeasuredMinusComputed => "measured − computed",
        }
    }
}

/// What a part of the wall time is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PartKind {
    /// `max(work ÷ chefs, span)`: no schedule beats it.
    Ideal,
    /// Dishes don't divide evenly among the chefs: chefs idle with no dish left to take.
    Rounds,
    /// Chefs idle because nothing was ready: dishes waited for those they come after, or a simmer.
    Dependencies,
    /// Chefs idle while a split dish's unsplit part cooked (Amdahl's serial part).
    SerialPart,
    /// Chefs who don't juggle standing by simmering dishes.
    Simmering,
    /// More chefs than cores: they take turns at the stoves.
    Stoves,
    /// Measured minus everything computed: the cost of the real machine.
    Overhead,
}

impl PartKind {
    /// In reading order.
    pub const ALL: [PartKind; 7] = [
        PartKind::Ideal,
        PartKind::Rounds,
        PartKind::Dependencies,
        PartKind::SerialPart,
        PartKind::Simmering,
        PartKind::Stoves,
        PartKind::Overhead,
    ];

    /// The name in JSON and in the page's `data-part`.
    pub fn name(self) -> &'static str {
        match self {
            PartKind::Ideal => "ideal",
            PartKind::Rounds => "rounds",
            PartKind::Dependencies => "dependencies",
            PartKind::SerialPart => "serial_part",
            PartKind::Simmering => "simmering",
            PartKind::Stoves => "stoves",
            PartKind::Overhead => "overhead",
        }
    }

    /// A one-word title, for tables with a column per part.
    pub fn short(self) -> &'static str {
        match self {
            PartKind::Ideal => "Ideal",
            PartKind::Rounds => "Rounds",
            PartKind::Dependencies => "Waiting",
            PartKind::SerialPart => "Serial",
            PartKind::Simmering => "Simmer",
            PartKind::Stoves => "Stoves",
            PartKind::Overhead => "Overhead",
        }
    }

    /// A short title for people.
    pub fn title(self) -> &'static str {
        match self {
            PartKind::Ideal => "Ideal",
            PartKind::Rounds => "Rounds (granularity)",
            PartKind::Dependencies => "Dependencies",
            PartKind::SerialPart => "Serial part",
            PartKind::Simmering => "Simmering not overlapped",
            PartKind::Stoves => "More chefs than stoves",
            PartKind::Overhead => "Overhead",
        }
    }
}

/// One part of a wall time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Part {
    pub part: PartKind,
    /// What it adds to the wall, ms (overhead may be negative: the run beat the prediction).
    pub ms: f64,
    pub basis: Basis,
    /// What it means in the kitchen, with the numbers: "chef 2 stood idle 300 ms: no dish left".
    pub says: String,
    /// Measured facts behind it (the overhead's: how fast the kernels ran, what juggling cost).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// What juggling cost in a run of a juggling model, measured from its trace: the times a
/// juggling chef let go of its work while a dish was ready to cook, and came back.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Juggling {
    /// Turns given away: gaps between a juggling chef's cooking while some dish was ready.
    pub turns: u32,
    /// Their time in all, ms (only while a dish was ready; waiting out a simmer is not counted).
    pub yielded_ms: f64,
    /// Whether a juggling chef cooked on the page's main thread (lane 0), so its turns went to the page.
    pub main_thread: bool,
    /// What the page did in the main-thread turns, when its frames were watched (the meter).
    pub page: Option<PageTurns>,
}

/// The main-thread juggler's turns, split by whether the page drew a frame in them (measured).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PageTurns {
    /// Frames the page drew during the run.
    pub frames: u32,
    pub turns_with_frame: u32,
    pub ms_with_frame: f64,
    pub turns_without_frame: u32,
    pub ms_without_frame: f64,
}

/// What is known of where a run ran, beside its trace.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunContext<'a> {
    /// The cores (stoves) the machine reports; unknown, chefs are assumed to have a stove each.
    pub cores: Option<usize>,
    /// When the page drew its frames during the run, ms from the run's start (the meter's
    /// report, put on the trace's clock); `None` when nobody watched (natively, or no meter).
    pub frames_ms: Option<&'a [f64]>,
}

/// A run's wall time, part by part.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breakdown {
    /// Where the run's times come from (a simulated trace has no real machine to cost).
    pub source: Source,
    /// The run's wall time (measured, unless `source` is simulated).
    pub wall_ms: f64,
    /// The simulated wall for the same dishes, model, chefs and calibration (computed).
    pub simulated_ms: f64,
    pub chefs: usize,
    /// Cooking in the plan (computed) and on the run's clock (measured), ms in all.
    pub work_ms: f64,
    pub cooked_ms: f64,
    /// The graph's span (computed).
    pub span_ms: f64,
    /// Every [`PartKind`] once, in [`PartKind::ALL`] order; their `ms` add up to `wall_ms`.
    pub parts: Vec<Part>,
    /// For juggling models: what juggling cost.
    pub juggling: Option<Juggling>,
    /// How the simulated chefs spent the run (computed), chef by chef.
    pub simulated_chefs: Vec<ChefTime>,
}

impl Breakdown {
    /// Breaks `trace` (a complete run of `experiment`'s dishes) down against its predicted
    /// schedule: the model, chefs and yield policy are the trace's, cook times come from the
    /// calibration the trace carries. `context` says on how many cores it ran and when the page
    /// drew its frames, where known.
    pub fn of(experiment: &Experiment, trace: &Trace, context: RunContext) -> Result<Breakdown, Error> {
        let setup = setup_for(experiment, trace)?;
        let chefs = setup.chefs;
        let analysis = setup.analysis();
        let prediction = setup.predict();
        let simulated_ms = prediction.trace.wall_ms;
        let ideal_ms = analysis.ideal_wall_ms(chefs);
        let schedule = BeyondIdeal::of(&prediction.total(), chefs, simulated_ms, ideal_ms);
        let juggling = juggling(trace, context.frames_ms);
        // Chefs beyond the stoves take turns at them: the cooking needs at least work ÷ cores,
        // which the schedule (a stove per chef) does not count.
        let stoves_ms = match context.cores {
            Some(cores) if cores < chefs => (analysis.work_ms / cores.max(1) as f64 - simulated_ms).max(0.0),
            _ => 0.0,
        };
        let cooked_ms = TraceMetrics::of(trace).busy_ms;
        let words = Words { experiment, analysis: &analysis, chefs, time: &prediction.chefs };
        let overhead = trace.wall_ms - simulated_ms - stoves_ms;
        let mut overhead_details = vec![cooking_detail(analysis.work_ms, cooked_ms, trace.source)];
        overhead_details.extend(juggling.as_ref().map(juggling_detail));
        let parts = vec![
            part(PartKind::Ideal, ideal_ms, Basis::Computed, words.ideal(ideal_ms)),
            part(PartKind::Rounds, schedule.rounds_ms, Basis::Computed, words.rounds(schedule.rounds_ms, ideal_ms, simulated_ms)),
            part(PartKind::Dependencies, schedule.dependencies_ms, Basis::Computed, words.waiting(schedule.dependencies_ms)),
            part(PartKind::SerialPart, schedule.serial_ms, Basis::Computed, words.serial(schedule.serial_ms)),
            part(PartKind::Simmering, schedule.simmering_ms, Basis::Computed, words.simmer(schedule.simmering_ms)),
            part(PartKind::Stoves, stoves_ms, Basis::Computed, words.stoves(stoves_ms, context.cores)),
            Part {
                part: PartKind::Overhead,
                ms: overhead,
                basis: if trace.source == Source::Measured { Basis::MeasuredMinusComputed } else { Basis::Computed },
                says: overhead_says(trace, simulated_ms + stoves_ms),
                details: overhead_details.into_iter().flatten().collect(),
            },
        ];
        Ok(Breakdown {
            source: trace.source,
            wall_ms: trace.wall_ms,
            simulated_ms,
            chefs,
            work_ms: analysis.work_ms,
            cooked_ms,
            span_ms: analysis.span_ms,
            parts,
            juggling,
            simulated_chefs: prediction.chefs,
        })
    }

    /// The part of kind `kind`.
    pub fn get(&self, kind: PartKind) -> &Part {
        self.parts.iter().find(|p| p.part == kind).expect("a breakdown has every part")
    }

    /// The parts added up: the wall time, up to rounding.
    pub fn total_ms(&self) -> f64 {
        self.parts.iter().map(|p| p.ms).sum()
    }

    /// One line: "612 ms = 450 ideal + 150 rounds + 12 overhead" (parts under 0.5 ms left out).
    pub fn summary(&self) -> String {
        let shown: Vec<String> = self
            .parts
            .iter()
            .filter(|p| p.part == PartKind::Ideal || p.ms.abs() >= 0.5)
            .map(|p| format!("{} {}", ms_number(p.ms), p.part.title().to_lowercase()))
            .collect();
        format!("{} = {}", ms_text(self.wall_ms), shown.join(" + ").replace("+ -", "− "))
    }
}

/// The experiment as the trace ran it, validated with the trace's calibration.
fn setup_for(experiment: &Experiment, trace: &Trace) -> Result<Setup, Error> {
    let refuse = |why: String| Err(ErrorKind::CannotBreakDown(why).into());
    if trace.stopped {
        return refuse("it was stopped before every dish was done".into());
    }
    let calibration = calibration_from(experiment, &trace.calibration, "the trace")?;
    let ran = Experiment {
        model: trace.model,
        chefs: trace.chefs.max(1),
        yield_policy: trace.yield_policy.unwrap_or(experiment.yield_policy),
        ..experiment.clone()
    };
    let setup = Setup::new(&ran, &calibration)?;
    let mut ids: Vec<&str> = trace.tasks.iter().map(|t| t.id.as_str()).collect();
    let mut planned: Vec<&str> = setup.plan.ids.iter().map(String::as_str).collect();
    ids.sort_unstable();
    planned.sort_unstable();
    if ids != planned {
        return refuse("the trace's dishes are not the dishes given".into());
    }
    let units: u64 = setup.plan.steps.iter().flatten().map(|s| s.units()).sum();
    if units != trace.cooked_units {
        return refuse(format!("the trace cooked {} units, these dishes {units}: not the same dishes", trace.cooked_units));
    }
    Ok(setup)
}

/// The calibration a run used, as the function `Setup::new` reads; an error names a kernel the
/// dishes cook with that `calibration` (from `whose`, e.g. "the trace") lacks.
pub(crate) fn calibration_from<'a>(
    experiment: &Experiment,
    calibration: &'a [Calibration],
    whose: &str,
) -> Result<impl Fn(Kernel) -> Calibration + 'a, Error> {
    if let Some(kernel) = kernels(experiment).find(|k| !calibration.iter().any(|c| c.kernel == *k)) {
        let why = format!("{whose} carries no calibration for the {} kernel these dishes cook with", kernel.name());
        return Err(ErrorKind::CannotBreakDown(why).into());
    }
    Ok(move |kernel: Kernel| {
        let found = calibration.iter().find(|c| c.kernel == kernel).copied();
        found.unwrap_or(Calibration { kernel, units_per_ms: 1.0, measured_over_ms: 0.0 })
    })
}

fn kernels(experiment: &Experiment) -> impl Iterator<Item = Kernel> + '_ {
    experiment.tasks.iter().flat_map(|t| &t.phases).filter_map(|p| match p {
        Phase::Cook(c) => Some(c.kernel),
        Phase::Simmer(_) => None,
    })
}

fn part(kind: PartKind, ms: f64, basis: Basis, says: String) -> Part {
    Part { part: kind, ms, basis, says, details: Vec::new() }
}

/// What the simulated schedule adds over the ideal, by cause (ms of wall time).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct BeyondIdeal {
    /// Chefs idle with nothing ready (dependencies, simmers of juggled dishes).
    pub dependencies_ms: f64,
    /// Chefs idle with no dish left (rounds: granularity).
    pub rounds_ms: f64,
    /// Chefs idle behind a split dish's serial part.
    pub serial_ms: f64,
    /// Chefs who don't juggle standing by simmers.
    pub simmering_ms: f64,
}

impl BeyondIdeal {
    /// Shares `simulated_ms − ideal_ms` out by cause; `total` is the simulated chefs' time added up.
    ///
    /// The simulated chefs' time divided by the chefs is the simulated wall; the ideal already
    /// holds `ideal − work ÷ chefs` of it — idle time on the critical path, which no chef can
    /// help with. That share is taken from the waiting first (the span is a chain of
    /// dependencies), then the rounds (the last dishes of that chain), then the serial parts;
    /// what remains of the excess is the simmering, a cost of the model (juggling chefs would
    /// cook meanwhile). Taking the last as the remainder makes the parts add up exactly.
    pub fn of(total: &ChefTime, chefs: usize, simulated_ms: f64, ideal_ms: f64) -> BeyondIdeal {
        let per_chef = |ms: f64| ms / chefs.max(1) as f64;
        let raw = [per_chef(total.waiting_ms), per_chef(total.no_dish_ms), per_chef(total.serial_ms)];
        let excess = simulated_ms - ideal_ms;
        let mut absorbed = (raw.iter().sum::<f64>() + per_chef(total.simmer_ms) - excess).max(0.0);
        let [dependencies_ms, rounds_ms, serial_ms] = raw.map(|ms| {
            let taken = ms.min(absorbed);
            absorbed -= taken;
            ms - taken
        });
        // Float noise of a part that is zero would show as "-0.0".
        let clean = |ms: f64| if ms.abs() < 1e-9 { 0.0 } else { ms };
        BeyondIdeal {
            dependencies_ms: clean(dependencies_ms),
            rounds_ms: clean(rounds_ms),
            serial_ms: clean(serial_ms),
            simmering_ms: clean(excess - dependencies_ms - rounds_ms - serial_ms),
        }
    }
}

/// The sentences of a breakdown, with the numbers they need.
struct Words<'a> {
    experiment: &'a Experiment,
    analysis: &'a GraphAnalysis,
    chefs: usize,
    time: &'a [ChefTime],
}

impl Words<'_> {
    fn ideal(&self, ideal_ms: f64) -> String {
        let a = self.analysis;
        let shared = match self.chefs {
            1 => format!("{} of cooking for one chef", ms_text(a.work_ms)),
            n => format!("{} of cooking shared evenly by {n} chefs", ms_text(a.work_ms)),
        };
        if a.span_ms > a.work_ms / self.chefs as f64 {
            let chain = match a.critical_path.as_slice() {
                [one] => one.clone(),
                [first, .., last] if a.critical_path.len() > 4 => format!("{first} → … → {last}"),
                path => path.join(" → "),
            };
            let waits = if a.wait_ms > 0.0 { ", simmers included" } else { "" };
            format!("{}: the longest chain of dishes ({chain}{waits}) takes that long however many chefs cook", ms_text(ideal_ms))
        } else {
            format!("{}: {shared}", ms_text(ideal_ms))
        }
    }

    fn rounds(&self, ms: f64, ideal_ms: f64, simulated_ms: f64) -> String {
        if ms < 0.05 {
            return match self.chefs {
                1 => "none: one chef takes the dishes one after another".into(),
                _ => "none beyond the ideal: no chef stood idle for want of a dish".into(),
            };
        }
        let idle = who_idled(self.time, |t| t.no_dish_ms);
        let rounds = equal_rounds(self.experiment, self.chefs)
            .map(|(dishes, rounds)| format!("{dishes} dishes on {} chefs take {rounds} rounds, ", self.chefs))
            .unwrap_or_default();
        format!(
            "{rounds}{} computed instead of {} ideal: {idle} with no dish left to take",
            ms_text(simulated_ms),
            ms_text(ideal_ms)
        )
    }

    fn waiting(&self, ms: f64) -> String {
        if ms < 0.05 {
            return "none beyond the ideal: no chef waited for a dish that was not ready".into();
        }
        format!(
            "{} with nothing ready to cook: dishes waited for the dishes they come after, or for a simmer to end",
            who_idled(self.time, |t| t.waiting_ms)
        )
    }

    fn serial(&self, ms: f64) -> String {
        if ms < 0.05 {
            return "none: no split dish kept the other chefs waiting".into();
        }
        format!(
            "{} while a split dish's serial part cooked: only one chef can cook it, and its pieces wait for it",
            who_idled(self.time, |t| t.serial_ms)
        )
    }

    fn stoves(&self, ms: f64, cores: Option<usize>) -> String {
        let Some(cores) = cores else {
            return "not counted: the machine's cores are not known here".into();
        };
        if ms < 0.05 {
            return format!("none: {} chef{} on {cores} stove{} (cores)", self.chefs, plural(self.chefs), plural(cores));
        }
        format!(
            "{} chefs take turns at {cores} stove{} (cores, as the machine reports them): {} of cooking needs at least {} on them",
            self.chefs,
            plural(cores),
            ms_text(self.analysis.work_ms),
            ms_text(self.analysis.work_ms / cores as f64)
        )
    }

    fn simmer(&self, ms: f64) -> String {
        if ms < 0.05 {
            return if self.experiment.model.juggles() || self.analysis.wait_ms == 0.0 {
                "none: no chef stood by a simmering dish".into()
            } else {
                "none beyond the ideal: the simmers are on the longest chain anyway".into()
            };
        }
        let standing: f64 = self.time.iter().map(|t| t.simmer_ms).sum();
        format!(
            "chefs who don't juggle stood by simmering dishes for {} in all: a juggling chef would cook meanwhile",
            ms_text(standing)
        )
    }
}

/// "chef 2 stood idle 300 ms", "chefs 2 and 3 stood idle 300 ms each", "4 chefs stood idle 1,200 ms in all".
fn who_idled(time: &[ChefTime], idle: impl Fn(&ChefTime) -> f64) -> String {
    let idle: Vec<(usize, f64)> = time.iter().map(|t| (t.lane, idle(t))).filter(|&(_, ms)| ms >= 0.05).collect();
    let all: f64 = idle.iter().map(|&(_, ms)| ms).sum();
    match idle.as_slice() {
        [] => "no chef stood idle".into(),
        [(_, ms)] if time.len() == 1 => format!("the chef stood idle {}", ms_text(*ms)),
        [(lane, ms)] => format!("chef {lane} stood idle {}", ms_text(*ms)),
        [(a, x), (b, y)] if (x - y).abs() < 0.5 => format!("chefs {a} and {b} stood idle {} each", ms_text(*x)),
        [(a, x), (b, y)] => format!("chefs {a} and {b} stood idle {} and {}", ms_text(*x), ms_text(*y)),
        many => format!("{} chefs stood idle {} in all", many.len(), ms_text(all)),
    }
}

/// For dishes that are all one equal cook with nothing to wait for: (dishes, rounds on `chefs`).
pub(crate) fn equal_rounds(experiment: &Experiment, chefs: usize) -> Option<(usize, usize)> {
    let cook_ms = |t: &super::experiment::TaskSpec| match t.phases.as_slice() {
        [Phase::Cook(c)] if t.after.is_empty() && c.split.is_none() => c.ms.or(c.units.map(|u| u as f64)),
        _ => None,
    };
    let first = cook_ms(experiment.tasks.first()?)?;
    let equal = experiment.tasks.iter().all(|t| cook_ms(t).is_some_and(|ms| (ms - first).abs() <= 0.01 * first));
    let dishes = experiment.tasks.len();
    (equal && chefs > 1).then(|| (dishes, dishes.div_ceil(chefs)))
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `computed_ms`: the simulated wall, plus the stoves' share when the chefs outnumber them.
fn overhead_says(trace: &Trace, computed_ms: f64) -> String {
    let (wall, sim) = (ms_text(trace.wall_ms), ms_text(computed_ms));
    if trace.source == Source::Simulated {
        return format!("{wall} simulated − {sim} simulated: a simulation has no real machine to cost");
    }
    let diff = trace.wall_ms - computed_ms;
    if diff >= 0.0 {
        format!(
            "{wall} measured − {sim} computed: the real machine — handing out work, starting threads, yields to the page, \
             other programs, kernels slower than calibrated"
        )
    } else {
        format!("{wall} measured − {sim} computed: the run beat the prediction, so the kernels ran faster than calibrated")
    }
}

/// "cooking took 930 ms on the run's clock against 900 ms calibrated (3 % slower)".
fn cooking_detail(work_ms: f64, cooked_ms: f64, source: Source) -> Option<String> {
    if work_ms <= 0.0 || source == Source::Simulated {
        return None;
    }
    let change = (cooked_ms / work_ms - 1.0) * 100.0;
    let how = match change {
        c if c.abs() < 1.0 => "as calibrated".to_string(),
        c if c > 0.0 => format!("{c:.0} % slower than calibrated"),
        c => format!("{:.0} % faster than calibrated", -c),
    };
    Some(format!("Cooking took {} in all (measured) against {} computed: {how}.", ms_text(cooked_ms), ms_text(work_ms)))
}

fn juggling_detail(j: &Juggling) -> Option<String> {
    if j.turns == 0 {
        return Some("Juggling: the chef never let go of a dish while another was ready (measured).".into());
    }
    let each = j.yielded_ms / j.turns as f64;
    let mut text = format!(
        "Juggling cost {} here (measured): the chef let go of its dish {} time{} while another was ready, {} per turn.",
        ms_text(j.yielded_ms),
        j.turns,
        if j.turns == 1 { "" } else { "s" },
        ms_text(each)
    );
    if let Some(p) = &j.page {
        let each = |ms: f64, n: u32| if n == 0 { String::new() } else { format!(", {} each", ms_text(ms / n as f64)) };
        text += &format!(
            " In those turns the page drew {} frames: the {} turns with a frame took {}{}, the {} without {}{}",
            p.frames,
            p.turns_with_frame,
            ms_text(p.ms_with_frame),
            each(p.ms_with_frame, p.turns_with_frame),
            p.turns_without_frame,
            ms_text(p.ms_without_frame),
            each(p.ms_without_frame, p.turns_without_frame),
        );
        text += if p.ms_with_frame > p.ms_without_frame { " — mostly the page drawing frames." } else { "." };
    }
    Some(text)
}

/// What juggling cost, from the trace: on every lane of a juggling model, the gaps between the
/// chef's cooking during which some dish was ready (a wait or ready span covered them).
fn juggling(trace: &Trace, frames_ms: Option<&[f64]>) -> Option<Juggling> {
    trace.yield_policy?;
    let ready = union(trace.spans.iter().filter(|s| matches!(s.kind, SpanKind::Wait | SpanKind::Ready)).map(|s| (s.start_ms, s.end_ms)));
    let mut lanes: Vec<usize> = trace.spans.iter().filter(|s| s.kind == SpanKind::Cook).map(|s| s.lane).collect();
    lanes.sort_unstable();
    lanes.dedup();
    let frames_ms: Option<Vec<f64>> = frames_ms.map(|f| f.iter().copied().filter(|&t| (0.0..=trace.wall_ms).contains(&t)).collect());
    let mut j = Juggling { turns: 0, yielded_ms: 0.0, main_thread: lanes.contains(&0), page: None };
    let mut page = frames_ms.as_ref().map(|f| PageTurns {
        frames: f.len() as u32,
        turns_with_frame: 0,
        ms_with_frame: 0.0,
        turns_without_frame: 0,
        ms_without_frame: 0.0,
    });
    for &lane in &lanes {
        let cooking = union(trace.spans.iter().filter(|s| s.kind == SpanKind::Cook && s.lane == lane).map(|s| (s.start_ms, s.end_ms)));
        // The gaps before, between and after the chef's cooking; only time with a dish ready counts.
        let edges = std::iter::once(0.0).chain(cooking.iter().flat_map(|&(s, e)| [s, e])).chain(std::iter::once(trace.wall_ms));
        let edges: Vec<f64> = edges.collect();
        for gap in edges.chunks(2).filter(|g| g.len() == 2 && g[1] > g[0]) {
            let yielded = overlap(&ready, gap[0], gap[1]);
            if yielded < 1e-6 {
                continue;
            }
            j.turns += 1;
            j.yielded_ms += yielded;
            if let (Some(page), Some(frames), 0) = (page.as_mut(), frames_ms.as_ref(), lane) {
                if frames.iter().any(|&t| t >= gap[0] && t <= gap[1]) {
                    page.turns_with_frame += 1;
                    page.ms_with_frame += yielded;
                } else {
                    page.turns_without_frame += 1;
                    page.ms_without_frame += yielded;
                }
            }
        }
    }
    j.page = page.filter(|_| j.main_thread);
    Some(j)
}

/// The union of intervals, sorted and merged.
fn union(intervals: impl Iterator<Item = (f64, f64)>) -> Vec<(f64, f64)> {
    let mut all: Vec<(f64, f64)> = intervals.filter(|(s, e)| e > s).collect();
    all.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut merged: Vec<(f64, f64)> = Vec::with_capacity(all.len());
    for (s, e) in all {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// How much of `[from, to]` the merged `intervals` cover.
fn overlap(intervals: &[(f64, f64)], from: f64, to: f64) -> f64 {
    intervals.iter().map(|&(s, e)| (e.min(to) - s.max(from)).max(0.0)).sum()
}

/// "4.7 ms", "450 ms", "1,383 ms".
pub fn ms_text(ms: f64) -> String {
    format!("{} ms", ms_number(ms))
}

fn ms_number(ms: f64) -> String {
    let ms = if ms.abs() < 0.005 { 0.0 } else { ms }; // no "-0.00"
    if ms.abs() < 0.995 {
        return format!("{ms:.2}");
    }
    if ms.abs() < 9.95 {
        return format!("{ms:.1}");
    }
    let whole = format!("{:.0}", ms.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if ms < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::experiment::Model;
    use crate::engine::trace::{Lane, Span, TaskTiming};

    /// 10 units per ms, so a cook of `ms` takes exactly that long in simulation.
    fn calibration() -> Vec<Calibration> {
        Kernel::ALL.iter().map(|&kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 }).collect()
    }

    fn experiment(model: &str, chefs: usize, tasks: &str) -> Experiment {
        Experiment::from_json(&format!(r#"{{"version":1,"model":"{model}","chefs":{chefs},"tasks":[{tasks}]}}"#)).unwrap()
    }

    const THREE_DISHES: &str = r#"{"id":"soup","phases":[{"cook":{"ms":300}}]},
        {"id":"roast","phases":[{"cook":{"ms":300}}]}, {"id":"dessert","phases":[{"cook":{"ms":300}}]}"#;

    /// The simulated trace of `e`, relabelled as measured and stretched to `wall_ms`: what a
    /// real run with that much overhead at its end would look like.
    fn measured(e: &Experiment, wall_ms: f64) -> Trace {
        let setup = Setup::new(e, &|k| calibration()[k.index()]).unwrap();
        let mut trace = setup.simulate();
        trace.source = Source::Measured;
        trace.wall_ms = wall_ms;
        trace
    }

    fn ms_of(b: &Breakdown, kind: PartKind) -> f64 {
        b.get(kind).ms
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn three_dishes_on_two_chefs_take_two_rounds() {
        let e = experiment("parallel", 2, THREE_DISHES);
        let b = Breakdown::of(&e, &measured(&e, 612.0), RunContext::default()).unwrap();
        assert!(close(b.simulated_ms, 600.0), "{b:?}");
        assert!(close(ms_of(&b, PartKind::Ideal), 450.0));
        assert!(close(ms_of(&b, PartKind::Rounds), 150.0), "{:?}", b.parts);
        assert!(close(ms_of(&b, PartKind::Overhead), 12.0));
        for kind in [PartKind::Dependencies, PartKind::SerialPart, PartKind::Simmering] {
            assert!(close(ms_of(&b, kind), 0.0), "{kind:?}: {:?}", b.parts);
        }
        assert!(close(b.total_ms(), 612.0));
        let rounds = &b.get(PartKind::Rounds).says;
        assert!(rounds.contains("3 dishes on 2 chefs take 2 rounds") && rounds.contains("chef 2 stood idle 300 ms"), "{rounds}");
        assert!(b.get(PartKind::Ideal).says.contains("900 ms of cooking shared evenly by 2 chefs"), "{:?}", b.parts[0]);
        assert_eq!(b.get(PartKind::Overhead).basis, Basis::MeasuredMinusComputed);
        assert_eq!(b.get(PartKind::Rounds).basis, Basis::Computed);
        assert_eq!(b.summary(), "612 ms = 450 ideal + 150 rounds (granularity) + 12 overhead");
    }

    #[test]
    fn three_dishes_on_three_or_four_chefs_are_ideal_and_the_span_says_why() {
        for chefs in [3, 4] {
            let e = experiment("parallel", chefs, THREE_DISHES);
            let b = Breakdown::of(&e, &measured(&e, 300.0), RunContext::default()).unwrap();
            assert!(close(ms_of(&b, PartKind::Ideal), 300.0) && close(ms_of(&b, PartKind::Rounds), 0.0), "{chefs}: {:?}", b.parts);
            assert!(close(b.total_ms(), 300.0));
        }
        let e = experiment("parallel", 4, THREE_DISHES);
        let b = Breakdown::of(&e, &measured(&e, 300.0), RunContext::default()).unwrap();
        assert!(b.get(PartKind::Ideal).says.contains("longest chain"), "{}", b.get(PartKind::Ideal).says);
    }

    #[test]
    fn the_amdahl_split_is_a_serial_part() {
        // 250 ms serial, then 1000 ms in 32 pieces on 2 chefs: 250 + 500 = 750, ideal 625.
        let e = experiment(
            "parallel",
            2,
            r#"{"id":"render","phases":[{"cook":{"ms":1000,"split":{"chunks":32},"serial_ms":250}}]}"#,
        );
        let b = Breakdown::of(&e, &measured(&e, 760.0), RunContext::default()).unwrap();
        assert!(close(b.simulated_ms, 750.0), "{}", b.simulated_ms);
        assert!(close(ms_of(&b, PartKind::Ideal), 625.0));
        assert!(close(ms_of(&b, PartKind::SerialPart), 125.0), "{:?}", b.parts);
        assert!(close(ms_of(&b, PartKind::Rounds), 0.0), "{:?}", b.parts);
        assert!(b.get(PartKind::SerialPart).says.contains("chef 2 stood idle 250 ms"), "{}", b.get(PartKind::SerialPart).says);
        assert!(close(b.total_ms(), 760.0));
    }

    #[test]
    fn a_chef_who_does_not_juggle_stands_by_simmers() {
        // Two dishes of 100 ms cooking and 200 ms simmering: one sequential chef 600, ideal
        // 300 (one dish's chain), so 300 ms of simmering not overlapped.
        let dishes = r#"{"id":"a","phases":[{"cook":{"ms":100}},{"simmer":{"ms":200}}]},
            {"id":"b","phases":[{"cook":{"ms":100}},{"simmer":{"ms":200}}]}"#;
        let e = experiment("sequential", 1, dishes);
        let b = Breakdown::of(&e, &measured(&e, 600.0), RunContext::default()).unwrap();
        assert!(close(ms_of(&b, PartKind::Ideal), 300.0) && close(ms_of(&b, PartKind::Simmering), 300.0), "{:?}", b.parts);
        assert!(close(b.total_ms(), 600.0));
        // Juggling, the simmers overlap with the cooking: 100 + 100 + 200 = 400, ideal 300;
        // the chef waits for the last simmer with nothing ready: dependencies.
        let e = experiment("concurrent", 1, dishes);
        let b = Breakdown::of(&e, &measured(&e, 400.0), RunContext::default()).unwrap();
        assert!(close(ms_of(&b, PartKind::Simmering), 0.0), "{:?}", b.parts);
        assert!(close(ms_of(&b, PartKind::Dependencies), 100.0), "{:?}", b.parts);
        assert!(close(b.total_ms(), 400.0));
    }

    #[test]
    fn idle_chefs_behind_a_dependency_are_dependencies() {
        // base (100) before two 100 ms dishes, on 2 chefs: chef 2 waits 100 ms for base.
        // Work 300 over 2 chefs is 150, the span 200: the ideal absorbs 50 of the 100 ms wait.
        let e = experiment(
            "parallel",
            2,
            r#"{"id":"base","phases":[{"cook":{"ms":100}}]},
               {"id":"x","phases":[{"cook":{"ms":100}}],"after":["base"]},
               {"id":"y","phases":[{"cook":{"ms":100}}],"after":["base"]}"#,
        );
        let b = Breakdown::of(&e, &measured(&e, 205.0), RunContext::default()).unwrap();
        assert!(close(b.simulated_ms, 200.0) && close(ms_of(&b, PartKind::Ideal), 200.0), "{b:?}");
        assert!(close(ms_of(&b, PartKind::Dependencies), 0.0) && close(ms_of(&b, PartKind::Rounds), 0.0), "{:?}", b.parts);
        assert!(close(b.total_ms(), 205.0));
    }

    #[test]
    fn more_chefs_than_stoves_take_turns_at_them() {
        // Three dishes on 3 chefs but 2 cores: a stove per chef would take 300 ms; 900 ms of
        // cooking on 2 stoves needs 450. Measured 497: 300 ideal + 150 stoves + 47 overhead.
        let e = experiment("parallel", 3, THREE_DISHES);
        let on = |cores| RunContext { cores: Some(cores), frames_ms: None };
        let b = Breakdown::of(&e, &measured(&e, 497.0), on(2)).unwrap();
        assert!(close(ms_of(&b, PartKind::Ideal), 300.0) && close(ms_of(&b, PartKind::Stoves), 150.0), "{:?}", b.parts);
        assert!(close(ms_of(&b, PartKind::Overhead), 47.0) && close(b.total_ms(), 497.0));
        let says = &b.get(PartKind::Stoves).says;
        assert!(says.starts_with("3 chefs take turns at 2 stoves") && says.contains("at least 450 ms"), "{says}");
        assert!(b.get(PartKind::Overhead).says.contains("497 ms measured − 450 ms computed"), "{}", b.get(PartKind::Overhead).says);
        // One stove per chef, or a schedule slower than the stoves allow anyway: nothing to add.
        assert!(close(ms_of(&Breakdown::of(&e, &measured(&e, 310.0), on(4)).unwrap(), PartKind::Stoves), 0.0));
        let two = experiment("parallel", 2, THREE_DISHES);
        assert!(close(ms_of(&Breakdown::of(&two, &measured(&two, 610.0), on(1)).unwrap(), PartKind::Stoves), 300.0));
        assert!(close(ms_of(&Breakdown::of(&e, &measured(&e, 497.0), RunContext::default()).unwrap(), PartKind::Stoves), 0.0));
    }

    #[test]
    fn a_run_faster_than_predicted_has_negative_overhead_and_still_adds_up() {
        let e = experiment("parallel", 2, THREE_DISHES);
        let b = Breakdown::of(&e, &measured(&e, 590.0), RunContext::default()).unwrap();
        assert!(close(ms_of(&b, PartKind::Overhead), -10.0) && close(b.total_ms(), 590.0));
        assert!(b.get(PartKind::Overhead).says.contains("beat the prediction"));
    }

    #[test]
    fn a_simulated_trace_has_no_overhead_to_measure() {
        let e = experiment("parallel", 2, THREE_DISHES);
        let setup = Setup::new(&e, &|k| calibration()[k.index()]).unwrap();
        let b = Breakdown::of(&e, &setup.simulate(), RunContext::default()).unwrap();
        assert!(close(ms_of(&b, PartKind::Overhead), 0.0));
        assert_eq!(b.get(PartKind::Overhead).basis, Basis::Computed);
    }

    #[test]
    fn traces_of_other_dishes_or_stopped_runs_are_refused_with_a_reason() {
        let e = experiment("parallel", 2, THREE_DISHES);
        let mut stopped = measured(&e, 100.0);
        stopped.stopped = true;
        let kind = |r: Result<Breakdown, Error>| r.unwrap_err().kind;
        assert!(matches!(kind(Breakdown::of(&e, &stopped, RunContext::default())), ErrorKind::CannotBreakDown(w) if w.contains("stopped")));
        let other = experiment("parallel", 2, r#"{"id":"soup","phases":[{"cook":{"ms":300}}]}"#);
        assert!(matches!(kind(Breakdown::of(&other, &measured(&e, 600.0), RunContext::default())), ErrorKind::CannotBreakDown(_)));
        let longer = experiment("parallel", 2, &THREE_DISHES.replace("300", "400"));
        let err = Breakdown::of(&longer, &measured(&e, 600.0), RunContext::default()).unwrap_err();
        assert!(err.to_string().contains("not the same dishes"), "{err}");
        let mut uncalibrated = measured(&e, 600.0);
        uncalibrated.calibration.clear();
        assert!(kind(Breakdown::of(&e, &uncalibrated, RunContext::default())).to_string().contains("calibration"));
    }

    /// A concurrent run on the main thread: three 20 ms dishes in 10 ms turns, each turn
    /// followed by a 2 ms yield, frames drawn in every other yield.
    fn juggled() -> (Experiment, Trace, Vec<f64>) {
        let e = experiment(
            "concurrent",
            1,
            r#"{"id":"a","phases":[{"cook":{"ms":20}}]},{"id":"b","phases":[{"cook":{"ms":20}}]},
               {"id":"c","phases":[{"cook":{"ms":20}}]}"#,
        );
        let mut trace = measured(&e, 0.0);
        let order = ["a", "b", "c", "a", "b", "c"];
        let mut spans = vec![];
        let mut frames = vec![];
        let mut t = 0.0;
        for (i, id) in order.iter().enumerate() {
            spans.push(Span { task: id.to_string(), lane: 0, kind: SpanKind::Cook, chunk: None, start_ms: t, end_ms: t + 10.0 });
            t += 10.0;
            if i + 1 < order.len() {
                // The next dish has been ready since its last turn (or the start).
                let next = order[i + 1];
                let since = if i + 1 < 3 { 0.0 } else { (i + 1 - 3) as f64 * 12.0 + 10.0 };
                spans.push(Span { task: next.into(), lane: 0, kind: SpanKind::Ready, chunk: None, start_ms: since, end_ms: t + 2.0 });
                if i % 2 == 0 {
                    frames.push(t + 1.0);
                }
                t += 2.0;
            }
        }
        trace.spans = spans;
        trace.lanes = vec![Lane::for_id(0)];
        trace.wall_ms = t;
        trace.tasks = ["a", "b", "c"]
            .iter()
            .enumerate()
            .map(|(i, id)| TaskTiming { id: id.to_string(), lane: 0, eligible_ms: 0.0, start_ms: i as f64 * 12.0, end_ms: 36.0 + i as f64 * 12.0 + 10.0, polls: 2 })
            .collect();
        (e, trace, frames)
    }

    #[test]
    fn juggling_names_its_turns_and_what_the_page_drew_in_them() {
        let (e, trace, frames) = juggled();
        let b = Breakdown::of(&e, &trace, RunContext { frames_ms: Some(&frames), cores: None }).unwrap();
        let j = b.juggling.as_ref().unwrap();
        assert_eq!(j.turns, 5);
        assert!(close(j.yielded_ms, 10.0) && j.main_thread, "{j:?}");
        let page = j.page.unwrap();
        assert_eq!((page.frames, page.turns_with_frame, page.turns_without_frame), (3, 3, 2));
        assert!(close(page.ms_with_frame, 6.0) && close(page.ms_without_frame, 4.0), "{page:?}");
        // 70 ms measured against 60 simulated: the 10 ms overhead is the yields.
        assert!(close(ms_of(&b, PartKind::Overhead), 10.0), "{:?}", b.parts);
        let details = b.get(PartKind::Overhead).details.join(" ");
        assert!(details.contains("Juggling cost 10 ms here (measured)") && details.contains("5 times"), "{details}");
        assert!(details.contains("3 turns with a frame took 6.0 ms, 2.0 ms each"), "{details}");
        assert!(details.contains("mostly the page drawing frames"), "{details}");
        assert!(close(b.total_ms(), trace.wall_ms));
        // Without the meter, the turns are still measured from the trace.
        let b = Breakdown::of(&e, &trace, RunContext::default()).unwrap();
        assert_eq!(b.juggling.unwrap().page, None);
    }

    #[test]
    fn models_that_do_not_juggle_have_no_juggling_cost() {
        let e = experiment("parallel", 2, THREE_DISHES);
        assert_eq!(Breakdown::of(&e, &measured(&e, 600.0), RunContext::default()).unwrap().juggling, None);
    }

    #[test]
    fn every_model_adds_up() {
        for model in Model::ALL {
            let e = experiment(
                model.name(),
                3,
                r#"{"id":"a","phases":[{"cook":{"ms":40}},{"simmer":{"ms":60}}]},
                   {"id":"b","phases":[{"cook":{"ms":100,"split":{"chunks":4},"serial_ms":20}}],"after":["a"]},
                   {"id":"c","phases":[{"simmer":{"ms":30}},{"cook":{"ms":70}}]}"#,
            );
            let wall = measured(&e, 0.0);
            let b = Breakdown::of(&e, &measured(&e, wall.wall_ms + 7.0), RunContext::default()).unwrap();
            assert!(close(b.total_ms(), b.wall_ms), "{model:?}: {:?}", b.parts);
            assert!(b.parts.iter().filter(|p| p.part != PartKind::Overhead).all(|p| p.ms > -1e-6), "{model:?}: {:?}", b.parts);
            assert_eq!(b.parts.iter().map(|p| p.part).collect::<Vec<_>>(), PartKind::ALL);
        }
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(ms_text(4.66), "4.7 ms");
        assert_eq!(ms_text(1383.2), "1,383 ms");
        assert_eq!(ms_text(-1234567.0), "-1,234,567 ms");
        assert_eq!(ms_text(450.0), "450 ms");
        assert_eq!(ms_text(0.042), "0.04 ms");
        assert_eq!(ms_text(-0.0001), "0.00 ms");
    }
}
