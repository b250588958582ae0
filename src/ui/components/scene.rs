//! The kitchen scene: a picture of the run at the replay's cursor, drawn from the measured
//! trace ([`SceneModel`]) — stoves for the cores the machine reports, chefs at a stove while
//! they cook and away from it otherwise, the order rail, dishes waiting for others, simmering
//! pots and the pass. It reads the same replay as the timeline, so it plays, pauses and
//! scrubs with it. Crowds are drawn as a few dishes and a count.
//!
//! Motion is only decoration (steam, chefs walking between spots) and stops under
//! prefers-reduced-motion: then the scene is a still frame the scrubber moves between.

use std::rc::Rc;

use yew::prelude::*;

use super::timeline::{colour, Shared};
use crate::engine::Trace;
use crate::ui::geometry::scene::{spot::*, Doing, Group, SceneModel, SceneState, Spots, MAX_SHOWN};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub trace: Rc<Trace>,
    /// The cores the machine reports: one stove each.
    pub cores: usize,
    /// The replay's cursor: the moment shown.
    pub at_ms: f64,
}

#[function_component(Scene)]
pub fn scene(props: &Props) -> Html {
    let model = use_memo((Shared(props.trace.clone()), props.cores), |(t, cores)| SceneModel::of(&t.0, *cores));
    let s = model.at(props.at_ms);
    let spots = model.spots(&s);
    let summary = model.describe(&s);
    let lanes = |chefs: Vec<usize>| chefs.iter().map(|&c| model.chefs[c].lane.to_string()).collect::<Vec<_>>().join(" ");
    html! {
        <figure class="scene" aria-labelledby="scene-summary" data-ms={format!("{:.3}", s.at_ms)}
            data-cooking={lanes(s.cooking())} data-queued={lanes(s.queued.clone())}
            data-simmering={s.simmering.count.to_string()} data-waiting={s.waiting.count.to_string()}
            data-set-aside={s.set_aside.count.to_string()} data-blocked={s.blocked.count.to_string()}
            data-done={s.done.count.to_string()} data-stoves={model.stoves.to_string()}>
            <svg class="scene-svg" viewBox={format!("0 0 {VIEW_W} {VIEW_H}")} preserveAspectRatio="xMinYMin meet" role="img"
                aria-label={summary.clone()}>
                { rail(&model, &s) }
                { blocked(&model, &s.blocked) }
                { stoves(&model, &s, &spots) }
                { pots(&model, &s.simmering) }
                { pass(&model, &s.done) }
                { away_labels(&spots) }
                { for (0..model.chefs.len()).map(|c| chef(&model, &s, &spots, c)) }
            </svg>
            // The text alternative, read out with the picture; the counts below show the same to the eye.
            <figcaption id="scene-summary" class="scene-summary visually-hidden">{ summary }</figcaption>
            { counts(&model, &s) }
        </figure>
    }
}

/// A coordinate for an attribute.
fn n(v: f64) -> String {
    format!("{v:.1}")
}

/// "+ 312" after the drawn ones, when there are more than drawn.
fn more(group: &Group, x: f64, y: f64) -> Html {
    let extra = group.count - group.dishes.len();
    if extra == 0 {
        return html! {};
    }
    html! { <text class="scene-more" x={n(x)} y={n(y)}>{ format!("+{extra}") }</text> }
}

/// The order rail: a ticket per dish no chef has taken (solid) or set aside (dashed).
fn rail(model: &SceneModel, s: &SceneState) -> Html {
    let tickets = s.waiting.dishes.iter().map(|&d| (d, "ticket"))
        .chain(s.set_aside.dishes.iter().map(|&d| (d, "ticket set-aside")))
        .take(MAX_SHOWN)
        .enumerate()
        .map(|(i, (d, class))| {
            let x = LEFT_X + 4.0 + i as f64 * 24.0;
            html! {
                <g class={class}>
                    <title>{ &model.dishes[d] }</title>
                    <line class="clip" x1={n(x + 9.0)} x2={n(x + 9.0)} y1={n(RAIL_Y + 1.0)} y2={n(RAIL_Y + 6.0)} />
                    <rect x={n(x)} y={n(RAIL_Y + 6.0)} width="18" height="24" rx="2" />
                    <rect class="band" x={n(x)} y={n(RAIL_Y + 6.0)} width="18" height="6" rx="2" fill={colour(d)} />
                </g>
            }
        });
    let total = Group { count: s.waiting.count + s.set_aside.count, dishes: vec![0; (s.waiting.dishes.len() + s.set_aside.dishes.len()).min(MAX_SHOWN)] };
    html! {
        <g class="scene-rail">
            <text class="scene-label" x={n(LEFT_X)} y={n(RAIL_Y - 8.0)}>{ "Order rail: waiting for a chef" }</text>
            <line class="rail" x1={n(LEFT_X)} x2={n(LEFT_X + LEFT_W)} y1={n(RAIL_Y)} y2={n(RAIL_Y)} />
            { for tickets }
            { more(&total, LEFT_X + 6.0 + MAX_SHOWN as f64 * 24.0, RAIL_Y + 22.0) }
        </g>
    }
}

