//! The embed's run settings in one or two rows: the models the options allow, chefs, the
//! juggling chef's yield policy, Run and Stop. With `readonly`, the settings are shown, not
//! offered.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::engine::experiment::YieldPolicy;
use crate::engine::share::embed::EmbedOptions;
use crate::engine::Model;
use crate::runtime::run;
use crate::ui::app::start_run;
use crate::ui::state::{use_store, Action};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub options: Rc<EmbedOptions>,
}

#[function_component(EmbedControls)]
pub fn embed_controls(props: &Props) -> Html {
    let state = use_store();
    let e = &state.experiment;
    let running = state.running();
    let threads = state.env.as_ref().map_or(0, |env| env.threads);
    let fixed = props.options.readonly || running;
    let models = props.options.models.iter().map(|&m| {
        let unavailable = m.is_parallel() && threads == 0 && state.env.is_some();
        html! { <option value={m.name()} selected={e.model == m} disabled={unavailable}>{ m.name() }</option> }
    });
    let onmodel = state.dispatcher().to_callback().reform(|ev: Event| {
        let select: HtmlSelectElement = ev.target_unchecked_into();
        Action::SetModel(select.value().parse().unwrap_or(Model::Sequential))
    });
    let onchefs = state.dispatcher().to_callback().reform(|ev: InputEvent| {
        let input: HtmlInputElement = ev.target_unchecked_into();
        Action::SetChefs(input.value().parse().unwrap_or(1))
    });
    let onyield = state.dispatcher().to_callback().reform(|ev: Event| {
        let select: HtmlSelectElement = ev.target_unchecked_into();
        Action::SetYield(select.value().parse::<f64>().map_or(YieldPolicy::AtSimmers, YieldPolicy::EveryMs))
    });
    let yield_value = match e.yield_policy {
        YieldPolicy::AtSimmers => "at_simmers".to_string(),
        YieldPolicy::EveryMs(ms) => ms.to_string(),
    };
    let onrun = {
        let state = state.clone();
        Callback::from(move |_| start_run(state.clone(), (*state.experiment).clone()))
    };
    let blocked = running || state.invalid().is_some() || state.env.is_none();
    html! {
        <section class="embed-controls" aria-label="Run settings">
            <div class="row">
                <label for="model">{ "Model" }</label>
                <select id="model" ~value={e.model.name()} onchange={onmodel} disabled={fixed}>{ for models }</select>
                if e.model.is_parallel() {
                    <label for="chefs">{ "Chefs" }</label>
                    <input id="chefs" type="number" min="1" max={threads.max(1).to_string()} value={e.chefs.to_string()}
                        oninput={onchefs} disabled={fixed} />
                }
                if e.model.juggles() {
                    <label for="yield">{ "Switch" }</label>
                    <select id="yield" ~value={yield_value.clone()} onchange={onyield} disabled={fixed}>
                        <option value="at_simmers" selected={yield_value == "at_simmers"}>{ "at simmers" }</option>
                        { for ["1", "5", "10", "50"].into_iter().chain((!["at_simmers", "1", "5", "10", "50"].contains(&yield_value.as_str())).then_some(yield_value.as_str()))
                            .map(|v| html! { <option value={v.to_string()} selected={yield_value == v}>{ format!("every {v} ms") }</option> }) }
                    </select>
                }
                <span class="buttons">
                    <button id="run" class="primary" onclick={onrun} disabled={blocked}>{ "Run" }</button>
                    <button id="stop" onclick={Callback::from(|_| { run::stop(); })} disabled={!running}>{ "Stop" }</button>
                </span>
            </div>
            if state.env.is_none() { <p class="help" id="embed-starting">{ "Starting the kitchen…" }</p> }
        </section>
    }
}
