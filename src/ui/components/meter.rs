//! The responsiveness meter: is the page's main thread free during a run? Seen — a heartbeat
//! the main thread turns ten times a second, a button to tap — and measured: the report
//! of `runtime::meter` on the last run (longest gap, frames missed, long tasks, input delay).
//!
//! Also the "cook on the main thread" option shown with the sequential model.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use crate::engine::responsiveness::{LongTaskSource, ResponsivenessReport, FRAME_MS};
use crate::runtime::frames::FrameLoop;
use crate::runtime::meter;
use crate::runtime::run::MAIN_THREAD_MAX_WORK_MS;
use crate::ui::state::{Action, RunStatus, use_store};

/// One turn of the heartbeat's hand.
const TURN_MS: f64 = 1000.0;
/// How often the heartbeat is drawn: ten times a second shows a live page and a freeze just as
/// well as every frame did, while asking the page to draw six times less (at every frame it cost
/// the chefs ~8 % of a 2-core machine, and the juggling chef a frame on most of its yields).
const BEAT_MS: u32 = 100;
/// A page that draws nothing for longer than this feels frozen (RAIL's 100 ms response budget).
const FROZEN_MS: f64 = 100.0;

/// The meter panel: the heartbeat, "Tap me while it runs", and the measured report of the
/// last run from the Run button.
#[function_component(Meter)]
pub fn meter_panel() -> Html {
    let state = use_store();
    html! {
        <section class="meter" aria-labelledby="meter-title">
            <h2 id="meter-title">{ "Is the page still alive?" }</h2>
            <div class="meter-live">
                <HeartbeatView />
                <TapMe />
            </div>
            <div id="meter-report" aria-live="polite">
                { match (&state.run, &state.meter) {
                    (RunStatus::Running, _) => html! { <p class="help">{ "Measuring the main thread while the dishes cook…" }</p> },
                    (RunStatus::Failed(_), _) => html! { <p class="help">{ "Nothing measured: the run did not go ahead (see why below)." }</p> },
                    (_, Some(report)) => report_view(report, &state.run),
                    (_, None) => html! { <p class="help">{ "Press Run: the meter measures the page's main thread during the run." }</p> },
                } }
            </div>
        </section>
    }
}

/// The heartbeat's loop (a timer, then an animation frame, every [`BEAT_MS`]): turns the hand
/// and counts beats. It runs on the main thread, so a frozen main thread stops it — unlike a
/// CSS animation, which the compositor would keep turning through the freeze.
struct Heartbeat {
    hand: NodeRef,
    ticker: NodeRef,
    frames: Cell<u64>,
    first_ms: Cell<Option<f64>>,
    /// What the ticker shows, so its text (and the layout) changes only when the number does.
    shown: RefCell<String>,
    frames_loop: RefCell<Option<FrameLoop>>,
}

impl Heartbeat {
    fn start(hand: NodeRef, ticker: NodeRef) -> Rc<Heartbeat> {
        let beat = Rc::new(Heartbeat {
            hand,
            ticker,
            frames: Cell::new(0),
            first_ms: Cell::new(None),
            shown: RefCell::new(String::new()),
            frames_loop: RefCell::new(None),
        });
        // Weak: the loop must not keep the heartbeat alive after the component is gone.
        let weak = Rc::downgrade(&beat);
        *beat.frames_loop.borrow_mut() = Some(FrameLoop::beating(BEAT_MS, move |at_ms| {
            if let Some(beat) = weak.upgrade() {
                beat.frame(at_ms);
            }
        }));
        beat
    }

    fn frame(&self, at_ms: f64) {
        let frames = self.frames.get() + 1;
        self.frames.set(frames);
        let first = self.first_ms.get().unwrap_or(at_ms);
        self.first_ms.set(Some(first));
        let alive_ms = at_ms - first;
        if let Some(hand) = self.hand.cast::<Element>() {
            let turn = (alive_ms / TURN_MS).fract() * 360.0;
            let _ = hand.set_attribute("style", &format!("transform: rotate({turn:.1}deg)"));
            let _ = hand.set_attribute("data-frames", &frames.to_string());
        }
        let text = format!("{:.1} s", alive_ms / 1000.0);
        if *self.shown.borrow() != text {
            if let Some(ticker) = self.ticker.cast::<Element>() {
                ticker.set_text_content(Some(&text));
            }
            *self.shown.borrow_mut() = text;
        }
    }

    fn stop(&self) {
        self.frames_loop.take();
    }
}

#[function_component(HeartbeatView)]
fn heartbeat_view() -> Html {
    let hand = use_node_ref();
    let ticker = use_node_ref();
    {
        let (hand, ticker) = (hand.clone(), ticker.clone());
        use_effect_with((), move |_| {
            let beat = Heartbeat::start(hand, ticker);
            move || beat.stop()
        });
    }
    html! {
        <div class="heartbeat">
            <div class="dial" role="img" aria-label="Heartbeat: a hand the main thread turns ten times a second">
                <span id="heartbeat" class="hand" ref={hand} data-frames="0"></span>
            </div>
            <span class="ticker" ref={ticker} aria-hidden="true">{ "0.0 s" }</span>
            <p class="help">
                { "The page's main thread turns this hand ten times a second (not a CSS animation: those run \
                   on the compositor and keep going through a freeze). If it stops, the page is frozen." }
            </p>
        </div>
    }
}

