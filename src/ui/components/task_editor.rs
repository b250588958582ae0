//! One dish in the composer's list: a compact row (name, what it does, move / duplicate /
//! delete) that opens into an editor for its name, phases and dependencies.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::composer::{focus_later, moved_button};
use super::fields::TextField;
use super::phase_editor::{PhaseEdit, PhaseEditor};
use crate::engine::experiment::{Cook, Phase, Simmer, TaskSpec};
use crate::ui::state::Action;

/// Above this many other dishes the dependency choices get a search box and a short list.
const MANY_CHOICES: usize = 30;
/// How many unchecked choices a search shows at most.
const SHOWN_CHOICES: usize = 40;

/// What the engine's validation says is wrong with one dish.
#[derive(Clone, Debug, PartialEq)]
pub struct DishProblem {
    pub message: AttrValue,
    /// The phase at fault (0-based), when the problem is in one phase.
    pub phase: Option<usize>,
}

/// One dish of the list, and what the composer knows about it.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub index: usize,
    /// How many dishes there are.
    pub count: usize,
    pub task: TaskSpec,
    /// Every dish's id, in order: the dependency choices.
    pub ids: Rc<Vec<String>>,
    pub open: bool,
    pub problem: Option<DishProblem>,
    pub ontoggle: Callback<usize>,
    /// Edits to the experiment, for the composer to dispatch.
    pub onaction: Callback<Action>,
}

/// A dish's row, and its editor when open.
#[function_component(DishRow)]
pub fn dish_row(props: &Props) -> Html {
    let i = props.index;
    let classes = classes!("dish", props.open.then_some("open"), props.problem.is_some().then_some("has-problem"));
    html! {
        <li class={classes} data-id={props.task.id.clone()}>
            <div class="dish-row">
                { toggle(props) }
                <span class="dish-summary">{ summary(&props.task) }</span>
                { row_buttons(props) }
            </div>
            if let Some(problem) = props.problem.as_ref().filter(|p| p.phase.is_none() || !props.open) {
                <p class="error inline-problem" id={format!("dish-{i}-problem")}>{ problem.message.clone() }</p>
            }
            if props.open { { editor(props) } }
        </li>
    }
}

fn name_of(task: &TaskSpec) -> String {
    if task.id.is_empty() { "(no name)".into() } else { task.id.clone() }
}

/// Opens or closes the editor; Alt+↑ / Alt+↓ move the dish from here too.
fn toggle(props: &Props) -> Html {
    let i = props.index;
    let onclick = props.ontoggle.reform(move |_: MouseEvent| i);
    let (count, onaction) = (props.count, props.onaction.clone());
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        let to = match e.key().as_str() {
            "ArrowUp" if e.alt_key() && i > 0 => i - 1,
            "ArrowDown" if e.alt_key() && i + 1 < count => i + 1,
            _ => return,
        };
        e.prevent_default();
        onaction.emit(Action::MoveTask { from: i, to });
        // Scheduled after the composer's own focus move, so focus stays on this toggle.
        focus_later(format!("dish-{to}-toggle"));
    });
    html! {
        <button type="button" class="dish-toggle" id={format!("dish-{i}-toggle")} {onclick} {onkeydown}
            aria-expanded={props.open.to_string()} aria-controls={format!("dish-{i}-editor")}
            title="Open or close (Alt+↑ / Alt+↓ move the dish)">
            <span class="chevron" aria-hidden="true">{ if props.open { "▾" } else { "▸" } }</span>
            <span class="dish-name">{ name_of(&props.task) }</span>
            if props.problem.is_some() {
                <span class="problem-mark" aria-hidden="true">{ " ⚠" }</span>
                <span class="visually-hidden">{ " (has a problem)" }</span>
            }
        </button>
    }
}

