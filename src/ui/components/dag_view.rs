//! A small drawing of the dependency graph: dishes in columns by dependency depth, arrows from
//! each dish to those that come after it, the critical path highlighted, and the graph's work,
//! span and available parallelism (computed, not measured). Large graphs are summarised one
//! box per depth, since hundreds of boxes would say less and cost more.

use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::engine::analysis::GraphAnalysis;
use crate::ui::geometry::dag::{self as layout, Graph};

/// Above this many dishes, draw one box per depth instead of one per dish.
pub const MAX_DRAWN: usize = 60;
const NODE_W: f64 = 124.0;
const NODE_H: f64 = 26.0;
/// Between depths, where the arrows run...
const COL_GAP: f64 = 40.0;
/// ...and between the columns of one wrapped depth.
const WRAP_GAP: f64 = 12.0;
const ROW_H: f64 = 34.0;
const PAD: f64 = 8.0;
/// A depth with more dishes than this wraps into another column.
const MAX_ROWS: usize = 10;
/// Spacing of the lanes below the boxes where arrows back to an earlier column run (only on a cycle).
const LANE_H: f64 = 10.0;
/// Longest label drawn in a box; the full name is in its tooltip.
const LABEL_CHARS: usize = 15;
/// Depths drawn in the summary before the rest are counted in one box.
const SUMMARY_LAYERS: usize = 8;

/// What [`DagView`] draws.
#[derive(Properties)]
pub struct Props {
    pub graph: Rc<Graph>,
    /// The computed analysis; `None` while the dishes are invalid.
    pub analysis: Option<Rc<GraphAnalysis>>,
    /// While the dishes are on a dependency cycle: its dishes in order, the first repeated
    /// last. Drawn as the problem in place of the critical path.
    #[prop_or_default]
    pub cycle: Vec<String>,
}

/// Compared by pointer: the graph and analysis of 20,000 dishes are not walked on every
/// render of the composer to find out they are the ones already drawn.
impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        let same_analysis = match (&self.analysis, &other.analysis) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        Rc::ptr_eq(&self.graph, &other.graph) && same_analysis && self.cycle == other.cycle
    }
}

/// What the drawing highlights: the critical path, or the cycle that stops the dishes.
struct Highlight<'a> {
    path: &'a [String],
    class: &'static str,
}

/// The graph, its numbers and its critical path (or its cycle).
#[function_component(DagView)]
pub fn dag_view(props: &Props) -> Html {
    let n = props.graph.ids.len();
    let highlight = match &props.analysis {
        Some(a) => Highlight { path: &a.critical_path, class: "critical" },
        None => Highlight { path: &props.cycle, class: "cycle" },
    };
    let drawing = if n > MAX_DRAWN { summary(&props.graph, &highlight) } else { drawing(&props.graph, &highlight) };
    html! {
        <figure class="dag" aria-labelledby="dag-title">
            <h3 id="dag-title" class="dag-title">{ "Dependency graph" }</h3>
            { props.analysis.as_deref().map_or_else(no_numbers, numbers) }
            if n > MAX_DRAWN {
                <p id="dag-summary-note" class="help">
                    { format!("{n} dishes are too many to draw one by one: each box is all the dishes at one dependency depth.") }
                </p>
            }
            <div class="dag-scroll">{ drawing }</div>
            if props.analysis.is_some() {
                <p class="dag-path">{ "Critical path (computed): " }<span id="critical-path">{ path_text(highlight.path) }</span></p>
            } else {
                <p class="dag-path error">{ "The cycle: " }<span id="dag-cycle">{ path_text(highlight.path) }</span></p>
            }
        </figure>
    }
}

fn no_numbers() -> Html {
    html! { <p class="help">{ "No work or span while the dishes wait on each other in a circle: none of them could ever start." }</p> }
}

fn numbers(a: &GraphAnalysis) -> Html {
    html! {
        <>
            <dl id="analysis" class="dag-numbers" data-work-ms={a.work_ms.to_string()} data-span-ms={a.span_ms.to_string()}
                data-parallelism={a.parallelism.to_string()}>
                <div><dt>{ "work" }</dt><dd id="work-ms">{ format!("{:.0} ms", a.work_ms) }</dd></div>
                <div><dt>{ "span" }</dt><dd id="span-ms">{ format!("{:.0} ms", a.span_ms) }</dd></div>
                <div><dt>{ "available parallelism" }</dt><dd id="parallelism">{ parallelism_text(a) }</dd></div>
                <div><dt>{ "simmering" }</dt><dd>{ format!("{:.0} ms", a.wait_ms) }</dd></div>
            </dl>
            <p class="help">
                { "Computed from the graph and this machine's calibration, not measured. Work: all the cooking one chef \
                   would do. Span: the longest chain of dishes, which no number of chefs can shorten. Available \
                   parallelism: work ÷ span, how many chefs the cooking could keep busy on average." }
            </p>
        </>
    }
}

