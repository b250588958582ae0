//! Compare: the same dishes under every model, walls side by side (measured), each split into
//! where it went (the breakdown: ideal, rounds, … computed; overhead measured − computed), and
//! each model's timeline on one time axis.

use std::rc::Rc;

use yew::prelude::*;

use super::breakdown::part_class;
use super::progress::RunProgress;
use super::timeline::Timeline;
use crate::engine::analysis::GraphAnalysis;
use crate::engine::breakdown::PartKind;
use crate::engine::{Model, Trace};
use crate::ui::state::{batch_error, use_store, BatchStatus, Explained, Store};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Starts "Run all models".
    pub onrun: Callback<()>,
    /// The models `onrun` compares when not all four (an embed's `models=`): the button says which.
    #[prop_or_default]
    pub only: Option<Vec<Model>>,
}

/// The button's words: "Run all models", or the models it runs when an embed offers fewer.
fn run_label(only: Option<&[Model]>) -> String {
    match only {
        Some(models) if models.len() < Model::ALL.len() => {
            let names: Vec<&str> = models.iter().map(|m| m.name()).collect();
            format!("Run {}", names.join(" and "))
        }
        _ => "Run all models".into(),
    }
}

#[function_component(Compare)]
pub fn compare(props: &Props) -> Html {
    let state = use_store();
    let blocked = state.running() || state.invalid().is_some();
    let body = match state.compare.traces() {
        Some((traces, running)) => batch_view(&state, traces, running),
        None => batch_error("Run all models", &state.compare),
    };
    html! {
        <section class="compare" aria-labelledby="compare-title"
            aria-busy={matches!(state.compare, BatchStatus::Running(_)).to_string()}>
            <h2 id="compare-title">{ "All models, same dishes" }</h2>
            <p class="help">
                { "Cooks the dishes under every model this page can run, one after another: the measured walls side by \
                   side, each split into where it went, against the ideal for each width (computed from work and span), \
                   and each model's timeline on one time axis." }
            </p>
            <div class="row buttons">
                <button id="compare" onclick={props.onrun.reform(|_| ())} disabled={blocked}>{ run_label(props.only.as_deref()) }</button>
            </div>
            { body }
        </section>
    }
}

/// The walls, breakdowns and timelines of the models run so far.
fn batch_view(state: &Store, traces: &[Rc<Trace>], running: bool) -> Html {
    let analysis = state.analysis().cloned();
    let breakdowns = state.compare_breakdowns.clone();
    // One time axis for every model, long enough for the slowest run and every ideal.
    let ideal_max = analysis.as_ref().map_or(0.0, |a| traces.iter().map(|t| a.ideal_wall_ms(t.chefs)).fold(0.0, f64::max));
    let axis_ms = traces.iter().map(|t| t.wall_ms).fold(ideal_max.max(1.0), f64::max);
    let experiment = state.experiment.clone();
    html! {
        <>
            <WallBars traces={traces.to_vec()} breakdowns={breakdowns.clone()} analysis={analysis.clone()} axis_ms={axis_ms} />
            <BreakdownTable traces={traces.to_vec()} breakdowns={breakdowns.clone()} />
            if running {
                <p class="help">{ format!("{} of the models done; now:", traces.len()) }</p>
                <RunProgress />
            }
            { for traces.iter().enumerate().map(|(i, t)| html! {
                <div class="compare-timeline" data-model={t.model.name()}>
                    <h3>{ format!("{} · {} chef{}", t.model.name(), t.chefs, if t.chefs == 1 { "" } else { "s" }) }</h3>
                    { explanation(breakdowns.get(i)) }
                    // Still while the other models are measured: a replay's frames would take a core from them.
                    <Timeline trace={t.clone()} experiment={experiment.clone()} axis_ms={Some(axis_ms)}
                        ideal_ms={analysis.as_ref().map(|a| a.ideal_wall_ms(t.chefs))} autoplay={!running} />
                </div>
            }) }
        </>
    }
}

