//! The kitchen timeline: a Gantt chart of a trace, one lane per chef (a real thread; lane 0 is
//! the page's main thread), each span coloured by dish and patterned by kind, with dependency
//! arrows, a time axis that follows the zoom, and a replay.
//!
//! Keyboard: the chart is a single tab stop, not one per span (a trace can hold 10,000).
//! Inside it the arrow keys move a focus cursor — ←/→ the previous/next span on this chef,
//! ↑/↓ the span starting nearest in time on the chef above/below, Home/End this chef's
//! first/last — and + / − / 0 zoom in, out and back to fit; Escape clears the cursor. The
//! focused (or hovered) span's dish, kind, chef, start and duration are read out below the
//! chart in a polite live region. Ctrl+wheel zooms around the pointer.
//!
//! Replay: the span shapes are drawn by memoized layers whose props stay pointer-equal while
//! the replay plays, so an animation frame changes only the cursor line's and the dimming
//! mask's transform (and the scrubber).

mod frame;
mod layers;
mod legend;
mod replay;
pub use replay::prefers_reduced_motion;
pub mod save;
mod export;

pub use layers::{colour, Shared};
pub use replay::use_replay;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo_timers::callback::Timeout;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::engine::trace::Source;
use crate::engine::analysis::GraphAnalysis;
use crate::engine::{Experiment, Trace};
use frame::{lanes_top, AxisLayer, LaneLabels};
use layers::{px, ArrowLayer, Defs, SpanLayer};
use crate::ui::geometry::timeline::{self as layout, Arrow, Arrows, Layout, Scale, Step, MAX_ARROW_DISHES, MERGE_ABOVE_SPANS, MERGE_PX};
use legend::Legend;
use crate::ui::geometry::playback::Playback;

/// Margin left of time zero, so a span at 0 ms is not cut by the edge.
const X0: f64 = 6.0;
/// Margin right of the axis's end.
const PAD_R: f64 = 10.0;
/// Zoom goes from 1× (the whole trace fits) to this.
const MAX_ZOOM: f64 = 32.0;
/// Hovering finds a span this close to the pointer, in px (thin spans are hard to hit).
const HIT_PX: f64 = 3.0;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub trace: Rc<Trace>,
    /// For dependency arrows (drawn only if it holds the dishes the trace measured).
    pub experiment: Rc<Experiment>,
    /// The time axis's length, so stacked timelines share one axis; default: this trace's end.
    #[prop_or_default]
    pub axis_ms: Option<f64>,
    /// A computed ideal wall time, drawn as a dashed outline, never as a measurement.
    #[prop_or_default]
    pub ideal_ms: Option<f64>,
    /// Whether the replay may start on its own when the trace arrives (not while other runs
    /// are being measured: drawing frames on the main thread would take a core from them).
    #[prop_or(true)]
    pub autoplay: bool,
}

/// The computed ideal wall time for `trace` (`max(span, work / chefs)` of the graph
/// `analysis` describes), when `experiment` holds the dishes the trace measured and the run finished.
pub fn ideal_ms(trace: &Trace, experiment: &Experiment, analysis: Option<&GraphAnalysis>) -> Option<f64> {
    if trace.stopped || !layout::same_dishes(trace, experiment) {
        return None;
    }
    analysis.map(|a| a.ideal_wall_ms(trace.chefs))
}

thread_local! {
    static NEXT_CHART: Cell<u32> = const { Cell::new(0) };
}

/// A prefix for one chart's element ids: several timelines can share a page.
fn chart_ids() -> AttrValue {
    NEXT_CHART.with(|n| {
        n.set(n.get() + 1);
        AttrValue::from(format!("tl{}", n.get()))
    })
}

/// What the chart is drawn with in one render.
struct Chart {
    layout: Rc<Layout>,
    arrows: Rc<Vec<Arrow>>,
    scale: Scale,
    /// Drawn width in px (0 until the container has been measured).
    width: f64,
    /// Where the first lane starts.
    top: f64,
    axis_ms: f64,
    ideal_ms: Option<f64>,
    ids: AttrValue,
}