fn parallelism_text(a: &GraphAnalysis) -> String {
    if a.work_ms > 0.0 { format!("{:.2}", a.parallelism) } else { "none: nothing to cook, only waits".into() }
}

/// The critical path as text, shortened in the middle when long.
fn path_text(path: &[String]) -> String {
    if path.len() <= 8 {
        return path.join(" → ");
    }
    format!("{} → … ({} more) … → {}", path[..4].join(" → "), path.len() - 7, path[path.len() - 3..].join(" → "))
}

/// Where each dish's box goes, and the drawing's size. A depth wrapped into several columns
/// keeps them close together, so the wider gap (where arrows run) marks the next depth.
fn positions(graph: &Graph) -> (Vec<(f64, f64)>, f64, f64) {
    let depths = layout::depths(&graph.deps);
    let layers = layout::layers(&depths);
    let (cells, columns) = layout::grid(&layers, graph.ids.len(), MAX_ROWS);
    let rows_of = |depth: usize| layers[depth].len().min(MAX_ROWS);
    let tallest = (0..layers.len()).map(rows_of).max().unwrap_or(0);
    let x = |column: usize, depth: usize| PAD + column as f64 * (NODE_W + WRAP_GAP) + depth as f64 * (COL_GAP - WRAP_GAP);
    // Shorter depths are centred against the tallest.
    let y = |row: usize, depth: usize| PAD + (row as f64 + (tallest - rows_of(depth)) as f64 / 2.0) * ROW_H;
    let pos = cells.iter().zip(&depths).map(|(&(c, r), &d)| (x(c, d), y(r, d))).collect();
    let width = x(columns, layers.len().saturating_sub(1)) - WRAP_GAP + PAD;
    let height = 2.0 * PAD + tallest as f64 * ROW_H - (ROW_H - NODE_H);
    (pos, width.max(NODE_W), height.max(NODE_H))
}

fn drawing(graph: &Graph, highlight: &Highlight) -> Html {
    let (pos, width, mut height) = positions(graph);
    let index = |id: &String| graph.ids.iter().position(|i| i == id);
    let path: Vec<usize> = highlight.path.iter().filter_map(index).collect();
    let on_path: HashSet<usize> = path.iter().copied().collect();
    let marked: HashSet<(usize, usize)> = path.windows(2).map(|w| (w[0], w[1])).collect();
    let edges = graph.deps.iter().enumerate().flat_map(|(t, ds)| ds.iter().map(move |&d| (d, t)));
    // Highlighted arrows last, so they are drawn on top.
    let (top, plain): (Vec<_>, Vec<_>) = edges.partition(|e| marked.contains(e));
    let class = |on: bool| on.then_some(highlight.class);
    let mut lanes = 0;
    let arrows: Vec<Html> = plain.into_iter().chain(top).map(|(d, t)| {
        // An arrow back to an earlier column (only on a cycle) runs below the boxes, each in its own lane.
        let lane = (pos[t].0 <= pos[d].0).then(|| { lanes += 1; height + LANE_H * lanes as f64 });
        arrow(graph, &pos, (d, t), lane, class(marked.contains(&(d, t))))
    }).collect();
    if lanes > 0 {
        height += LANE_H * lanes as f64 + PAD;
    }
    let nodes = graph.ids.iter().enumerate().map(|(t, id)| node(id, pos[t], class(on_path.contains(&t))));
    let shown = if highlight.class == "cycle" { "cycle" } else { "critical path" };
    let label = format!(
        "{} dishes in columns by dependency depth; arrows point to the dishes that come after; the {shown} is highlighted.",
        graph.ids.len()
    );
    html! {
        <svg class="dag-svg" width={width.to_string()} height={height.to_string()} viewBox={format!("0 0 {width} {height}")}
            role="img" aria-label={label}>
            { markers() }
            { for arrows }
            { for nodes }
        </svg>
    }
}

fn markers() -> Html {
    let marker = |id: &'static str| html! {
        <marker id={id} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8"
            markerUnits="userSpaceOnUse" orient="auto">
            <path d="M0,0 L10,5 L0,10 z" />
        </marker>
    };
    html! { <defs>{ marker("dag-arrow") }{ marker("dag-arrow-critical") }{ marker("dag-arrow-cycle") }</defs> }
}