/// Dishes waiting for the dishes they come after: grey tickets with a lock.
fn blocked(model: &SceneModel, group: &Group) -> Html {
    let shown = 6;
    let tickets = group.dishes.iter().take(shown).enumerate().map(|(i, &d)| {
        let x = RIGHT_X + i as f64 * 20.0;
        html! {
            <g class="ticket blocked">
                <title>{ format!("{} (waiting for other dishes)", model.dishes[d]) }</title>
                <rect x={n(x)} y={n(RAIL_Y + 6.0)} width="16" height="22" rx="2" />
                <path class="lock" d={format!("M{:.1} {:.1} v-3 a3 3 0 0 1 6 0 v3 M{:.1} {:.1} h8 v6 h-8 z", x + 5.0, RAIL_Y + 17.0, x + 4.0, RAIL_Y + 17.0)} />
            </g>
        }
    });
    let drawn = Group { count: group.count, dishes: group.dishes.iter().take(shown).copied().collect() };
    html! {
        <g class="scene-blocked">
            <text class="scene-label" x={n(RIGHT_X)} y={n(RAIL_Y - 8.0)}>{ "Waiting for other dishes" }</text>
            { for tickets }
            { more(&drawn, RIGHT_X + shown as f64 * 20.0 + 2.0, RAIL_Y + 22.0) }
        </g>
    }
}

/// A stove per core, with the pan of the dish being cooked on it and its chef's number.
fn stoves(model: &SceneModel, s: &SceneState, spots: &Spots) -> Html {
    let w = spots.stove_w;
    let stoves = spots.stoves.iter().enumerate().map(|(i, &x)| {
        let cook = s.stoves[i].and_then(|c| match s.chefs[c].doing {
            Doing::Cooking(d) => Some((c, d)),
            _ => None,
        });
        let inner = (w - 8.0).max(2.0);
        html! {
            <g class={classes!("stove", cook.is_some().then_some("lit"))} data-stove={i.to_string()}>
                <title>{ format!("stove {} (core {})", i + 1, i + 1) }</title>
                <rect class="stove-body" x={n(x - inner / 2.0)} y={n(STOVE_TOP)} width={n(inner)} height={n(STOVE_H)} rx="3" />
                <ellipse class="burner" cx={n(x)} cy={n(STOVE_TOP + 1.0)} rx={n(inner * 0.32)} ry="3" />
                if let Some((c, d)) = cook {
                    <rect class="pan" x={n(x - inner * 0.3)} y={n(STOVE_TOP - 10.0)} width={n(inner * 0.6)} height="9" rx="2" fill={colour(d)}>
                        <title>{ &model.dishes[d] }</title>
                    </rect>
                    { steam(x + inner * 0.3 + 4.0, STOVE_TOP - 8.0) }
                    if w >= 24.0 { <text class="chef-num on-stove" x={n(x)} y={n(STOVE_TOP + 22.0)}>{ chef_label(model, c) }</text> }
                }
            </g>
        }
    });
    html! {
        <g class="scene-stoves">
            <text class="scene-label" x={n(LEFT_X)} y={n(STOVES_LABEL_Y)}>{ format!("Stoves: the {} cores this machine reports", model.stoves) }</text>
            { for stoves }
        </g>
    }
}

/// "1", or "1 · main" for the chef on the page's main thread.
fn chef_label(model: &SceneModel, c: usize) -> String {
    let who = &model.chefs[c];
    if who.is_main_thread() {
        format!("{} · main", who.number)
    } else {
        who.number.to_string()
    }
}

/// Two wisps of steam rising from (`x`, `y`).
fn steam(x: f64, y: f64) -> Html {
    html! {
        <g class="steam" aria-hidden="true">
            <path d={format!("M{:.1} {y:.1} q-3 -4 0 -8 q3 -4 0 -8", x - 4.0)} />
            <path d={format!("M{:.1} {y:.1} q3 -4 0 -8 q-3 -4 0 -8", x + 4.0)} />
        </g>
    }
}

/// The simmering pots: a few drawn, the rest counted.
fn pots(model: &SceneModel, group: &Group) -> Html {
    let drawn = group.dishes.iter().enumerate().map(|(i, &d)| {
        let (x, y) = (RIGHT_X + (i % 6) as f64 * 29.0, STOVES_LABEL_Y + 22.0 + (i / 6) as f64 * 36.0);
        html! {
            <g class="pot">
                <title>{ format!("{} (simmering)", model.dishes[d]) }</title>
                { steam(x + 12.0, y - 2.0) }
                <rect class="pot-body" x={n(x + 2.0)} y={n(y + 2.0)} width="20" height="15" rx="4" fill={colour(d)} />
                <rect class="pot-lid" x={n(x)} y={n(y)} width="24" height="4" rx="2" />
            </g>
        }
    });
    let label = if model.juggles { "Simmering on their own" } else { "Simmering" };
    html! {
        <g class="scene-pots">
            <text class="scene-label" x={n(RIGHT_X)} y={n(STOVES_LABEL_Y)}>{ label }</text>
            { for drawn }
            <text class="scene-count" x={n(RIGHT_X)} y={n(STOVE_TOP + STOVE_H)}>{ format!("{} simmering", group.count) }</text>
        </g>
    }
}