/// The arrows to draw, and what to say about those that are not.
struct ArrowView {
    drawn: Rc<Vec<Arrow>>,
    note: Option<String>,
}

/// A timeline with its own replay.
#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    let replay = use_replay(Shared(props.trace.clone()), props.autoplay);
    let Props { trace, experiment, axis_ms, ideal_ms, .. } = props;
    html! {
        <TimelineChart trace={trace.clone()} experiment={experiment.clone()} axis_ms={*axis_ms} ideal_ms={*ideal_ms} {replay} />
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub trace: Rc<Trace>,
    /// For dependency arrows (drawn only if it holds the dishes the trace measured).
    pub experiment: Rc<Experiment>,
    /// The time axis's length; default: this trace's end.
    #[prop_or_default]
    pub axis_ms: Option<f64>,
    /// A computed ideal wall time, drawn as a dashed outline.
    #[prop_or_default]
    pub ideal_ms: Option<f64>,
    /// The replay it shows and its controls move ([`use_replay`] of the same trace), shared
    /// with whatever else plays in step with it.
    pub replay: UseReducerHandle<Playback>,
}

/// A timeline whose replay is held by its parent.
#[function_component(TimelineChart)]
pub fn timeline_chart(props: &ChartProps) -> Html {
    let layout = use_memo(Shared(props.trace.clone()), |t| Layout::of(&t.0));
    let arrows = use_arrows(props, &layout);
    let ids = (*use_memo((), |_| chart_ids())).clone();
    let replay = &props.replay;
    let (scroll, svg) = (use_node_ref(), use_node_ref());
    let hover = use_state_eq(|| None::<usize>);
    let focus = use_state_eq(|| None::<usize>);
    let zoom = use_state_eq(|| 1.0);
    let width = use_width(scroll.clone());
    use_fresh_view(Shared(layout.clone()), [hover.clone(), focus.clone()], zoom.clone());
    let c = chart(props, layout.clone(), arrows.drawn.clone(), width * *zoom, ids);
    let zoomer = Zoomer { zoom: zoom.clone(), anchor: use_mut_ref(|| None), scroll: scroll.clone(), scale: c.scale };
    use_zoom_anchor(&zoomer);
    use_focus_in_view(*focus, &c, &scroll);
    let summary = use_memo(Shared(layout.clone()), |l| layout::summary(&props.trace, &l.0));
    let detail_id = format!("{}-detail", c.ids);
    // Until the reset above has run, an index may belong to the previous trace.
    let detail = (*hover).or(*focus).filter(|&i| i < props.trace.spans.len()).map_or_else(
        || "Hover over the chart, or focus it and use the arrow keys, to read each span.".to_string(),
        |i| layout::describe(&props.trace, &layout, i),
    );
    let pointer = Pointer { layout: layout.clone(), svg: svg.clone(), scroll: scroll.clone(), scale: c.scale, top: c.top };
    let marks = Marks { hover: hover.clone(), focus: focus.clone(), pointer };
    html! {
        <figure class="tl" aria-labelledby={format!("{}-caption", c.ids)}>
            <figcaption id={format!("{}-caption", c.ids)} class="tl-summary">{ (*summary).clone() }</figcaption>
            <div class="tl-toolbar">
                { replay::controls(replay) }{ zoom_controls(&zoomer) }
            </div>
            <div class="tl-chart">
                <LaneLabels layout={Shared(layout.clone())} top={c.top} />
                <div ref={scroll} class="tl-scroll" tabindex="0" role="group" aria-roledescription="timeline"
                    aria-label={format!("{summary}. Arrow keys move between spans; plus and minus zoom.")}
                    aria-describedby={detail_id.clone()}
                    onkeydown={on_key(layout.clone(), focus.clone(), zoomer.clone())} onwheel={on_wheel(zoomer.clone())}>
                    { canvas(&c, &props.trace, replay, &marks, &summary) }
                </div>
            </div>
            <p id={detail_id} class="tl-detail" aria-live="polite">{ detail }</p>
            <Legend layout={Shared(layout.clone())} ids={c.ids.clone()} />
            if let Some(note) = &arrows.note { <p class="tl-note">{ note }</p> }
            if layout.spans.len() > MERGE_ABOVE_SPANS {
                <p class="tl-note tl-merged-note">{ format!(
                    "{} spans: on each row, overlapping spans and runs thinner than {MERGE_PX} px are drawn as one shape \
                     in the colour of its first dish (thousands of shapes would freeze the page). Zoom in to separate them.",
                    layout.spans.len()
                ) }</p>
            }
            // Below the chart: the toolbar above it stays one row of playing and zooming.
            <div class="tl-files">
                <export::Exports trace={props.trace.clone()} {svg} layout={Shared(layout.clone())} top={c.top}
                    title={AttrValue::from((*summary).clone())} />
            </div>
        </figure>
    }
}

