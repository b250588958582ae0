//! The composer: pick a preset, then add, edit, reorder and delete dishes — their phases and
//! the dishes they come after — and see the graph they make.
//!
//! Edits go through the app's reducer (which calls `engine::edit`); validity is the engine's
//! own (`Plan::new`), whose message is shown beside the dishes it is about. Invalid states are
//! kept, so nothing the person typed is lost, and Run waits until they are fixed. Only a page
//! of dishes is rendered at a time, and one editor is open at a time, so a 1000-dish preset
//! stays quick.

use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::dag_view::DagView;
use super::import_export::ImportExport;
use super::task_editor::{DishProblem, DishRow};
use crate::engine::analysis::GraphAnalysis;
use crate::engine::presets::{self, PRESETS};
use crate::engine::{Error, ErrorKind, Experiment};
use crate::ui::geometry::dag::Graph;
use crate::ui::state::{use_store, Action, CheckedDishes, Store};

/// Dishes rendered at once; the rest are a page away.
const PAGE: usize = 20;

/// The composer's own view state: which page of dishes, which editor is open.
#[derive(Clone, PartialEq)]
struct View {
    page: UseStateHandle<usize>,
    open: UseStateHandle<Option<usize>>,
}

impl View {
    /// Shows dish `i`: its page, its editor open or not, focus on one of its elements.
    fn show(&self, i: usize, open: bool, focus: String) {
        self.page.set(i / PAGE);
        if open {
            self.open.set(Some(i));
        }
        focus_later(focus);
    }

    fn reset(&self) {
        self.page.set(0);
        self.open.set(None);
    }
}

/// The composer section.
#[function_component(Composer)]
pub fn composer() -> Html {
    let state = use_store();
    let view = View { page: use_state(|| 0), open: use_state(|| None) };
    // Checked by the reducer whenever the dishes change (once the environment is probed).
    let checked = state.checked.clone();
    let problems = match &checked {
        Some(Err(err)) => dish_problems(&state.experiment, err),
        _ => HashMap::new(),
    };
    let onimport = {
        let view = view.clone();
        Callback::from(move |()| view.reset())
    };
    html! {
        <section class="composer" aria-labelledby="composer-title">
            <h2 id="composer-title">{ "Dishes" }</h2>
            { preset_row(&state, &view) }
            <p id="dish-count">{ dish_count(state.experiment.tasks.len()) }</p>
            if let Some(Err(err)) = &checked { { invalid_box(&state.experiment, err, &problems, &view) } }
            { dish_list(&state, &view, &problems) }
            { graph_view(checked, &state.experiment) }
            <ImportExport {onimport} />
        </section>
    }
}

fn dish_count(n: usize) -> String {
    format!("{n} dish{}", if n == 1 { "" } else { "es" })
}

fn preset_row(state: &Store, view: &View) -> Html {
    let onpreset = {
        let (dispatch, view) = (state.dispatcher(), view.clone());
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(p) = presets::find(&select.value()) {
                view.reset();
                dispatch.dispatch(Action::LoadPreset(p.id));
            }
        })
    };
    let options = PRESETS.iter().map(|p| {
        html! { <option value={p.id} selected={state.preset == Some(p.id)}>{ p.title }</option> }
    });
    let about = state.preset.and_then(presets::find).map_or("Your own dishes (edited from a preset or imported).", |p| p.about);
    html! {
        <div class="row">
            <label for="preset">{ "Preset" }</label>
            // `selected` sets the first render; the property keeps the menu right once a person (or a
            // link) has changed it, when options no longer follow their attribute.
            <select id="preset" ~value={state.preset.unwrap_or("")} onchange={onpreset} disabled={state.running()} aria-describedby="preset-about">
                if state.preset.is_none() { <option selected=true value="">{ "(edited)" }</option> }
                { for options }
            </select>
            <span id="preset-about" class="help">{ about }</span>
        </div>
    }
}

