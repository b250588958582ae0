//! Compare: the same dishes under every model, walls side by side. (Placeholder.)

use yew::prelude::*;

#[function_component(Compare)]
pub fn compare() -> Html {
    html! {}
}
