//! The timeline's exports, beside "Save trace": the chart as SVG and PNG (for slides and
//! homework), the measured table as CSV, the Chrome trace JSON, and "Open in Perfetto".
//!
//! The SVG is the chart the page drew, cloned with each element's computed style written
//! inline (the page's stylesheet and its light/dark colours do not travel with a file), framed
//! by `ui::geometry::export`. The PNG is that SVG drawn on a canvas at twice its size.

use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, CanvasRenderingContext2d, Element, HtmlCanvasElement, HtmlImageElement, Url, XmlSerializer};
use yew::prelude::*;

use super::layers::{colour, Shared};
use super::save;
use crate::engine::{csv, export, Trace};
use crate::runtime::perfetto::{self, Perfetto};
use crate::runtime::ErrorKind;
use crate::ui::geometry::export::{frame_svg, Colours};
use crate::ui::geometry::timeline::Layout;

/// The style properties that decide how an SVG element looks; the rest are defaults.
const STYLE: [&str; 14] = [
    "fill", "fill-opacity", "stroke", "stroke-width", "stroke-opacity", "stroke-dasharray", "opacity", "font-size",
    "font-family", "font-weight", "paint-order", "dominant-baseline", "text-anchor", "visibility",
];

/// The largest side of the PNG, in pixels (browsers refuse larger canvases).
const MAX_PNG_SIDE: f64 = 16_384.0;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub trace: Rc<Trace>,
    /// The drawn chart.
    pub svg: NodeRef,
    pub layout: Shared<Layout>,
    /// Where the first lane starts in the chart.
    pub top: f64,
    /// The chart's summary, the file's title.
    pub title: AttrValue,
}

/// What the last export said: done, or why not.
#[derive(Clone, PartialEq)]
struct Said {
    ok: bool,
    text: String,
}

#[function_component(Exports)]
pub fn exports(props: &Props) -> Html {
    let said = use_state(|| None::<Said>);
    let report = {
        let said = said.clone();
        move |result: Result<String, String>| {
            said.set(Some(match result {
                Ok(text) => Said { ok: true, text },
                Err(text) => Said { ok: false, text },
            }))
        }
    };
    let trace = props.trace.clone();
    let on = |work: fn(&Props) -> Result<String, String>| {
        let report = report.clone();
        let props = Snapshot::of(props);
        Callback::from(move |_: MouseEvent| report(work(&props.get())))
    };
    let onpng = {
        let (report, props) = (report.clone(), Snapshot::of(props));
        Callback::from(move |_: MouseEvent| {
            let (report, props) = (report.clone(), props.clone());
            wasm_bindgen_futures::spawn_local(async move { report(png(&props.get()).await) });
        })
    };
    let onperfetto = {
        let (report, trace) = (report.clone(), trace.clone());
        Callback::from(move |_: MouseEvent| {
            let (report, trace) = (report.clone(), trace.clone());
            wasm_bindgen_futures::spawn_local(async move { report(open_in_perfetto(&trace).await) });
        })
    };
    html! {
        <>
            <button type="button" class="tl-save" onclick={on(|p| saved(save::save(&p.trace), "trace"))}
                title="The trace in the JSON format of docs/format.md">{ "Save trace" }</button>
            <details class="tl-export">
                <summary>{ "Export" }</summary>
                <div class="tl-export-buttons">
                    <button type="button" class="tl-export-svg" onclick={on(svg)} title="The timeline as an SVG image">{ "SVG" }</button>
                    <button type="button" class="tl-export-png" onclick={onpng} title="The timeline as a PNG image">{ "PNG" }</button>
                    <button type="button" class="tl-export-csv" onclick={on(table_csv)} title="The measured table: one row per dish">{ "CSV" }</button>
                    <button type="button" class="tl-export-chrome" onclick={on(chrome)}
                        title="Chrome trace event JSON, for Perfetto and chrome://tracing">{ "Chrome trace" }</button>
                    <button type="button" class="tl-export-perfetto" onclick={onperfetto}>{ "Open in Perfetto" }</button>
                </div>
            </details>
            if let Some(s) = &*said {
                <span class={classes!("tl-export-status", if s.ok { "help" } else { "warning" })} role="status">{ &s.text }</span>
            }
        </>
    }
}

/// The props an export needs, held by its callback.
#[derive(Clone)]
struct Snapshot(Rc<(Rc<Trace>, NodeRef, Shared<Layout>, f64, AttrValue)>);

impl Snapshot {
    fn of(p: &Props) -> Snapshot {
        Snapshot(Rc::new((p.trace.clone(), p.svg.clone(), p.layout.clone(), p.top, p.title.clone())))
    }

    fn get(&self) -> Props {
        let (trace, svg, layout, top, title) = (*self.0).clone();
        Props { trace, svg, layout, top, title }
    }
}

fn saved(result: Result<(), JsValue>, what: &str) -> Result<String, String> {
    result.map(|()| format!("Downloaded the {what}.")).map_err(|e| format!("Could not save the {what}: {e:?}"))
}

fn svg(p: &Props) -> Result<String, String> {
    let (text, _, _) = svg_file(p).map_err(|e| format!("Could not draw the SVG: {e:?}"))?;
    saved(save::download_text(&text, "image/svg+xml", &save::name_for(&p.trace, "timeline", "svg")), "SVG")
}

