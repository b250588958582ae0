//! The native runner: the same experiments and traces as the browser, on this machine's cores.

use std::process::ExitCode;

use anyhow::{bail, Context};
use kitchen::engine::analysis::{fit_amdahl, karp_flatt, GraphAnalysis, TraceMetrics};
use kitchen::engine::export::chrome_trace;
use kitchen::engine::{calibrated, run_native, Experiment, Model, Plan, Trace};

const USAGE: &str = "\
usage: concurrency-kitchen run EXPERIMENT.json [--model M] [--chefs N] [--trace OUT.json] [--chrome OUT.json]
       concurrency-kitchen sweep EXPERIMENT.json [--model M] [--max-chefs N]

run    runs the experiment once and prints its measured timings; --trace writes the trace
       (docs/format.md), --chrome a Chrome trace event file that Perfetto opens.
sweep  runs it sequentially, then with 1..N chefs (default: 2 x cores), and prints speedup,
       efficiency and the Karp-Flatt serial fraction per width, and Amdahl's fit.";

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
    trace: Option<String>,
    chrome: Option<String>,
}

fn run(args: Vec<String>) -> anyhow::Result<()> {
    let mut args = args.into_iter();
    let (Some(command), Some(path)) = (args.next(), args.next()) else { bail!(USAGE) };
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
        "run" => run_once(&experiment, &options),
        "sweep" => sweep(&experiment, &options),
        _ => bail!(USAGE),
    }
}

fn parse_options(mut args: impl Iterator<Item = String>) -> anyhow::Result<Options> {
    let mut options = Options::default();
    while let Some(flag) = args.next() {
        let value = args.next().with_context(|| format!("{flag} needs a value"))?;
        let count = || value.parse::<usize>().with_context(|| format!("{flag} {value}: not a number"));
        match flag.as_str() {
            "--model" => options.model = Some(value.parse().map_err(anyhow::Error::msg)?),
            "--chefs" => options.chefs = Some(count()?),
            "--max-chefs" => options.max_chefs = Some(count()?),
            "--trace" => options.trace = Some(value),
            "--chrome" => options.chrome = Some(value),
            _ => bail!("unknown option {flag}\n{USAGE}"),
        }
    }
    Ok(options)
}

fn run_once(experiment: &Experiment, options: &Options) -> anyhow::Result<()> {
    let plan = Plan::new(experiment, &calibrated)?;
    let analysis = GraphAnalysis::of(&plan);
    let trace = run_native(experiment)?;
    print_summary(&trace, &analysis);
    if let Some(path) = &options.trace {
        std::fs::write(path, serde_json::to_string_pretty(&trace)?).with_context(|| format!("writing {path}"))?;
        println!("trace written to {path}");
    }
    if let Some(path) = &options.chrome {
        std::fs::write(path, chrome_trace(&trace).to_string()).with_context(|| format!("writing {path}"))?;
        println!("Chrome trace written to {path} (open it in Perfetto)");
    }
    Ok(())
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

fn sweep(experiment: &Experiment, options: &Options) -> anyhow::Result<()> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = options.max_chefs.unwrap_or(2 * cores);
    let model = if experiment.model.is_parallel() { experiment.model } else { Model::Parallel };
    let sequential = run_native(&Experiment { model: Model::Sequential, ..experiment.clone() })?;
    println!("sweep of {} on {cores} cores; sequential wall {:.1} ms (measured)", model.name(), sequential.wall_ms);
    println!("{:>5} {:>10} {:>8} {:>10} {:>11}", "chefs", "wall ms", "speedup", "efficiency", "Karp-Flatt");
    let mut points = Vec::new();
    for chefs in 1..=max {
        let trace = run_native(&Experiment { model, chefs, ..experiment.clone() })?;
        let speedup = sequential.wall_ms / trace.wall_ms;
        points.push((chefs, speedup));
        let kf = karp_flatt(speedup, chefs).map_or("-".to_string(), |e| format!("{e:.3}"));
        println!("{chefs:>5} {:>10.1} {speedup:>8.2} {:>10.2} {kf:>11}", trace.wall_ms, speedup / chefs as f64);
    }
    // Past the core count, chefs share cores: those points measure oversubscription, not
    // the experiment's serial fraction, so Amdahl is fitted to 1..=cores only.
    let within_cores: Vec<_> = points.iter().copied().filter(|&(p, _)| p <= cores).collect();
    if let Some(f) = fit_amdahl(&within_cores) {
        let cap = if f > 0.0 { format!("{:.1}x", 1.0 / f) } else { "unbounded".into() };
        println!("Amdahl fit over 1..={cores} chefs: serial fraction {f:.3} (max speedup {cap})");
    }
    Ok(())
}
