//! The one way this app runs code every animation frame (the meter's frame log, the
//! heartbeat, the timeline's replay): a loop that calls back with each frame's timestamp
//! until it is dropped. Frames come from the main thread's rendering, so a busy main thread
//! delays them — which is exactly what the meter and the heartbeat want to see.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_render::{request_animation_frame, AnimationFrame};

/// A requestAnimationFrame loop; dropping it cancels the pending frame.
#[must_use = "the loop stops when this is dropped"]
pub struct FrameLoop {
    pending: Rc<RefCell<Option<AnimationFrame>>>,
}

type OnFrame = Rc<RefCell<dyn FnMut(f64)>>;

impl FrameLoop {
    /// Calls `on_frame(timestamp_ms)` at every animation frame from the next one on.
    pub fn start(on_frame: impl FnMut(f64) + 'static) -> FrameLoop {
        let pending = Rc::new(RefCell::new(None));
        request(Rc::downgrade(&pending), Rc::new(RefCell::new(on_frame)));
        FrameLoop { pending }
    }
}

impl Drop for FrameLoop {
    fn drop(&mut self) {
        // Dropping an `AnimationFrame` cancels it.
        self.pending.borrow_mut().take();
    }
}

/// Asks for the next frame, unless the loop has been dropped meanwhile.
fn request(pending: Weak<RefCell<Option<AnimationFrame>>>, on_frame: OnFrame) {
    let Some(slot) = pending.upgrade() else { return };
    let frame = request_animation_frame(move |at_ms| {
        (on_frame.borrow_mut())(at_ms);
        request(pending, on_frame);
    });
    *slot.borrow_mut() = Some(frame);
}
