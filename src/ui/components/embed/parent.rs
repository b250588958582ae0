//! The embed's side of the postMessage API (docs/format.md, "Embedding"): `ready` once the
//! kitchen can cook, `load`, `run` and `stop` from the parent page dispatched into the store,
//! `progress` while a run goes on, `result` or `error` when it ends, and `resize` whenever the
//! content's height changes. Nothing happens outside a frame.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::engine::share::messages::{FromParent, ToParent};
use crate::engine::{Experiment, FORMAT_VERSION};
use crate::runtime::error::Busy;
use crate::runtime::{messages, run, Error};
use crate::ui::app::start_run;
use crate::ui::state::{Action, RunStatus, Store};

/// How often progress is read while a run goes on (and posted when it moved).
const PROGRESS_MS: u32 = 100;

#[hook]
pub fn use_parent(state: &Store) {
    // The listener outlives renders; it reads the store through this, kept current.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state.clone();
    use_effect_with((), move |_| {
        let listener = messages::listen(move |message| handle(&latest, message));
        let heights = messages::HeightReporter::start();
        move || drop((listener, heights))
    });
    use_effect_with(state.env.clone(), |env| {
        if let Some(env) = env {
            let backend = env.backend.name().to_string();
            messages::post(&ToParent::Ready { version: FORMAT_VERSION, backend, threads: env.threads });
        }
    });
    use_effect_with(state.run.clone(), |status| {
        match status {
            RunStatus::Done(trace) => messages::post(&ToParent::Result { trace: Box::new((**trace).clone()) }),
            RunStatus::Failed(e) => messages::post(&ToParent::Error { message: e.to_string() }),
            RunStatus::Idle | RunStatus::Running => {}
        }
    });
    let running = state.run == RunStatus::Running;
    use_effect_with(running, |running| {
        let interval = running.then(|| {
            let last = RefCell::new(None);
            Interval::new(PROGRESS_MS, move || {
                let Some(p) = run::progress() else { return };
                let now = (p.tasks_done, p.tasks_total);
                if last.replace(Some(now)) != Some(now) {
                    messages::post(&ToParent::Progress { done: now.0, total: now.1 });
                }
            })
        });
        move || drop(interval)
    });
}

/// Does what the parent asked, or tells it why not.
fn handle(latest: &Rc<RefCell<Store>>, message: Result<FromParent, Error>) {
    let state = latest.borrow().clone();
    if let Err(e) = act(&state, message) {
        messages::post(&ToParent::Error { message: e.to_string() });
    }
}

fn act(state: &Store, message: Result<FromParent, Error>) -> Result<(), Error> {
    match message? {
        FromParent::Stop => {
            run::stop();
        }
        FromParent::Load { experiment } => {
            let experiment = checked(state, experiment)?;
            state.dispatch(Action::LoadExperiment(experiment));
        }
        FromParent::Run { experiment } => {
            let experiment = match experiment {
                Some(e) => {
                    let e = checked(state, e)?;
                    state.dispatch(Action::LoadExperiment(e.clone()));
                    e
                }
                None if state.running() => return Err(Busy::Run.into()),
                None => (*state.experiment).clone(),
            };
            start_run(state.clone(), experiment);
        }
    }
    Ok(())
}

/// `experiment`, if the kitchen can take it now: nothing else cooking, and valid here (the
/// page's calibration decides whether a split has work enough for its pieces).
fn checked(state: &Store, experiment: Experiment) -> Result<Experiment, Error> {
    if state.running() {
        return Err(Busy::Run.into());
    }
    run::analyse(&experiment)?;
    Ok(experiment)
}