fn table_csv(p: &Props) -> Result<String, String> {
    let text = csv::tasks_csv(&p.trace);
    saved(save::download_text(&text, "text/csv", &save::name_for(&p.trace, "timings", "csv")), "CSV")
}

fn chrome(p: &Props) -> Result<String, String> {
    let text = export::chrome_trace(&p.trace).to_string();
    saved(save::download_text(&text, "application/json", &save::name_for(&p.trace, "chrome-trace", "json")), "Chrome trace")
}

async fn png(p: &Props) -> Result<String, String> {
    let blob = png_blob(p).await.map_err(|e| format!("Could not draw the PNG: {e:?}"))?;
    saved(save::download(&blob, &save::name_for(&p.trace, "timeline", "png")), "PNG")
}

/// The Chrome trace handed to Perfetto; where the page can't (cross-origin isolated), the file
/// is downloaded for the tab Perfetto opened in.
async fn open_in_perfetto(trace: &Trace) -> Result<String, String> {
    let json = export::chrome_trace(trace).to_string();
    let file = save::name_for(trace, "chrome-trace", "json");
    let title = format!("Concurrency Kitchen: {} with {} chefs, {:.0} ms", trace.model.name(), trace.chefs, trace.wall_ms);
    match perfetto::open(&json, &title, &file).await {
        Ok(()) => Ok("Sent to Perfetto, in a new tab.".into()),
        Err(e) if e.kind == ErrorKind::Perfetto(Perfetto::Severed) => {
            let _ = save::download_text(&json, "application/json", &file);
            Err(e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// The SVG file's text, width and height.
fn svg_file(p: &Props) -> Result<(String, f64, f64), JsValue> {
    let svg = p.svg.cast::<Element>().ok_or("the chart is not drawn")?;
    let window = web_sys::window().ok_or("no window")?;
    let copy: Element = svg.clone_node_with_deep(true)?.dyn_into()?;
    let (from, to) = (svg.query_selector_all("*")?, copy.query_selector_all("*")?);
    for i in 0..from.length().min(to.length()) {
        let (Some(a), Some(b)) = (from.item(i), to.item(i)) else { continue };
        let (a, b): (Element, Element) = (a.dyn_into()?, b.dyn_into()?);
        if let Some(style) = window.get_computed_style(&a)? {
            let css: String = STYLE
                .iter()
                .filter_map(|name| style.get_property_value(name).ok().filter(|v| !v.is_empty()).map(|v| format!("{name}:{v};")))
                .collect();
            b.set_attribute("style", &css)?;
        }
    }
    // The hover and focus rings are the reader's, not the run's.
    let rings = copy.query_selector_all(".tl-ring")?;
    for i in 0..rings.length() {
        if let Some(ring) = rings.item(i).and_then(|r| r.dyn_into::<Element>().ok()) {
            ring.remove();
        }
    }
    let chart = XmlSerializer::new()?.serialize_to_string(&copy)?;
    let size = |name| svg.get_attribute(name).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    let computed = |el: Option<Element>, property: &str| {
        el.and_then(|e| window.get_computed_style(&e).ok().flatten()).and_then(|s| s.get_property_value(property).ok())
    };
    let figure = svg.closest("figure").ok().flatten();
    let fg = computed(Some(svg.clone()), "color").unwrap_or_else(|| "black".into());
    let muted = computed(figure.as_ref().and_then(|f| f.query_selector(".tl-thread").ok().flatten()), "color").unwrap_or_else(|| fg.clone());
    let bg = computed(svg.closest("section").ok().flatten(), "background-color")
        .filter(|c| c != "rgba(0, 0, 0, 0)")
        .unwrap_or_else(|| "white".into());
    let colours = Colours { fg: &fg, muted: &muted, bg: &bg };
    Ok(frame_svg(&chart, (size("width"), size("height")), p.top, &p.layout.0, &p.title, colour, &colours))
}

/// The SVG drawn on a canvas at twice its size (less when that would be too large).
async fn png_blob(p: &Props) -> Result<Blob, JsValue> {
    let (text, w, h) = svg_file(p)?;
    let url = Url::create_object_url_with_blob(&save::text_blob(&text, "image/svg+xml")?)?;
    let image = HtmlImageElement::new()?;
    image.set_src(&url);
    let decoded = JsFuture::from(image.decode()).await;
    let _ = Url::revoke_object_url(&url);
    decoded?;
    let scale = 2.0f64.min(MAX_PNG_SIDE / w.max(1.0)).min(MAX_PNG_SIDE / h.max(1.0));
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
    canvas.set_width((w * scale).round() as u32);
    canvas.set_height((h * scale).round() as u32);
    let context: CanvasRenderingContext2d = canvas.get_context("2d")?.ok_or("no 2d context")?.dyn_into()?;
    context.scale(scale, scale)?;
    context.draw_image_with_html_image_element(&image, 0.0, 0.0)?;
    let promise = Promise::new(&mut |resolve, _reject| {
        let done = Closure::once_into_js(move |blob: JsValue| {
            let _ = resolve.call1(&JsValue::NULL, &blob);
        });
        let _ = canvas.to_blob(done.unchecked_ref());
    });
    JsFuture::from(promise).await?.dyn_into::<Blob>().map_err(|_| "the canvas gave no image".into())
}
