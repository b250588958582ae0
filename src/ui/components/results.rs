//! The measured result: the wall time and where it went (the breakdown), the timeline, and
//! per dish its chef (lane), start and end.

use yew::prelude::*;

use std::rc::Rc;

use super::breakdown::BreakdownView;
use super::progress::RunProgress;
use super::timeline::Timeline;
use crate::engine::analysis::GraphAnalysis;
use crate::engine::Experiment;
use crate::ui::state::{Explained, RunStatus};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub status: RunStatus,
    pub experiment: Rc<Experiment>,
    /// The dishes' computed analysis (for the ideal wall), when they are valid.
    pub analysis: Option<Rc<GraphAnalysis>>,
    /// The finished run's breakdown (computed in the reducer).
    pub breakdown: Option<Explained>,
    /// For a docs column (embed mode): the timeline first, the breakdown and the table folded.
    #[prop_or_default]
    pub compact: bool,
}

#[function_component(Results)]
pub fn results(props: &Props) -> Html {
    match &props.status {
        RunStatus::Idle => html! { <section class="results" aria-live="polite"><p>{ "Press Run to cook." }</p></section> },
        RunStatus::Running => html! { <section class="results" aria-busy="true"><RunProgress /></section> },
        RunStatus::Failed(message) => html! {
            <section class="results" aria-live="polite"><p id="error" class="error" role="alert">{ message.to_string() }</p></section>
        },
        RunStatus::Done(trace) => {
            let lane_name = |lane: usize| {
                trace.lanes.iter().find(|l| l.lane == lane).map_or_else(|| lane.to_string(), |l| l.thread.clone())
            };
            let rows = trace.tasks.iter().map(|t| html! {
                <tr>
                    <td>{ &t.id }</td>
                    <td class="lane" data-lane={t.lane.to_string()}>{ lane_name(t.lane) }</td>
                    <td class="num">{ format!("{:.1}", t.start_ms) }</td>
                    <td class="num">{ format!("{:.1}", t.end_ms) }</td>
                </tr>
            });
            let wall = html! {
                <p id="wall" data-wall-ms={format!("{:.3}", trace.wall_ms)}>
                    { format!("{} with {} chef{}: ", trace.model.name(), trace.chefs, if trace.chefs == 1 { "" } else { "s" }) }
                    <strong>{ format!("{:.1} ms", trace.wall_ms) }</strong>
                    { " wall time (measured)" }
                    if trace.stopped { <span class="warning">{ " — stopped early" }</span> }
                </p>
            };
            let breakdown = match &props.breakdown {
                Some(breakdown) => html! { <BreakdownView breakdown={breakdown.clone()} /> },
                None => html! {},
            };
            let timeline = html! {
                <Timeline trace={trace.clone()} experiment={props.experiment.clone()}
                    ideal_ms={super::timeline::ideal_ms(trace, &props.experiment, props.analysis.as_deref())} />
            };
            let table = html! {
                <table id="result-table">
                    <caption>{ "Measured timings, ms from the start of the run" }</caption>
                    <thead><tr><th scope="col">{ "Dish" }</th><th scope="col">{ "Chef (thread)" }</th>
                        <th scope="col">{ "Start" }</th><th scope="col">{ "End" }</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            };
            if props.compact {
                return html! {
                    <section class="results" aria-live="polite">
                        { wall }
                        { timeline }
                        <details class="results-more">
                            <summary>{ "Where the wall time went, and the timings" }</summary>
                            { breakdown }
                            { table }
                        </details>
                    </section>
                };
            }
            html! {
                <section class="results" aria-live="polite">
                    { wall }
                    { breakdown }
                    { timeline }
                    { table }
                </section>
            }
        }
    }
}
