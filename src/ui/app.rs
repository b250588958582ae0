//! The page: environment, composer, controls, measured results, comparisons.

use std::rc::Rc;

use yew::prelude::*;

use super::components::{
    compare::Compare, composer::Composer, controls::Controls, env_panel::EnvPanel, meter::Meter, results::Results,
    sweep::Sweep,
};
use super::components::lessons::Lessons;
use super::components::share::LinkNotice;
use super::state::{Action, AppState, Store};
use crate::engine::responsiveness::ResponsivenessReport;
use crate::engine::{Experiment, Model, Trace};
use crate::runtime::run::RunOptions;
use crate::runtime::{api, env, run, Error, ErrorKind};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    super::permalink::use_permalink(&state);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::EnvProbed(env::probe().await)) });
        });
    }
    // `kitchen.show(trace)` displays a given trace as the result.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            api::set_show_hook(Box::new(move |trace| state.dispatch(Action::Finished(Ok(trace)))));
            api::clear_show_hook
        });
    }
    let onrun = {
        let state = state.clone();
        Callback::from(move |_| start_run(state.clone(), state.experiment.clone()))
    };
    let oncompare = {
        let state = state.clone();
        Callback::from(move |_| compare_models(state.clone(), &Model::ALL))
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
                    <LinkNotice />
                </header>
                <EnvPanel env={state.env.clone()} />
                <Composer />
                <Controls {onrun} {oncompare} {onsweep} />
                <Meter />
                <Results status={state.run.clone()} experiment={Rc::new(state.experiment.clone())}
                    analysis={state.analysis().cloned()} breakdown={state.breakdown.clone()} />
                <Compare />
                <Sweep />
                <Lessons />
            </main>
        </ContextProvider<Store>>
    }
}

/// The Run button: runs `experiment` (the store's, or one an embedding page sent) inside the
/// responsiveness meter, on the main thread when the option asks for it.
pub(super) fn start_run(state: Store, experiment: Experiment) {
    let options = RunOptions { main_thread: state.main_thread && experiment.model == Model::Sequential };
    state.dispatch(Action::Started);
    wasm_bindgen_futures::spawn_local(async move {
        let (result, report) = run::run_metered(experiment, options).await;
        if let (Ok(report), Ok(_)) = (report, &result) {
            state.dispatch(Action::MeterReport(report));
        }
        state.dispatch(Action::Finished(result));
    });
}

/// Runs the experiment under each of `models` the page can run, one after another, each inside the
/// responsiveness meter: a juggling run's breakdown names what the page drew in its turns.
pub(super) fn compare_models(state: Store, models: &[Model]) {
    let threads = state.env.as_ref().map_or(0, |e| e.threads);
    let runs = (models.iter().copied())
        .filter(|m| threads > 0 || !m.is_parallel())
        .map(|model| Experiment { model, ..state.experiment.clone() })
        .collect();
    state.dispatch(Action::CompareStarted);
    run_batch(state, runs, true, Action::CompareProgress, Action::CompareFinished);
}

/// Runs a sequential baseline, then the parallel model with 1..=2×cores chefs (as many as the
/// page has worker threads): the engine's [`sweep_runs`](crate::engine::sweep::sweep_runs).
pub(super) fn sweep_widths(state: Store) {
    // The pool starts `Machine::threads_for(cores)` threads: every width it can run.
    let runs = crate::engine::sweep::sweep_runs(&state.experiment, state.sweep_widths());
    state.dispatch(Action::SweepStarted);
    run_batch(state, runs, false, |trace, _| Action::SweepProgress(trace), Action::SweepFinished);
}

/// Runs `runs` one after another (inside the meter when `metered`), reporting each trace; a
/// stop or an error ends the batch.
fn run_batch(
    state: Store,
    runs: Vec<Experiment>,
    metered: bool,
    progress: fn(Trace, Option<ResponsivenessReport>) -> Action,
    finished: fn(Result<(), Error>) -> Action,
) {
    wasm_bindgen_futures::spawn_local(async move {
        for experiment in runs {
            let (result, report) = if metered {
                let (result, report) = run::run_metered(experiment, RunOptions::default()).await;
                (result, report.ok())
            } else {
                (run::run(experiment).await, None)
            };
            match result {
                Ok(trace) if trace.stopped => return state.dispatch(finished(Err(ErrorKind::Stopped.into()))),
                Ok(trace) => state.dispatch(progress(trace, report)),
                Err(e) => return state.dispatch(finished(Err(e))),
            }
        }
        state.dispatch(finished(Ok(())));
    });
}
