//! The run bar: Run and Stop, what Run will cook, and the run's progress or its measured wall
//! time. It stays in view (sticky) whatever the page is scrolled to, as a playground's does.

use yew::prelude::*;

use super::progress::RunProgress;
use crate::runtime::run;
use crate::ui::state::{use_store, RunStatus};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub onrun: Callback<()>,
}

#[function_component(RunBar)]
pub fn run_bar(props: &Props) -> Html {
    let state = use_store();
    let running = state.running();
    let invalid = state.invalid().cloned();
    let e = &state.experiment;
    let chefs = e.model.effective_chefs(e.chefs);
    let dishes = e.tasks.len();
    let what = format!(
        "{} · {chefs} chef{} · {dishes} dish{}",
        e.model.name(),
        if chefs == 1 { "" } else { "s" },
        if dishes == 1 { "" } else { "es" }
    );
    html! {
        <div class="run-bar" role="region" aria-label="Run">
            <div class="run-buttons">
                <button id="run" class="primary" onclick={props.onrun.reform(|_| ())} disabled={running || invalid.is_some()}
                    title="Cook the dishes with the chosen model (measured)">{ "Run" }</button>
                <button id="stop" onclick={Callback::from(|_| { run::stop(); })} disabled={!running}>{ "Stop" }</button>
                <span class="run-what">{ what }</span>
                // In one column the results are below the dishes: one tap away.
                <a class="to-results" href="#results-pane">{ "Results ↓" }</a>
            </div>
            <div class="run-status" aria-live="polite">
                if let Some(why) = invalid {
                    <p id="run-blocked" class="error">{ format!("Fix the dishes before cooking: {why}") }</p>
                } else if running {
                    <RunProgress id="status" />
                } else {
                    { last_run(&state.run) }
                }
            </div>
        </div>
    }
}

/// The last run's outcome: its measured wall time, or why it did not go ahead.
fn last_run(status: &RunStatus) -> Html {
    match status {
        RunStatus::Idle | RunStatus::Running => html! { <p class="help">{ "Press Run to cook: the results appear beside the dishes." }</p> },
        RunStatus::Failed(message) => html! { <p id="error" class="error" role="alert">{ message.to_string() }</p> },
        RunStatus::Done(trace) => html! {
            <p id="wall" data-wall-ms={format!("{:.3}", trace.wall_ms)}>
                { format!("{} with {} chef{}: ", trace.model.name(), trace.chefs, if trace.chefs == 1 { "" } else { "s" }) }
                <strong>{ format!("{:.1} ms", trace.wall_ms) }</strong>
                { " wall time (measured)" }
                if trace.stopped { <span class="warning">{ " — stopped early" }</span> }
            </p>
        },
    }
}
