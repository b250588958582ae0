//! The chart's frame: the time axis with its ticks and grid, the measured wall and computed
//! ideal bars above it, and the lane labels (chefs) beside it. All memoized: a replay frame
//! or a hover redraws none of them.

use yew::prelude::*;

use super::layers::{px, Shared};
use crate::ui::geometry::timeline::{tick_label, tick_step, ticks, Layout, Scale};

/// Height of the wall bar's row, and of the ideal bar's.
const MARK_ROW: f64 = 16.0;
/// Height of the tick labels' row.
const AXIS_ROW: f64 = 18.0;
/// Tick labels at least this far apart.
const MIN_TICK_PX: f64 = 72.0;

/// Where the first lane starts: below the marker bars and the axis labels.
pub fn lanes_top(has_ideal: bool) -> f64 {
    MARK_ROW * if has_ideal { 2.0 } else { 1.0 } + AXIS_ROW
}

#[derive(Properties, PartialEq)]
pub struct AxisProps {
    pub scale: Scale,
    pub axis_ms: f64,
    /// The chart's drawn width.
    pub width: f64,
    /// Height of all lanes (grid lines cross them).
    pub lanes_height: f64,
    pub wall_ms: f64,
    /// "measured" or "simulated": how the wall was obtained.
    pub source: AttrValue,
    pub ideal_ms: Option<f64>,
}

/// Ticks in ms with grid lines, and the wall (and ideal) bars.
#[function_component(AxisLayer)]
pub fn axis_layer(props: &AxisProps) -> Html {
    let top = lanes_top(props.ideal_ms.is_some());
    let drawable = props.width - props.scale.x0;
    let step = tick_step(props.axis_ms, drawable, MIN_TICK_PX);
    let ticks = ticks(props.axis_ms, drawable, MIN_TICK_PX).into_iter().map(|t| {
        let x = props.scale.x(t);
        let anchor = if t == 0.0 { "start" } else if x > props.width - 36.0 { "end" } else { "middle" };
        html! {
            <g class="tl-tick">
                <line class="tl-grid" x1={px(x)} x2={px(x)} y1={px(top - 3.0)} y2={px(top + props.lanes_height)} />
                <text x={px(x)} y={px(top - 6.0)} text-anchor={anchor}>{ format!("{} ms", tick_label(t, step)) }</text>
            </g>
        }
    });
    let wall = format!("wall {:.0} ms ({})", props.wall_ms, props.source);
    let ideal = props.ideal_ms.map(|ms| format!("ideal {ms:.0} ms (computed)"));
    html! {
        <g class="tl-axis">
            { bar(props.scale, props.wall_ms, 0.0, "tl-wall-bar", wall) }
            if let Some(text) = ideal { { bar(props.scale, props.ideal_ms.unwrap_or_default(), MARK_ROW, "tl-ideal-bar", text) } }
            { for ticks }
        </g>
    }
}

/// A bar from 0 to `ms` in the marker row at `y`, labelled inside, or after its end when the
/// label does not fit in it.
fn bar(scale: Scale, ms: f64, y: f64, class: &'static str, text: String) -> Html {
    let width = (scale.x(ms) - scale.x(0.0)).max(1.0);
    // ~6.2 px per character at the label's 11 px size.
    let fits = text.chars().count() as f64 * 6.2 + 8.0 <= width;
    let text_x = if fits { scale.x(0.0) + 4.0 } else { scale.x(ms) + 4.0 };
    html! {
        <g class={class}>
            <rect x={px(scale.x(0.0))} y={px(y + 1.0)} width={px(width)} height={px(MARK_ROW - 3.0)} />
            <text x={px(text_x)} y={px(y + MARK_ROW / 2.0)}>{ text }</text>
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct LaneLabelsProps {
    pub layout: Shared<Layout>,
    /// Where the first lane starts (the same as in the chart).
    pub top: f64,
}

/// One label per chef, beside its lane: "chef 1 · worker 0"; the main thread marked. HTML,
/// not SVG, so a narrow page can wrap it onto two lines and screen readers read it as text.
#[function_component(LaneLabels)]
pub fn lane_labels(props: &LaneLabelsProps) -> Html {
    let layout = &props.layout.0;
    let lanes = layout.lanes.iter().enumerate().map(|(i, lane)| {
        let class = classes!("tl-lane", (i % 2 == 1).then_some("tl-band-alt"), lane.is_main_thread().then_some("main-thread"));
        html! {
            <div {class} data-lane={lane.lane.to_string()} title={lane.label()}
                style={format!("top:{:.1}px;height:{:.1}px", props.top + lane.y, lane.height)}>
                <span class="tl-chef">{ format!("chef {}", lane.chef) }</span>
                <span class="tl-sep">{ " · " }</span>
                <span class="tl-thread">{ lane.thread_label() }</span>
            </div>
        }
    });
    html! {
        <div class="tl-labels" style={format!("height:{:.1}px", props.top + layout.height)}>{ for lanes }</div>
    }
}
