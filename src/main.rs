//! On wasm32 this starts the web app; natively it is the command-line runner.

#[cfg(target_arch = "wasm32")]
fn main() {
    kitchen::runtime::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::process::ExitCode;

    use anyhow::{bail, Context};
    use kitchen::engine::{run_native, Experiment, Model};

    const USAGE: &str = "usage: concurrency-kitchen run EXPERIMENT.json [--model M] [--chefs N] [--trace OUT.json]";

    pub fn main() -> ExitCode {
        match run(std::env::args().skip(1).collect()) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::FAILURE
            }
        }
    }

    fn run(args: Vec<String>) -> anyhow::Result<()> {
        let mut args = args.into_iter();
        let (Some(cmd), Some(path)) = (args.next(), args.next()) else { bail!(USAGE) };
        if cmd != "run" {
            bail!(USAGE);
        }
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {path}"))?;
        let mut experiment = Experiment::from_json(&text).map_err(anyhow::Error::msg)?;
        let mut trace_path = None;
        while let Some(flag) = args.next() {
            let value = args.next().with_context(|| format!("{flag} needs a value"))?;
            match flag.as_str() {
                "--model" => experiment.model = value.parse::<Model>().map_err(anyhow::Error::msg)?,
                "--chefs" => experiment.chefs = value.parse().with_context(|| format!("--chefs {value}"))?,
                "--trace" => trace_path = Some(value),
                _ => bail!("unknown option {flag}\n{USAGE}"),
            }
        }
        let trace = run_native(&experiment)?;
        println!("model {}  chefs {}  wall {:.1} ms", trace.model.name(), trace.chefs, trace.wall_ms);
        println!("{:<16} {:>5} {:>10} {:>10}", "task", "lane", "start ms", "end ms");
        for t in &trace.tasks {
            println!("{:<16} {:>5} {:>10.1} {:>10.1}", t.id, t.lane, t.start_ms, t.end_ms);
        }
        if let Some(path) = trace_path {
            std::fs::write(&path, serde_json::to_string_pretty(&trace)?).with_context(|| format!("writing {path}"))?;
            println!("trace written to {path}");
        }
        Ok(())
    }
}
