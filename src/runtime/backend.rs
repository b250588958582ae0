//! Which worker back-end this page's chefs use, chosen once at start-up by trying, not by
//! reading `crossOriginIsolated` (WebKitGTK reports isolation yet cannot send a shared memory
//! to a worker):
//! 1. a shared `WebAssembly.Memory` is posted to a worker, which adds to it; if the page sees
//!    the add, memory is shared and the rayon pool starts ([`Backend::SharedMemory`]);
//! 2. otherwise dedicated workers each instantiate the module with a memory of their own and
//!    cook what they are sent by `postMessage` ([`Backend::MessagePassing`], `super::crew`);
//! 3. if those cannot start either, there are no workers ([`Backend::None`]): single-chef
//!    models on the main thread only.
//!
//! Every step that fails says why, in words, through [`Chefs::why`] (`kitchen.env()` and the
//! environment panel).

use std::cell::RefCell;

use js_sys::Promise;
use serde::Serialize;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use super::error::{Error, ErrorKind};
use super::js::describe_js_error;
use super::{crew, pool};

/// Where the chefs of parallel models run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Backend {
    /// Worker threads of the page's own memory (rayon through wasm-bindgen-rayon).
    SharedMemory,
    /// Dedicated workers, each with its own module instance and memory, handed work by messages.
    MessagePassing,
    /// No workers could start: only the single-chef models, on the main thread.
    None,
}

impl Backend {
    /// The back-end's name as `kitchen.env().backend` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Backend::SharedMemory => "shared-memory",
            Backend::MessagePassing => "message-passing",
            Backend::None => "none",
        }
    }
}

/// The chefs this page has.
#[derive(Clone, Debug, PartialEq)]
pub struct Chefs {
    pub backend: Backend,
    /// Workers running (0 for [`Backend::None`]).
    pub threads: usize,
    /// Why this back-end: what was tried and what happened.
    pub why: String,
}

impl Chefs {
    /// How many workers can cook, or why there are none.
    pub fn workers(&self) -> Result<usize, Error> {
        match self.backend {
            Backend::None => Err(ErrorKind::NoWorkers(self.why.clone()).into()),
            _ => Ok(self.threads),
        }
    }

    /// `Ok` when the chefs share memory, else why `what` cannot run here.
    pub fn need_shared_memory(&self, what: &'static str) -> Result<(), Error> {
        match self.backend {
            Backend::SharedMemory => Ok(()),
            _ => Err(ErrorKind::NeedsSharedMemory { what, why: self.why.clone() }.into()),
        }
    }
}

enum State {
    Deciding(Promise),
    Decided(Chefs),
}

thread_local! {
    static STATE: RefCell<Option<State>> = const { RefCell::new(None) };
}

/// How long a worker may take to answer the shared-memory probe or to start.
const PROBE_TIMEOUT_MS: f64 = 10_000.0;

/// Starts choosing the back-end in the background (once); [`chefs`] awaits the choice.
pub fn start() {
    STATE.with(|s| {
        if s.borrow().is_some() {
            return;
        }
        let deciding = future_to_promise(async {
            let chefs = decide().await;
            STATE.with(|s| *s.borrow_mut() = Some(State::Decided(chefs)));
            Ok(JsValue::UNDEFINED)
        });
        *s.borrow_mut() = Some(State::Deciding(deciding));
    });
}

/// The page's chefs, once the back-end is chosen and its workers run.
pub async fn chefs() -> Chefs {
    start();
    let deciding = STATE.with(|s| match s.borrow().as_ref() {
        Some(State::Decided(chefs)) => Err(chefs.clone()),
        Some(State::Deciding(promise)) => Ok(promise.clone()),
        None => unreachable!("started above"),
    });
    match deciding {
        Err(chefs) => chefs,
        Ok(promise) => {
            let _ = JsFuture::from(promise).await;
            STATE.with(|s| match s.borrow().as_ref() {
                Some(State::Decided(chefs)) => chefs.clone(),
                _ => unreachable!("decided before the promise resolves"),
            })
        }
    }
}

/// The page's chefs if the back-end is already chosen (for answers that cannot wait).
pub fn chefs_if_decided() -> Option<Chefs> {
    STATE.with(|s| match s.borrow().as_ref() {
        Some(State::Decided(chefs)) => Some(chefs.clone()),
        _ => None,
    })
}

/// `?backend=message-passing` in the page's address: skip shared memory (to compare the two
/// back-ends on one machine, as `make bench` does).
fn message_passing_asked_for() -> bool {
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    search.trim_start_matches('?').split('&').any(|pair| pair == "backend=message-passing")
}

/// Tries shared memory, then message passing; says what happened.
async fn decide() -> Chefs {
    let threads = pool::planned_threads();
    // Each step that fails leaves why, for the next step's explanation.
    let probe = if message_passing_asked_for() {
        Some("message passing was asked for by the page's address (?backend=message-passing)".to_string())
    } else {
        crew::probe_shared_memory(PROBE_TIMEOUT_MS).await
    };
    let no_shared_memory = match probe {
        Some(why) if message_passing_asked_for() => why,
        None => match JsFuture::from(pool::start(threads)).await {
            Ok(_) => {
                let threads = pool::threads();
                let why = format!(
                    "a shared WebAssembly memory sent to a worker stayed shared, so {threads} chefs are threads of this page's own memory"
                );
                return Chefs { backend: Backend::SharedMemory, threads, why };
            }
            Err(e) => format!("shared memory works, but the worker pool failed to start ({})", describe_js_error(&e)),
        },
        // WebKitGTK: isolated, yet no SharedArrayBuffer and a shared memory cannot be posted.
        Some(why) if pool::cross_origin_isolated() => {
            format!("no shared memory here, although the page is cross-origin isolated: {why}")
        }
        Some(why) => format!("no shared memory here: {why}"),
    };
    match crew::start(threads, PROBE_TIMEOUT_MS).await {
        Ok(threads) => Chefs {
            backend: Backend::MessagePassing,
            threads,
            why: format!("{no_shared_memory}; so each chef is a worker with its own memory, handed its work by messages"),
        },
        Err(e) => Chefs {
            backend: Backend::None,
            threads: 0,
            why: format!("{no_shared_memory}; and workers with their own memory could not start either: {e}"),
        },
    }
}
