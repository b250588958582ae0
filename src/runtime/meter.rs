//! The responsiveness meter: is the page's main thread free while a run cooks?
//!
//! Started before a run and stopped after it, it watches the main thread three ways:
//! - a requestAnimationFrame loop: the gaps between frames (a busy main thread draws none);
//! - a `longtask` PerformanceObserver, where the browser has one: tasks over 50 ms
//!   (elsewhere the frame gaps over 50 ms stand in, and the report says so);
//! - taps on the meter's button ([`tap`]): how long each waited for its handler.
//!
//! The arithmetic is in [`crate::engine::responsiveness`]; this is the browser glue (`api`
//! offers it as `kitchen.meter`, docs/format.md). Main thread only: workers have no frames to miss.

use std::cell::RefCell;

use js_sys::{Array, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{PerformanceEntry, PerformanceObserver, PerformanceObserverEntryList, PerformanceObserverInit};

use super::error::{Error, ErrorKind};
use super::frames::FrameLoop;
use crate::engine::responsiveness::{MeterLog, ResponsivenessReport};

/// How long [`stop`] waits for a frame before reporting anyway (hidden tabs draw none).
const SETTLE_MS: i32 = 100;

/// The meter while it runs.
struct Active {
    log: MeterLog,
    /// The frame loop, dropped (cancelled) at the stop.
    frames: Option<FrameLoop>,
    /// `None` where the browser has no Long Tasks API.
    observer: Option<PerformanceObserver>,
    /// Set by [`stop`]: no more frames are counted, but taps made before it still are.
    stopping: bool,
}

thread_local! {
    static ACTIVE: RefCell<Option<Active>> = const { RefCell::new(None) };
    /// Long task entries `(start_ms, duration_ms)` seen since the start. Kept apart from
    /// [`ACTIVE`] because the observer may deliver them after the stop has taken the log.
    static LONG_TASKS: RefCell<Vec<(f64, f64)>> = const { RefCell::new(Vec::new()) };
    /// One callback for every observer delivery, made once and never dropped, so it is not
    /// freed while the browser may still call it.
    static ON_LONG_TASKS: Closure<dyn FnMut(PerformanceObserverEntryList)> =
        Closure::new(|list: PerformanceObserverEntryList| record_long_tasks(&list.get_entries()));
}

/// `performance.now()`: the clock of `event.timeStamp` and of animation frame timestamps.
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Whether the meter is running.
pub fn running() -> bool {
    ACTIVE.with(|a| a.borrow().is_some())
}

/// Starts the meter, discarding any measurement not yet stopped.
pub fn start() {
    discard();
    LONG_TASKS.with(|l| l.borrow_mut().clear());
    let active = Active {
        log: MeterLog::new(now_ms()),
        frames: Some(FrameLoop::start(on_frame)),
        observer: observe_long_tasks(),
        stopping: false,
    };
    ACTIVE.with(|a| *a.borrow_mut() = Some(active));
}

/// Stops the meter and reports what it measured up to now. A run that froze the page may end
/// in the very task that calls this, so it first lets the page catch up before reporting:
/// the taps the freeze kept waiting are handled only then, and the browser reports a long
/// task only once the task has ended.
pub async fn stop() -> Result<ResponsivenessReport, Error> {
    let end_ms = now_ms();
    begin_stop()?;
    next_frame_or_timeout(SETTLE_MS).await;
    let active = ACTIVE.with(|a| a.borrow_mut().take()).ok_or(ErrorKind::Meter("the meter was restarted before it could stop"))?;
    let long_tasks = active.observer.map(|observer| {
        record_long_tasks(&observer.take_records());
        observer.disconnect();
        LONG_TASKS.with(|l| std::mem::take(&mut *l.borrow_mut()))
    });
    Ok(active.log.finish(end_ms, long_tasks.as_deref()))
}

/// Records a tap on the meter's button: how long `event` waited for its handler, which runs
/// now (`performance.now()` − `event.timeStamp`). Returns the delay; it counts in the report
/// when the tap happened while the meter ran.
pub fn tap(event: &web_sys::Event) -> f64 {
    let delay_ms = (now_ms() - event.time_stamp()).max(0.0);
    ACTIVE.with(|a| a.borrow_mut().as_mut().map(|active| active.log.tap(event.time_stamp(), delay_ms)));
    delay_ms
}

/// Marks the meter stopping and cancels its frame loop, or says why it cannot stop.
fn begin_stop() -> Result<(), Error> {
    ACTIVE.with(|a| match a.borrow_mut().as_mut() {
        None => Err(ErrorKind::Meter("the meter is not running; call kitchen.meter.start() first").into()),
        Some(active) if active.stopping => Err(ErrorKind::Meter("the meter is already stopping").into()),
        Some(active) => {
            active.stopping = true;
            active.frames = None;
            Ok(())
        }
    })
}

/// Resolves at the next animation frame (input queued before it has been handled by then),
/// or after `ms` where frames do not come (a hidden tab).
async fn next_frame_or_timeout(ms: i32) {
    let promise = Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = JsFuture::from(promise).await;
}

fn discard() {
    // Dropping the state drops its frame loop, which cancels the pending frame.
    if let Some(observer) = ACTIVE.with(|a| a.borrow_mut().take()).and_then(|active| active.observer) {
        observer.disconnect();
    }
}

/// Logs one frame, while the meter counts them.
fn on_frame(at_ms: f64) {
    ACTIVE.with(|a| {
        if let Some(active) = a.borrow_mut().as_mut().filter(|active| !active.stopping) {
            active.log.frame(at_ms);
            active.log.drawn(now_ms());
        }
    });
}

/// A `longtask` observer, or `None` where `PerformanceObserver.supportedEntryTypes` lacks it
/// (Firefox and Safari as of 2026).
fn observe_long_tasks() -> Option<PerformanceObserver> {
    let constructor = Reflect::get(&js_sys::global(), &"PerformanceObserver".into()).ok()?;
    let types: Array = Reflect::get(&constructor, &"supportedEntryTypes".into()).ok()?.dyn_into().ok()?;
    if !types.includes(&"longtask".into(), 0) {
        return None;
    }
    let observer = ON_LONG_TASKS.with(|f| PerformanceObserver::new(f.as_ref().unchecked_ref())).ok()?;
    let init = PerformanceObserverInit::new(&Array::of1(&"longtask".into()));
    observer.observe(&init);
    Some(observer)
}

fn record_long_tasks(entries: &Array) {
    let tasks = entries.iter().filter_map(|e| e.dyn_into::<PerformanceEntry>().ok()).map(|e| (e.start_time(), e.duration()));
    LONG_TASKS.with(|l| l.borrow_mut().extend(tasks));
}
