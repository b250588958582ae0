//! Lessons: claims about concurrency and parallelism that you can check on your own machine.
//!
//! Each [`Lesson`] states a claim in kitchen language, plans the runs that test it
//! ([`Lesson::plan`], which may depend on the [`Machine`]), and computes a [`Verdict`] from the
//! measured traces of those runs ([`Lesson::verdict`]): "reproduced on your machine: …" with the
//! numbers, or "not reproduced: …" with the likely reason. Verdicts are never canned: they read
//! only the traces' measured wall times (and, for one lesson, the page's measured
//! responsiveness; for another, the race demo's report), so the same lesson may reproduce on one
//! machine and not on another.
//!
//! What each lesson reads is its [`Measures`]:
//! - [`Measures::Traces`]: run every [`RunSpec`] of the plan, in order, and pass the traces to
//!   [`Lesson::verdict`].
//! - [`Measures::TracesAndResponsiveness`] ("Blocking the pass"): the same, plus one
//!   [`ResponsivenessSample`] per run — the longest the page went without a turn of its event
//!   loop during that run, which only the browser can measure — passed to
//!   [`Lesson::verdict_with_responsiveness`]. Without samples (natively) the verdict says so.
//! - [`Measures::RaceDemo`] ("Shared counters and crossed locks"): no kitchen runs (its plan is
//!   empty); run [`super::race::run_demo`] with [`super::race::RacePlan::for_machine`] and pass
//!   the report to [`super::race::verdict`].
//!
//! CPU runs on a shared machine are noisy (another program may take a core for a while), so a
//! lesson may ask for several [`Lesson::tries`]: the plan then lists all its runs once per try,
//! interleaved (A, B, A, B, …), and the verdict reads the fastest try of each run — the least
//! disturbed measurement of how long the work takes.
//!
//! Traces from [`super::simulate`] are accepted too, and their verdicts say "in simulation (a
//! prediction, not a measurement)" instead of "on your machine".

use serde::{Deserialize, Serialize};

use super::analysis::fit_amdahl;
use super::graph::MAX_CHEFS;
use super::experiment::{Cook, Experiment, Model, Phase, Simmer, Split, TaskSpec, YieldPolicy, FORMAT_VERSION};
use super::kernel::Kernel;
use super::presets;
use super::race::RacePlan;
use super::trace::{Source, Trace};

/// What the lessons need to know about the machine they run on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    /// CPU cores (stoves): `navigator.hardwareConcurrency` in the browser.
    pub cores: usize,
    /// Worker threads a parallel run may use (chefs ≤ threads): the page's pool size, 0 when the
    /// page has no workers (then only the single-chef models run).
    pub threads: usize,
}

impl Machine {
    pub fn new(cores: usize, threads: usize) -> Machine {
        Machine { cores, threads }
    }

    /// The threads a cross-origin isolated page starts for `cores` cores: twice the cores, so
    /// "more chefs than stoves" can be measured, between 2 and 16 (see `runtime::pool`).
    pub fn browser_like(cores: usize) -> Machine {
        Machine { cores, threads: (2 * cores).clamp(2, 16) }
    }

    /// This machine, natively: its available parallelism as cores, and threads as the page
    /// would start them (native runs could use more, but the lessons should plan alike).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn native() -> Machine {
        Machine::browser_like(std::thread::available_parallelism().map_or(1, |n| n.get()))
    }

    /// Whether `experiment` can run here: a parallel model needs a worker thread per chef,
    /// and no experiment may ask for more than [`MAX_CHEFS`].
    pub fn can_run(&self, experiment: &Experiment) -> bool {
        let chefs = experiment.chefs;
        (1..=MAX_CHEFS).contains(&chefs) && (!experiment.model.is_parallel() || chefs <= self.threads)
    }

    /// The widest useful parallel run: one chef per core, if there are threads for them.
    fn width(&self) -> usize {
        self.cores.min(self.threads).min(MAX_CHEFS)
    }

    /// The most chefs a parallel run may have here.
    fn most_chefs(&self) -> usize {
        self.threads.min(MAX_CHEFS)
    }
}

/// One run a lesson needs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RunSpec {
    /// What this run is, for people: "sequential, 10 calls".
    pub label: String,
    pub experiment: Experiment,
    /// Run this on the page's main thread (whatever the model) and measure the page's
    /// responsiveness meanwhile; natively there is no main thread to protect, so it is ignored.
    pub main_thread: bool,
}

