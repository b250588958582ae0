//! One step of an assignment on the student page: instructions, the locked experiment, the
//! predictions (asked first), Run (every run of the step, for real, one after another, with
//! progress and Stop), each run's timeline, the checks with feedback, then the explanations.

use std::rc::Rc;

use yew::prelude::*;

use super::markdown_view::Markdown;
use super::questions::{check_view, QuestionView};
use super::state::{Planned, StepState, StepStatus, Work, WorkAction};
use crate::engine::homework::{RunRecord, Step, StepExperiment};
use crate::engine::Model;
use crate::runtime::run::{self, RunOptions};
use crate::ui::components::embed::summary::chip;
use crate::ui::components::progress::RunProgress;
use crate::ui::components::timeline::Timeline;

/// How many dishes the locked experiment lists before "and N more".
const SHOWN: usize = 8;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub index: usize,
    pub step: Rc<Step>,
    pub state: StepState,
    /// Another step's runs are under way (one run at a time on the page).
    pub busy: bool,
    pub work: UseReducerHandle<Work>,
}

#[function_component(StepView)]
pub fn step_view(props: &Props) -> Html {
    let (step, state, i) = (&props.step, &props.state, props.index);
    let onanswer = props.work.dispatcher().to_callback();
    let labels: Vec<(String, String)> = match &state.runs {
        Some(Ok(runs)) => runs.iter().map(|r| (r.id.clone(), r.label.clone())).collect(),
        _ => vec![],
    };
    let question = |q: &crate::engine::homework::Question| {
        html! {
            <QuestionView step={i} question={q.clone()} answer={state.answer(&q.id).cloned()} labels={labels.clone()}
                locked={state.locked()} open={state.all_ran()} onanswer={onanswer.clone()} />
        }
    };
    let predictions: Vec<_> = step.questions.iter().filter(|q| q.kind.is_prediction()).collect();
    let explanations: Vec<_> = step.questions.iter().filter(|q| !q.kind.is_prediction()).collect();
    let unanswered = predictions.iter().filter(|q| state.answer(&q.id).is_none()).count();
    html! {
        <section class="hw-step" id={format!("step-{}", step.id)} data-step={step.id.clone()} aria-labelledby={format!("step-title-{i}")}>
            <h2 id={format!("step-title-{i}")}>{ format!("Step {}: {}", i + 1, step.title) }</h2>
            <Markdown text={AttrValue::from(step.instructions.clone())} />
            { locked_experiment(step, state) }
            if !predictions.is_empty() {
                <div class="hw-questions hw-predictions">
                    <h3>{ if state.locked() { "Your predictions" } else { "Predict first" } }</h3>
                    { for predictions.iter().map(|q| question(q)) }
                </div>
            }
            { run_row(props, unanswered) }
            { run_results(state) }
            if state.all_ran() && !state.checks.is_empty() {
                <ul class="hw-checks" aria-label="Checks">
                    { for step.questions.iter().zip(state.checks.iter()).filter(|(q, _)| q.kind.is_prediction()).map(|(q, c)| check_view(q, c, &labels)) }
                </ul>
            }
            if !explanations.is_empty() {
                <div class="hw-questions hw-explanations">
                    <h3>{ "Explain" }</h3>
                    { for explanations.iter().map(|q| question(q)) }
                </div>
            }
        </section>
    }
}

/// The experiment as the teacher locked it: dishes, model, chefs, read only.
fn locked_experiment(step: &Step, state: &StepState) -> Html {
    let runs = match &state.runs {
        None => html! { <span class="help">{ "…" }</span> },
        Some(Err(why)) => html! { <span class="error">{ why.clone() }</span> },
        Some(Ok(runs)) => html! {
            <ul class="hw-run-list">{ for runs.iter().map(|r| html! {
                <li>{ format!("{} — {}, {} chef{}", r.label, r.experiment.model.name(), r.experiment.model.effective_chefs(r.experiment.chefs),
                    if r.experiment.model.effective_chefs(r.experiment.chefs) == 1 { "" } else { "s" }) }</li>
            }) }</ul>
        },
    };
    // A lesson step has no one experiment: each run of the lesson's plan has its own.
    if let StepExperiment::Lesson(id) = &step.experiment {
        let title = crate::engine::lessons::find(id).map_or(id.as_str(), |l| l.title);
        return html! {
            <details class="hw-locked" open=true>
                <summary>{ format!("The experiment: lesson “{title}”") }</summary>
                <dl><dt>{ "Runs" }</dt><dd>{ runs }</dd></dl>
            </details>
        };
    }
    let experiment = match &state.experiment {
        Ok(e) => e.clone(),
        Err(why) => return html! { <p class="error" role="alert">{ format!("This step's experiment can't be built: {why}") }</p> },
    };
    let lock = |on: bool| if on { html! { <span class="hw-lock">{ "locked" }</span> } } else { html! {} };
    let more = experiment.tasks.len().saturating_sub(SHOWN);
    html! {
        <details class="hw-locked" open=true>
            <summary>{ format!("The experiment: {} dish{}", experiment.tasks.len(), if experiment.tasks.len() == 1 { "" } else { "es" }) }</summary>
            <dl>
                <dt>{ "Dishes" }{ lock(step.locked.dishes) }</dt>
                <dd><ul class="dish-chips">
                    { for experiment.tasks.iter().take(SHOWN).map(chip) }
                    if more > 0 { <li class="help">{ format!("and {more} more") }</li> }
                </ul></dd>
                <dt>{ "Model and chefs" }{ lock(step.locked.model && step.locked.chefs) }</dt>
                <dd>{ "set by each run, below" }</dd>
                <dt>{ "Runs" }</dt>
                <dd>{ runs }</dd>
            </dl>
        </details>
    }
}

