//! The page, laid out as a playground: a sticky run bar (Run, Stop, progress, the wall time)
//! over two panes — how the kitchen works and the dishes on one side, the results on the
//! other — with Results, Compare, Sweep and Lessons as views one click away (tabs). Below
//! 1024 px the panes stack into one column and the run bar stays at the top of the screen.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use super::components::{
    compare::Compare, composer::Composer, controls::Controls, env_panel::EnvPanel, lessons::Lessons, results::Results,
    run_bar::RunBar, sweep::Sweep,
};
use super::components::share::LinkNotice;
use super::state::{use_store, Action, AppState, Store, View, ViewTab};
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
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::EnvProbed(env::probe_for_page().await)) });
        });
    }
    // `kitchen.show(trace)` displays a given trace as the result.
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            api::set_show_hook(Box::new(move |trace| {
                state.dispatch(Action::ShowView(View::Results));
                state.dispatch(Action::Finished(Ok(trace)));
            }));
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
            <div class="app">
                <header class="masthead">
                    <div class="title">
                        <h1>{ "Concurrency Kitchen" }</h1>
                        <p class="tagline">{ "Compose dishes, pick how the kitchen works, and measure it on your machine." }</p>
                    </div>
                    <EnvPanel env={state.env.clone()} />
                </header>
                <LinkNotice />
                <RunBar {onrun} />
                <main class="playground">
                    <div class="pane setup" role="region" aria-label="The kitchen and its dishes">
                        <Controls />
                        <Composer />
                        <section class="teacher" aria-label="For teachers"><crate::ui::homework::MakeAssignment /></section>
                    </div>
                    <div class="pane output" id="results-pane" role="region" aria-label="Results">
                        <ViewTabs />
                        <div class="view" role="tabpanel" id="view-panel" aria-labelledby={format!("view-{}", state.view.id())}>
                            { view(&state, oncompare, onsweep) }
                        </div>
                    </div>
                </main>
            </div>
        </ContextProvider<Store>>
    }
}

/// The open view's content.
fn view(state: &Store, oncompare: Callback<()>, onsweep: Callback<()>) -> Html {
    match state.view {
        View::Results => html! {
            <Results status={state.run.clone()} experiment={Rc::new(state.experiment.clone())}
                analysis={state.analysis().cloned()} breakdown={state.breakdown.clone()}
                cores={state.env.as_ref().map_or(1, |e| e.hardware_concurrency)} />
        },
        View::Compare => html! { <Compare onrun={oncompare} /> },
        View::Sweep => html! { <Sweep onrun={onsweep} /> },
        View::Lessons => html! { <Lessons /> },
    }
}

/// The views as tabs: a click, or ←/→ (Home/End) on a focused tab, opens one.
#[function_component(ViewTabs)]
fn view_tabs() -> Html {
    let state = use_store();
    let current = state.view;
    let onkeydown = {
        let state = state.clone();
        Callback::from(move |e: KeyboardEvent| {
            let at = View::ALL.iter().position(|&v| v == current).unwrap_or(0);
            let to = match e.key().as_str() {
                "ArrowRight" => (at + 1) % View::ALL.len(),
                "ArrowLeft" => (at + View::ALL.len() - 1) % View::ALL.len(),
                "Home" => 0,
                "End" => View::ALL.len() - 1,
                _ => return,
            };
            e.prevent_default();
            state.dispatch(Action::ShowView(View::ALL[to]));
            focus_tab(View::ALL[to]);
        })
    };
    let tabs = View::ALL.iter().map(|&v| {
        let onclick = state.dispatcher().to_callback().reform(move |_| Action::ShowView(v));
        let selected = v == current;
        html! {
            <button type="button" role="tab" id={format!("view-{}", v.id())} class="view-tab"
                aria-selected={selected.to_string()} aria-controls="view-panel" tabindex={if selected { "0" } else { "-1" }}
                {onclick}>
                { v.label() }{ badge(&state, v) }
            </button>
        }
    });
    html! { <div class="view-tabs" role="tablist" aria-label="Views" {onkeydown}>{ for tabs }</div> }
}

/// A mark on a tab whose batch is under way, so a run elsewhere is not missed.
fn badge(state: &AppState, view: View) -> Html {
    use super::state::{BatchStatus, LessonStatus};
    let busy = match view {
        View::Results => state.run == super::state::RunStatus::Running,
        View::Compare => matches!(state.compare, BatchStatus::Running(_)),
        View::Sweep => matches!(state.sweep, BatchStatus::Running(_)),
        View::Lessons => state.lessons.values().any(|l| matches!(l, LessonStatus::Running(_))),
    };
    if busy {
        html! { <span class="tab-busy" aria-label=" (running)">{ " ●" }</span> }
    } else {
        html! {}
    }
}

/// Moves the keyboard focus to `view`'s tab once it is rendered as the selected one.
fn focus_tab(view: View) {
    let id = format!("view-{}", view.id());
    gloo_timers::callback::Timeout::new(0, move || {
        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id)) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    })
    .forget();
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

/// Runs the experiment under each of `models` the page can run, one after another, each inside
/// the responsiveness meter: a juggling run's breakdown names what the page drew in its turns.
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
