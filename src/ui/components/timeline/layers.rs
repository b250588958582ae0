//! The chart's layers. The heavy ones — spans, arrows, axis, lane labels — are components whose
//! props do not change while the replay plays or the pointer moves, so Yew skips them on those
//! frames: only the cursor, the dimming mask and the highlight are redrawn.

use std::rc::Rc;

use yew::prelude::*;

use crate::ui::geometry::timeline::{shapes, Arrow, Layout, Placed, Scale, Shape, LANE_PAD};
use crate::engine::trace::SpanKind;

/// Okabe–Ito's colour-blind-safe palette, cycled by dish (black swapped for grey, which reads on
/// light and dark backgrounds alike). Kind is also shown by pattern, so colour is never the
/// only cue.
pub const PALETTE: [&str; 8] = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#999999"];

/// Dish `dish`'s colour.
pub fn colour(dish: usize) -> &'static str {
    PALETTE[dish % PALETTE.len()]
}

/// An `Rc` compared by pointer: props holding it are equal exactly when they hold the same
/// value, at the cost of one comparison — not a walk over 10,000 spans.
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// A coordinate for an SVG attribute (0.1 px is finer than any screen needs).
pub fn px(v: f64) -> AttrValue {
    AttrValue::from(format!("{v:.1}"))
}

#[derive(Properties, PartialEq)]
pub struct DefsProps {
    /// Prefix of this chart's element ids (unique on the page).
    pub ids: AttrValue,
}

/// Hatch patterns (one per palette colour, for simmering) and the arrowhead.
#[function_component(Defs)]
pub fn defs(props: &DefsProps) -> Html {
    let hatches = PALETTE.iter().enumerate().map(|(i, c)| {
        html! {
            <pattern id={format!("{}-h{i}", props.ids)} width="6" height="6" patternUnits="userSpaceOnUse"
                patternTransform="rotate(45)">
                <rect width="6" height="6" fill={*c} fill-opacity="0.2" />
                <line x1="1.5" y1="0" x2="1.5" y2="6" stroke={*c} stroke-width="3" />
            </pattern>
        }
    });
    html! {
        <defs>
            { for hatches }
            <marker id={format!("{}-arrow", props.ids)} viewBox="0 0 8 8" refX="7" refY="4"
                markerWidth="7" markerHeight="7" orient="auto">
                <path d="M0,0 L8,4 L0,8 z" class="tl-arrowhead" />
            </marker>
        </defs>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpanLayerProps {
    pub layout: Shared<Layout>,
    pub scale: Scale,
    /// The chart's drawn width (lane bands span it).
    pub width: f64,
    pub ids: AttrValue,
}

/// Lane bands, one shape per span, and dish names where they fit.
#[function_component(SpanLayer)]
pub fn span_layer(props: &SpanLayerProps) -> Html {
    let layout = &props.layout.0;
    let bands = layout.lanes.iter().enumerate().map(|(i, lane)| {
        html! { <rect class={classes!("tl-band", (i % 2 == 1).then_some("tl-band-alt"))} x="0" y={px(lane.y)}
            width={px(props.width)} height={px(lane.height)} /> }
    });
    // Rendered only when the layout, zoom or width change (the replay's frames skip this layer).
    let shapes = shapes(layout, props.scale).into_iter().map(|d| shape(&layout.spans[d.first], &d, &props.ids));
    html! {
        <g class="tl-spans">
            { for bands }
            { for shapes }
            <g class="tl-span-labels" aria-hidden="true">{ for labels(layout, props.scale) }</g>
        </g>
    }
}

/// A span's shape (or a merged run's, coloured as its first span): cook solid, simmer hatched,
/// wait dotted outline, ready light fill.
fn shape(s: &Placed, d: &Shape, ids: &str) -> Html {
    let (x, width) = (d.x, d.width);
    let c = colour(s.dish);
    let (class, fill, stroke): (&str, AttrValue, Option<&str>) = match s.kind {
        SpanKind::Cook => ("tl-span cook", c.into(), None),
        SpanKind::Simmer => ("tl-span simmer", format!("url(#{ids}-h{})", s.dish % PALETTE.len()).into(), Some(c)),
        SpanKind::Wait => ("tl-span wait", "none".into(), Some(c)),
        SpanKind::Ready => ("tl-span ready", c.into(), Some(c)),
    };
    // A merged run says how many spans it stands for (zooming in splits it again).
    let merged = (d.spans > 1).then(|| AttrValue::from(d.spans.to_string()));
    html! { <rect {class} x={px(x)} y={px(s.y)} width={px(width)} height={px(s.h)} {fill} {stroke} data-spans={merged} /> }
}

/// Most labels a chart draws: beyond, they would cost more than they tell.
const MAX_LABELS: usize = 400;

/// Dish names inside cooking and simmering shapes wide enough to hold them.
fn labels(layout: &Layout, scale: Scale) -> impl Iterator<Item = Html> + '_ {
    layout
        .spans
        .iter()
        .filter(|s| matches!(s.kind, SpanKind::Cook | SpanKind::Simmer) && s.h >= 12.0)
        .filter_map(move |s| {
            let name = &layout.dishes[s.dish];
            let (x, width) = (scale.x(s.start), (s.end - s.start) * scale.px_per_ms);
            // ~6.5 px per character at the label's 11 px size, plus padding.
            (width >= name.chars().count() as f64 * 6.5 + 8.0).then(|| {
                html! { <text class="tl-span-label" x={px(x + 4.0)} y={px(s.y + s.h / 2.0)}>{ name }</text> }
            })
        })
        .take(MAX_LABELS)
}

#[derive(Properties, PartialEq)]
pub struct ArrowLayerProps {
    pub arrows: Rc<Vec<Arrow>>,
    pub layout: Shared<Layout>,
    pub scale: Scale,
    pub ids: AttrValue,
}

/// Dependency arrows: from where a dish ended to where its dependent started.
#[function_component(ArrowLayer)]
pub fn arrow_layer(props: &ArrowLayerProps) -> Html {
    let marker = format!("url(#{}-arrow)", props.ids);
    let paths = props.arrows.iter().map(|a| {
        html! { <path class="tl-arrow" d={arrow_path(a, &props.layout.0, props.scale)} marker-end={marker.clone()} /> }
    });
    html! { <g class="tl-arrows" aria-hidden="true">{ for paths }</g> }
}

/// A curve between the two lanes' cooking rows; on one lane, a hop over the bars.
fn arrow_path(a: &Arrow, layout: &Layout, scale: Scale) -> String {
    let (x1, x2) = (scale.x(a.from_ms), scale.x(a.to_ms));
    let centre = |lane: usize| {
        let (top, h) = layout.lanes[lane].row_box(0);
        top + h / 2.0
    };
    if a.from_lane == a.to_lane {
        let top = layout.lanes[a.from_lane].row_box(0).0 + 2.0;
        let lift = top - LANE_PAD - 4.0;
        return format!("M{x1:.1},{top:.1} C{x1:.1},{lift:.1} {x2:.1},{lift:.1} {x2:.1},{top:.1}");
    }
    let (y1, y2) = (centre(a.from_lane), centre(a.to_lane));
    let dx = ((x2 - x1).abs() / 2.0).max(14.0);
    format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + dx, x2 - dx)
}
