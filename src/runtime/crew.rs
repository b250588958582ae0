//! The message-passing back-end's workers: dedicated Web Workers, each instantiating this
//! page's compiled `WebAssembly.Module` (compiled once, posted to each) with a memory of its
//! own. A worker only cooks: it runs `units` of a kernel when told and reports its measured
//! start and end on the shared time axis (`performance.timeOrigin + performance.now()`) and the
//! checksum. What runs next is decided on the main thread by the engine's `Schedule`
//! (`super::dispatch`). The JavaScript half is `workers.js`.

use std::cell::{Cell, RefCell};

use futures::channel::mpsc::{unbounded, TryRecvError, UnboundedReceiver};
use futures::StreamExt;
use js_sys::{JsString, Promise};
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::clock::BrowserClock;
use super::error::{Error, ErrorKind};
use super::js::{describe_js_error, json_text, to_js};
use super::timers::sleep_ms;
use crate::engine::clock::Clock;
use crate::engine::Kernel;

#[wasm_bindgen(module = "/src/runtime/workers.js")]
extern "C" {
    #[wasm_bindgen(js_name = probeSharedMemory)]
    fn probe_shared_memory_js(timeout_ms: f64) -> Promise;

    /// The started workers (`startCrew`'s result).
    type JsCrew;
    #[wasm_bindgen(js_name = startCrew)]
    fn start_crew(module: JsValue, main_js: JsString, size: usize, on_report: &js_sys::Function, timeout_ms: f64) -> Promise;
    #[wasm_bindgen(method, catch)]
    fn cook(this: &JsCrew, worker: usize, job: f64, kernel: u32, units: f64) -> Result<(), JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// The URL of wasm-bindgen's glue module, which each worker imports to instantiate the module.
    #[wasm_bindgen(thread_local_v2, js_namespace = ["import", "meta"], js_name = url)]
    static MAIN_JS: JsString;
}

/// Whether a shared memory really reaches a worker here: `None` if so, else why not.
pub async fn probe_shared_memory(timeout_ms: f64) -> Option<String> {
    let answer = JsFuture::from(probe_shared_memory_js(timeout_ms)).await;
    let why = answer.map_or_else(|e| describe_js_error(&e), |v| v.as_string().unwrap_or_default());
    (!why.is_empty()).then_some(why)
}

/// What a worker answers.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Report {
    /// Job `job` done: measured from `start` to `end` (ms on the shared axis), with its checksum.
    Cooked { job: f64, start: f64, end: f64, checksum: String },
    /// The worker could not do what it was asked (why).
    Failed { why: String },
}

/// A finished job, as [`Lease::next`] gives it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cooked {
    pub worker: usize,
    pub job: u64,
    pub start: f64,
    pub end: f64,
    pub checksum: u64,
}

struct Crew {
    js: JsCrew,
    size: usize,
    /// Taken by the run under way ([`Lease`]), put back when it ends.
    reports: Option<UnboundedReceiver<(usize, JsValue)>>,
}

thread_local! {
    static CREW: RefCell<Option<Crew>> = const { RefCell::new(None) };
    static NEXT_JOB: Cell<u64> = const { Cell::new(1) };
}

/// Starts `size` workers; resolves with how many run, or why they could not start.
pub async fn start(size: usize, timeout_ms: f64) -> Result<usize, String> {
    let (send, reports) = unbounded();
    // Lives as long as the page: the workers report through it.
    let on_report = Closure::<dyn Fn(usize, JsValue)>::new(move |worker: usize, report: JsValue| {
        let _ = send.unbounded_send((worker, report));
    })
    .into_js_value();
    let started = start_crew(wasm_bindgen::module(), MAIN_JS.with(Clone::clone), size, on_report.unchecked_ref(), timeout_ms);
    let js: JsCrew = JsFuture::from(started).await.map_err(|e| describe_js_error(&e))?.unchecked_into();
    CREW.with(|c| *c.borrow_mut() = Some(Crew { js, size, reports: Some(reports) }));
    Ok(size)
}

