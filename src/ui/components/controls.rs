//! Model picker, chefs input, Run and Stop.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::engine::Model;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: Model,
    pub chefs: usize,
    /// Worker threads running; 0 disables the parallel models.
    pub max_chefs: usize,
    pub running: bool,
    pub onmodel: Callback<Model>,
    pub onchefs: Callback<usize>,
    pub onrun: Callback<()>,
    pub onstop: Callback<()>,
}

fn explain(model: Model) -> &'static str {
    match model {
        Model::Sequential => "One chef, one dish at a time, start to finish.",
        Model::Concurrent => "One chef juggling: switches dishes while one simmers or every 10 ms of cooking (main thread).",
        Model::Parallel => "Several chefs at once, each on its own worker thread and core.",
        Model::ConcurrentParallel => "Several chefs, each juggling dishes.",
    }
}

#[function_component(Controls)]
pub fn controls(props: &Props) -> Html {
    let chefs_input = {
        let onchefs = props.onchefs.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(n) = input.value().parse::<usize>() {
                onchefs.emit(n.max(1));
            }
        })
    };
    let models = Model::ALL.iter().map(|&m| {
        let onmodel = props.onmodel.clone();
        let unavailable = m.is_parallel() && props.max_chefs == 0;
        html! {
            <label class={classes!("model", unavailable.then_some("unavailable"))}>
                <input type="radio" name="model" value={m.name()} checked={props.model == m}
                    disabled={unavailable || props.running}
                    onchange={Callback::from(move |_| onmodel.emit(m))} />
                <span class="model-name">{ m.name() }</span>
                <span class="model-explain">
                    { explain(m) }
                    if unavailable { <em>{ " Needs worker threads (see above)." }</em> }
                </span>
            </label>
        }
    });
    let onrun = props.onrun.reform(|_| ());
    let onstop = props.onstop.reform(|_| ());
    html! {
        <section class="controls" aria-label="Run settings">
            <fieldset>
                <legend>{ "Execution model" }</legend>
                { for models }
            </fieldset>
            <div class="row">
                <label for="chefs">{ "Chefs" }</label>
                <input id="chefs" type="number" min="1" max={props.max_chefs.max(1).to_string()}
                    value={props.chefs.to_string()} oninput={chefs_input}
                    disabled={!props.model.is_parallel()}
                    aria-describedby="chefs-help" />
                <span id="chefs-help" class="help">
                    { if props.model.is_parallel() { "execution width: how many dishes may cook at once" } else { "this model has one chef" } }
                </span>
                <span class="buttons">
                    <button id="run" class="primary" onclick={onrun} disabled={props.running}>{ "Run" }</button>
                    <button id="stop" onclick={onstop} disabled={!props.running}>{ "Stop" }</button>
                </span>
            </div>
        </section>
    }
}