/// The pass: the latest finished dishes on plates, and how many are done.
fn pass(model: &SceneModel, group: &Group) -> Html {
    let plates = group.dishes.iter().enumerate().map(|(i, &d)| {
        let (x, y) = (RIGHT_X + 13.0 + (i % 6) as f64 * 29.0, AWAY_LABEL_Y + 20.0 + (i / 6) as f64 * 24.0);
        html! {
            <g class="plate">
                <title>{ format!("{} (done)", model.dishes[d]) }</title>
                <ellipse class="plate-rim" cx={n(x)} cy={n(y)} rx="13" ry="6" />
                <ellipse cx={n(x)} cy={n(y - 1.0)} rx="7" ry="3" fill={colour(d)} />
            </g>
        }
    });
    html! {
        <g class="scene-pass">
            <text class="scene-label" x={n(RIGHT_X)} y={n(AWAY_LABEL_Y)}>{ "The pass: done" }</text>
            { for plates }
            <text class="scene-count" x={n(RIGHT_X)} y={n(VIEW_H - 6.0)}>{ format!("{} of {} done", group.count, model.dishes.len()) }</text>
        </g>
    }
}

/// The captions of the groups of chefs away from the stoves.
fn away_labels(spots: &Spots) -> Html {
    html! {
        <g class="scene-away">
            { for spots.groups.iter().map(|(x, label)| html! {
                <text class="scene-label" x={n(*x)} y={n(AWAY_LABEL_Y)}>{ *label }</text>
            }) }
        </g>
    }
}

/// Chef `c` where it is now: at its stove, or away from the stoves. Keyed, so a chef that
/// moves is the same element and walks (a CSS transition) rather than jumping.
fn chef(model: &SceneModel, s: &SceneState, spots: &Spots, c: usize) -> Html {
    let who = &model.chefs[c];
    let now = &s.chefs[c];
    let (x, y) = spots.chefs[c];
    let scale = if now.stove.is_some() { (spots.stove_w / 40.0).min(1.0) } else { spots.away_scale.min(1.0) };
    let (apron, doing, what) = match now.doing {
        Doing::Cooking(d) if now.stove.is_some() => (Some(d), "cooking", format!("cooks {}", model.dishes[d])),
        Doing::Cooking(d) => (Some(d), "queued", format!("waits for a stove to cook {}", model.dishes[d])),
        Doing::Watching(d) => (None, "watching", format!("stands by {}'s pot", model.dishes[d])),
        Doing::Idle => (None, "idle", "has nothing to do".to_string()),
    };
    let main = who.is_main_thread();
    html! {
        <g key={who.lane} class={classes!("chef", doing, main.then_some("main-thread"))} data-lane={who.lane.to_string()}
            style={format!("transform: translate({x:.1}px, {y:.1}px) scale({scale:.3})")}>
            <title>{ format!("chef {} ({}) {what}", who.number, who.thread) }</title>
            <rect class="jacket" x="-11" y="-15" width="22" height="30" rx="6" />
            if let Some(d) = apron { <rect class="apron" x="-7" y="-6" width="14" height="21" rx="2" fill={colour(d)} /> }
            <circle class="head" cy="-23" r="8" />
            <path class="toque" d="M-8 -29 h16 v-5 a5 5 0 0 0 -3 -9 a6 6 0 0 0 -10 0 a5 5 0 0 0 -3 9 z" />
            if let Doing::Watching(d) = now.doing {
                // The pot it waits by, at its side.
                <rect class="pot-lid" x="12" y="2" width="16" height="3" rx="1.5" />
                <rect class="pot-body" x="13" y="5" width="14" height="10" rx="3" fill={colour(d)} />
            }
            // At a stove the number is written on the stove; away from it, under the chef.
            if now.stove.is_none() { <text class="chef-num" y="30">{ chef_label(model, c) }</text> }
        </g>
    }
}

/// The counts in words beside the picture: readable at any width.
fn counts(model: &SceneModel, s: &SceneState) -> Html {
    let cooking = s.cooking().len();
    let queued = if s.queued.is_empty() { String::new() } else { format!(" ({} waiting for a stove)", s.queued.len()) };
    let items = [
        ("Cooking", format!("{cooking} of {} chefs{queued}", model.chefs.len())),
        ("Simmering", s.simmering.count.to_string()),
        ("Order rail", format!("{}{}", s.waiting.count, if s.set_aside.count > 0 { format!(" + {} set aside", s.set_aside.count) } else { String::new() })),
        ("Waiting for other dishes", s.blocked.count.to_string()),
        ("Done", format!("{} of {}", s.done.count, model.dishes.len())),
    ];
    html! {
        <dl class="scene-counts">
            { for items.into_iter().map(|(k, v)| html! { <div><dt>{ k }</dt><dd>{ v }</dd></div> }) }
        </dl>
    }
}