/// The hovered and focused spans, and the pointer handling that sets them.
struct Marks {
    hover: UseStateHandle<Option<usize>>,
    focus: UseStateHandle<Option<usize>>,
    pointer: Pointer,
}

/// The SVG chart, and over it the replay's cursor and mask.
fn canvas(c: &Chart, trace: &Trace, replay: &Playback, marks: &Marks, summary: &str) -> Html {
    let height = c.top + c.layout.height + 1.0;
    let hover = marks.hover.clone();
    html! {
        <div class="tl-canvas" style={format!("width:{:.1}px;height:{height:.1}px", c.width)}>
            <svg ref={marks.pointer.svg.clone()} class="tl-svg" width={px(c.width)} height={px(height)}
                role="img" aria-labelledby={format!("{0}-title {0}-desc", c.ids)}
                onmousemove={marks.pointer.on_move(marks.hover.clone())} onmouseleave={move |_| hover.set(None)}
                onclick={marks.pointer.on_click(marks.focus.clone())}>
                <title id={format!("{}-title", c.ids)}>{ summary }</title>
                <desc id={format!("{}-desc", c.ids)}>{ DESCRIPTION }</desc>
                <Defs ids={c.ids.clone()} />
                if c.width > 0.0 { { layers(c, trace) }{ overlay(c, *marks.hover, *marks.focus) } }
            </svg>
            if c.width > 0.0 { { replay_layer(c, replay) } }
        </div>
    }
}

/// How to read the chart, for assistive technology.
const DESCRIPTION: &str = "Each row is a chef, a real thread. Solid bars: cooking; hatched: simmering (a timed \
    wait); thin dotted: waiting for a chef; thin light: ready while its chef was busy with another dish.";

/// The dependency arrows, recomputed only when the trace or the experiment changes.
#[hook]
fn use_arrows(props: &ChartProps, layout: &Rc<Layout>) -> Rc<ArrowView> {
    let layout = layout.clone();
    use_memo((Shared(props.trace.clone()), Shared(props.experiment.clone())), move |(trace, experiment)| {
        let (drawn, note) = match layout::arrows(&trace.0, &layout, &experiment.0) {
            Arrows::Drawn(drawn) => (drawn, None),
            Arrows::TooMany(n) => (vec![], Some(format!(
                "Dependency arrows are left out: {n} dishes, more than the {MAX_ARROW_DISHES} they stay readable for."
            ))),
            Arrows::OtherExperiment => (vec![], Some(
                "Dependency arrows are not drawn: the dishes composed now are not the ones this trace measured.".to_string(),
            )),
        };
        ArrowView { drawn: Rc::new(drawn), note }
    })
}

