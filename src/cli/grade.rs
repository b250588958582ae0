//! `concurrency-kitchen grade`: a folder of submissions into a table, a CSV and Gradescope's
//! results.json (the grading itself is `kitchen::engine::homework::grade`).

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use kitchen::engine::homework::{self, Assignment, Report, Submission};

/// Grades every submission named by `args` (files, or folders of .json files) against the
/// assignment at `assignment_path`.
pub fn run(assignment_path: String, args: Vec<String>) -> anyhow::Result<()> {
    let (inputs, csv_path, gradescope_path) = parse(args)?;
    let text = std::fs::read_to_string(&assignment_path).with_context(|| format!("reading {assignment_path}"))?;
    let assignment = Assignment::from_json(&text).map_err(|e| anyhow::anyhow!("{assignment_path}: {e}"))?;
    let files = submission_files(&inputs)?;
    if gradescope_path.is_some() && files.len() != 1 {
        bail!("--gradescope writes the results of one submission (Gradescope grades each alone); {} were given", files.len());
    }
    let mut reports = Vec::new();
    let mut unreadable = 0;
    for file in &files {
        match read_submission(file) {
            Ok(s) => reports.push(homework::grade(&assignment, &s)),
            Err(e) => {
                eprintln!("{}: {e:#}", file.display());
                unreadable += 1;
            }
        }
    }
    print_table(&reports);
    warn_duplicates(&reports);
    if let Some(path) = &csv_path {
        std::fs::write(path, homework::csv(&assignment, &reports)).with_context(|| format!("writing {path}"))?;
        println!("CSV written to {path} ({} students)", reports.len());
    }
    if let (Some(path), Some(report)) = (&gradescope_path, reports.first()) {
        let json = serde_json::to_string_pretty(&homework::gradescope(report))?;
        std::fs::write(path, json).with_context(|| format!("writing {path}"))?;
        println!("Gradescope results written to {path}");
    }
    if unreadable > 0 {
        bail!("{unreadable} of {} submissions could not be read (named above)", files.len());
    }
    Ok(())
}

type Parsed = (Vec<String>, Option<String>, Option<String>);

fn parse(args: Vec<String>) -> anyhow::Result<Parsed> {
    let (mut inputs, mut csv, mut gradescope) = (Vec::new(), None, None);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--csv" => csv = Some(args.next().context("--csv needs a file")?),
            "--gradescope" => gradescope = Some(args.next().context("--gradescope needs a file")?),
            flag if flag.starts_with("--") => bail!("unknown option {flag} for grade"),
            _ => inputs.push(arg),
        }
    }
    if inputs.is_empty() {
        bail!("grade needs at least one SUBMISSION.json or folder of them");
    }
    Ok((inputs, csv, gradescope))
}

/// The files named, folders replaced by their .json files (sorted, not recursive).
fn submission_files(inputs: &[String]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for input in inputs {
        let path = Path::new(input);
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading folder {input}"))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "json"))
                .collect();
            found.sort();
            if found.is_empty() {
                bail!("no .json files in {input}");
            }
            files.extend(found);
        } else {
            files.push(path.to_path_buf());
        }
    }
    Ok(files)
}

fn read_submission(file: &Path) -> anyhow::Result<Submission> {
    let text = std::fs::read_to_string(file).context("reading it")?;
    Ok(Submission::from_json(&text)?)
}

fn print_table(reports: &[Report]) {
    let width = reports.iter().map(|r| r.student.chars().count()).max().unwrap_or(0).max(7);
    println!("{:<width$}  {:<16}  {:>11}  flags", "student", "seed", "score");
    for r in reports {
        let score = format!("{}/{}", trim(r.score), trim(r.max_score));
        let flags = r.all_flags();
        let flags = if flags.is_empty() { "-".to_string() } else { flags.join(" | ") };
        println!("{:<width$}  {}  {score:>11}  {flags}", r.student, r.seed);
    }
}

fn warn_duplicates(reports: &[Report]) {
    for (i, r) in reports.iter().enumerate() {
        if reports[..i].iter().any(|o| o.student == r.student) {
            eprintln!("warning: student {} handed in more than one submission", r.student);
        }
    }
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
