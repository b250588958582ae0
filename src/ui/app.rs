//! The page: environment, controls, and the result of the last run of "Three dishes".

use yew::prelude::*;

use super::components::{controls::Controls, env_panel::EnvPanel, results::Results};
use super::state::{Action, AppState, RunStatus};
use crate::engine::experiment::three_dishes;
use crate::runtime::{env, run};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);

    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::EnvProbed(env::probe().await)) });
        });
    }

    let onrun = {
        let state = state.clone();
        Callback::from(move |_| {
            let experiment = three_dishes(state.model, state.chefs);
            state.dispatch(Action::Started);
            let state = state.clone();
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::Finished(run::run(experiment).await)) });
        })
    };
    let onstop = Callback::from(|_| {
        run::stop();
    });
    let onmodel = {
        let state = state.clone();
        Callback::from(move |m| state.dispatch(Action::SetModel(m)))
    };
    let onchefs = {
        let state = state.clone();
        Callback::from(move |n| state.dispatch(Action::SetChefs(n)))
    };

    html! {
        <main>
            <header>
                <h1>{ "Concurrency Kitchen" }</h1>
                <p class="tagline">{ "Three dishes, cooked four ways, timed for real on your machine." }</p>
            </header>
            <EnvPanel env={state.env.clone()} />
            <Controls
                model={state.model}
                chefs={state.chefs}
                running={state.run == RunStatus::Running}
                max_chefs={state.env.as_ref().map_or(1, |e| e.threads)}
                {onmodel} {onchefs} {onrun} {onstop}
            />
            <Results status={state.run.clone()} />
        </main>
    }
}
