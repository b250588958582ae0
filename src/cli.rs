//! The native runner: the same experiments and traces as the browser, on this machine's cores.

use std::process::ExitCode;

use anyhow::{bail, Context};
use kitchen::engine::analysis::{GraphAnalysis, TraceMetrics};
use kitchen::engine::breakdown::{Breakdown, RunContext};
use kitchen::engine::export::chrome_trace;
use kitchen::engine::kernel::Calibration;
use kitchen::engine::lessons::Machine;
use kitchen::engine::share::{link, LinkState, View};
use kitchen::engine::sweep::{swept_model, sweep_runs, Limits, Sweep};
use kitchen::engine::trace::TaskTiming;
use kitchen::engine::{calibrated, run_native, Experiment, Model, Plan, Trace};
use serde::Serialize;

mod grade;

const USAGE: &str = "\
usage: concurrency-kitchen run EXPERIMENT.json [--model M] [--chefs N] [--trace OUT.json] [--chrome OUT.json] [--json]
       concurrency-kitchen sweep EXPERIMENT.json [--model M] [--max-chefs N] [--tries N] [--json]
       concurrency-kitchen link EXPERIMENT.json [--model M] [--chefs N] [--view V] [--lesson ID] [--main-thread]
       concurrency-kitchen open-link '#v1.…'
       concurrency-kitchen grade ASSIGNMENT.json SUBMISSION.json|DIR… [--csv FILE] [--gradescope FILE]

