//! The one way this app runs code every animation frame (the meter's frame log, the
//! heartbeat, the timeline's replay): a loop that calls back with each frame's timestamp
//! until it is dropped. Frames come from the main thread's rendering, so a busy main thread
//! delays them — which is exactly what the meter and the heartbeat want to see.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_render::{request_animation_frame, AnimationFrame};
use gloo_timers::callback::Timeout;

/// A requestAnimationFrame loop; dropping it cancels what is pending.
#[must_use = "the loop stops when this is dropped"]
pub struct FrameLoop {
    pending: Rc<RefCell<Option<Pending>>>,
}

/// What a loop waits for next: a frame, or (between beats) a timer before it.
enum Pending {
    Frame(#[allow(dead_code)] AnimationFrame),
    Timer(#[allow(dead_code)] Timeout),
}

type OnFrame = Rc<RefCell<dyn FnMut(f64)>>;

impl FrameLoop {
    /// Calls `on_frame(timestamp_ms)` at every animation frame from the next one on.
    pub fn start(on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        FrameLoop::beating(0, on_frame)
    }

    /// Calls `on_frame(timestamp_ms)` at the first animation frame after each `beat_ms`: a
    /// timer, then a frame. Neither comes while the main thread is busy, so it stops through a
    /// freeze just as [`FrameLoop::start`] does, but asks the page to draw only that often
    /// (redrawing at every frame took ~8 % of a 2-core machine from the chefs).
    pub fn beating(beat_ms: u32, on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        let pending = Rc::new(RefCell::new(None));
        request(Rc::downgrade(&pending), Rc::new(RefCell::new(on_frame)), beat_ms);
        FrameLoop { pending }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        // Dropping an `AnimationFrame` or a `Timeout` cancels it.
        self.pending.borrow_mut().take();
    }
}

/// Asks for the next frame (after `beat_ms`, when not 0), unless the loop has been dropped meanwhile.
fn request(pending: Weak<RefCell<Option<Pending>>>, on_frame: OnFrame, beat_ms: u32) {
    let Some(slot) = pending.upgrade() else { return };
    let next = if beat_ms == 0 {
        Pending::Frame(next_frame(pending, on_frame, beat_ms))
    } else {
        Pending::Timer(Timeout::new(beat_ms, move || {
            let Some(slot) = pending.upgrade() else { return };
            let frame = next_frame(pending, on_frame, beat_ms);
            *slot.borrow_mut() = Some(Pending::Frame(frame));
        }))
    };
    *slot.borrow_mut() = Some(next);
}

/// The next animation frame: calls `on_frame`, then asks for the one after.
fn next_frame(pending: Weak<RefCell<Option<Pending>>>, on_frame: OnFrame, beat_ms: u32) -> AnimationFrame {
    request_animation_frame(move |at_ms| {
        (on_frame.borrow_mut())(at_ms);
        request(pending, on_frame, beat_ms);
    })
}