/// The outcome of checking a lesson's claim against measurements.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Whether the measurements showed what the claim says.
    pub reproduced: bool,
    /// One sentence with the numbers: "reproduced on your machine: …" or "not reproduced: …".
    pub headline: String,
    /// The numbers behind the headline, named, in reading order.
    pub numbers: Vec<(String, f64)>,
    /// When not reproduced: the likely reason (too few cores, a busy machine, …).
    pub reason: Option<String>,
}

impl Verdict {
    /// Builds a verdict from what a lesson found: `what` describes the measurements (with
    /// numbers); `why_not` is used only when the claim did not hold.
    pub(crate) fn from_finding(
        holds: bool,
        simulated: bool,
        what: String,
        numbers: Vec<(String, f64)>,
        why_not: Option<String>,
    ) -> Verdict {
        let prefix = match (holds, simulated) {
            (true, false) => "reproduced on your machine",
            (false, false) => "not reproduced",
            (true, true) => "reproduced in simulation (a prediction, not a measurement)",
            (false, true) => "not reproduced in simulation (a prediction, not a measurement)",
        };
        let reason = (!holds).then(|| why_not.unwrap_or_else(|| "the measurements did not show it".into()));
        Verdict { reproduced: holds, headline: format!("{prefix}: {what}"), numbers, reason }
    }

    /// A verdict for a lesson that could not be judged at all: `why` says what is missing.
    fn cannot_judge(what: &str, why: String) -> Verdict {
        Verdict { reproduced: false, headline: format!("not reproduced: {what}"), numbers: Vec::new(), reason: Some(why) }
    }
}

/// How long the page went without a turn of its event loop during one run, as the browser
/// measured it (for example the longest gap between animation frames or timer callbacks).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponsivenessSample {
    pub longest_gap_ms: f64,
}

/// What a lesson's verdict reads (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measures {
    /// The traces of the plan's runs: [`Lesson::verdict`].
    Traces,
    /// The traces plus one [`ResponsivenessSample`] per run, measured by the page:
    /// [`Lesson::verdict_with_responsiveness`].
    TracesAndResponsiveness,
    /// No kitchen runs: the race demo's report, judged by [`super::race::verdict`].
    RaceDemo,
}

/// A lesson's plan builder.
type PlanFn = fn(&Machine) -> Result<Vec<RunSpec>, String>;
/// A lesson's judge: reads runs already checked against the plan.
type JudgeFn = fn(&Runs) -> Finding;

/// A claim you can check.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Lesson {
    /// 1-based position in [`LESSONS`].
    pub number: u32,
    pub id: &'static str,
    pub title: &'static str,
    /// The claim, in kitchen language.
    pub claim: &'static str,
    pub measures: Measures,
    /// How many times the plan lists each run (interleaved); the verdict reads the fastest.
    pub tries: usize,
    #[serde(skip)]
    plan: PlanFn,
    #[serde(skip)]
    judge: JudgeFn,
}

impl Lesson {
    /// The runs this lesson needs on `machine`, in order (every run once per try, tries
    /// interleaved); or why it cannot run there (for example parallel runs on a page without
    /// worker threads). Every run is valid for [`super::Plan::new`] and runnable on `machine`
    /// (chefs ≤ threads for parallel models).
    pub fn plan(&self, machine: &Machine) -> Result<Vec<RunSpec>, String> {
        let once = (self.plan)(machine)?;
        if let Some(s) = once.iter().find(|s| !machine.can_run(&s.experiment)) {
            // Defensive: a plan builder that asked for more chefs than threads is a bug here,
            // reported as a value rather than a run the page would refuse.
            return Err(format!("run `{}` needs {} threads; this machine has {}", s.label, s.experiment.chefs, machine.threads));
        }
        Ok(with_tries(once, self.tries))
    }

    /// The verdict from the traces of this lesson's plan, in plan order. Traces that do not
    /// match the plan (missing, another model or width, stopped, wrong checksums) give a
    /// "not reproduced" verdict naming the problem, never a panic.
    pub fn verdict(&self, machine: &Machine, traces: &[Trace]) -> Verdict {
        self.verdict_with_responsiveness(machine, traces, &[])
    }