run    runs the experiment once and prints its measured timings and where the wall time went
       (ideal, rounds, dependencies, serial part, simmering: computed; overhead: measured minus
       computed); --trace writes the trace (docs/format.md), --chrome a Chrome trace event file
       that Perfetto opens. --json prints a summary instead of the table: model, chefs,
       wall_ms, stopped, checksums_ok, analysis (work_ms, wait_ms, span_ms, critical_path,
       parallelism, ideal_wall_ms: computed), breakdown (docs/format.md, \"Breakdown\"),
       metrics (lanes, busy_ms, utilisation: measured), calibration and tasks; the whole
       trace is what --trace writes.
sweep  runs it sequentially, then with 1..N chefs (default: 2 x cores, 2..16), and prints
       speedup, efficiency and the Karp-Flatt serial fraction per width, the computed walls
       (the simulator's rounds curve), and what shapes the curve: a serial fraction fitted
       only once rounds and dependencies are taken out, or granularity. --tries N runs the
       whole sweep N times (interleaved rounds) and keeps each run's fastest. --json prints
       the sweep as JSON (docs/format.md, \"Sweep\") with path, model and tries.
link   prints the fragment of a permalink to the experiment (append it to the page's address,
       e.g. https://host/#v1.z.…, or to an embed's, …/?embed#v1.z.…); --view timeline, compare,
       sweep or lessons opens that part of the page, --lesson a lesson (with --view lessons).
open-link  prints the state a permalink's fragment holds, as JSON, or why it can't be opened.
grade  grades homework: rebuilds each student's variant from the assignment and the student id,
       checks every run's trace against it and every answer against the student's own runs,
       and prints a table (student, seed, score, flags). A DIR stands for the .json files in
       it. --csv writes one row per student (a column per question; explanations as text),
       --gradescope Gradescope's autograder results.json (one submission only). A submission
       that cannot be read is named with its problem and the exit status is 1.";

pub fn main() -> ExitCode {
    match run(std::env::args().skip(1).collect()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Default)]
struct Options {
    model: Option<Model>,
    chefs: Option<usize>,
    max_chefs: Option<usize>,
    tries: Option<usize>,
    trace: Option<String>,
    chrome: Option<String>,
    json: bool,
    view: Option<View>,
    lesson: Option<String>,
    main_thread: bool,
}

fn run(args: Vec<String>) -> anyhow::Result<()> {
    let mut args = args.into_iter();
    let (Some(command), Some(path)) = (args.next(), args.next()) else { bail!(USAGE) };
    if command == "grade" {
        return grade::run(path, args.collect());
    }
    if command == "open-link" {
        let state = link::decode(&path)?;
        println!("{}", serde_json::to_string_pretty(&state)?);
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
    let mut experiment = Experiment::from_json(&text).map_err(anyhow::Error::msg)?;
    let options = parse_options(args)?;
    if let Some(model) = options.model {
        experiment.model = model;
    }
    if let Some(chefs) = options.chefs {
        experiment.chefs = chefs;
    }
    match command.as_str() {
        "run" => run_once(&experiment, &path, &options),
        "sweep" => sweep(&experiment, &path, &options),
        "link" => {
            let state = LinkState { experiment, main_thread: options.main_thread, view: options.view.unwrap_or_default(), lesson: options.lesson };
            // Refuse here what the page would refuse when the link is opened.
            link::decode(&link::encode(&state))?;
            println!("#{}", link::encode(&state));
            Ok(())
        }
        _ => bail!(USAGE),
    }
}

fn parse_options(mut args: impl Iterator<Item = String>) -> anyhow::Result<Options> {
    let mut options = Options::default();
    while let Some(flag) = args.next() {
        if flag == "--json" || flag == "--main-thread" {
            *(if flag == "--json" { &mut options.json } else { &mut options.main_thread }) = true;
            continue;
        }
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        let count = || value.parse::<usize>().with_context(|| format!("{flag} {value}: not a number"));
        match flag.as_str() {
            "--model" => options.model = Some(value.parse().map_err(anyhow::Error::msg)?),
            "--chefs" => options.chefs = Some(count()?),
            "--max-chefs" => options.max_chefs = Some(count()?),
            "--tries" => match count()? {
                0 => bail!("--tries must be at least 1"),
                n => options.tries = Some(n),
            },
            "--trace" => options.trace = Some(value),
            "--chrome" => options.chrome = Some(value),
            "--view" => {
                let names = View::ALL.map(View::name).join(", ");
                options.view = Some(View::named(&value).with_context(|| format!("--view {value}: expected one of {names}"))?);
            }
            "--lesson" => options.lesson = Some(value),
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    Ok(options)
}

fn run_once(experiment: &Experiment, path: &str, options: &Options) -> anyhow::Result<()> {
    let plan = Plan::new(experiment, &calibrated)?;
    let analysis = GraphAnalysis::of(&plan);
    let trace = run_native(experiment)?;
    // Natively no page draws frames between a juggler's turns: the trace alone says what they cost.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let breakdown = Breakdown::of(experiment, &trace, RunContext { cores: Some(cores), frames_ms: None })?;
    if options.json {
        println!("{}", serde_json::to_string_pretty(&RunJson::of(path, &trace, &analysis, &breakdown))?);
    } else {
        print_summary(&trace, &analysis);
        print_breakdown(&breakdown);
    }
    // With --json, stdout is the JSON alone: the notes go to stderr.
    let note = |line: String| if options.json { eprintln!("{line}") } else { println!("{line}") };
    if let Some(path) = &options.trace {
        std::fs::write(path, serde_json::to_string_pretty(&trace)?).with_context(|| format!("writing {path}"))?;
        note(format!("trace written to {path}"));
    }
    if let Some(path) = &options.chrome {
        std::fs::write(path, chrome_trace(&trace).to_string()).with_context(|| format!("writing {path}"))?;
        note(format!("Chrome trace written to {path} (open it in Perfetto)"));
    }
    Ok(())
}

/// `run --json`: the run's summary, the same numbers as the text table.
#[derive(Serialize)]
struct RunJson<'a> {
    path: &'a str,
    model: Model,
    chefs: usize,
    wall_ms: f64,
    stopped: bool,
    checksums_ok: bool,
    analysis: AnalysisJson<'a>,
    breakdown: &'a Breakdown,
    metrics: TraceMetrics,
    calibration: &'a [Calibration],
    tasks: &'a [TaskTiming],
}

/// The plan's work/span analysis and the ideal wall for the run's chefs: computed, not measured.
#[derive(Serialize)]
struct AnalysisJson<'a> {
    #[serde(flatten)]
    graph: &'a GraphAnalysis,
    ideal_wall_ms: f64,
}

impl<'a> RunJson<'a> {
    fn of(path: &'a str, trace: &'a Trace, analysis: &'a GraphAnalysis, breakdown: &'a Breakdown) -> RunJson<'a> {
        RunJson {
            path,
            model: trace.model,
            chefs: trace.chefs,
            wall_ms: trace.wall_ms,
            stopped: trace.stopped,
            checksums_ok: trace.checksums_ok,
            analysis: AnalysisJson { graph: analysis, ideal_wall_ms: analysis.ideal_wall_ms(trace.chefs) },
            breakdown,
            metrics: TraceMetrics::of(trace),
            calibration: &trace.calibration,
            tasks: &trace.tasks,
        }
    }
}

fn print_summary(trace: &Trace, analysis: &GraphAnalysis) {
    let metrics = TraceMetrics::of(trace);
    println!(
        "model {}  chefs {}  wall {:.1} ms (measured)  utilisation {:.0}%",
        trace.model.name(),
        trace.chefs,
        trace.wall_ms,
        metrics.utilisation * 100.0
    );
    println!(
        "graph: work {:.1} ms, span {:.1} ms, parallelism {:.2}; ideal wall for {} chefs {:.1} ms (computed)",
        analysis.work_ms,
        analysis.span_ms,
        analysis.parallelism,
        trace.chefs,
        analysis.ideal_wall_ms(trace.chefs)
    );
    for c in &trace.calibration {
        println!("calibration: {} {:.1} units/ms", c.kernel.name(), c.units_per_ms);
    }
    println!("{:<16} {:>5} {:>10} {:>10} {:>6}", "task", "lane", "start ms", "end ms", "polls");
    for t in &trace.tasks {
        println!("{:<16} {:>5} {:>10.1} {:>10.1} {:>6}", t.id, t.lane, t.start_ms, t.end_ms, t.polls);
    }
    if !trace.checksums_ok {
        println!("warning: a kernel returned a wrong checksum");
    }
}

/// Where the wall time went, part by part: they add up to the measured wall.
fn print_breakdown(b: &Breakdown) {
    println!("where the {:.1} ms went: {}", b.wall_ms, b.summary());
    for p in &b.parts {
        println!("  {:<25} {:>9.1} ms  {:<19}  {}", p.part.title(), p.ms, p.basis.label(), p.says);
        for detail in &p.details {
            println!("  {:<25} {:>12}  {:<19}  {detail}", "", "", "");
        }
    }
}

fn sweep(experiment: &Experiment, path: &str, options: &Options) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let runs = sweep_runs(experiment, options.max_chefs.unwrap_or(Machine::threads_for(cores)));
    let model = swept_model(experiment.model);
    let tries = options.tries.unwrap_or(1);
    // The fastest trace of each run so far: noise only ever slows a run down.
    let mut best: Vec<Trace> = Vec::with_capacity(runs.len());
    for round in 1..=tries {
        for (i, run) in runs.iter().enumerate() {
            let trace = run_native(run)?;
            match best.get_mut(i) {
                Some(kept) if kept.wall_ms <= trace.wall_ms => {}
                Some(kept) => *kept = trace,
                None => best.push(trace),
            }
            // In the last round each row is final as soon as its run ends: print it then.
            if round == tries && !options.json {
                print_sweep_row(&Sweep::of(&best[0], &best[1..=i], cores)?, model);
            }
        }
    }
    let limits = Limits::of(experiment, &best[0].calibration, runs.len() - 1, cores)?;
    let sweep = Sweep::explained(&best[0], &best[1..], cores, limits)?;
    if options.json {
        let json = SweepJson { path, model, tries, sweep: &sweep };
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else if let Some(x) = &sweep.explained {
        println!("computed (simulated with the baseline's calibration), per width:");
        for w in &x.limits.widths {
            let wall = w.simulated_ms + w.stoves_ms;
            println!("{:>5} {wall:>10.1} ms {:>7.2}x predicted, {:.2}x work/span limit", w.chefs, w.predicted_speedup, w.limit_speedup);
        }
        for line in x.says.iter().chain(std::iter::once(&x.serial_says)) {
            println!("{line}");
        }
        println!("(Karp-Flatt counts everything that kept the chefs from sharing the work evenly: rounds, dependencies, serial parts and overhead alike.)");
    }
    Ok(())
}

/// `sweep --json`: the engine's [`Sweep`] and what was swept.
#[derive(Serialize)]
struct SweepJson<'a> {
    path: &'a str,
    /// The model of the runs with 1..=N chefs (the baseline is sequential).
    model: Model,
    tries: usize,
    #[serde(flatten)]
    sweep: &'a Sweep,
}

/// The text line for the sweep's newest run: the header for the baseline, else its last point.
fn print_sweep_row(sweep: &Sweep, model: Model) {
    let Some(p) = sweep.points.last() else {
        let cores = sweep.cores;
        println!("sweep of {} on {cores} cores; sequential wall {:.1} ms (measured)", model.name(), sweep.baseline_ms);
        println!("{:>5} {:>10} {:>8} {:>10} {:>11}", "chefs", "wall ms", "speedup", "efficiency", "Karp-Flatt");
        return;
    };
    let kf = p.karp_flatt.map_or("-".to_string(), |e| format!("{e:.3}"));
    println!("{:>5} {:>10.1} {:>8.2} {:>10.2} {kf:>11}", p.chefs, p.wall_ms, p.speedup, p.efficiency);
}