/// The scale and geometry for a chart `width` px wide.
fn chart(props: &ChartProps, layout: Rc<Layout>, arrows: Rc<Vec<Arrow>>, width: f64, ids: AttrValue) -> Chart {
    let ideal_ms = props.ideal_ms.filter(|ms| ms.is_finite() && *ms > 0.0);
    let axis_ms = props.axis_ms.unwrap_or(0.0).max(layout.end_ms).max(ideal_ms.unwrap_or(0.0));
    let axis_ms = if axis_ms > 0.0 { axis_ms } else { 1.0 };
    let scale = Scale { px_per_ms: ((width - X0 - PAD_R) / axis_ms).max(1e-9), x0: X0 };
    Chart { layout, arrows, scale, width, top: lanes_top(ideal_ms.is_some()), axis_ms, ideal_ms, ids }
}

/// The memoized layers: axis, spans, arrows. None of their props change during a replay.
fn layers(c: &Chart, trace: &Trace) -> Html {
    let shared = Shared(c.layout.clone());
    let source: AttrValue = if trace.source == Source::Simulated { "simulated".into() } else { "measured".into() };
    html! {
        <>
            <AxisLayer scale={c.scale} axis_ms={c.axis_ms} width={c.width} lanes_height={c.layout.height}
                wall_ms={trace.wall_ms} {source} ideal_ms={c.ideal_ms} />
            <g transform={format!("translate(0,{:.1})", c.top)}>
                <SpanLayer layout={shared.clone()} scale={c.scale} width={c.width} ids={c.ids.clone()} />
                <ArrowLayer arrows={c.arrows.clone()} layout={shared} scale={c.scale} ids={c.ids.clone()} />
            </g>
        </>
    }
}

/// What a hover or the focus cursor changes: rings around those spans (and the ideal line).
fn overlay(c: &Chart, hover: Option<usize>, focus: Option<usize>) -> Html {
    html! {
        <g class="tl-overlay" transform={format!("translate(0,{:.1})", c.top)} aria-hidden="true">
            if let Some(ms) = c.ideal_ms {
                <line class="tl-ideal-line" x1={px(c.scale.x(ms))} x2={px(c.scale.x(ms))} y1="0" y2={px(c.layout.height)} />
            }
            { ring(c, hover, "tl-ring tl-hover") }
            { ring(c, focus, "tl-ring tl-focus") }
        </g>
    }
}

/// What a replay frame changes: the cursor line and the mask dimming the future. They are
/// HTML boxes over the SVG moved by a CSS transform, each on its own compositor layer, so a
/// frame repaints neither the spans under them nor themselves: the browser only recomposites.
fn replay_layer(c: &Chart, replay: &Playback) -> Html {
    let x = c.scale.x(replay.cursor_ms);
    // At the end the mask sits past the chart's right edge (clipped): nothing is dimmed.
    let mask_x = if replay.at_end() { c.width } else { x };
    let (top, h) = (c.top, c.layout.height);
    html! {
        <>
            <div class="tl-future" aria-hidden="true"
                style={format!("top:{top:.1}px;height:{h:.1}px;width:{:.1}px;transform:translateX({mask_x:.1}px)", c.width)} />
            <div class="tl-cursor" aria-hidden="true" data-ms={format!("{:.3}", replay.cursor_ms)}
                style={format!("top:{:.1}px;height:{:.1}px;transform:translateX({:.1}px)", top - 4.0, h + 4.0, x - 1.0)} />
        </>
    }
}

/// A ring around span `i`.
fn ring(c: &Chart, i: Option<usize>, class: &'static str) -> Html {
    let Some(s) = i.and_then(|i| c.layout.spans.get(i)) else { return html! {} };
    let x = c.scale.x(s.start);
    let w = (c.scale.x(s.end) - x).max(1.0);
    html! { <rect {class} x={px(x - 2.0)} y={px(s.y - 2.0)} width={px(w + 4.0)} height={px(s.h + 4.0)} /> }
}

/// Finds the span under the pointer; the rects themselves carry no listeners (10,000 would).
struct Pointer {
    layout: Rc<Layout>,
    svg: NodeRef,
    scroll: NodeRef,
    scale: Scale,
    top: f64,
}