/// An arrow from `d` to `t`: a curve to the right, or when `lane` is given, down from `d`,
/// back along the lane and up into `t`.
fn arrow(graph: &Graph, pos: &[(f64, f64)], (d, t): (usize, usize), lane: Option<f64>, class: Option<&'static str>) -> Html {
    let path = match lane {
        None => {
            let (x1, y1) = (pos[d].0 + NODE_W, pos[d].1 + NODE_H / 2.0);
            let (x2, y2) = (pos[t].0 - 1.0, pos[t].1 + NODE_H / 2.0);
            let bend = (x2 - x1) / 2.0;
            format!("M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}", x1 + bend, x2 - bend)
        }
        Some(y) => {
            let (x1, x2) = (pos[d].0 + NODE_W / 2.0, pos[t].0 + NODE_W / 2.0);
            format!("M{x1},{} L{x1},{y} L{x2},{y} L{x2},{}", pos[d].1 + NODE_H, pos[t].1 + NODE_H + 1.0)
        }
    };
    let marker = match class {
        Some(class) => format!("url(#dag-arrow-{class})"),
        None => "url(#dag-arrow)".into(),
    };
    html! {
        <path class={classes!("dag-edge", class)} d={path} marker-end={marker}
            data-from={graph.ids[d].clone()} data-to={graph.ids[t].clone()} />
    }
}

fn node(id: &str, (x, y): (f64, f64), class: Option<&'static str>) -> Html {
    let label: String = if id.chars().count() > LABEL_CHARS {
        id.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
    } else {
        id.to_string()
    };
    let title = match class {
        Some("critical") => format!("{id} (on the critical path)"),
        Some(_) => format!("{id} (on the cycle)"),
        None => id.to_string(),
    };
    html! {
        <g class={classes!("dag-node", class)} data-id={id.to_string()} transform={format!("translate({x},{y})")}>
            <title>{ title }</title>
            <rect width={NODE_W.to_string()} height={NODE_H.to_string()} rx="5" />
            <text x="8" y="17">{ label }</text>
        </g>
    }
}

/// One box per dependency depth, with how many dishes sit there; the first few depths only.
fn summary(graph: &Graph, highlight: &Highlight) -> Html {
    let depths = layout::depths(&graph.deps);
    let layers = layout::layers(&depths);
    let marked: HashSet<usize> =
        highlight.path.iter().filter_map(|id| graph.ids.iter().position(|i| i == id)).map(|t| depths[t]).collect();
    let shown = layers.len().min(SUMMARY_LAYERS);
    let rest: usize = layers[shown..].iter().map(Vec::len).sum();
    let (w, h, gap) = (150.0, 46.0, 36.0);
    let boxes = layers.iter().take(shown).enumerate().map(|(d, layer)| {
        let text = (format!("{} dish{}", layer.len(), if layer.len() == 1 { "" } else { "es" }), format!("depth {d}"));
        summary_box(d as f64 * (w + gap), (w, h), text, marked.contains(&d).then_some(highlight.class), d > 0)
    });
    let more = (rest > 0).then(|| {
        let text = (format!("{rest} more dishes"), format!("{} deeper depths", layers.len() - shown));
        summary_box(shown as f64 * (w + gap), (w, h), text, None, true)
    });
    let columns = shown + usize::from(rest > 0);
    let width = 2.0 * PAD + columns as f64 * (w + gap) - gap;
    html! {
        <svg class="dag-svg summary" width={width.to_string()} height={(h + 2.0 * PAD).to_string()}
            viewBox={format!("0 0 {width} {}", h + 2.0 * PAD)} role="img"
            aria-label={format!("{} dishes at {} dependency depths", graph.ids.len(), layers.len())}>
            { markers() }
            { for boxes }
            { for more }
        </svg>
    }
}

/// A summary box at `x`, with an arrow in from the box before it when `arrow_in`.
fn summary_box(x: f64, (w, h): (f64, f64), (line1, line2): (String, String), class: Option<&str>, arrow_in: bool) -> Html {
    let (x, y) = (x + PAD, PAD);
    let arrow = arrow_in.then(|| {
        let mid = y + h / 2.0;
        html! { <path class="dag-edge" d={format!("M{},{mid} L{},{mid}", x - 36.0, x - 1.0)} marker-end="url(#dag-arrow)" /> }
    });
    html! {
        <>
            { for arrow }
            <g class={classes!("dag-node", "dag-layer", class.map(str::to_string))} transform={format!("translate({x},{y})")}>
                <rect width={w.to_string()} height={h.to_string()} rx="6" />
                <text x="10" y="19" class="strong">{ line1 }</text>
                <text x="10" y="36" class="muted">{ line2 }</text>
            </g>
        </>
    }
}
