//! The composer: presets, the dishes and their phases and dependencies, the graph's analysis.
//! (Placeholder: preset menu, dish list, validation and analysis; editing comes next.)

use yew::prelude::*;

use crate::engine::analysis::GraphAnalysis;
use crate::engine::presets::PRESETS;
use crate::runtime::run;
use crate::ui::app::Store;
use crate::ui::state::Action;

#[function_component(Composer)]
pub fn composer() -> Html {
    let state = use_context::<Store>().expect("store");
    let onpreset = state.dispatcher().to_callback().reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let id = PRESETS.iter().find(|p| p.id == select.value()).map_or(PRESETS[0].id, |p| p.id);
        Action::LoadPreset(id)
    });
    let options = PRESETS.iter().map(|p| {
        html! { <option value={p.id} selected={state.preset == Some(p.id)}>{ p.title }</option> }
    });
    let about = state.preset.and_then(crate::engine::presets::find).map(|p| p.about);
    let analysis: Result<GraphAnalysis, String> = run::analyse(&state.experiment);
    html! {
        <section class="composer" aria-label="Dishes">
            <div class="row">
                <label for="preset">{ "Preset" }</label>
                <select id="preset" onchange={onpreset} disabled={state.running()}>
                    if state.preset.is_none() { <option selected=true value="">{ "(edited)" }</option> }
                    { for options }
                </select>
                if let Some(about) = about { <span class="help">{ about }</span> }
            </div>
            <p id="dish-count">{ format!("{} dishes", state.experiment.tasks.len()) }</p>
            { match analysis {
                Ok(a) => html! { <p id="analysis">{ format!("work {:.0} ms · span {:.0} ms · parallelism {:.2} (computed)", a.work_ms, a.span_ms, a.parallelism) }</p> },
                Err(e) => html! { <p id="invalid" class="error" role="alert">{ e }</p> },
            } }
        </section>
    }
}
