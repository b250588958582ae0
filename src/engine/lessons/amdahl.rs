//! Amdahl's law (6): the serial part of a dish caps the speedup, and fitting the law to measured
//! speedups recovers it.

use super::builders::{need_cores, need_threads, preset, run};
use super::verdict::{Finding, Measures, Runs};
use super::words::{num, times, BUSY};
use super::{Lesson, Machine, RunSpec};
use crate::engine::analysis::fit_amdahl;
use crate::engine::experiment::{Experiment, Model, Phase};

pub(super) const AMDAHL: Lesson = Lesson {
    number: 6,
    id: "amdahl",
    title: "Amdahl: the serial part caps the speedup",
    claim: "If a fifth of a dish can only be done by one chef, no number of chefs makes it more than 5× faster. \
            Fitting Amdahl's law to the speedups measured at 1, 2, … chefs recovers that serial fraction.",
    measures: Measures::Traces,
    tries: 2,
    plan: plan_amdahl,
    judge: Some(judge_amdahl),
    caveat: None,
};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_fraction_reads_the_amdahl_preset() {
        let e = preset("amdahl", Model::Sequential, 1).unwrap();
        assert!((serial_fraction(&e).unwrap() - 0.2).abs() < 1e-12);
        let e = preset("three-dishes", Model::Sequential, 1).unwrap();
        assert_eq!(serial_fraction(&e), Some(0.0));
        let e = preset("tiny-tasks", Model::Sequential, 1).unwrap();
        assert_eq!(serial_fraction(&e), None, "work in units has no ms to compare");
    }
}
