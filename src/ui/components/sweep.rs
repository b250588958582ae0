//! Sweep: measured speedup against the number of chefs, read against the computed limits —
//! the ideal (linear) line, the work/span limit (available parallelism) and the walls the
//! simulator predicts for each width (the rounds curve) — with Amdahl's law fitted only to
//! what the rounds and dependencies leave, and Karp–Flatt per point. Computed in the reducer.

use std::rc::Rc;

use yew::prelude::*;

use super::progress::RunProgress;
// The engine's `Sweep` (the numbers), renamed: this component is `Sweep`.
use crate::engine::sweep::{Explained, Plateau, Sweep as SweepResult};
use crate::engine::Trace;
use crate::ui::state::{batch_error, use_store, BatchStatus, Store};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Starts "Sweep chefs".
    pub onrun: Callback<()>,
}

#[function_component(Sweep)]
pub fn sweep(props: &Props) -> Html {
    let state = use_store();
    let threads = state.env.as_ref().map_or(0, |e| e.threads);
    let blocked = state.running() || state.invalid().is_some() || threads == 0;
    let body = match state.sweep.traces() {
        Some((traces, running)) => sweep_view(&state, traces, running),
        None => batch_error("Sweep", &state.sweep),
    };
    html! {
        <section class="sweep" aria-labelledby="sweep-title" aria-busy={matches!(state.sweep, BatchStatus::Running(_)).to_string()}>
            <h2 id="sweep-title">{ "Speedup against chefs" }</h2>
            <p class="help">
                { "Cooks the dishes once with one sequential chef, then with the parallel model at 1, 2, … chefs (up to \
                   the worker threads here): the measured speedup against the computed limits, and Amdahl's law fitted \
                   to what the rounds and dependencies leave." }
            </p>
            <div class="row buttons">
                <button id="sweep" onclick={props.onrun.reform(|_| ())} disabled={blocked}>{ "Sweep chefs" }</button>
                if threads == 0 { <span class="help">{ "Needs worker threads (see the environment above)." }</span> }
            </div>
            { body }
        </section>
    }
}

