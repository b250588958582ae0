//! The embed's dishes: a one-line analysis and the dishes as short chips (what each does, what
//! it comes after). With the `edit` option, the playground's composer opens below them.

use yew::prelude::*;

use crate::engine::experiment::{Phase, TaskSpec};
use crate::ui::components::composer::Composer;
use crate::ui::state::use_store;

/// How many dishes are listed before "and N more".
const SHOWN: usize = 12;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The composer may be opened.
    pub edit: bool,
}

#[function_component(Summary)]
pub fn summary(props: &Props) -> Html {
    let state = use_store();
    let tasks = &state.experiment.tasks;
    let analysis = state.analysis().map(|a| {
        format!("work {:.0} ms · span {:.0} ms · parallelism {:.2} (computed)", a.work_ms, a.span_ms, a.parallelism)
    });
    let more = tasks.len().saturating_sub(SHOWN);
    html! {
        <section class="embed-dishes" aria-labelledby="embed-dishes-title">
            <h2 id="embed-dishes-title">
                { format!("{} dish{}", tasks.len(), if tasks.len() == 1 { "" } else { "es" }) }
                if let Some(a) = analysis { <span class="help" id="embed-analysis">{ format!(" · {a}") }</span> }
            </h2>
            if let Some(e) = state.invalid() {
                <p class="error" role="alert" id="embed-invalid">{ format!("These dishes can't cook: {e}") }</p>
            }
            <ul class="dish-chips">
                { for tasks.iter().take(SHOWN).map(chip) }
                if more > 0 { <li class="help">{ format!("and {more} more") }</li> }
            </ul>
            if props.edit {
                <details class="embed-edit">
                    <summary>{ "Edit the dishes" }</summary>
                    <Composer />
                </details>
            }
        </section>
    }
}

/// One dish as a chip: its id, phases and what it comes after (also the student page's locked dishes).
pub(crate) fn chip(task: &TaskSpec) -> Html {
    let phases: Vec<String> = task.phases.iter().map(phase).collect();
    html! {
        <li class="dish-chip" data-id={task.id.clone()}>
            <strong>{ &task.id }</strong>
            <span>{ format!(" {}", phases.join(", ")) }</span>
            if !task.after.is_empty() { <span class="help">{ format!(" after {}", task.after.join(", ")) }</span> }
        </li>
    }
}

fn phase(p: &Phase) -> String {
    match p {
        Phase::Cook(c) => {
            let amount = match (c.ms, c.units) {
                (Some(ms), _) => format!("{ms} ms"),
                (None, Some(units)) => format!("{units} units"),
                (None, None) => "?".into(),
            };
            let split = c.split.map_or(String::new(), |s| format!(" in {} pieces", s.chunks));
            format!("cook {amount}{split}")
        }
        Phase::Simmer(s) => format!("simmer {} ms", s.ms),
    }
}
