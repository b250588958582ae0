//! Waiting on the browser's event loop: the main thread must never block, so its waits are
//! futures resolved by the event loop.

use std::cell::{OnceCell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Resolves after about `ms` (setTimeout: never earlier, often ~1 ms later).
pub async fn sleep_ms(ms: f64) {
    let promise = Promise::new(&mut |resolve, _| {
        let global: web_sys::WorkerGlobalScope = js_sys::global().unchecked_into();
        // `setTimeout` exists on windows and workers alike; WorkerGlobalScope's binding calls it.
        let _ = global.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms.ceil().max(0.0) as i32);
    });
    let _ = JsFuture::from(promise).await;
}

/// Gives the event loop one turn (input, rendering, timers) and resumes right after.
/// A MessageChannel message is used instead of `setTimeout(0)`, which browsers clamp to 4 ms
/// once nested: that would add 4 ms to every 10 ms time slice. One channel serves every yield
/// (each message wakes the oldest waiting yield): a new channel per yield made the juggling
/// chef's every switch pay for setting up a pair of ports.
pub async fn yield_to_event_loop() {
    let posted = YIELDS.with(|yields| {
        let yields = yields.get_or_init(Yields::new).as_ref()?;
        let promise = Promise::new(&mut |resolve, _| yields.waiting.borrow_mut().push_back(resolve));
        yields.channel.port2().post_message(&JsValue::NULL).ok()?;
        Some(promise)
    });
    match posted {
        Some(promise) => {
            let _ = JsFuture::from(promise).await;
        }
        None => sleep_ms(0.0).await,
    }
}

/// The channel behind [`yield_to_event_loop`] and the yields waiting for its messages.
struct Yields {
    channel: web_sys::MessageChannel,
    waiting: Rc<RefCell<VecDeque<js_sys::Function>>>,
    /// Kept alive with the channel: it is the port's message handler.
    _on_message: Closure<dyn FnMut()>,
}

impl Yields {
    /// `None` where the browser has no MessageChannel (then yields fall back to a timer).
    fn new() -> Option<Yields> {
        let channel = web_sys::MessageChannel::new().ok()?;
        let waiting: Rc<RefCell<VecDeque<js_sys::Function>>> = Rc::default();
        let on_message = {
            let waiting = waiting.clone();
            Closure::<dyn FnMut()>::new(move || {
                let next = waiting.borrow_mut().pop_front();
                if let Some(resolve) = next {
                    let _ = resolve.call0(&JsValue::UNDEFINED);
                }
            })
        };
        channel.port1().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        Some(Yields { channel, waiting, _on_message: on_message })
    }
}

thread_local! {
    static YIELDS: OnceCell<Option<Yields>> = const { OnceCell::new() };
}
