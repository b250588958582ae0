//! Import and export of the composed experiment as JSON (docs/format.md). An import replaces
//! the experiment only when it parses and validates; otherwise the message says why and both
//! the current experiment and the pasted text stay as they were.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::engine::Experiment;
use crate::runtime::timers::after_next_frame;
use crate::ui::components::timeline::{save, Shared};
use crate::ui::state::{use_store, Action, CheckedDishes};

/// Where [`ImportExport`] reports a successful import.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// An experiment was imported (the composer goes back to its first page).
    pub onimport: Callback<()>,
}

/// The outcome of the last import, shown under its button.
#[derive(Clone, PartialEq)]
enum Outcome {
    /// Parsed; being checked by the engine (a frame later).
    Checking,
    Imported(usize),
    Refused(String),
}

/// A toggle that opens the export and import panel; closed, it costs nothing.
#[function_component(ImportExport)]
pub fn import_export(props: &Props) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <div class="import-export">
            <button type="button" id="io-toggle" onclick={ontoggle} aria-expanded={open.to_string()} aria-controls="io-panel">
                { if *open { "Hide import / export" } else { "Import / export JSON" } }
            </button>
            if *open {
                <div id="io-panel" class="io-panel">
                    <Export />
                    <Import onimport={props.onimport.clone()} />
                </div>
            }
        </div>
    }
}

/// Most dishes whose JSON the text area shows: laying out the text of 20,000 dishes (1.3 MB)
/// blocked the page for 0.8–2.4 s after an import; the download has every dish.
const MAX_SHOWN_DISHES: usize = 2_000;

/// The experiment as JSON to copy, and as a file to download. The text is written only when
/// the dishes change and only when it is shown; the file only when it is asked for: writing
/// out 20,000 dishes (and URL-encoding them for a `data:` link) on every render of the page
/// cost 45–70 ms per state change (issue 12).
#[function_component(Export)]
fn export() -> Html {
    let state = use_store();
    let dishes = state.experiment.tasks.len();
    let shown = use_memo(Shared(state.experiment.clone()), |e| (e.0.tasks.len() <= MAX_SHOWN_DISHES).then(|| AttrValue::from(export_json(&e.0))));
    let onfocus = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlTextAreaElement>().select());
    let ondownload = {
        let experiment = state.experiment.clone();
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = save::download_text(&export_json(&experiment), "application/json", "experiment.json") {
                web_sys::console::error_1(&e);
            }
        })
    };
    html! {
        <div class="io-half">
            <label for="export-json">{ "This experiment as JSON" }</label>
            if let Some(json) = (*shown).clone() {
                <textarea id="export-json" readonly=true rows="10" wrap="off" value={json} {onfocus} spellcheck="false" />
            } else {
                <p id="export-too-long" class="help">
                    { format!("{dishes} dishes: too long to show here (more than {MAX_SHOWN_DISHES}); download the file instead.") }
                </p>
            }
            <button type="button" id="export-download" onclick={ondownload}>{ "Download experiment.json" }</button>
        </div>
    }
}

/// The experiment as JSON with one dish per line: readable, and light enough for the browser
/// to lay out at 1000 dishes (pretty-printed, that text area took ~200 ms per edit).
fn export_json(e: &Experiment) -> String {
    let empty = Experiment { version: e.version, model: e.model, chefs: e.chefs, yield_policy: e.yield_policy, tasks: vec![] };
    let head = serde_json::to_string(&empty).unwrap_or_default();
    let lines: Result<Vec<String>, _> = e.tasks.iter().map(serde_json::to_string).collect();
    // `tasks` is the last field, so the head ends with its empty list.
    match (head.strip_suffix("[]}"), lines) {
        (Some(head), Ok(lines)) => format!("{head}[\n  {}\n]}}\n", lines.join(",\n  ")),
        _ => serde_json::to_string_pretty(e).unwrap_or_else(|err| format!("cannot export: {err}")),
    }
}

/// A text area for JSON and a button that loads it, if it is a valid experiment. The text
/// area is left to the browser (read once, when Import is pressed): bound to the state, a
/// pasted megabyte was copied into wasm and compared on every render. The import is split
/// over tasks with a frame between them — parse, then check and show, then clear the text —
/// so 20,000 dishes never freeze the page for long (issue 12).
#[function_component(Import)]
fn import(props: &Props) -> Html {
    let state = use_store();
    let running = state.running();
    let area = use_node_ref();
    let has_text = use_state_eq(|| false);
    let busy = use_state_eq(|| false);
    let outcome = use_state(|| None::<Outcome>);
    let oninput = {
        let has_text = has_text.clone();
        Callback::from(move |e: InputEvent| has_text.set(!blank(&e.target_unchecked_into())))
    };
    let onclick = {
        let (area, outcome, onimport, busy, has_text) = (area.clone(), outcome.clone(), props.onimport.clone(), busy.clone(), has_text.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(el) = area.cast::<HtmlTextAreaElement>() else { return };
            let experiment = match Experiment::from_json(&el.value()) {
                Ok(experiment) => experiment,
                Err(e) => return outcome.set(Some(Outcome::Refused(e.to_string()))),
            };
            let (state, outcome, onimport, busy, has_text) = (state.clone(), outcome.clone(), onimport.clone(), busy.clone(), has_text.clone());
            // The last outcome is not this import's: say what is under way.
            outcome.set(Some(Outcome::Checking));
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                after_next_frame().await;
                match checked(experiment) {
                    Ok((experiment, dishes)) => {
                        outcome.set(Some(Outcome::Imported(experiment.tasks.len())));
                        state.dispatch(Action::LoadChecked(experiment, dishes));
                        onimport.emit(());
                        after_next_frame().await;
                        el.set_value("");
                        has_text.set(false);
                    }
                    Err(message) => outcome.set(Some(Outcome::Refused(message))),
                }
                busy.set(false);
            });
        })
    };
    html! {
        <div class="io-half">
            <label for="import-json">{ "Paste an experiment (JSON) to cook instead" }</label>
            <textarea id="import-json" ref={area} rows="10" {oninput} spellcheck="false" aria-describedby="import-message" />
            // A run under way cooks the current dishes; its results should still match them.
            <button type="button" id="import" {onclick} disabled={!*has_text || running || *busy}>{ "Import" }</button>
            { outcome_message(outcome.as_ref()) }
        </div>
    }
}

/// Whether the text area holds only white space (a long text is not read to find out).
fn blank(area: &HtmlTextAreaElement) -> bool {
    match area.text_length() {
        0 => true,
        n if n > 1_000 => false,
        _ => area.value().trim().is_empty(),
    }
}

/// `experiment` checked by the engine with this page's calibration, or why it is refused.
fn checked(experiment: Experiment) -> Result<(Rc<Experiment>, Rc<CheckedDishes>), String> {
    let dishes = CheckedDishes::of(&experiment).map_err(|e| format!("not imported: {}", crate::runtime::Error::from(e)))?;
    Ok((Rc::new(experiment), dishes))
}

fn outcome_message(outcome: Option<&Outcome>) -> Html {
    match outcome {
        None => html! { <p id="import-message" class="help">{ "The current dishes stay unless the import is valid." }</p> },
        Some(Outcome::Checking) => html! { <p id="import-message" class="help" role="status">{ "Checking the experiment…" }</p> },
        Some(Outcome::Imported(n)) => html! {
            <p id="import-message" class="ok" role="status">{ format!("Imported {n} dishes.") }</p>
        },
        Some(Outcome::Refused(message)) => html! {
            <p id="import-message" class="error" role="alert">{ format!("Nothing changed: {message}") }</p>
        },
    }
}
