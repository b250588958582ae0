//! Progress of the run under way: dishes done and elapsed time, polled from the runtime.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::runtime::run::{self, Progress};

/// How often the display refreshes; the run itself is not slowed by it.
const REFRESH_MS: u32 = 100;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The element's id: the run bar's is `status`; the copies in the views have none.
    #[prop_or_default]
    pub id: Option<AttrValue>,
}

#[function_component(RunProgress)]
pub fn run_progress(props: &Props) -> Html {
    let progress = use_state(run::progress);
    {
        let progress = progress.clone();
        use_effect_with((), move |_| {
            let interval = Interval::new(REFRESH_MS, move || progress.set(run::progress()));
            move || drop(interval)
        });
    }
    let Some(Progress { tasks_done, tasks_total, elapsed_ms, model }) = (*progress).clone() else {
        return html! { <p id={props.id.clone()} class="progress-starting">{ "Calibrating and starting…" }</p> };
    };
    html! {
        <div class="progress" id={props.id.clone()}>
            <span>{ format!("Cooking ({}): {tasks_done} of {tasks_total} dishes done, {:.1} s", model.name(), elapsed_ms / 1000.0) }</span>
            <progress max={tasks_total.to_string()} value={tasks_done.to_string()}
                aria-label="Dishes done" />
        </div>
    }
}
