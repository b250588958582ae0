//! Waiting on the browser's event loop: the main thread must never block, so its waits are
//! futures resolved by the event loop.

use js_sys::Promise;
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
/// once nested: that would add 4 ms to every 10 ms time slice.
pub async fn yield_to_event_loop() {
    let Ok(channel) = web_sys::MessageChannel::new() else { return sleep_ms(0.0).await };
    let promise = Promise::new(&mut |resolve, _| channel.port1().set_onmessage(Some(resolve.unchecked_ref())));
    let _ = channel.port2().post_message(&JsValue::NULL);
    let _ = JsFuture::from(promise).await;
    channel.port1().set_onmessage(None);
}

/// Resumes in a task of its own once the page has drawn its next frame (or after 100 ms when
/// it draws none, as in a hidden tab): work split with it leaves the page a frame between
/// pieces, so no piece and its rendering add up to one long freeze.
pub async fn after_next_frame() {
    let promise = Promise::new(&mut |resolve, _| {
        let Some(window) = web_sys::window() else { return drop(resolve.call0(&JsValue::NULL)) };
        let _ = window.request_animation_frame(&resolve);
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
    });
    let _ = JsFuture::from(promise).await;
    yield_to_event_loop().await;
}
