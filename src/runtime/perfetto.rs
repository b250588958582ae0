//! "Open in Perfetto": hands a Chrome trace to ui.perfetto.dev in a new tab, by Perfetto's
//! documented handshake (perfetto.dev/docs/visualization/deep-linking-to-perfetto-ui): open
//! the UI with `window.open`, post `'PING'` every 50 ms until it answers `'PONG'` (its message
//! channel is not buffered), then post `{ perfetto: { buffer, title, fileName } }`.
//!
//! A page served with `Cross-Origin-Opener-Policy: same-origin` (the playground, to be
//! cross-origin isolated) loses its handle on a window of another site as soon as it opens:
//! the handshake cannot work there, and [`Perfetto::Severed`] says so, so the page can offer
//! the file instead. Perfetto's docs say the same of COOP. An embedded kitchen (COOP does not
//! apply in an iframe) and a page served without it can hand the trace over.

use std::cell::RefCell;
use std::rc::Rc;

use futures::channel::oneshot;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::MessageEvent;

use super::error::{Error, ErrorKind};

/// Where the Perfetto UI lives.
pub const ORIGIN: &str = "https://ui.perfetto.dev";

/// How often to ping, as Perfetto's docs do.
const PING_MS: u32 = 50;
/// How long to wait for the UI to load and answer (it is a large page).
const GIVE_UP_MS: u32 = 30_000;

/// Why a trace could not be handed to Perfetto.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Perfetto {
    /// The browser blocked the new tab.
    #[error("the browser blocked the new tab for Perfetto; allow pop-ups for this page")]
    Blocked,
    /// This page is cross-origin isolated (COOP), so it cannot talk to the tab it opened.
    #[error("Perfetto opened in a new tab, but this page is cross-origin isolated (COOP), so it can't hand the trace over; \
             open the downloaded Chrome trace there (Open trace file, or drop it on the page)")]
    Severed,
    /// The tab was closed before it answered.
    #[error("the Perfetto tab was closed before it could take the trace")]
    Closed,
    /// No `PONG` in time.
    #[error("Perfetto did not answer within 30 s (offline, or ui.perfetto.dev unreachable)")]
    NoAnswer,
}

/// Opens Perfetto in a new tab and hands it `json` (a Chrome trace) under `title`; resolves
/// once the trace was posted, or with why not.
pub async fn open(json: &str, title: &str, file_name: &str) -> Result<(), Error> {
    let window = web_sys::window().ok_or(ErrorKind::Perfetto(Perfetto::Closed))?;
    let popup = window.open_with_url_and_target(ORIGIN, "_blank").ok().flatten().ok_or(ErrorKind::Perfetto(Perfetto::Blocked))?;
    let (tx, rx) = oneshot::channel::<Result<(), Perfetto>>();
    let tx = Rc::new(RefCell::new(Some(tx)));
    let finish = {
        let tx = tx.clone();
        move |outcome| {
            if let Some(tx) = tx.borrow_mut().take() {
                let _ = tx.send(outcome);
            }
        }
    };
    let pong = {
        let (popup, finish) = (popup.clone(), finish.clone());
        EventListener::new(&window, "message", move |event| {
            let Some(event) = event.dyn_ref::<MessageEvent>() else { return };
            let from_popup = event.source().is_some_and(|s| Object::is(&s, &popup));
            if from_popup && event.data().as_string().as_deref() == Some("PONG") {
                finish(Ok(()));
            }
        })
    };
    let started = js_sys::Date::now();
    let pinger = {
        let popup = popup.clone();
        Interval::new(PING_MS, move || {
            if popup.closed().unwrap_or(true) {
                // Closed this early: the COOP severance, not a person (a page loads for longer).
                let severed = js_sys::Date::now() - started < 3_000.0;
                return finish(Err(if severed { Perfetto::Severed } else { Perfetto::Closed }));
            }
            if js_sys::Date::now() - started > f64::from(GIVE_UP_MS) {
                return finish(Err(Perfetto::NoAnswer));
            }
            let _ = popup.post_message(&"PING".into(), ORIGIN);
        })
    };
    let outcome = rx.await.unwrap_or(Err(Perfetto::Closed));
    drop((pinger, pong));
    outcome.map_err(ErrorKind::Perfetto)?;
    popup.post_message(&message(json, title, file_name), ORIGIN).map_err(|_| ErrorKind::Perfetto(Perfetto::Closed))?;
    Ok(())
}

/// `{ perfetto: { buffer, title, fileName } }`, the buffer an ArrayBuffer of the JSON's bytes.
fn message(json: &str, title: &str, file_name: &str) -> JsValue {
    let buffer = Uint8Array::from(json.as_bytes()).buffer();
    let inner = Object::new();
    let _ = Reflect::set(&inner, &"buffer".into(), &buffer);
    let _ = Reflect::set(&inner, &"title".into(), &title.into());
    let _ = Reflect::set(&inner, &"fileName".into(), &file_name.into());
    let outer = Object::new();
    let _ = Reflect::set(&outer, &"perfetto".into(), &inner);
    outer.into()
}