impl Pointer {
    fn span_at(&self, e: &MouseEvent) -> Option<usize> {
        let rect = self.svg.cast::<Element>()?.get_bounding_client_rect();
        let (x, y) = (e.client_x() as f64 - rect.left(), e.client_y() as f64 - rect.top() - self.top);
        self.layout.hit(self.scale.ms(x), y, HIT_PX / self.scale.px_per_ms)
    }

    fn on_move(&self, hover: UseStateHandle<Option<usize>>) -> Callback<MouseEvent> {
        let this = self.clone();
        Callback::from(move |e: MouseEvent| hover.set(this.span_at(&e)))
    }

    /// A click puts the focus cursor on the span, and the keyboard focus on the chart.
    fn on_click(&self, focus: UseStateHandle<Option<usize>>) -> Callback<MouseEvent> {
        let this = self.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(i) = this.span_at(&e) {
                focus.set(Some(i));
                if let Some(el) = this.scroll.cast::<HtmlElement>() {
                    let _ = el.focus();
                }
            }
        })
    }
}

impl Clone for Pointer {
    fn clone(&self) -> Self {
        Pointer { layout: self.layout.clone(), svg: self.svg.clone(), scroll: self.scroll.clone(), ..*self }
    }
}

/// Arrow keys move the focus cursor; + − 0 zoom; Escape clears.
fn on_key(layout: Rc<Layout>, focus: UseStateHandle<Option<usize>>, zoomer: Zoomer) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() {
            return;
        }
        let step = match e.key().as_str() {
            "ArrowRight" => Step::Next,
            "ArrowLeft" => Step::Prev,
            "ArrowUp" => Step::Up,
            "ArrowDown" => Step::Down,
            "Home" => Step::First,
            "End" => Step::Last,
            "+" | "=" => return zoomer.key(&e, zoomer.level() * 2.0),
            "-" | "_" => return zoomer.key(&e, zoomer.level() / 2.0),
            "0" => return zoomer.key(&e, 1.0),
            "Escape" => return focus.set(None),
            _ => return,
        };
        e.prevent_default();
        focus.set(layout.step(*focus, step));
    })
}

/// Ctrl+wheel (and a trackpad's pinch, which browsers send as one) zooms around the pointer.
fn on_wheel(zoomer: Zoomer) -> Callback<WheelEvent> {
    Callback::from(move |e: WheelEvent| {
        if !e.ctrl_key() {
            return;
        }
        e.prevent_default();
        let factor = if e.delta_y() < 0.0 { 1.25 } else { 0.8 };
        let left = zoomer.scroll.cast::<Element>().map_or(0.0, |el| el.get_bounding_client_rect().left());
        zoomer.to(zoomer.level() * factor, Some(e.client_x() as f64 - left));
    })
}

/// Zoom level and the scroll position that keeps a point of time in place while zooming.
#[derive(Clone)]
struct Zoomer {
    zoom: UseStateHandle<f64>,
    /// The time to keep in view across a zoom, and its offset from the viewport's left edge.
    anchor: Rc<RefCell<Option<(f64, f64)>>>,
    scroll: NodeRef,
    scale: Scale,
}

impl Zoomer {
    fn level(&self) -> f64 {
        *self.zoom
    }

    /// Zooms to `level`, keeping the time at `at_px` from the viewport's left (default: its centre).
    fn to(&self, level: f64, at_px: Option<f64>) {
        let level = level.clamp(1.0, MAX_ZOOM);
        if let Some(el) = self.scroll.cast::<Element>() {
            let offset = at_px.unwrap_or(el.client_width() as f64 / 2.0);
            *self.anchor.borrow_mut() = Some((self.scale.ms(el.scroll_left() as f64 + offset), offset));
        }
        self.zoom.set(level);
    }

    fn key(&self, e: &KeyboardEvent, level: f64) {
        e.prevent_default();
        self.to(level, None);
    }
}