/// A model's breakdown in a sentence, with the overhead's measured facts (juggling's cost).
fn explanation(breakdown: Option<&Explained>) -> Html {
    match breakdown {
        Some(Ok(b)) => {
            let overhead = b.get(PartKind::Overhead);
            html! {
                <div class="compare-breakdown-note">
                    <p class="breakdown-summary">{ b.summary() }</p>
                    if !overhead.details.is_empty() {
                        <ul class="details">{ for overhead.details.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
                    }
                </div>
            }
        }
        Some(Err(e)) => html! { <p class="help">{ e.to_string() }</p> },
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct BarsProps {
    traces: Vec<Rc<Trace>>,
    breakdowns: Rc<Vec<Explained>>,
    analysis: Option<Rc<GraphAnalysis>>,
    axis_ms: f64,
}

/// One bar per model (measured wall), split into its breakdown's parts, with the ideal for
/// its width as an outline (computed).
#[function_component(WallBars)]
fn wall_bars(props: &BarsProps) -> Html {
    const ROW: f64 = 30.0;
    const LABEL: f64 = 170.0;
    const WIDTH: f64 = 640.0;
    let scale = |ms: f64| (WIDTH - LABEL - 80.0) * ms / props.axis_ms;
    let rows = props.traces.iter().enumerate().map(|(i, t)| {
        let y = i as f64 * ROW;
        let ideal = props.analysis.as_ref().map(|a| a.ideal_wall_ms(t.chefs));
        let mut x = LABEL;
        let segments = match props.breakdowns.get(i) {
            Some(Ok(b)) => b.parts.iter().filter(|p| p.ms > 0.0).map(|p| {
                let w = scale(p.ms);
                let seg = html! {
                    <rect class={classes!("seg", part_class(p.part))} x={format!("{x:.2}")} y={(y + 5.0).to_string()}
                        width={format!("{:.2}", w)} height={(ROW - 10.0).to_string()}>
                        <title>{ format!("{} ×{}: {} {:.1} ms ({})", t.model.name(), t.chefs, p.part.title(), p.ms, p.basis.label()) }</title>
                    </rect>
                };
                x += w;
                seg
            }).collect::<Html>(),
            _ => html! {},
        };
        html! {
            <g class="wall-bar" data-model={t.model.name()} data-wall-ms={format!("{:.3}", t.wall_ms)}>
                <text x={(LABEL - 8.0).to_string()} y={(y + 19.0).to_string()} text-anchor="end">
                    { format!("{} ×{}", t.model.name(), t.chefs) }
                </text>
                <rect class="measured" x={LABEL.to_string()} y={(y + 5.0).to_string()}
                    width={scale(t.wall_ms).max(1.0).to_string()} height={(ROW - 10.0).to_string()}>
                    <title>{ format!("{}: {:.1} ms measured", t.model.name(), t.wall_ms) }</title>
                </rect>
                { segments }
                if let Some(ideal) = ideal {
                    <rect class="ideal" x={LABEL.to_string()} y={(y + 2.0).to_string()}
                        width={scale(ideal).max(1.0).to_string()} height={(ROW - 4.0).to_string()}>
                        <title>{ format!("ideal for {} chef(s): {:.1} ms (computed from work and span)", t.chefs, ideal) }</title>
                    </rect>
                }
                <text x={(LABEL + scale(t.wall_ms) + 6.0).to_string()} y={(y + 19.0).to_string()}>{ format!("{:.0} ms", t.wall_ms) }</text>
            </g>
        }
    });
    let height = props.traces.len() as f64 * ROW + 24.0;
    let summary = props.traces.iter().map(|t| format!("{} {:.0} ms", t.model.name(), t.wall_ms)).collect::<Vec<_>>().join(", ");
    html! {
        <figure class="wall-bars">
            <svg viewBox={format!("0 0 {WIDTH} {height}")} role="img" aria-label={format!("Measured wall time per model: {summary}")}>
                { for rows }
                <g class="legend" transform={format!("translate({LABEL},{})", height - 10.0)}>
                    <rect class="measured" width="12" height="10" y="-9" />
                    <text x="16">{ "measured wall, split by part" }</text>
                    <rect class="ideal" x="190" width="12" height="10" y="-9" />
                    <text x="206">{ "ideal for the width (computed)" }</text>
                </g>
            </svg>
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    traces: Vec<Rc<Trace>>,
    breakdowns: Rc<Vec<Explained>>,
}

/// The breakdowns side by side: one row per model, one column per part.
#[function_component(BreakdownTable)]
fn breakdown_table(props: &TableProps) -> Html {
    let rows = props.traces.iter().zip(props.breakdowns.iter()).map(|(t, b)| {
        let cells = match b {
            Ok(b) => b.parts.iter().map(|p| html! {
                <td class="num" data-part={p.part.name()} data-ms={format!("{:.3}", p.ms)}>{ format!("{:.0}", p.ms) }</td>
            }).collect::<Html>(),
            Err(e) => html! { <td colspan="6" class="help">{ e.to_string() }</td> },
        };
        html! {
            <tr class="model-breakdown" data-model={t.model.name()} data-wall-ms={format!("{:.3}", t.wall_ms)}>
                <th scope="row">{ format!("{} ×{}", t.model.name(), t.chefs) }</th>
                <td class="num">{ format!("{:.0}", t.wall_ms) }</td>
                { cells }
            </tr>
        }
    });
    html! {
        <>
        <p id="compare-breakdown-help" class="help">{ "Where each wall went, ms: the measured wall = the computed parts (ideal, \
            rounds, waiting for dependencies, serial parts, simmering not overlapped) + the overhead (measured − computed)." }</p>
        <div class="table-scroll">
            <table id="compare-breakdown" aria-describedby="compare-breakdown-help">
                <caption>{ "Each model's wall, part by part" }</caption>
                <thead><tr>
                    <th scope="col">{ "Model" }</th><th scope="col" title="measured">{ "Wall" }</th>
                    { for PartKind::ALL.iter().map(|k| html! {
                        <th scope="col" title={k.title()}><span class={classes!("swatch", part_class(*k))} aria-hidden="true"></span>{ k.short() }</th>
                    }) }
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </div>
        </>
    }
}