fn row_buttons(props: &Props) -> Html {
    let (i, name) = (props.index, name_of(&props.task));
    let act = |action: fn(usize) -> Action| props.onaction.reform(move |_: MouseEvent| action(i));
    html! {
        <span class="dish-actions">
            <button type="button" id={format!("dish-{i}-up")} onclick={act(|i| Action::MoveTask { from: i, to: i.saturating_sub(1) })}
                disabled={i == 0} aria-label={format!("Move {name} up")} title="Move up">{ "↑" }</button>
            <button type="button" id={format!("dish-{i}-down")} onclick={act(|i| Action::MoveTask { from: i, to: i + 1 })}
                disabled={i + 1 >= props.count} aria-label={format!("Move {name} down")} title="Move down">{ "↓" }</button>
            <button type="button" id={format!("dish-{i}-duplicate")} onclick={act(Action::DuplicateTask)}
                aria-label={format!("Duplicate {name}")}>{ "Duplicate" }</button>
            <button type="button" id={format!("dish-{i}-delete")} class="danger" onclick={act(Action::DeleteTask)}
                aria-label={format!("Delete {name}")}>{ "Delete" }</button>
        </span>
    }
}

/// One line saying what the dish does: its phases, then what it waits for.
fn summary(task: &TaskSpec) -> String {
    let phases: Vec<String> = task.phases.iter().map(describe_phase).collect();
    let mut text = if phases.is_empty() { "no phases".to_string() } else { phases.join(", then ") };
    if !task.after.is_empty() {
        text += &format!(" · after {}", task.after.join(", "));
    }
    text
}

fn describe_phase(phase: &Phase) -> String {
    match phase {
        Phase::Simmer(s) => format!("simmer {} ms", s.ms),
        Phase::Cook(c) => {
            let amount = match (c.ms, c.units) {
                (Some(ms), _) => format!("{ms} ms"),
                (None, Some(units)) => format!("{units} units"),
                (None, None) => "?".into(),
            };
            let split = c.split.map_or(String::new(), |s| format!(" in {} chunks", s.chunks));
            let serial = c.serial_ms.map_or(String::new(), |ms| format!(" after {ms} ms serial"));
            format!("cook {amount} of {}{split}{serial}", c.kernel.name())
        }
    }
}

fn editor(props: &Props) -> Html {
    let i = props.index;
    let task = props.task.clone();
    let onname = props.onaction.reform(move |id: String| Action::UpdateTask(i, TaskSpec { id, ..task.clone() }));
    let name_problem = props.problem.as_ref().filter(|p| p.phase.is_none()).is_some();
    html! {
        <div class="dish-editor" id={format!("dish-{i}-editor")} role="group" aria-label={format!("Edit {}", name_of(&props.task))}>
            <TextField id={format!("dish-{i}-name")} label="Dish name" value={props.task.id.clone()} onchange={onname}
                invalid={name_problem} describedby={format!("dish-{i}-problem")}
                help="Enter to rename; the dishes that come after it follow." />
            { phases(props) }
            <AfterPicker index={i} after={props.task.after.clone()} ids={props.ids.clone()}
                onchange={after_changed(props)} />
        </div>
    }
}

fn phases(props: &Props) -> Html {
    let i = props.index;
    let count = props.task.phases.len();
    let items = props.task.phases.iter().enumerate().map(|(p, phase)| {
        let problem = props.problem.as_ref().filter(|pr| pr.phase == Some(p)).map(|pr| pr.message.clone());
        html! {
            <PhaseEditor key={p} prefix={format!("dish-{i}-phase-{p}")} index={p} {count} phase={phase.clone()}
                {problem} onedit={phase_edited(props, p)} />
        }
    });
    let add = |phase: Phase| {
        let task = props.task.clone();
        props.onaction.reform(move |_: MouseEvent| {
            let mut next = task.clone();
            next.phases.push(phase.clone());
            Action::UpdateTask(i, next)
        })
    };
    html! {
        <fieldset class="phases">
            <legend>{ "Phases, in order" }</legend>
            <ol>{ for items }</ol>
            <div class="row">
                <button type="button" id={format!("dish-{i}-add-cook")} onclick={add(Phase::Cook(Cook::ms(100.0)))}>
                    { "Add cook" }
                </button>
                <button type="button" id={format!("dish-{i}-add-simmer")} onclick={add(Phase::Simmer(Simmer { ms: 100.0 }))}>
                    { "Add simmer" }
                </button>
            </div>
        </fieldset>
    }
}

