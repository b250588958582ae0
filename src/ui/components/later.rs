//! Drawing a big result in pieces: [`Later`] shows its children only after the page has drawn
//! a given number of frames since it was mounted, so the scene, the timeline and the table of
//! a 20,000-dish run are each built (and laid out) in a task of their own instead of one long
//! freeze (issue 12). With `frames == 0` it is a plain wrapper.

use yew::prelude::*;

use crate::runtime::timers::after_next_frame;

/// What [`Later`] waits for and shows.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Frames to let the page draw before the children are built (0: at once).
    pub frames: u32,
    /// What the children show (e.g. the trace's address): when it changes, they wait again.
    pub token: usize,
    /// Shown meanwhile (a line saying what is coming).
    #[prop_or_default]
    pub placeholder: Html,
    pub children: Html,
}

/// Its children, `frames` frames after it was mounted or its `token` changed.
#[function_component(Later)]
pub fn later(props: &Props) -> Html {
    // The token the children may be shown for.
    let ready_for = use_state_eq(|| None::<usize>);
    {
        let (ready_for, frames) = (ready_for.clone(), props.frames);
        use_effect_with(props.token, move |&token| {
            if frames > 0 {
                wasm_bindgen_futures::spawn_local(async move {
                    for _ in 0..frames {
                        after_next_frame().await;
                    }
                    ready_for.set(Some(token));
                });
            }
        });
    }
    if props.frames == 0 || *ready_for == Some(props.token) { props.children.clone() } else { props.placeholder.clone() }
}
