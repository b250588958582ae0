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
    let threads = state.env.as_ref().map_or(0, |e| e.threads);
    let runs = Model::ALL
        .into_iter()
        .filter(|m| threads > 0 || !m.is_parallel())
        .map(|model| Experiment { model, ..state.experiment.clone() })
        .collect();
    state.dispatch(Action::CompareStarted);
    run_batch(state, runs, Action::CompareProgress, Action::CompareFinished);
}

/// Runs a sequential baseline, then the parallel model with 1..=2×cores chefs (as many as the
/// page has worker threads): the engine's [`sweep_runs`](crate::engine::sweep::sweep_runs).
fn sweep_widths(state: Store) {
    let widths = state.env.as_ref().map_or(0, |e| e.threads.min(2 * e.hardware_concurrency));
    let runs = crate::engine::sweep::sweep_runs(&state.experiment, widths);
    state.dispatch(Action::SweepStarted);
    run_batch(state, runs, Action::SweepProgress, Action::SweepFinished);
}

/// Runs `runs` one after another, reporting each trace; a stop or an error ends the batch.
fn run_batch(
    state: Store,
    runs: Vec<Experiment>,
    progress: fn(crate::engine::Trace) -> Action,
    finished: fn(Result<(), String>) -> Action,
) {
    wasm_bindgen_futures::spawn_local(async move {
        for experiment in runs {
            match run::run(experiment).await {
                Ok(trace) if trace.stopped => return state.dispatch(finished(Err("stopped".into()))),
                Ok(trace) => state.dispatch(progress(trace)),
                Err(e) => return state.dispatch(finished(Err(e))),
            }
        }
        state.dispatch(finished(Ok(())));
    });
}
