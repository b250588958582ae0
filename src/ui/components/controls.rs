//! Model picker, chefs and yield policy: how the kitchen works (Run is in the run bar).

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::meter::MainThreadOption;
use super::share::CopyLink;
use crate::engine::experiment::YieldPolicy;
use crate::engine::Model;
use crate::ui::state::{Action, use_store};

/// One sentence of kitchen language per model.
pub fn explain(model: Model) -> &'static str {
    match model {
        Model::Sequential => "One chef, one dish at a time, start to finish (on a worker thread).",
        Model::Concurrent => "One chef juggling on the page's main thread: switches dishes while one simmers or when a time slice ends.",
        Model::Parallel => "Several chefs at once, each on its own worker thread, each cooking one dish to the end.",
        Model::ConcurrentParallel => "Several chefs, each juggling dishes.",
    }
}

#[function_component(Controls)]
pub fn controls() -> Html {
    let state = use_store();
    let running = state.running();
    let threads = state.env.as_ref().map_or(0, |e| e.threads);
    let cores = state.env.as_ref().map_or(1, |e| e.hardware_concurrency);
    let e = &state.experiment;

    let models = Model::ALL.iter().map(|&m| {
        let unavailable = m.is_parallel() && threads == 0;
        let onchange = state.dispatcher().to_callback().reform(move |_| Action::SetModel(m));
        html! {
            <label class={classes!("model", unavailable.then_some("unavailable"))}>
                <input type="radio" name="model" value={m.name()} checked={e.model == m}
                    disabled={unavailable || running} {onchange} />
                <span class="model-name">{ m.name() }</span>
                <span class="model-explain">
                    { explain(m) }
                    if unavailable { <em>{ " Needs worker threads (see the environment above)." }</em> }
                </span>
            </label>
        }
    });
    let onchefs = state.dispatcher().to_callback().reform(|e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        Action::SetChefs(input.value().parse().unwrap_or(1))
    });
    let onyield = state.dispatcher().to_callback().reform(|e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        Action::SetYield(match select.value().parse::<f64>() {
            Ok(ms) => YieldPolicy::EveryMs(ms),
            Err(_) => YieldPolicy::AtSimmers,
        })
    });
    let yield_value = match e.yield_policy {
        YieldPolicy::AtSimmers => "at_simmers".to_string(),
        YieldPolicy::EveryMs(ms) => ms.to_string(),
    };
    // The usual slices, and the experiment's own when it is another (imported, or from a link).
    let mut values = vec!["at_simmers", "1", "5", "10", "50"];
    if !values.contains(&yield_value.as_str()) {
        values.push(&yield_value);
    }
    let yield_options = values.into_iter().map(|v| {
        let label = if v == "at_simmers" { "only when a dish simmers".to_string() } else { format!("every {v} ms of cooking") };
        html! { <option value={v.to_string()} selected={yield_value == v}>{ label }</option> }
    }).collect::<Html>();
    html! {
        <section class="controls" aria-label="Run settings">
            <fieldset>
                <legend>{ "Execution model" }</legend>
                { for models }
            </fieldset>
            if e.model == Model::Sequential { <MainThreadOption /> }
            <div class="row">
                <label for="chefs">{ "Chefs" }</label>
                <input id="chefs" type="number" min="1" max={threads.max(1).to_string()}
                    value={e.chefs.to_string()} oninput={onchefs}
                    disabled={!e.model.is_parallel() || running} aria-describedby="chefs-help" />
                <span id="chefs-help" class="help">
                    { if e.model.is_parallel() {
                        format!("execution width: up to {threads} worker threads here ({cores} cores reported)")
                    } else {
                        "this model has one chef".to_string()
                    } }
                </span>
            </div>
            if e.model.juggles() {
                <div class="row">
                    <label for="yield">{ "A juggling chef switches" }</label>
                    <select id="yield" ~value={yield_value.clone()} onchange={onyield} disabled={running}>{ yield_options }</select>
                </div>
            }
            <CopyLink />
        </section>
    }
}
