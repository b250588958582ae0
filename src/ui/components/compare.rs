//! Compare: the same dishes under every model, walls side by side (measured) against the
//! work/span ideal for the width (computed), and each model's timeline on one time axis.

use std::rc::Rc;

use yew::prelude::*;

use super::progress::RunProgress;
use super::timeline::Timeline;
use crate::engine::analysis::GraphAnalysis;
use crate::engine::Trace;
use crate::ui::state::{batch_error, use_store, BatchStatus, Store};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Starts "Run all models".
    pub onrun: Callback<()>,
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
                   side against the ideal for each width (computed from work and span), and each model's timeline on \
                   one time axis." }
            </p>
            <div class="row buttons">
                <button id="compare" onclick={props.onrun.reform(|_| ())} disabled={blocked}>{ "Run all models" }</button>
            </div>
            { body }
        </section>
    }
}

/// The walls and timelines of the models run so far.
fn batch_view(state: &Store, traces: &[Rc<Trace>], running: bool) -> Html {
    let analysis = state.analysis().cloned();
    // One time axis for every model, long enough for the slowest run and every ideal.
    let ideal_max = analysis.as_ref().map_or(0.0, |a| traces.iter().map(|t| a.ideal_wall_ms(t.chefs)).fold(0.0, f64::max));
    let axis_ms = traces.iter().map(|t| t.wall_ms).fold(ideal_max.max(1.0), f64::max);
    let experiment = Rc::new(state.experiment.clone());
    html! {
        <>
            <WallBars traces={traces.to_vec()} analysis={analysis.clone()} axis_ms={axis_ms} />
            if running {
                <p class="help">{ format!("{} of the models done; now:", traces.len()) }</p>
                <RunProgress />
            }
            { for traces.iter().map(|t| html! {
                <div class="compare-timeline">
                    <h3>{ format!("{} · {} chef{}", t.model.name(), t.chefs, if t.chefs == 1 { "" } else { "s" }) }</h3>
                    // Still while the other models are measured: a replay's frames would take a core from them.
                    <Timeline trace={t.clone()} experiment={experiment.clone()} axis_ms={Some(axis_ms)}
                        ideal_ms={analysis.as_ref().map(|a| a.ideal_wall_ms(t.chefs))} autoplay={!running} />
                </div>
            }) }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct BarsProps {
    traces: Vec<Rc<Trace>>,
    analysis: Option<Rc<GraphAnalysis>>,
    axis_ms: f64,
}

/// One bar per model (measured wall) with the ideal for its width as an outline (computed).
#[function_component(WallBars)]
fn wall_bars(props: &BarsProps) -> Html {
    const ROW: f64 = 30.0;
    const LABEL: f64 = 170.0;
    const WIDTH: f64 = 640.0;
    let scale = |ms: f64| (WIDTH - LABEL - 80.0) * ms / props.axis_ms;
    let rows = props.traces.iter().enumerate().map(|(i, t)| {
        let y = i as f64 * ROW;
        let ideal = props.analysis.as_ref().map(|a| a.ideal_wall_ms(t.chefs));
        html! {
            <g class="wall-bar" data-model={t.model.name()} data-wall-ms={format!("{:.3}", t.wall_ms)}>
                <text x={(LABEL - 8.0).to_string()} y={(y + 19.0).to_string()} text-anchor="end">
                    { format!("{} ×{}", t.model.name(), t.chefs) }
                </text>
                <rect class="measured" x={LABEL.to_string()} y={(y + 5.0).to_string()}
                    width={scale(t.wall_ms).max(1.0).to_string()} height={(ROW - 10.0).to_string()}>
                    <title>{ format!("{}: {:.1} ms measured", t.model.name(), t.wall_ms) }</title>
                </rect>
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
                    <text x="16">{ "measured wall" }</text>
                    <rect class="ideal" x="130" width="12" height="10" y="-9" />
                    <text x="146">{ "ideal for the width (computed)" }</text>
                </g>
            </svg>
        </figure>
    }
}