    /// [`Lesson::verdict`] with the page's responsiveness during each run, in plan order: what
    /// "Blocking the pass" ([`Measures::TracesAndResponsiveness`]) reads. Other lessons ignore
    /// `samples`.
    pub fn verdict_with_responsiveness(
        &self,
        machine: &Machine,
        traces: &[Trace],
        samples: &[ResponsivenessSample],
    ) -> Verdict {
        if self.measures == Measures::RaceDemo {
            return Verdict::cannot_judge(
                "this lesson is measured by the race demo, not by kitchen runs",
                "run race::run_demo and judge its report with race::verdict".into(),
            );
        }
        let specs = match self.plan(machine) {
            Ok(specs) => specs,
            Err(why) => return Verdict::cannot_judge("this machine cannot run the lesson", why),
        };
        if let Err(why) = check_traces(&specs, traces) {
            return Verdict::cannot_judge("the runs do not match the lesson's plan", why);
        }
        let runs = Runs { machine, specs: &specs, traces, samples, tries: self.tries.max(1) };
        let simulated = traces.iter().any(|t| t.source == Source::Simulated);
        let mut f = (self.judge)(&runs);
        if runs.tries > 1 {
            f.what.push_str(&format!(" (fastest of {} tries each)", runs.tries));
        }
        Verdict::from_finding(f.holds, simulated, f.what, f.numbers, f.why_not)
    }
}

/// Lists `once` `tries` times, interleaved, labelling each try when there are several.
fn with_tries(once: Vec<RunSpec>, tries: usize) -> Vec<RunSpec> {
    if tries <= 1 {
        return once;
    }
    (1..=tries)
        .flat_map(|t| once.iter().map(move |s| RunSpec { label: format!("{} (try {t} of {tries})", s.label), ..s.clone() }))
        .collect()
}

/// Checks that `traces` are complete runs of `specs`, one each, in order.
fn check_traces(specs: &[RunSpec], traces: &[Trace]) -> Result<(), String> {
    if specs.len() != traces.len() {
        return Err(format!("expected {} runs, got {}", specs.len(), traces.len()));
    }
    for (spec, trace) in specs.iter().zip(traces) {
        let e = &spec.experiment;
        let chefs = e.model.effective_chefs(e.chefs);
        if trace.model != e.model || trace.chefs != chefs {
            return Err(format!(
                "run `{}` should be {} with {chefs} chefs, got {} with {}",
                spec.label,
                e.model.name(),
                trace.model.name(),
                trace.chefs
            ));
        }
        if trace.stopped {
            return Err(format!("run `{}` was stopped before it finished", spec.label));
        }
        if !trace.checksums_ok {
            return Err(format!("run `{}`: a kernel returned a wrong checksum, so its work was not really done", spec.label));
        }
        if !(trace.wall_ms > 0.0 && trace.wall_ms.is_finite()) {
            return Err(format!("run `{}` has no positive wall time ({})", spec.label, trace.wall_ms));
        }
    }
    Ok(())
}

/// A lesson's runs, checked against its plan: `traces[i]` is a complete run of `specs[i]`.
/// Judges index runs as the plan builder listed them (`0..self.len()`), not by try.
struct Runs<'a> {
    machine: &'a Machine,
    specs: &'a [RunSpec],
    traces: &'a [Trace],
    samples: &'a [ResponsivenessSample],
    tries: usize,
}

impl Runs<'_> {
    /// How many distinct runs the plan builder listed.
    fn len(&self) -> usize {
        self.specs.len() / self.tries
    }

    /// Run `i`'s fastest wall over its tries.
    fn wall(&self, i: usize) -> f64 {
        (0..self.tries).map(|t| self.traces[t * self.len() + i].wall_ms).fold(f64::INFINITY, f64::min)
    }

    fn chefs(&self, i: usize) -> usize {
        self.traces[i].chefs
    }

    fn experiment(&self, i: usize) -> &Experiment {
        &self.specs[i].experiment
    }
}

/// What a judge found: whether the claim held, the measurements in words and numbers, and
/// the likely reason when it did not.
struct Finding {
    holds: bool,
    what: String,
    numbers: Vec<(String, f64)>,
    why_not: Option<String>,
}

