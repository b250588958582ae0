//! App state: one reducer, shared by context-free props (the app is small enough).

use std::rc::Rc;

use yew::Reducible;

use crate::engine::{Model, Trace};
use crate::runtime::env::Env;

#[derive(Clone, Debug, PartialEq)]
pub enum RunStatus {
    Idle,
    Running,
    Done(Rc<Trace>),
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    pub model: Model,
    pub chefs: usize,
    pub env: Option<Env>,
    pub run: RunStatus,
}

impl Default for AppState {
    fn default() -> Self {
        AppState { model: Model::Parallel, chefs: 2, env: None, run: RunStatus::Idle }
    }
}

pub enum Action {
    /// The person picked an execution model.
    SetModel(Model),
    /// The person set the number of chefs.
    SetChefs(usize),
    /// The environment probe answered.
    EnvProbed(Env),
    /// A run started.
    Started,
    /// A run ended with a trace or an error message.
    Finished(Result<Trace, String>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetModel(model) => next.model = model,
            Action::SetChefs(chefs) => next.chefs = chefs,
            Action::EnvProbed(env) => {
                // No worker threads (page not isolated): offer only what can run.
                if env.threads == 0 && next.model.is_parallel() {
                    next.model = Model::Concurrent;
                }
                next.chefs = next.chefs.min(env.threads.max(1));
                next.env = Some(env);
            }
            Action::Started => next.run = RunStatus::Running,
            Action::Finished(Ok(trace)) => next.run = RunStatus::Done(Rc::new(trace)),
            Action::Finished(Err(message)) => next.run = RunStatus::Failed(message),
        }
        Rc::new(next)
    }
}
