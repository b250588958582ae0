//! The runtime's errors: why a run, a lesson or a call from JavaScript could not go ahead.
//! One type for the layer; the UI matches on [`ErrorKind`] (a stop is [`ErrorKind::Stopped`],
//! never a compared message) and the text is made here, at the edge, by `Display`.

use crate::engine;

/// Why the runtime could not do what it was asked.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct Error {
    pub kind: ErrorKind,
}

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    /// Stop was pressed: the run, batch or lesson ended early and its result means nothing.
    #[error("stopped")]
    Stopped,
    /// Something else is cooking: runs and lessons share the chefs, so one at a time.
    #[error("{0}")]
    Busy(Busy),
    /// The engine refused the experiment or trace (it says why, with the JSON path).
    #[error("{0}")]
    Engine(#[from] engine::Error),
    /// A value passed from JavaScript has the wrong shape (what was expected, in words).
    #[error("{0}")]
    BadArgument(String),
    /// This page has no worker threads (why: not isolated, or the pool failed to start).
    #[error("{0}")]
    NoWorkers(String),
    /// A model that needs worker threads, on a page without them.
    #[error("the {model} model needs worker threads, but {why}")]
    ModelNeedsWorkers { model: &'static str, why: String },
    /// More chefs than the page has worker threads.
    #[error("{chefs} chefs asked for, but this page runs only {threads} worker threads")]
    TooManyChefs { chefs: usize, threads: usize },
    /// The `mainThread` option was refused (why, and what to do instead).
    #[error("{0}")]
    MainThreadRefused(String),
    /// What needs threads sharing one memory (the race demo's atomics and locks), on a page
    /// whose chefs do not share memory (why not).
    #[error("{what} needs threads that share memory, and this page has none: {why}")]
    NeedsSharedMemory { what: &'static str, why: String },
    /// A message-passing worker failed or could not be given its job (why).
    #[error("a worker failed: {0}")]
    WorkerFailed(String),
    /// The worker pool dropped work handed to it (what it was).
    #[error("the worker pool dropped the {0}")]
    WorkerDropped(&'static str),
    /// No lesson has this id.
    #[error("no lesson `{id}`; the lessons are: {known}")]
    UnknownLesson { id: String, known: String },
    /// The lesson cannot run on this machine or page (why).
    #[error("“{title}” can't run here: {why}")]
    LessonUnavailable { title: &'static str, why: String },
    /// The race demo failed on its threads.
    #[error("the race demo could not run: {0}")]
    RaceDemo(String),
    /// The responsiveness meter was not in a state to do this (why).
    #[error("{0}")]
    Meter(&'static str),
    /// `kitchen.show` was called with no UI mounted to show the trace.
    #[error("no view to show the trace in (the page's UI is not mounted)")]
    NoView,
}

/// What is already under way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Busy {
    /// A run (from Run, a batch, a lesson or `kitchen.run`).
    #[error("a run is already in progress; stop it or wait for it to finish")]
    Run,
    /// A lesson.
    #[error("a lesson is already running; stop it or wait for it to finish")]
    Lesson,
    /// A run, whose result `kitchen.show` would hide.
    #[error("a run is in progress; show() would hide its result — wait for it or stop it")]
    Showing,
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error { kind }
    }
}

impl From<engine::Error> for Error {
    fn from(e: engine::Error) -> Self {
        ErrorKind::Engine(e).into()
    }
}

impl From<Busy> for Error {
    fn from(busy: Busy) -> Self {
        ErrorKind::Busy(busy).into()
    }
}

impl Error {
    /// Whether Stop ended the work (not a failure to report).
    pub fn is_stop(&self) -> bool {
        self.kind == ErrorKind::Stopped
    }
}
