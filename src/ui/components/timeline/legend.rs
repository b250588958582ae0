//! The legend: what each kind of span looks like, and each dish's colour.

use yew::prelude::*;

use super::layers::{colour, Shared, PALETTE};
use crate::ui::geometry::timeline::Layout;

/// Dishes listed by name; beyond, the legend says how many more.
const MAX_DISHES: usize = 16;
/// The neutral palette entry the kind swatches use, so they show pattern, not a dish.
const NEUTRAL: usize = PALETTE.len() - 1;

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub layout: Shared<Layout>,
    pub ids: AttrValue,
}

#[function_component(Legend)]
pub fn legend(props: &LegendProps) -> Html {
    let dishes = &props.layout.0.dishes;
    let named = dishes.iter().take(MAX_DISHES).enumerate().map(|(i, name)| {
        html! {
            <li><svg class="tl-swatch" width="14" height="14" aria-hidden="true">
                <rect x="1" y="1" width="12" height="12" fill={colour(i)} class="tl-key cook" />
            </svg>{ name }</li>
        }
    });
    let more = dishes.len().saturating_sub(MAX_DISHES);
    html! {
        <div class="tl-legend">
            <ul class="tl-kinds" aria-label="Kinds of span">{ for kinds(&props.ids) }</ul>
            <ul class="tl-dishes" aria-label="Dishes">
                { for named }
                if more > 0 {
                    <li class="tl-more">{ format!("… and {more} more (colours repeat every {} dishes)", PALETTE.len()) }</li>
                }
            </ul>
        </div>
    }
}

/// A swatch and a phrase per kind: solid cook, hatched simmer, thin dotted wait, thin light ready.
fn kinds(ids: &AttrValue) -> Vec<Html> {
    let grey = PALETTE[NEUTRAL];
    let hatch = format!("url(#{ids}-h{NEUTRAL})");
    let item = |swatch: Html, text: &'static str| {
        html! { <li><svg class="tl-swatch" width="30" height="14" aria-hidden="true">{ swatch }</svg>{ text }</li> }
    };
    vec![
        item(html! { <rect class="tl-key cook" x="1" y="1" width="28" height="12" fill={grey} /> }, "cook: computing"),
        item(html! { <rect class="tl-key simmer" x="1" y="1" width="28" height="12" fill={hatch} stroke={grey} /> },
            "simmer: a timed wait"),
        item(html! { <rect class="tl-key wait" x="1" y="4" width="28" height="5" fill="none" stroke={grey} /> },
            "wait: eligible, no chef free yet"),
        item(html! { <rect class="tl-key ready" x="1" y="4" width="28" height="5" fill={grey} stroke={grey} /> },
            "ready: its chef busy with another dish"),
    ]
}