/// Every lesson, in teaching order.
pub const LESSONS: &[Lesson] = &[
    Lesson {
        number: 1,
        id: "overlapping-waits",
        title: "Overlapping waits",
        claim: "Calling a slow supplier 1000 times, 200 ms a call, takes about 200 s if the chef waits out each call \
                before placing the next. A chef who places every order and juggles the waits has all 1000 answers in \
                about the time of one call (200–400 ms), without cooking any faster.",
        measures: Measures::Traces,
        tries: 1,
        plan: plan_overlapping_waits,
        judge: judge_overlapping_waits,
    },
    Lesson {
        number: 2,
        id: "juggling-is-not-cooking",
        title: "Juggling doesn't make cooking faster",
        claim: "A chef who juggles three dishes that only need cooking still cooks all of them: switching between \
                them cannot make the total shorter, only a little longer, since every switch costs a moment.",
        measures: Measures::Traces,
        tries: 3,
        plan: plan_juggling,
        judge: judge_juggling,
    },
    Lesson {
        number: 3,
        id: "more-chefs",
        title: "More chefs cook faster, up to the number of stoves",
        claim: "With one chef per stove (CPU core), many equal dishes cook almost that many times faster: at least \
                90 % of it.",
        measures: Measures::Traces,
        tries: 2,
        plan: plan_more_chefs,
        judge: judge_more_chefs,
    },
    Lesson {
        number: 4,
        id: "more-chefs-than-stoves",
        title: "More chefs than stoves",
        claim: "Chefs beyond the number of stoves only take turns at them: twice as many chefs as cores are no \
                faster than one per core, and the turn-taking costs a little.",
        measures: Measures::Traces,
        tries: 2,
        plan: plan_more_than_stoves,
        judge: judge_more_than_stoves,
    },
    Lesson {
        number: 5,
        id: "oven",
        title: "Chefs don't make the oven faster",
        claim: "Dishes that only wait in the oven are done when the oven is done, however many chefs stand by: one \
                chef per dish takes as long as one chef juggling them all.",
        measures: Measures::Traces,
        tries: 1,
        plan: plan_oven,
        judge: judge_oven,
    },
    Lesson {
        number: 6,
        id: "amdahl",
        title: "Amdahl: the serial part caps the speedup",
        claim: "If a fifth of a dish can only be done by one chef, no number of chefs makes it more than 5× faster. \
                Fitting Amdahl's law to the speedups measured at 1, 2, … chefs recovers that serial fraction.",
        measures: Measures::Traces,
        tries: 2,
        plan: plan_amdahl,
        judge: judge_amdahl,
    },
    Lesson {
        number: 7,
        id: "tiny-tasks",
        title: "Tiny tasks cost more to hand out than to cook",
        claim: "Cutting a small dish into pieces lets several chefs help, but every piece must be handed out. Cut \
                it fine enough and handing out costs more than cooking: several chefs lose to one. In between is the \
                crossover, the smallest piece still worth sharing on this machine.",
        measures: Measures::Traces,
        tries: 3,
        plan: plan_tiny_tasks,
        judge: judge_tiny_tasks,
    },
    Lesson {
        number: 8,
        id: "graph-decides",
        title: "The graph decides, the width executes",
        claim: "Dishes that each wait for the one before (a chain) cook one after another however many chefs there \
                are; dishes that can all start once one is ready (a fan-out) get faster with more chefs. The \
                recipe decides what may run at once; the chefs only decide how much of it does.",
        measures: Measures::Traces,
        tries: 2,
        plan: plan_graph,
        judge: judge_graph,
    },
    Lesson {
        number: 9,
        id: "blocking-the-pass",
        title: "Blocking the pass",
        claim: "A chef who cooks at the pass (the page's main thread) without looking up leaves every waiter \
                standing: the page freezes until the cooking is done. A chef who looks up every 10 ms keeps the page \
                responsive while doing the same work.",
        measures: Measures::TracesAndResponsiveness,
        tries: 1,
        plan: plan_blocking,
        judge: judge_blocking,
    },
    Lesson {
        number: 10,
        id: "three-dishes",
        title: "Three dishes, three chefs",
        claim: "Three equal dishes take 6 units of time on one chef and 2 units on three chefs: the 3:1 shape, if the \
                kitchen has three stoves.",
        measures: Measures::Traces,
        tries: 2,
        plan: plan_three_dishes,
        judge: judge_three_dishes,
    },
    Lesson {
        number: 11,
        id: "shared-counter",
        title: "Shared counters and crossed locks",
        claim: "Chefs who add to one tally by reading it, adding one and writing it back lose counts when two read \
                at once; an atomic add or a lock keeps every count. Two chefs who each hold one tool and wait for the \
                other's wait forever (a deadlock), unless both always take the tools in the same order.",
        measures: Measures::RaceDemo,
        tries: 1,
        plan: plan_race,
        judge: judge_race,
    },
    Lesson {
        number: 12,
        id: "mixed-work",
        title: "Mixed work: juggle and share",
        claim: "A web server's requests cook a little, wait on a database, then cook again. One juggling chef \
                overlaps the waits but cooks alone; chefs who don't juggle stand idle through every wait. Several \
                chefs who juggle beat both.",
        measures: Measures::Traces,
        tries: 1,
        plan: plan_mixed,
        judge: judge_mixed,
    },
];