/// Run (or Run again), Stop, and where the runs are.
fn run_row(props: &Props, unanswered: usize) -> Html {
    let (state, i) = (&props.state, props.index);
    let running = matches!(state.status, StepStatus::Running { .. });
    let runs = match &state.runs {
        Some(Ok(runs)) => Some(runs.clone()),
        _ => None,
    };
    let can_run = runs.is_some() && !props.busy && !running && unanswered == 0;
    let onclick = {
        let (work, runs) = (props.work.clone(), runs.clone());
        Callback::from(move |_| {
            if let Some(runs) = runs.clone() {
                wasm_bindgen_futures::spawn_local(run_step(work.clone(), i, runs));
            }
        })
    };
    let label = if state.kept.work.runs.is_empty() { "Run" } else { "Run again" };
    let total = runs.as_ref().map_or(0, |r| r.len());
    html! {
        <div class="hw-run">
            <button type="button" class="primary hw-run-button" id={format!("run-{}", props.step.id)} disabled={!can_run} {onclick}>
                { format!("{label} ({total} run{})", if total == 1 { "" } else { "s" }) }
            </button>
            <button type="button" class="hw-stop" disabled={!running} onclick={Callback::from(|_| { run::stop(); })}>{ "Stop" }</button>
            {
                match &state.status {
                    StepStatus::Running { index, total, label } => html! {
                        <div class="hw-progress" aria-live="polite">
                            <span>{ format!("Run {} of {}: {}", index + 1, total, label) }</span>
                            <RunProgress />
                        </div>
                    },
                    StepStatus::Failed(why) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    StepStatus::Idle if unanswered > 0 && !state.locked() => html! {
                        <p class="help">{ format!("Answer the prediction{} above first: Run locks {}.", if unanswered == 1 { "" } else { "s" }, if unanswered == 1 { "it" } else { "them" }) }</p>
                    },
                    StepStatus::Idle => html! {},
                }
            }
        </div>
    }
}

/// Each run's measured wall and timeline.
fn run_results(state: &StepState) -> Html {
    let Some(Ok(runs)) = &state.runs else { return html! {} };
    let items = state.kept.work.runs.iter().map(|record| {
        let planned = runs.iter().find(|r| r.id == record.run);
        let label = planned.map_or(record.run.clone(), |p| p.label.clone());
        let experiment = Rc::new(planned.map_or_else(|| state.experiment.as_deref().cloned().unwrap_or_else(|_| empty()), |p| p.experiment.clone()));
        let trace = Rc::new(record.trace.clone());
        html! {
            <div class="hw-run-result" data-run={record.run.clone()} data-wall-ms={format!("{:.3}", record.trace.wall_ms)}>
                <h3>{ format!("{label}: ") }<strong>{ format!("{:.1} ms", record.trace.wall_ms) }</strong>{ " wall time (measured)" }</h3>
                <Timeline {trace} {experiment} autoplay=false />
            </div>
        }
    });
    html! { <div class="hw-runs">{ for items }</div> }
}

fn empty() -> crate::engine::Experiment {
    crate::engine::Experiment { version: 1, model: Model::Sequential, chefs: 1, yield_policy: Default::default(), tasks: vec![] }
}

/// Runs every run of step `i` for real, one after another; Stop ends them.
async fn run_step(work: UseReducerHandle<Work>, i: usize, runs: Rc<Vec<Planned>>) {
    let stops = run::stops_so_far();
    work.dispatch(WorkAction::RunStarted(i));
    // Calibrate before the first run: calibrating measures on the main thread.
    for r in runs.iter() {
        if let Err(e) = run::analyse(&r.experiment) {
            return work.dispatch(WorkAction::RunEnded(i, Err(format!("{}: {e}", r.label))));
        }
    }
    for (index, r) in runs.iter().enumerate() {
        if run::stops_so_far() != stops {
            return work.dispatch(WorkAction::RunEnded(i, Err("Stopped. Run again to measure every run.".into())));
        }
        work.dispatch(WorkAction::RunProgress { step: i, index, total: runs.len(), label: r.label.clone() });
        let options = RunOptions { main_thread: r.main_thread && r.experiment.model == Model::Sequential };
        let started_at = js_sys::Date::now();
        match run::run_with(r.experiment.clone(), options).await {
            Ok(trace) if trace.stopped => {
                return work.dispatch(WorkAction::RunEnded(i, Err("Stopped. Run again to measure every run.".into())))
            }
            Ok(trace) => work.dispatch(WorkAction::RunDone(i, RunRecord { run: r.id.clone(), started_at: Some(started_at), trace })),
            Err(e) => return work.dispatch(WorkAction::RunEnded(i, Err(format!("{}: {e}", r.label)))),
        }
    }
    work.dispatch(WorkAction::RunEnded(i, Ok(())));
}
