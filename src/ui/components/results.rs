//! The Results view: the last run as a kitchen scene and a timeline playing in step (one
//! replay, lifted here, drives both), where its wall time went (the breakdown), the
//! responsiveness meter, and the measured timings per dish. The wall time itself is in the
//! run bar.

use std::rc::Rc;

use yew::prelude::*;

use super::breakdown::BreakdownView;
use super::later::Later;
use super::meter::Meter;
use super::scene::Scene;
use super::timeline::{ideal_ms, use_replay, Shared, TimelineChart};
use crate::engine::analysis::GraphAnalysis;
use crate::engine::{Experiment, Trace};
use crate::ui::state::{Explained, RunStatus};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub status: RunStatus,
    pub experiment: Rc<Experiment>,
    /// The dishes' computed analysis (for the ideal wall), when they are valid.
    pub analysis: Option<Rc<GraphAnalysis>>,
    /// The finished run's breakdown (computed in the reducer).
    pub breakdown: Option<Explained>,
    /// The cores the machine reports (the scene's stoves).
    pub cores: usize,
    /// For a docs column (embed mode, which has no run bar): the wall time and the timeline,
    /// the breakdown and the table folded, no scene and no meter.
    #[prop_or_default]
    pub compact: bool,
}

#[function_component(Results)]
pub fn results(props: &Props) -> Html {
    let top = match &props.status {
        RunStatus::Idle if props.compact => html! {
            <section class="results" aria-live="polite"><p class="help">{ "Press Run to cook: the timeline of the run appears here." }</p></section>
        },
        RunStatus::Idle => html! {
            <section class="results" aria-live="polite">
                <p class="help">{ "Press Run: the kitchen scene and the timeline of the run appear here, measured on this machine." }</p>
            </section>
        },
        // The embed has no run bar: its progress is here.
        RunStatus::Running if props.compact => html! {
            <section class="results" aria-busy="true"><super::progress::RunProgress id="status" /></section>
        },
        RunStatus::Running => html! {
            <section class="results" aria-busy="true">
                <p class="help">{ "Cooking… the scene and the timeline are drawn from the trace once the run ends." }</p>
            </section>
        },
        RunStatus::Failed(message) => html! {
            <section class="results" aria-live="polite"><p class="error">{ format!("The run did not go ahead: {message}") }</p></section>
        },
        RunStatus::Done(trace) if props.compact => html! {
            <CompactResult trace={trace.clone()} experiment={props.experiment.clone()} analysis={props.analysis.clone()}
                breakdown={props.breakdown.clone()} cores={props.cores} />
        },
        RunStatus::Done(trace) => html! {
            <RunResult trace={trace.clone()} experiment={props.experiment.clone()} analysis={props.analysis.clone()}
                breakdown={props.breakdown.clone()} cores={props.cores} />
        },
    };
    if props.compact {
        return top;
    }
    // The meter keeps its place (and its heartbeat) whatever the run's status.
    html! {
        <>
            { top }
            <Meter />
            if let RunStatus::Done(trace) = &props.status {
                <Later token={token(trace)} frames={if staged(trace) { 4 } else { 0 }}>
                    <ResultTable trace={Shared(trace.clone())} />
                </Later>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RunProps {
    trace: Rc<Trace>,
    experiment: Rc<Experiment>,
    analysis: Option<Rc<GraphAnalysis>>,
    breakdown: Option<Explained>,
    cores: usize,
}

/// The scene and the timeline of one trace, on one replay, then where its wall time went.
#[function_component(RunResult)]
fn run_result(props: &RunProps) -> Html {
    let replay = use_replay(Shared(props.trace.clone()), true);
    let ideal = ideal_ms(&props.trace, &props.experiment, props.analysis.as_deref());
    html! {
        <section class="results" aria-label="The last run" aria-live="polite">
            <Later token={token(&props.trace)} frames={if staged(&props.trace) { 1 } else { 0 }}
                placeholder={html! { <p class="help scene-pending">{ "Drawing the kitchen scene…" }</p> }}>
                <Scene trace={props.trace.clone()} cores={props.cores} at_ms={replay.cursor_ms} />
            </Later>
            <Later token={token(&props.trace)} frames={if staged(&props.trace) { 2 } else { 0 }}
                placeholder={html! { <p class="help tl-pending">{ "Drawing the timeline…" }</p> }}>
                <TimelineChart trace={props.trace.clone()} experiment={props.experiment.clone()} ideal_ms={ideal} {replay} />
            </Later>
            if let Some(breakdown) = &props.breakdown { <BreakdownView breakdown={breakdown.clone()} /> }
        </section>
    }
}

/// Above this many spans the results are built in pieces, a frame apart (the scene, the
/// timeline, the breakdown (app::finish), the table): together they blocked the page for 300 ms at 40,000 spans.
/// Smaller results appear at once, as before.
const STAGED_ABOVE_SPANS: usize = 2_000;

fn staged(trace: &Trace) -> bool {
    trace.spans.len() > STAGED_ABOVE_SPANS
}

/// Which trace a [`Later`] shows: its address (a new trace is a new `Rc`).
fn token(trace: &Rc<Trace>) -> usize {
    Rc::as_ptr(trace) as usize
}

/// The embed's result: the measured wall time and the timeline; where the time went and the
/// timings one click away.
#[function_component(CompactResult)]
fn compact_result(props: &RunProps) -> Html {
    let replay = use_replay(Shared(props.trace.clone()), true);
    let ideal = ideal_ms(&props.trace, &props.experiment, props.analysis.as_deref());
    let t = &props.trace;
    html! {
        <section class="results" aria-label="The last run" aria-live="polite">
            <p id="wall" data-wall-ms={format!("{:.3}", t.wall_ms)}>
                { format!("{} with {} chef{}: ", t.model.name(), t.chefs, if t.chefs == 1 { "" } else { "s" }) }
                <strong>{ format!("{:.1} ms", t.wall_ms) }</strong>
                { " wall time (measured)" }
                if t.stopped { <span class="warning">{ " — stopped early" }</span> }
            </p>
            <TimelineChart trace={t.clone()} experiment={props.experiment.clone()} ideal_ms={ideal} {replay} />
            <details class="results-more">
                <summary>{ "Where the wall time went, and the timings" }</summary>
                if let Some(breakdown) = &props.breakdown { <BreakdownView breakdown={breakdown.clone()} /> }
                <ResultTable trace={Shared(t.clone())} />
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    trace: Shared<Trace>,
}

/// Most rows the timings table shows: 20,000 rows (the dish limit) are 100,000 elements whose
/// layout blocked the page for seconds after a run; the export has every row.
const MAX_TABLE_ROWS: usize = 500;

/// Per dish: its chef (lane), start and end. A component of its own, so replay frames skip it.
#[function_component(ResultTable)]
fn result_table(props: &TableProps) -> Html {
    let trace = &props.trace.0;
    let lane_name = |lane: usize| trace.lanes.iter().find(|l| l.lane == lane).map_or_else(|| lane.to_string(), |l| l.thread.clone());
    let total = trace.tasks.len();
    let rows = trace.tasks.iter().take(MAX_TABLE_ROWS).map(|t| html! {
        <tr>
            <td>{ &t.id }</td>
            <td class="lane" data-lane={t.lane.to_string()}>{ lane_name(t.lane) }</td>
            <td class="num">{ format!("{:.1}", t.start_ms) }</td>
            <td class="num">{ format!("{:.1}", t.end_ms) }</td>
        </tr>
    });
    html! {
        <section class="result-timings">
            <table id="result-table">
                <caption>{ "Measured timings, ms from the start of the run" }</caption>
                <thead><tr><th scope="col">{ "Dish" }</th><th scope="col">{ "Chef (thread)" }</th>
                    <th scope="col">{ "Start" }</th><th scope="col">{ "End" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            if total > MAX_TABLE_ROWS {
                <p id="result-table-note" class="help">
                    { format!("The first {MAX_TABLE_ROWS} of {total} dishes; the CSV export below the timeline has them all.") }
                </p>
            }
        </section>
    }
}