/// The lesson with this id.
pub fn find(id: &str) -> Option<&'static Lesson> {
    LESSONS.iter().find(|l| l.id == id)
}

// ---------------------------------------------------------------------------------------------
// Building blocks

fn experiment(model: Model, chefs: usize, tasks: Vec<TaskSpec>) -> Experiment {
    Experiment { version: FORMAT_VERSION, model, chefs, yield_policy: YieldPolicy::default(), tasks }
}

fn run(label: impl Into<String>, experiment: Experiment) -> RunSpec {
    RunSpec { label: label.into(), experiment, main_thread: false }
}

fn dish(id: String, phases: Vec<Phase>, after: Vec<String>) -> TaskSpec {
    TaskSpec { id, phases, after }
}

/// `n` independent dishes of `ms` of cooking each.
fn cooks(n: usize, ms: f64) -> Vec<TaskSpec> {
    (1..=n).map(|i| dish(format!("dish-{i:03}"), vec![Phase::Cook(Cook::ms(ms))], vec![])).collect()
}

fn preset(id: &str, model: Model, chefs: usize) -> Result<Experiment, String> {
    presets::find(id).map(|p| p.experiment(model, chefs)).ok_or_else(|| format!("the `{id}` preset is missing"))
}

fn need_threads(machine: &Machine, n: usize, what: &str) -> Result<(), String> {
    if machine.threads >= n {
        return Ok(());
    }
    Err(format!("needs {n} worker threads {what}; this machine has {}", machine.threads))
}

fn need_cores(machine: &Machine, n: usize, what: &str) -> Result<(), String> {
    if machine.cores >= n {
        return Ok(());
    }
    Err(format!("needs {n} cores {what}; this machine has {}", machine.cores))
}

/// Milliseconds for people: "2003 ms", "12.5 ms", "200 s", "50 µs".
fn ms(x: f64) -> String {
    match x {
        x if x < 1.0 => format!("{:.0} µs", x * 1000.0),
        x if x >= 100_000.0 => format!("{:.0} s", x / 1000.0),
        x if x >= 10_000.0 => format!("{:.1} s", x / 1000.0),
        x if x >= 100.0 => format!("{x:.0} ms"),
        x => format!("{x:.1} ms"),
    }
}

/// A piece of work for people: "1 unit", "4 units".
fn units(n: f64) -> String {
    if n == 1.0 {
        "1 unit".into()
    } else {
        format!("{n} units")
    }
}

/// A ratio for people: "1.93×".
fn times(x: f64) -> String {
    format!("{x:.2}×")
}

fn num(name: impl Into<String>, value: f64) -> (String, f64) {
    (name.into(), value)
}

/// Why a parallel speedup may fall short on a machine that has the cores for it.
const BUSY: &str = "other programs were probably using some of the cores while it ran (or the machine reports more \
                    cores than it lets this page use); try again with nothing else running";

// ---------------------------------------------------------------------------------------------
// 1. Overlapping waits

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
// 3. More chefs, up to the number of stoves; 4. more chefs than stoves

