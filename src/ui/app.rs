//! The page: environment, composer, controls, measured results, comparisons.

use std::rc::Rc;

use yew::prelude::*;

use super::components::{
    compare::Compare, composer::Composer, controls::Controls, env_panel::EnvPanel, meter::Meter, results::Results,
    sweep::Sweep,
};
use super::components::lessons::Lessons;
use super::state::{Action, AppState};
use crate::engine::{Experiment, Model};
use crate::runtime::run::RunOptions;
use crate::runtime::{env, meter, run};

/// The app's state and its dispatcher, shared with every component.
pub type Store = UseReducerHandle<AppState>;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::EnvProbed(env::probe().await)) });
        });
    }
    // --- timeline: `kitchen.show(trace)` displays a given trace as the result ---
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            crate::runtime::api::set_show_hook(Box::new(move |trace| state.dispatch(Action::Finished(Ok(trace)))));
            crate::runtime::api::clear_show_hook
        });
    }
    let onrun = {
        let state = state.clone();
        Callback::from(move |_| {
            let experiment = state.experiment.clone();
            let options = RunOptions { main_thread: state.main_thread && experiment.model == Model::Sequential };
            state.dispatch(Action::Started);
            let state = state.clone();
            // Before the run: a main-thread run may freeze the page from its very first turn.
            meter::start();
            wasm_bindgen_futures::spawn_local(async move {
                let result = run::run_with(experiment, options).await;
                let report = meter::stop().await;
                if let (Ok(report), Ok(_)) = (report, &result) {
                    state.dispatch(Action::MeterReport(report));
                }
                state.dispatch(Action::Finished(result));
            });
        })
    };
    let oncompare = {
        let state = state.clone();
        Callback::from(move |_| compare_models(state.clone()))
    };
    let onsweep = {
        let state = state.clone();
        Callback::from(move |_| sweep_widths(state.clone()))
    };
    html! {
        <ContextProvider<Store> context={state.clone()}>
            <main>
                <header>
                    <h1>{ "Concurrency Kitchen" }</h1>
                    <p class="tagline">{ "Compose dishes, pick how the kitchen works, and measure it on your machine." }</p>
                </header>
                <EnvPanel env={state.env.clone()} />
                <Composer />
                <Controls {onrun} {oncompare} {onsweep} />
                <Meter />
                <Results status={state.run.clone()} experiment={Rc::new(state.experiment.clone())} />
                <Compare />
                <Sweep />
                <Lessons />
            </main>
        </ContextProvider<Store>>
    }
}

/// Runs the experiment under every model the page can run, one after another.
fn compare_models(state: Store) {
    let experiment = state.experiment.clone();
    let threads = state.env.as_ref().map_or(0, |e| e.threads);
    state.dispatch(Action::CompareStarted);
    wasm_bindgen_futures::spawn_local(async move {
        for model in Model::ALL.into_iter().filter(|m| threads > 0 || !m.is_parallel()) {
            match run::run(Experiment { model, ..experiment.clone() }).await {
                Ok(trace) if trace.stopped => return state.dispatch(Action::CompareFinished(Err("stopped".into()))),
                Ok(trace) => state.dispatch(Action::CompareProgress(trace)),
                Err(e) => return state.dispatch(Action::CompareFinished(Err(e))),
            }
        }
        state.dispatch(Action::CompareFinished(Ok(())));
    });
}

/// Runs a sequential baseline, then the parallel model with 1..=2×cores chefs (as many as the
/// page has worker threads).
fn sweep_widths(state: Store) {
    let experiment = state.experiment.clone();
    let widths = state.env.as_ref().map_or(0, |e| e.threads.min(2 * e.hardware_concurrency));
    let model = if experiment.model.is_parallel() { experiment.model } else { Model::Parallel };
    state.dispatch(Action::SweepStarted);
    wasm_bindgen_futures::spawn_local(async move {
        let runs = std::iter::once((Model::Sequential, 1)).chain((1..=widths).map(|chefs| (model, chefs)));
        for (model, chefs) in runs {
            match run::run(Experiment { model, chefs, ..experiment.clone() }).await {
                Ok(trace) if trace.stopped => return state.dispatch(Action::SweepFinished(Err("stopped".into()))),
                Ok(trace) => state.dispatch(Action::SweepProgress(trace)),
                Err(e) => return state.dispatch(Action::SweepFinished(Err(e))),
            }
        }
        state.dispatch(Action::SweepFinished(Ok(())));
    });
}