/// What each dish named by a validation error did wrong (and in which phase).
fn dish_problems(e: &Experiment, err: &Error) -> HashMap<usize, DishProblem> {
    let named = |id: &str| e.tasks.iter().position(|t| t.id == id);
    let at: Vec<(usize, Option<usize>)> = match &err.kind {
        ErrorKind::EmptyId(i) => vec![(*i, None)],
        ErrorKind::DuplicateId(id) => e.tasks.iter().enumerate().filter(|(_, t)| t.id == *id).map(|(i, _)| (i, None)).collect(),
        ErrorKind::BadAmount { task, phase, .. } => named(task).map(|i| (i, Some(phase - 1))).into_iter().collect(),
        ErrorKind::PhaseCount { task, .. } | ErrorKind::UnknownDependency { task, .. } | ErrorKind::SelfDependency(task) => {
            named(task).map(|i| (i, None)).into_iter().collect()
        }
        ErrorKind::Cycle(ids) => ids.iter().filter_map(|id| named(id)).map(|i| (i, None)).collect(),
        _ => vec![],
    };
    let message = AttrValue::from(err.to_string());
    at.into_iter().map(|(i, phase)| (i, DishProblem { message: message.clone(), phase })).collect()
}

/// The engine's message at the top of the list, with a way to reach each dish it names.
fn invalid_box(e: &Experiment, err: &Error, problems: &HashMap<usize, DishProblem>, view: &View) -> Html {
    let mut dishes: Vec<usize> = problems.keys().copied().collect();
    dishes.sort_unstable();
    let buttons = dishes.into_iter().take(6).map(|i| {
        let view = view.clone();
        let onclick = Callback::from(move |_: MouseEvent| view.show(i, true, format!("dish-{i}-toggle")));
        let name = if e.tasks[i].id.is_empty() { format!("dish {}", i + 1) } else { e.tasks[i].id.clone() };
        html! { <button type="button" class="small" {onclick}>{ format!("Show {name}") }</button> }
    });
    html! {
        <div id="invalid" class="problem-box" role="alert">
            <p><strong>{ "These dishes cannot be cooked yet: " }</strong><span id="invalid-message">{ err.to_string() }</span></p>
            <p class="row">{ for buttons }</p>
        </div>
    }
}

fn dish_list(state: &Store, view: &View, problems: &HashMap<usize, DishProblem>) -> Html {
    let e = &state.experiment;
    let len = e.tasks.len();
    let start = (*view.page).min(len.saturating_sub(1) / PAGE) * PAGE;
    let ids: Rc<Vec<String>> = Rc::new(e.tasks.iter().map(|t| t.id.clone()).collect());
    let (ontoggle, onaction) = (on_toggle(view), on_action(state, view));
    let rows = e.tasks.iter().enumerate().skip(start).take(PAGE).map(|(i, task)| html! {
        <DishRow key={i} index={i} count={len} task={task.clone()} ids={ids.clone()} open={*view.open == Some(i)}
            problem={problems.get(&i).cloned()} ontoggle={ontoggle.clone()} onaction={onaction.clone()} />
    });
    let onadd = onaction.reform(|_: MouseEvent| Action::AddTask);
    html! {
        // A run cooks a copy of the dishes; editing is paused meanwhile so the results match the list.
        <fieldset class="dish-list" disabled={state.running()}>
            <legend class="visually-hidden">{ "Dishes" }</legend>
            { pager(view, start, len) }
            <ol class="dishes" start={(start + 1).to_string()}>{ for rows }</ol>
            <button type="button" id="add-dish" onclick={onadd}>{ "Add a dish" }</button>
        </fieldset>
    }
}

/// Page buttons, shown only when there are more dishes than one page holds.
fn pager(view: &View, start: usize, len: usize) -> Html {
    if len <= PAGE {
        return html! {};
    }
    let last = (len - 1) / PAGE;
    let page = start / PAGE;
    let go = |to: usize| {
        let p = view.page.clone();
        Callback::from(move |_: MouseEvent| p.set(to))
    };
    html! {
        <nav class="pager" aria-label="Pages of dishes">
            <button type="button" id="page-first" onclick={go(0)} disabled={page == 0}>{ "First" }</button>
            <button type="button" id="page-prev" onclick={go(page.saturating_sub(1))} disabled={page == 0}>{ "Previous" }</button>
            <span id="page-status" aria-live="polite">{ format!("dishes {}–{} of {len}", start + 1, (start + PAGE).min(len)) }</span>
            <button type="button" id="page-next" onclick={go((page + 1).min(last))} disabled={page == last}>{ "Next" }</button>
            <button type="button" id="page-last" onclick={go(last)} disabled={page == last}>{ "Last" }</button>
        </nav>
    }
}