/// "Tap me while it runs": each tap reports how long it waited for the main thread.
#[function_component(TapMe)]
fn tap_me() -> Html {
    let last = use_state(|| None::<f64>);
    // A pointer tap is measured at its pointerdown, the first event it sends: the click comes
    // only after the release. A keyboard activation sends only a click (detail 0).
    let onpointerdown = {
        let last = last.clone();
        Callback::from(move |e: PointerEvent| last.set(Some(meter::tap(&e))))
    };
    let onclick = {
        let last = last.clone();
        Callback::from(move |e: MouseEvent| {
            if e.detail() == 0 {
                last.set(Some(meter::tap(&e)));
            }
        })
    };
    html! {
        <div class="tap">
            <button id="tap-me" type="button" {onpointerdown} {onclick} aria-describedby="tap-result">{ "Tap me while it runs" }</button>
            <span id="tap-result" aria-live="polite">
                { match *last {
                    Some(ms) => format!("Your last tap waited {ms:.0} ms for the main thread (measured)."),
                    None => "Tap during a run: how long the page takes to react is measured.".to_string(),
                } }
            </span>
        </div>
    }
}

fn report_view(r: &ResponsivenessReport, run: &RunStatus) -> Html {
    let expected_frames = (r.duration_ms / FRAME_MS).round().max(1.0);
    let source = match r.long_task_source {
        LongTaskSource::PerformanceObserver => "long tasks as the browser's Long Tasks API reported them",
        LongTaskSource::FrameGaps => "long tasks estimated from frame gaps over 50 ms (this browser has no Long Tasks API)",
    };
    let long_tasks = match r.long_tasks {
        0 => "none".to_string(),
        n => format!("{n}, {:.0} ms in all", r.long_task_ms),
    };
    let input = match r.worst_input_delay_ms {
        Some(ms) => format!("{ms:.0} ms ({} tap{})", r.taps, if r.taps == 1 { "" } else { "s" }),
        None => "no taps".to_string(),
    };
    html! {
        <>
            <h3>{ "Main thread during the last run" }{ run_context(run) }<span class="badge">{ "measured" }</span></h3>
            { verdict(r) }
            <dl class="meter-figures" data-longest-gap-ms={format!("{:.1}", r.longest_gap_ms)}>
                <div><dt>{ "Longest main-thread gap" }</dt><dd id="meter-gap">{ format!("{:.0} ms", r.longest_gap_ms) }</dd></div>
                <div><dt>{ "Frames missed at 60 Hz" }</dt>
                    <dd id="meter-missed">{ format!("{} of {expected_frames:.0}", r.frames_missed) }</dd></div>
                <div><dt>{ "Long tasks (over 50 ms)" }</dt>
                    <dd id="meter-long-tasks">{ long_tasks }</dd></div>
                <div><dt>{ "Worst input delay" }</dt><dd id="meter-input">{ input }</dd></div>
            </dl>
            <p class="help">{ format!("Watched for {:.0} ms; {source}.", r.duration_ms) }</p>
        </>
    }
}

/// Which run the report is about, and where its chefs cooked.
fn run_context(run: &RunStatus) -> String {
    let RunStatus::Done(trace) = run else { return String::new() };
    let workers = trace.lanes.iter().filter(|l| l.lane > 0).count();
    let place = match workers {
        0 => "the main thread".to_string(),
        1 => "a worker thread".to_string(),
        n => format!("{n} worker threads"),
    };
    format!(" ({}, cooking on {place})", trace.model.name())
}

fn verdict(r: &ResponsivenessReport) -> Html {
    let gap = r.longest_gap_ms;
    if gap > FROZEN_MS {
        html! { <p id="meter-verdict" class="warning">{ format!("The page froze for up to {gap:.0} ms: nothing could be drawn or clicked meanwhile.") }</p> }
    } else if gap > 3.0 * FRAME_MS {
        html! { <p id="meter-verdict">{ format!("The page stuttered a little: up to {gap:.0} ms between frames, but never froze.") }</p> }
    } else {
        html! { <p id="meter-verdict" class="ok">{ format!("The page stayed alive: a frame at least every {gap:.0} ms.") }</p> }
    }
}

/// The checkbox that runs the sequential chef on the main thread, with its warning and cap.
#[function_component(MainThreadOption)]
pub fn main_thread_option() -> Html {
    let state = use_store();
    let onchange = state.dispatcher().to_callback().reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        Action::SetMainThread(input.checked())
    });
    let work_ms = state.analysis().map_or(0.0, |a| a.work_ms);
    let over = work_ms > MAIN_THREAD_MAX_WORK_MS;
    html! {
        <div class="row main-thread">
            <label>
                <input id="main-thread" type="checkbox" checked={state.main_thread} {onchange}
                    disabled={state.running()} aria-describedby="main-thread-help" />
                { " Cook on the page's main thread instead of a worker" }
            </label>
            <span id="main-thread-help" class={classes!("help", if state.main_thread { "warning" } else { "" })}>
                { format!("Freezes this page while it cooks: the heartbeat stops, taps wait, Stop cannot be pressed. \
                           Allowed up to {MAIN_THREAD_MAX_WORK_MS:.0} ms of cooking; these dishes cook for about {work_ms:.0} ms.") }
                if over && state.main_thread { <strong class="error">{ " Too much for the main thread: Run will refuse it." }</strong> }
            </span>
        </div>
    }
}
