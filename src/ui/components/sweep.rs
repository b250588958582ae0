//! Sweep: measured speedup against the number of chefs, with the ideal (linear) line and
//! Amdahl's curve fitted to the points within the core count; Karp–Flatt per point.

use std::rc::Rc;

use yew::prelude::*;

use super::progress::RunProgress;
// The engine's `Sweep` (the numbers), renamed: this component is `Sweep`.
use crate::engine::sweep::{Sweep as SweepResult, SweepPoint};
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
                   the worker threads here): the measured speedup against the ideal line, and Amdahl's law fitted to the \
                   points within the core count." }
            </p>
            <div class="row buttons">
                <button id="sweep" onclick={props.onrun.reform(|_| ())} disabled={blocked}>{ "Sweep chefs" }</button>
                if threads == 0 { <span class="help">{ "Needs worker threads (see the environment above)." }</span> }
            </div>
            { body }
        </section>
    }
}

/// The sweep's plot and table, from the traces so far (the first is the sequential baseline).
fn sweep_view(state: &Store, traces: &[Rc<Trace>], running: bool) -> Html {
    let cores = state.env.as_ref().map_or(1, |e| e.hardware_concurrency);
    let measured = match traces.split_first().map(|(b, rest)| SweepResult::of(b, rest.iter().map(|t| &**t), cores)) {
        Some(Err(e)) => return html! { <p class="error" role="alert">{ format!("Sweep: {e}") }</p> },
        Some(Ok(sweep)) => Some(sweep),
        None => None,
    };
    let points = measured.as_ref().map_or(vec![], |s| s.points.clone());
    let fit = measured.as_ref().and_then(|s| s.amdahl);
    html! {
        <>
            if let Some(sweep) = &measured {
                <p>{ format!("Against one sequential chef: {:.0} ms (measured). {} cores reported.", sweep.baseline_ms, cores) }</p>
            }
            <SpeedupPlot points={points.clone()} fit={fit.map(|a| a.serial_fraction)} cores={cores} />
            if let Some(a) = fit {
                <p id="amdahl-fit">
                    { format!("Amdahl's law fitted to 1..={cores} chefs: serial fraction {:.3}", a.serial_fraction) }
                    { a.max_speedup.map_or(".".into(), |max| format!(", so at most {max:.1}× however many chefs.")) }
                </p>
            }
            <table id="sweep-table">
                <caption>{ "Measured; speedup = sequential wall / wall; Karp–Flatt = the serial fraction each point implies" }</caption>
                <thead><tr><th scope="col">{ "Chefs" }</th><th scope="col">{ "Wall ms" }</th><th scope="col">{ "Speedup" }</th>
                    <th scope="col">{ "Efficiency" }</th><th scope="col">{ "Karp–Flatt" }</th></tr></thead>
                <tbody>
                    { for points.iter().map(|p| html! {
                        <tr>
                            <td class="num">{ p.chefs }</td>
                            <td class="num">{ format!("{:.1}", p.wall_ms) }</td>
                            <td class="num">{ format!("{:.2}×", p.speedup) }</td>
                            <td class="num">{ format!("{:.2}", p.efficiency) }</td>
                            <td class="num">{ p.karp_flatt.map_or("–".into(), |e| format!("{e:.3}")) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if running {
                <p class="help">{ format!("Sweeping: {} runs done; now:", traces.len()) }</p>
                <RunProgress />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct PlotProps {
    points: Vec<SweepPoint>,
    fit: Option<f64>,
    cores: usize,
}

/// Speedup (y) against chefs (x): measured points, the ideal y = x, Amdahl's fitted curve.
#[function_component(SpeedupPlot)]
fn speedup_plot(props: &PlotProps) -> Html {
    const W: f64 = 420.0;
    const H: f64 = 260.0;
    const PAD: f64 = 40.0;
    let max_p = props.points.iter().map(|p| p.chefs).max().unwrap_or(1).max(2) as f64;
    let max_s = props.points.iter().map(|p| p.speedup).fold(max_p.min(props.cores as f64 + 1.0), f64::max).ceil();
    let x = |p: f64| PAD + (W - 2.0 * PAD) * (p - 1.0) / (max_p - 1.0);
    let y = |s: f64| H - PAD - (H - 2.0 * PAD) * s / max_s;
    let ideal = format!("M{} {} L{} {}", x(1.0), y(1.0), x(max_p.min(max_s)), y(max_p.min(max_s)));
    let amdahl = props.fit.map(|f| {
        let curve: Vec<String> = (0..=40)
            .map(|i| 1.0 + (max_p - 1.0) * i as f64 / 40.0)
            .map(|p| format!("{:.1} {:.1}", x(p), y(1.0 / (f + (1.0 - f) / p))))
            .collect();
        format!("M{}", curve.join(" L"))
    });
    let ticks_x = (1..=max_p as usize).map(|p| html! {
        <text class="tick" x={x(p as f64).to_string()} y={(H - PAD + 16.0).to_string()} text-anchor="middle">{ p }</text>
    });
    let ticks_y = (0..=max_s as usize).map(|s| html! {
        <text class="tick" x={(PAD - 8.0).to_string()} y={(y(s as f64) + 4.0).to_string()} text-anchor="end">{ format!("{s}×") }</text>
    });
    let summary = props.points.iter().map(|p| format!("{} chefs {:.2}×", p.chefs, p.speedup)).collect::<Vec<_>>().join(", ");
    html! {
        <figure class="speedup-plot">
            <svg viewBox={format!("0 0 {W} {H}")} role="img" aria-label={format!("Measured speedup: {summary}")}>
                <line class="axis" x1={PAD.to_string()} y1={(H - PAD).to_string()} x2={(W - PAD).to_string()} y2={(H - PAD).to_string()} />
                <line class="axis" x1={PAD.to_string()} y1={PAD.to_string()} x2={PAD.to_string()} y2={(H - PAD).to_string()} />
                <line class="cores" x1={x(props.cores as f64).to_string()} y1={PAD.to_string()} x2={x(props.cores as f64).to_string()} y2={(H - PAD).to_string()} />
                { for ticks_x }{ for ticks_y }
                <path class="ideal-line" d={ideal} />
                if let Some(d) = amdahl { <path class="amdahl" d={d} /> }
                { for props.points.iter().map(|p| html! {
                    <circle class="point" cx={x(p.chefs as f64).to_string()} cy={y(p.speedup).to_string()} r="5">
                        <title>{ format!("{} chefs: {:.2}× (measured)", p.chefs, p.speedup) }</title>
                    </circle>
                }) }
                <text class="axis-label" x={(W / 2.0).to_string()} y={(H - 6.0).to_string()} text-anchor="middle">{ "chefs" }</text>
            </svg>
            <figcaption>
                <span class="key point-key">{ "● measured" }</span>
                <span class="key ideal-key">{ "— ideal: n chefs, n× (computed)" }</span>
                <span class="key amdahl-key">{ "– – Amdahl fit (computed)" }</span>
                <span class="key cores-key">{ "┊ cores" }</span>
            </figcaption>
        </figure>
    }
}