fn on_toggle(view: &View) -> Callback<usize> {
    let open = view.open.clone();
    Callback::from(move |i| open.set(if *open == Some(i) { None } else { Some(i) }))
}

/// Dispatches an edit, keeping the open editor and the focus with the dish they were on.
fn on_action(state: &Store, view: &View) -> Callback<Action> {
    let (state, view) = (state.clone(), view.clone());
    Callback::from(move |action: Action| {
        let len = state.experiment.tasks.len();
        view.open.set(reopen(*view.open, &action, len));
        if let Some((i, focus)) = follow(&action, len) {
            view.show(i, false, focus);
        }
        state.dispatch(action);
    })
}

/// Which dish's editor is open after `action`, given the one open before.
fn reopen(open: Option<usize>, action: &Action, len: usize) -> Option<usize> {
    match *action {
        Action::AddTask => Some(len),
        Action::DuplicateTask(i) => open.map(|o| if o > i { o + 1 } else { o }),
        Action::DeleteTask(i) => open.filter(|&o| o != i).map(|o| if o > i { o - 1 } else { o }),
        Action::MoveTask { from, to } => open.map(|o| match o {
            o if o == from => to,
            o if from < o && o <= to => o - 1,
            o if to <= o && o < from => o + 1,
            o => o,
        }),
        _ => open,
    }
}

/// After a structural edit, the dish to show and the element to focus, so a keyboard user
/// stays with the dish they moved, copied or removed.
fn follow(action: &Action, len: usize) -> Option<(usize, String)> {
    match *action {
        Action::AddTask => Some((len, format!("dish-{len}-name"))),
        Action::DuplicateTask(i) => Some((i + 1, format!("dish-{}-toggle", i + 1))),
        Action::DeleteTask(_) if len <= 1 => Some((0, "add-dish".into())),
        Action::DeleteTask(i) => Some((i.min(len - 2), format!("dish-{}-toggle", i.min(len - 2)))),
        Action::MoveTask { from, to } => Some((to, moved_button(&format!("dish-{to}"), to, len, to < from))),
        _ => None,
    }
}

/// The ↑ (`up`) or ↓ button to focus on an item moved to `to` of `len`: the one pressed, or
/// the other when the item reached the end, since a disabled button cannot hold focus.
pub fn moved_button(prefix: &str, to: usize, len: usize, up: bool) -> String {
    let up = if up { to > 0 } else { to + 1 >= len };
    format!("{prefix}-{}", if up { "up" } else { "down" })
}

/// Focuses the element with `id` once Yew has rendered it.
pub fn focus_later(id: String) {
    // Yew renders in a microtask; a zero timeout runs after it, when the element exists.
    gloo_timers::callback::Timeout::new(0, move || {
        let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id));
        if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    })
    .forget();
}

fn graph_view(checked: Option<Result<Rc<CheckedDishes>, Error>>, e: &Experiment) -> Html {
    match checked {
        Some(Ok(c)) => html! { <DagView graph={c.graph.clone()} analysis={Some(c.analysis.clone())} /> },
        Some(Err(Error { kind: ErrorKind::Cycle(cycle) })) => {
            html! { <DagView graph={Rc::new(Graph::loose(e))} analysis={None::<Rc<GraphAnalysis>>} {cycle} /> }
        }
        Some(Err(_)) => html! { <p class="help dag-note">{ "The dependency graph comes back once the dishes above are fixed." }</p> },
        None => html! { <p class="help dag-note">{ "Measuring this kitchen before drawing the graph…" }</p> },
    }
}