/// −, + and Fit, and the current level.
fn zoom_controls(z: &Zoomer) -> Html {
    let level = z.level();
    let by = |factor: f64| {
        let z = z.clone();
        Callback::from(move |_: MouseEvent| z.to(if factor == 0.0 { 1.0 } else { z.level() * factor }, None))
    };
    html! {
        <div class="tl-zoom" role="group" aria-label="Zoom">
            <button type="button" class="tl-zoom-out" aria-label="Zoom out" onclick={by(0.5)} disabled={level <= 1.0}>{ "−" }</button>
            <button type="button" class="tl-zoom-in" aria-label="Zoom in" onclick={by(2.0)} disabled={level >= MAX_ZOOM}>{ "+" }</button>
            <button type="button" class="tl-zoom-fit" onclick={by(0.0)} disabled={level <= 1.0}>{ "Fit" }</button>
            <span class="tl-zoom-level" aria-live="polite">{ format!("{level:.0}×") }</span>
        </div>
    }
}

/// A new trace starts fitted, with no span hovered or focused (their indices were the old trace's).
#[hook]
fn use_fresh_view(layout: Shared<Layout>, spans: [UseStateHandle<Option<usize>>; 2], zoom: UseStateHandle<f64>) {
    use_effect_with(layout, move |_| {
        spans.iter().for_each(|s| s.set(None));
        zoom.set(1.0);
    });
}

/// After a zoom, scrolls so the anchored time is where it was.
#[hook]
fn use_zoom_anchor(z: &Zoomer) {
    let z = z.clone();
    use_effect_with(*z.zoom, move |_| {
        if let (Some((ms, offset)), Some(el)) = (z.anchor.borrow_mut().take(), z.scroll.cast::<Element>()) {
            el.set_scroll_left((z.scale.x(ms) - offset).round() as i32);
        }
    });
}

/// Scrolls the focused span into view when the keyboard moves the cursor off-screen.
#[hook]
fn use_focus_in_view(focus: Option<usize>, c: &Chart, scroll: &NodeRef) {
    let span = focus.and_then(|i| c.layout.spans.get(i)).map(|s| (c.scale.x(s.start), c.scale.x(s.end)));
    let scroll = scroll.clone();
    use_effect_with(focus, move |_| {
        if let (Some((x1, x2)), Some(el)) = (span, scroll.cast::<Element>()) {
            let (left, w) = (el.scroll_left() as f64, el.client_width() as f64);
            if x2 < left || x1 > left + w {
                el.set_scroll_left((x1 - 24.0).max(0.0) as i32);
            }
        }
    });
}

/// The width of `node`, as a ResizeObserver reports it once the browser has laid the page out
/// (reading `clientWidth` right after mounting forced a layout of the whole page inside the
/// task that had just built the results: 130 ms with 20,000 dishes, issue 12). The spans are
/// drawn in a task of their own after that; later widths (a resize) are debounced, since each
/// one redraws every span.
#[hook]
fn use_width(node: NodeRef) -> f64 {
    let width = use_state_eq(|| 0.0);
    {
        let width = width.clone();
        use_effect_with(node, move |node| {
            let watch = node.cast::<Element>().and_then(|el| WidthWatch::start(&el, width));
            move || drop(watch)
        });
    }
    *width
}

/// A ResizeObserver that hands each new width to the chart in a later task.
struct WidthWatch {
    observer: web_sys::ResizeObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl WidthWatch {
    fn start(el: &Element, width: UseStateHandle<f64>) -> Option<WidthWatch> {
        use wasm_bindgen::JsCast;
        let pending = RefCell::new(None::<Timeout>);
        let first = Cell::new(true);
        let target = el.clone();
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries| {
            // Laid out already: reading the width here costs nothing.
            let w = target.client_width() as f64;
            let width = width.clone();
            let delay = if first.replace(false) { 0 } else { 120 };
            *pending.borrow_mut() = Some(Timeout::new(delay, move || width.set(w)));
        });
        let observer = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
        observer.observe(el);
        Some(WidthWatch { observer, _callback: callback })
    }
}

impl Drop for WidthWatch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}
