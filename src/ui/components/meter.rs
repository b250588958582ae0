//! The responsiveness meter: is the page's main thread free during a run? (Placeholder.)

use yew::prelude::*;

#[function_component(Meter)]
pub fn meter() -> Html {
    html! {}
}