/// The workers, lent to one run at a time.
pub struct Lease {
    js: JsCrew,
    reports: Option<UnboundedReceiver<(usize, JsValue)>>,
    pub size: usize,
}

/// Lends the workers to a run; errors when there are none or another run holds them.
pub fn lease() -> Result<Lease, Error> {
    CREW.with(|c| {
        let mut crew = c.borrow_mut();
        let crew = crew.as_mut().ok_or(ErrorKind::NoWorkers("no message-passing workers started on this page".into()))?;
        let reports = crew.reports.take().ok_or(ErrorKind::WorkerFailed("the workers are busy with another run".into()))?;
        Ok(Lease { js: crew.js.clone().unchecked_into(), reports: Some(reports), size: crew.size })
    })
}

impl Drop for Lease {
    fn drop(&mut self) {
        let reports = self.reports.take();
        CREW.with(|c| {
            if let Some(crew) = c.borrow_mut().as_mut() {
                crew.reports = reports;
            }
        });
    }
}

impl Lease {
    /// Hands `worker` a job: cook `units` of `kernel`. Returns the job's number.
    pub fn cook(&self, worker: usize, kernel: Kernel, units: u64) -> Result<u64, Error> {
        let job = NEXT_JOB.with(|n| n.replace(n.get() + 1));
        self.js
            .cook(worker, job as f64, kernel.index() as u32, units as f64)
            .map_err(|e| ErrorKind::WorkerFailed(format!("could not post a job to worker {worker}: {}", describe_js_error(&e))))?;
        Ok(job)
    }

    /// The next job a worker finished, waiting at most `timeout_ms`; `Ok(None)` on time-out.
    pub async fn next(&mut self, timeout_ms: f64) -> Result<Option<Cooked>, Error> {
        let reports = self.reports.as_mut().expect("held until dropped");
        let report = match reports.try_recv() {
            Ok(report) => Some(report),
            Err(TryRecvError::Closed) => None,
            Err(TryRecvError::Empty) => {
                let timeout = Box::pin(sleep_ms(timeout_ms));
                match futures::future::select(reports.next(), timeout).await {
                    futures::future::Either::Left((report, _)) => report,
                    futures::future::Either::Right(_) => return Ok(None),
                }
            }
        };
        let Some((worker, value)) = report else {
            return Err(ErrorKind::WorkerFailed("the workers' report channel closed".into()).into());
        };
        let read = json_text(&value).and_then(|text| serde_json::from_str::<Report>(&text).map_err(|e| e.to_string()));
        match read {
            Ok(Report::Cooked { job, start, end, checksum }) => {
                let checksum = checksum.parse().unwrap_or(0);
                Ok(Some(Cooked { worker, job: job as u64, start, end, checksum }))
            }
            Ok(Report::Failed { why, .. }) => Err(ErrorKind::WorkerFailed(why).into()),
            Err(e) => Err(ErrorKind::WorkerFailed(format!("worker {worker} answered something unreadable: {e}")).into()),
        }
    }
}

/// What [`kitchen_cook`] returns to the worker's script.
#[derive(Serialize)]
struct Measured {
    start: f64,
    end: f64,
    /// A string: a u64 does not fit a JavaScript number.
    checksum: String,
}

/// Runs in a message-passing worker: cooks `units` of kernel number `kernel` and measures it.
#[wasm_bindgen(js_name = kitchenCook)]
pub fn kitchen_cook(kernel: u32, units: f64) -> Result<JsValue, JsValue> {
    let kernel = *Kernel::ALL.get(kernel as usize).ok_or_else(|| JsValue::from_str("no such kernel"))?;
    let clock = BrowserClock;
    let start = clock.now_ms();
    let checksum = kernel.run(units as u64);
    let end = clock.now_ms();
    Ok(to_js(&Measured { start, end, checksum: checksum.to_string() }))
}