/// Speedup at one chef per core, as a share of the chefs.
const SPEEDUP_AT_LEAST: f64 = 0.9;
/// Dishes per chef: many equal dishes, so every chef cooks the same number of rounds.
const DISHES_PER_CHEF: usize = 8;
const EQUAL_DISH_MS: f64 = 25.0;
/// Twice the chefs may be at most this much faster than one per core (measurement noise).
const OVERSUBSCRIBED_TOLERANCE: f64 = 1.05;

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
// 5. The oven

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

// ---------------------------------------------------------------------------------------------
// 6. Amdahl

/// The fitted serial fraction is within this of the dish's real one.
const AMDAHL_TOLERANCE: f64 = 0.05;

fn plan_amdahl(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_cores(machine, 2, "to fit Amdahl's law to speedups within the cores")?;
    need_threads(machine, 2, "to fit Amdahl's law")?;
    let mut specs = vec![run("sequential", preset("amdahl", Model::Sequential, 1)?)];
    for chefs in 1..=machine.width() {
        specs.push(run(format!("parallel, {chefs} chefs"), preset("amdahl", Model::Parallel, chefs)?));
    }
    Ok(specs)
}

/// The share of an experiment's cooking that only a dish's own chef can do: serial ms over
/// all cook ms. `None` when its cooks are in units (no ms to compare) or there are none.
pub fn serial_fraction(experiment: &Experiment) -> Option<f64> {
    let mut serial = 0.0;
    let mut total = 0.0;
    for phase in experiment.tasks.iter().flat_map(|t| &t.phases) {
        if let Phase::Cook(cook) = phase {
            let s = cook.serial_ms.unwrap_or(0.0);
            serial += s;
            total += s + cook.ms?;
        }
    }
    (total > 0.0).then(|| serial / total)
}

fn judge_amdahl(r: &Runs) -> Finding {
    let sequential = r.wall(0);
    let points: Vec<(usize, f64)> = (1..r.len()).map(|i| (r.chefs(i), sequential / r.wall(i))).collect();
    let fitted = fit_amdahl(&points);
    let real = serial_fraction(r.experiment(0));
    let speedups = points.iter().map(|(p, s)| format!("{} at {p}", times(*s))).collect::<Vec<_>>().join(", ");
    let mut numbers: Vec<_> = points.iter().map(|&(p, s)| num(format!("speedup, {p} chefs"), s)).collect();
    let (Some(fitted), Some(real)) = (fitted, real) else {
        return Finding {
            holds: false,
            what: format!("speedups {speedups}: nothing to fit"),
            numbers,
            why_not: Some("no run with more than one chef, or a dish without a serial part in ms".into()),
        };
    };
    numbers.extend([num("fitted serial fraction", fitted), num("real serial fraction", real), num("Amdahl's cap, 1 / real", 1.0 / real)]);
    Finding {
        holds: (fitted - real).abs() <= AMDAHL_TOLERANCE,
        what: format!(
            "speedups {speedups} fit a serial fraction of {fitted:.3}; the dish's real serial part is {real:.3} (a cap of {})",
            times(1.0 / real)
        ),
        numbers,
        why_not: Some(if fitted > real {
            format!("the speedups fell short of Amdahl's curve: overheads (handing out pieces, start-up) count as serial work too; {BUSY}")
        } else {
            "the speedups beat Amdahl's curve: the serial part ran faster than calibrated (the CPU may have sped up its clock)".into()
        }),
    }
}

// ---------------------------------------------------------------------------------------------
// 7. Tiny tasks

/// Exact units of work (about 13 ms of primes natively), so every split gives whole units.
const TINY_UNITS: u64 = 1024;
const TINY_CHUNKS: [u32; 6] = [1, 4, 16, 64, 256, 1024];