fn phase_edited(props: &Props, p: usize) -> Callback<PhaseEdit> {
    let (i, task) = (props.index, props.task.clone());
    props.onaction.reform(move |edit: PhaseEdit| {
        let mut next = task.clone();
        match edit {
            PhaseEdit::Set(phase) => next.phases[p] = phase,
            PhaseEdit::Move(to) if to < next.phases.len() => {
                let phase = next.phases.remove(p);
                next.phases.insert(to, phase);
                focus_later(moved_button(&format!("dish-{i}-phase-{to}"), to, next.phases.len(), to < p));
            }
            PhaseEdit::Move(_) => {}
            PhaseEdit::Remove => {
                next.phases.remove(p);
            }
        }
        Action::UpdateTask(i, next)
    })
}

fn after_changed(props: &Props) -> Callback<Vec<String>> {
    let (i, task) = (props.index, props.task.clone());
    props.onaction.reform(move |after: Vec<String>| Action::UpdateTask(i, TaskSpec { after, ..task.clone() }))
}

#[derive(Properties, PartialEq)]
struct AfterProps {
    index: usize,
    after: Vec<String>,
    ids: Rc<Vec<String>>,
    onchange: Callback<Vec<String>>,
}

/// Checkboxes for the dishes this one comes after (never itself); a search box when there
/// are many, so a 1000-dish kitchen does not render 999 checkboxes.
#[function_component(AfterPicker)]
fn after_picker(props: &AfterProps) -> Html {
    let search = use_state(String::new);
    let i = props.index;
    let others: Vec<(usize, &String)> = props.ids.iter().enumerate().filter(|&(j, _)| j != i).collect();
    let many = others.len() > MANY_CHOICES;
    let shown = choices(&others, &props.after, many.then_some(search.as_str()));
    let boxes = shown.iter().map(|&(j, id)| after_box(props, Some(j), id));
    // Dependencies on names no dish has (left by an import or a rename) stay removable.
    let missing = props.after.iter().filter(|d| !props.ids.contains(d)).map(|d| after_box(props, None, d));
    let onsearch = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    html! {
        <fieldset class="after">
            <legend>{ "Comes after" }<span class="help">{ " — these dishes end before this one starts" }</span></legend>
            if many {
                <input type="search" id={format!("dish-{i}-after-search")} placeholder="find a dish by name"
                    aria-label="Find a dish to come after" value={(*search).clone()} oninput={onsearch} />
            }
            <div class="after-choices">{ for boxes }{ for missing }</div>
            if others.is_empty() { <p class="help">{ "No other dishes yet." }</p> }
            if many {
                <p class="help">{ format!("{} of {} dishes shown: the chosen ones, then matches.", shown.len(), others.len()) }</p>
            }
        </fieldset>
    }
}

/// The choices to show: all of them, or (with a search) the chosen ones and the first matches.
fn choices<'a>(others: &[(usize, &'a String)], after: &[String], search: Option<&str>) -> Vec<(usize, &'a String)> {
    let Some(search) = search else { return others.to_vec() };
    let mut matches = 0;
    others
        .iter()
        .copied()
        .filter(|(_, id)| {
            let chosen = after.contains(id);
            let hit = !chosen && matches < SHOWN_CHOICES && id.contains(search.trim());
            matches += usize::from(hit);
            chosen || hit
        })
        .collect()
}

/// A checkbox for coming after dish `j` called `id` (`j` is `None` when no dish has that name).
fn after_box(props: &AfterProps, j: Option<usize>, id: &str) -> Html {
    let checked = props.after.iter().any(|d| d == id);
    let (after, dep) = (props.after.clone(), id.to_string());
    let onchange = props.onchange.reform(move |e: Event| {
        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
        let mut next: Vec<String> = after.iter().filter(|d| **d != dep).cloned().collect();
        if on {
            next.push(dep.clone());
        }
        next
    });
    let i = props.index;
    let box_id = j.map_or_else(|| format!("dish-{i}-after-missing-{id}"), |j| format!("dish-{i}-after-{j}"));
    html! {
        <label class="check" for={box_id.clone()}>
            <input type="checkbox" id={box_id} data-dish={id.to_string()} {checked} {onchange} />
            <span>{ if j.is_none() { format!("{id} (no such dish)") } else { id.to_string() } }</span>
        </label>
    }
}
