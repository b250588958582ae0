//! The replay in the page: the [`Playback`] state as a Yew reducer, animation frames that move
//! it, and its controls (play/pause, speed, scrubber).

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::layers::Shared;
use crate::runtime::frames::FrameLoop;
use crate::engine::Trace;
use crate::ui::geometry::timeline::end_ms;
use crate::ui::geometry::playback::{Playback, PlaybackAction, SPEEDS};

impl Reducible for Playback {
    type Action = PlaybackAction;

    fn reduce(self: Rc<Self>, action: PlaybackAction) -> Rc<Self> {
        let next = self.apply(action);
        // The same Rc when nothing changed: Yew then skips the render.
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}

/// Whether the person asked for less motion (then the replay never starts on its own).
pub fn prefers_reduced_motion() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|m| m.matches())
}

/// The replay of `trace`: reset (and auto-played, if `autoplay` and nothing speaks against it)
/// when the trace changes, moved by animation frames while it plays. Whoever shows the trace in
/// step with its timeline (the kitchen scene) reads the same handle.
#[hook]
pub fn use_replay(trace: Shared<Trace>, autoplay: bool) -> UseReducerHandle<Playback> {
    let reduced_motion = *use_memo((), |_| prefers_reduced_motion());
    let plays = move |end_ms| autoplay && Playback::autoplays(end_ms, reduced_motion);
    let end_ms = end_ms(&trace.0);
    let replay = use_reducer(|| Playback::new(end_ms, plays(end_ms)));
    {
        let dispatcher = replay.dispatcher();
        use_effect_with(trace, move |trace| {
            let end_ms = crate::ui::geometry::timeline::end_ms(&trace.0);
            dispatcher.dispatch(PlaybackAction::Reset { end_ms, play: plays(end_ms) });
        });
    }
    use_frames(replay.playing, replay.dispatcher());
    replay
}

/// While `playing`, one `Tick` per animation frame with the real time since the last one.
#[hook]
fn use_frames(playing: bool, dispatcher: UseReducerDispatcher<Playback>) {
    use_effect_with(playing, move |&playing| {
        let mut last: Option<f64> = None;
        let frames = playing.then(|| {
            FrameLoop::start(move |now| {
                if let Some(last) = last {
                    dispatcher.dispatch(PlaybackAction::Tick(now - last));
                }
                last = Some(now);
            })
        });
        // Dropping the loop cancels its pending frame.
        move || drop(frames)
    });
}

/// Play/pause, speed and the scrubber.
pub fn controls(replay: &UseReducerHandle<Playback>) -> Html {
    let p: &Playback = replay;
    let toggle = replay.dispatcher().to_callback().reform(|_: MouseEvent| PlaybackAction::Toggle);
    let seek = replay.dispatcher().to_callback().reform(|e: InputEvent| {
        PlaybackAction::Seek(e.target_unchecked_into::<HtmlInputElement>().value_as_number())
    });
    let speed = replay.dispatcher().to_callback().reform(|e: Event| {
        PlaybackAction::Speed(e.target_unchecked_into::<HtmlSelectElement>().value().parse().unwrap_or(1.0))
    });
    let speeds = SPEEDS.iter().map(|&s| html! { <option value={s.to_string()} selected={s == p.speed}>{ format!("{s}×") }</option> });
    let label = if p.playing { "Pause" } else if p.at_end() { "Replay" } else { "Play" };
    html! {
        <div class="tl-replay" role="group" aria-label="Replay">
            <button type="button" class="tl-play" onclick={toggle}>{ label }</button>
            <label class="tl-speed">{ "Speed " }<select onchange={speed}>{ for speeds }</select></label>
            <input type="range" class="tl-scrubber" aria-label="Replay position (ms)" min="0" max={format!("{:.3}", p.end_ms)}
                step="any" value={format!("{:.3}", p.cursor_ms)} oninput={seek}
                aria-valuetext={format!("{:.0} of {:.0} ms", p.cursor_ms, p.end_ms)} />
            <output class="tl-time">{ format!("{:.0} / {:.0} ms", p.cursor_ms, p.end_ms) }</output>
        </div>
    }
}
