//! Sweep: speedup against chefs, with the ideal line and Amdahl's fit. (Placeholder.)

use yew::prelude::*;

#[function_component(Sweep)]
pub fn sweep() -> Html {
    html! {}
}