/// The sweep's plot, explanation and table, from the traces so far (the first is the
/// sequential baseline), as the reducer computed them.
fn sweep_view(state: &Store, traces: &[Rc<Trace>], running: bool) -> Html {
    let cores = state.env.as_ref().map_or(1, |e| e.hardware_concurrency);
    let measured = match &state.sweep_result {
        Some(Err(e)) => return html! { <p class="error" role="alert">{ format!("Sweep: {e}") }</p> },
        Some(Ok(sweep)) => Some(sweep.clone()),
        None => None,
    };
    let limits_error = match &state.sweep_limits {
        Some(Err(e)) => Some(e.to_string()),
        _ => None,
    };
    let explained = measured.as_ref().and_then(|s| s.explained.clone());
    let points = measured.as_ref().map_or(vec![], |s| s.points.clone());
    html! {
        <>
            if let Some(sweep) = &measured {
                <p>{ format!("Against one sequential chef: {:.0} ms (measured). {} cores reported.", sweep.baseline_ms, cores) }</p>
            }
            <SpeedupPlot sweep={measured.as_deref().cloned()} cores={cores} />
            if let Some(x) = &explained {
                <ul id="sweep-explained" data-plateau={plateau_name(x.plateau)}>
                    { for x.says.iter().map(|s| html! { <li>{ s }</li> }) }
                </ul>
                <p id="amdahl-fit" data-serial-fraction={x.serial_fraction.map(|f| format!("{f:.4}"))}
                    data-dishes-serial-fraction={x.dishes_serial_fraction.map(|f| format!("{f:.4}"))}>{ &x.serial_says }</p>
            }
            if let Some(e) = limits_error { <p class="help">{ format!("No computed limits: {e}") }</p> }
            <p id="sweep-table-help" class="help">
                { "Measured: speedup = sequential wall / wall. Karp–Flatt is the serial fraction each point implies: it counts \
                   everything that kept the chefs from sharing the work evenly — rounds, dependencies, serial parts and \
                   overhead alike. Computed: the simulator's wall and speedup for the same dishes, with chefs beyond \
                   the cores taking turns at them." }
            </p>
            <div class="table-scroll">
            <table id="sweep-table" aria-describedby="sweep-table-help">
                <caption>{ "Per width: measured, then computed" }</caption>
                <thead><tr><th scope="col">{ "Chefs" }</th><th scope="col">{ "Wall ms" }</th><th scope="col">{ "Speedup" }</th>
                    <th scope="col">{ "Efficiency" }</th><th scope="col">{ "Karp–Flatt" }</th>
                    <th scope="col">{ "Computed ms" }</th><th scope="col">{ "Predicted" }</th></tr></thead>
                <tbody>
                    { for points.iter().map(|p| {
                        let limit = explained.as_ref().and_then(|x| x.limits.at(p.chefs));
                        html! {
                            <tr>
                                <td class="num">{ p.chefs }</td>
                                <td class="num">{ format!("{:.1}", p.wall_ms) }</td>
                                <td class="num">{ format!("{:.2}×", p.speedup) }</td>
                                <td class="num">{ format!("{:.2}", p.efficiency) }</td>
                                <td class="num">{ p.karp_flatt.map_or("–".into(), |e| format!("{e:.3}")) }</td>
                                <td class="num">{ limit.map_or("–".into(), |w| format!("{:.1}", w.simulated_ms + w.stoves_ms)) }</td>
                                <td class="num">{ limit.map_or("–".into(), |w| format!("{:.2}×", w.predicted_speedup)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            </div>
            if running {
                <p class="help">{ format!("Sweeping: {} runs done; now:", traces.len()) }</p>
                <RunProgress />
            }
        </>
    }
}

fn plateau_name(p: Plateau) -> &'static str {
    match p {
        Plateau::Granularity => "granularity",
        Plateau::SerialPart => "serial_part",
        Plateau::Dependencies => "dependencies",
        Plateau::Simmering => "simmering",
        Plateau::Overhead => "overhead",
        Plateau::None => "none",
    }
}

#[derive(Properties, PartialEq)]
struct PlotProps {
    sweep: Option<SweepResult>,
    cores: usize,
}

/// Speedup (y) against chefs (x): measured points; the ideal y = x; the computed limits (the
/// work/span limit and the simulator's prediction per width); Amdahl's fit on top of the
/// prediction's rounds and dependencies (so it matches the points when that is all there is).
#[function_component(SpeedupPlot)]
fn speedup_plot(props: &PlotProps) -> Html {
    const W: f64 = 420.0;
    const H: f64 = 260.0;
    const PAD: f64 = 40.0;
    let points = props.sweep.as_ref().map_or(vec![], |s| s.points.clone());
    let explained = props.sweep.as_ref().and_then(|s| s.explained.as_ref());
    let max_p = points.iter().map(|p| p.chefs).max().unwrap_or(1).max(2) as f64;
    let limit_max = explained.map_or(0.0, |x| x.limits.widths.iter().map(|w| w.limit_speedup.min(max_p)).fold(0.0, f64::max));
    let max_s = points.iter().map(|p| p.speedup).fold(max_p.min(props.cores as f64 + 1.0).max(limit_max), f64::max).ceil();
    let x = |p: f64| PAD + (W - 2.0 * PAD) * (p - 1.0) / (max_p - 1.0);
    let y = |s: f64| H - PAD - (H - 2.0 * PAD) * s.min(max_s) / max_s;
    let ideal = format!("M{} {} L{} {}", x(1.0), y(1.0), x(max_p.min(max_s)), y(max_p.min(max_s)));
    let path = |xy: Vec<(f64, f64)>| {
        (xy.len() > 1).then(|| format!("M{}", xy.iter().map(|(p, s)| format!("{:.1} {:.1}", x(*p), y(*s))).collect::<Vec<_>>().join(" L")))
    };
    let widths = |x: &Explained| x.limits.widths.iter().filter(|w| w.chefs as f64 <= max_p).copied().collect::<Vec<_>>();
    let limit = explained.and_then(|x| path(widths(x).iter().map(|w| (w.chefs as f64, w.limit_speedup)).collect()));
    let predicted = explained.map(widths).unwrap_or_default();
    let rounds = path(predicted.iter().map(|w| (w.chefs as f64, w.predicted_speedup)).collect());
    let amdahl = props.sweep.as_ref().zip(explained).and_then(|(s, x)| {
        let f = x.serial_fraction?;
        // The fitted law for the walls the rounds and dependencies leave, with those added back.
        let curve = widths(x).into_iter().map(|w| {
            let wall = s.baseline_ms * (f + (1.0 - f) / w.chefs as f64) + w.rounds_ms + w.waiting_ms + w.stoves_ms;
            (w.chefs as f64, s.baseline_ms / wall)
        });
        path(curve.collect())
    });
    let ticks_x = (1..=max_p as usize).map(|p| html! {
        <text class="tick" x={x(p as f64).to_string()} y={(H - PAD + 16.0).to_string()} text-anchor="middle">{ p }</text>
    });
    let ticks_y = (0..=max_s as usize).map(|s| html! {
        <text class="tick" x={(PAD - 8.0).to_string()} y={(y(s as f64) + 4.0).to_string()} text-anchor="end">{ format!("{s}×") }</text>
    });
    let summary = points.iter().map(|p| format!("{} chefs {:.2}×", p.chefs, p.speedup)).collect::<Vec<_>>().join(", ");
    html! {
        <figure class="speedup-plot">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("Measured speedup: {summary}")}>
                <line class="axis" x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} />
                <line class="cores" x1={x(props.cores as f64).to_string()} y1={PAD.to_string()} x2={x(props.cores as f64).to_string()} y2={(H - PAD).to_string()} />
                { for ticks_x }{ for ticks_y }
                if let Some(d) = limit { <path class="limit-line" d={d} /> }
                <path class="ideal-line" d={ideal} />
                if let Some(d) = rounds { <path class="rounds-line" d={d} /> }
                { for predicted.iter().map(|w| html! {
                    <rect class="rounds-point" x={format!("{:.1}", x(w.chefs as f64) - 3.5)} y={format!("{:.1}", y(w.predicted_speedup) - 3.5)}
                        width="7" height="7">
                        <title>{ format!("{} chefs: {:.2}× predicted ({:.0} ms computed)", w.chefs, w.predicted_speedup, w.simulated_ms + w.stoves_ms) }</title>
                    </rect>
                }) }
                if let Some(d) = amdahl { <path class="amdahl" d={d} /> }
                { for points.iter().map(|p| html! {
                    <circle class="point" cx={x(p.chefs as f64).to_string()} cy={y(p.speedup).to_string()} r="5">
                        <title>{ format!("{} chefs: {:.2}× (measured)", p.chefs, p.speedup) }</title>
                    </circle>
                }) }
                <text class="axis-label" x={(W / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ "chefs" }</text>
            </svg>
            <figcaption>
                <span class="key point-key">{ "● measured" }</span>
                <span class="key ideal-key">{ "— ideal: n chefs, n× (computed)" }</span>
                <span class="key limit-key">{ "— work/span limit: available parallelism (computed)" }</span>
                <span class="key rounds-key">{ "■ simulator's prediction: rounds, dependencies, serial parts, chefs beyond the cores (computed)" }</span>
                <span class="key amdahl-key">{ "– – Amdahl's fit to what remains, on top of the rounds (computed)" }</span>
                <span class="key cores-key">{ "┊ cores" }</span>
            </figcaption>
        </figure>
    }
}