fn plan_tiny_tasks(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 2, "for several chefs to share the pieces")?;
    let chefs = machine.width().max(2).min(machine.most_chefs());
    let mut specs = Vec::new();
    for chunks in TINY_CHUNKS {
        let split = Cook { ms: None, units: Some(TINY_UNITS), kernel: Kernel::Primes, split: Some(Split { chunks }), serial_ms: None };
        let tasks = vec![dish("crumbs".into(), vec![Phase::Cook(split)], vec![])];
        let of = format!("{chunks} pieces of {}", units((TINY_UNITS / u64::from(chunks)) as f64));
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

fn judge_tiny_tasks(r: &Runs) -> Finding {
    let best = fastest_by_chunks(r);
    let units_per_ms = r.traces.iter().flat_map(|t| &t.calibration).find(|c| c.kernel == Kernel::Primes).map(|c| c.units_per_ms);
    let piece = |chunks: u32| TINY_UNITS as f64 / f64::from(chunks);
    let piece_ms = |chunks: u32| units_per_ms.map(|u| piece(chunks) / u);
    let mut numbers = Vec::new();
    for &(chunks, seq, par) in &best {
        numbers.push(num(format!("{chunks} pieces: sequential, ms"), seq));
        numbers.push(num(format!("{chunks} pieces: parallel, ms"), par));
    }
    let Some(&(finest, seq, par)) = best.last() else {
        return Finding { holds: false, what: "no split runs".into(), numbers, why_not: None };
    };
    // The crossover: the smallest piece (most pieces) at which parallel still won.
    let crossover = best.iter().rev().find(|b| b.2 < b.1).map(|b| b.0);
    let found = match crossover {
        Some(c) => {
            numbers.push(num("crossover piece, units", piece(c)));
            if let Some(m) = piece_ms(c) {
                numbers.push(num("crossover piece, ms", m));
            }
            let took = piece_ms(c).map_or(String::new(), |m| format!(", about {}", ms(m)));
            format!("the smallest piece still worth sharing here is {}{took} ({c} pieces)", units(piece(c)))
        }
        None => "found no crossover: parallel won at no split".into(),
    };
    Finding {
        holds: par > seq,
        what: format!(
            "cut into {finest} pieces of {}, several chefs took {} and one chef {}; {found}",
            units(piece(finest)),
            ms(par),
            ms(seq)
        ),
        numbers,
        why_not: Some(format!(
            "parallel still won with pieces of {}: handing out a piece costs less than cooking one on this machine",
            units(piece(finest))
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// 8. The graph decides, the width executes

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

// ---------------------------------------------------------------------------------------------
// 9. Blocking the pass

/// A page that answers within this is responsive (about three frames at 60 Hz).
pub const RESPONSIVE_MS: f64 = 50.0;
/// A gap this long (four times that) is a freeze anyone notices.
pub const FROZEN_MS: f64 = 4.0 * RESPONSIVE_MS;

fn plan_blocking(_: &Machine) -> Result<Vec<RunSpec>, String> {
    // Both on the main thread: the sequential chef blocks it, the juggling one yields every slice.
    let on_main = |label: &str, model| Ok::<_, String>(RunSpec { main_thread: true, ..run(label, preset("three-dishes", model, 1)?) });
    Ok(vec![
        on_main("sequential on the main thread, three 300 ms dishes", Model::Sequential)?,
        on_main("concurrent on the main thread, the same dishes", Model::Concurrent)?,
    ])
}

fn judge_blocking(r: &Runs) -> Finding {
    let walls = format!("the runs took {} and {}", ms(r.wall(0)), ms(r.wall(1)));
    let mut numbers = vec![num("sequential, ms", r.wall(0)), num("juggled, ms", r.wall(1))];
    let gaps: Vec<f64> = r.samples.iter().map(|s| s.longest_gap_ms).collect();
    let [blocked, juggled] = gaps[..] else {
        return Finding {
            holds: false,
            what: format!("{walls}, but the page's responsiveness was not measured"),
            numbers,
            why_not: Some(format!(
                "needs the page's longest gap between event-loop turns during each run ({} samples, got {}); only the \
                 browser can measure it",
                r.len(),
                gaps.len()
            )),
        };
    };
    numbers.extend([num("sequential: longest gap, ms", blocked), num("juggled: longest gap, ms", juggled)]);
    if !(blocked >= 0.0 && juggled >= 0.0 && blocked.is_finite() && juggled.is_finite()) {
        let what = format!("{walls}; the page's samples are not durations ({blocked}, {juggled})");
        return Finding { holds: false, what, numbers, why_not: Some("the page sent a longest gap that is not a number of ms".into()) };
    }
    let frozen = blocked > FROZEN_MS;
    let responsive = juggled <= RESPONSIVE_MS;
    let why_not = match (frozen, responsive) {
        (false, _) => "the sequential run did not block the page: it may have run on a worker rather than the main thread".into(),
        _ => format!("the juggling chef left the page waiting more than {} at once: the page was busy with something else too", ms(RESPONSIVE_MS)),
    };
    Finding {
        holds: frozen && responsive,
        what: format!(
            "cooking one dish after another on the main thread froze the page for up to {}; juggling the same work kept \
             every gap within {} ({walls})",
            ms(blocked),
            ms(juggled)
        ),
        numbers,
        why_not: Some(why_not),
    }
}

// ---------------------------------------------------------------------------------------------
// 10. Three dishes, three chefs

const THREE_TO_ONE: std::ops::RangeInclusive<f64> = 2.55..=3.45;

fn plan_three_dishes(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    need_threads(machine, 3, "for three chefs")?;
    Ok(vec![
        run("sequential, three 300 ms dishes", preset("three-dishes", Model::Sequential, 1)?),
        run("parallel, 3 chefs", preset("three-dishes", Model::Parallel, 3)?),
    ])
}

fn judge_three_dishes(r: &Runs) -> Finding {
    let (one, three) = (r.wall(0), r.wall(1));
    let ratio = one / three;
    let cores = r.machine.cores;
    Finding {
        holds: cores >= 3 && THREE_TO_ONE.contains(&ratio),
        what: format!("three dishes took {} on one chef and {} on three: {ratio:.2} to 1", ms(one), ms(three)),
        numbers: vec![num("one chef, ms", one), num("three chefs, ms", three), num("ratio", ratio)],
        why_not: Some(if cores < 3 { format!("needs 3 cores, this machine has {cores}") } else { BUSY.into() }),
    }
}

// ---------------------------------------------------------------------------------------------
// 11. Shared counters and crossed locks (see `race`)

fn plan_race(machine: &Machine) -> Result<Vec<RunSpec>, String> {
    RacePlan::for_machine(machine).map(|_| Vec::new())
}

/// Never called: `verdict_with_responsiveness` sends race lessons to `race::verdict`.
fn judge_race(_: &Runs) -> Finding {
    Finding { holds: false, what: "judged by race::verdict".into(), numbers: Vec::new(), why_not: None }
}

// ---------------------------------------------------------------------------------------------
// 12. Mixed work

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_ratios_read_well() {
        assert_eq!(ms(2003.4), "2003 ms");
        assert_eq!(ms(12.46), "12.5 ms");
        assert_eq!(ms(20_034.0), "20.0 s");
        assert_eq!(ms(200_340.0), "200 s");
        assert_eq!(ms(0.05), "50 µs");
        assert_eq!(times(1.934), "1.93×");
        assert_eq!((units(1.0), units(4.0)), ("1 unit".to_string(), "4 units".to_string()));
    }

    #[test]
    fn serial_fraction_reads_the_amdahl_preset() {
        let e = preset("amdahl", Model::Sequential, 1).unwrap();
        assert!((serial_fraction(&e).unwrap() - 0.2).abs() < 1e-12);
        let e = preset("three-dishes", Model::Sequential, 1).unwrap();
        assert_eq!(serial_fraction(&e), Some(0.0));
        let e = preset("tiny-tasks", Model::Sequential, 1).unwrap();
        assert_eq!(serial_fraction(&e), None, "work in units has no ms to compare");
    }

    #[test]
    fn graphs_are_a_chain_and_a_fan_out() {
        let chain = graph(true);
        assert!(chain.windows(2).all(|w| w[1].after == [w[0].id.clone()]));
        let fan = graph(false);
        assert!(fan[1..].iter().all(|t| t.after == ["step-1"]));
    }

    #[test]
    fn verdicts_say_where_their_numbers_come_from() {
        let v = Verdict::from_finding(true, false, "x".into(), vec![], Some("unused".into()));
        assert_eq!((v.headline.as_str(), v.reason), ("reproduced on your machine: x", None));
        let v = Verdict::from_finding(false, true, "x".into(), vec![], None);
        assert!(v.headline.starts_with("not reproduced in simulation") && v.reason.is_some(), "{v:?}");
    }

    #[test]
    fn lesson_ids_and_numbers_are_unique_and_in_order() {
        for (i, lesson) in LESSONS.iter().enumerate() {
            assert_eq!(lesson.number as usize, i + 1);
            assert!(LESSONS[i + 1..].iter().all(|l| l.id != lesson.id));
            assert_eq!(find(lesson.id).map(|l| l.number), Some(lesson.number));
        }
    }
}
