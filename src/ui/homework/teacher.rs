//! "Make an assignment", in the playground: the current dishes (with their model and chefs)
//! become a step; a small editor sets what is locked, the variants, the runs and the questions;
//! "Make the assignment" checks the JSON with the engine (`Assignment::from_json`, the student
//! page's own reader) and only then offers the file and a student link (`#a1.z.…`).

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::draft::{Draft, Kind, QuantityKind, RunDraft, StepDraft, VariantDraft, PARAMS};
use crate::engine::homework::Assignment;
use crate::engine::share::link;
use crate::engine::Model;
use crate::ui::state::use_store;

/// What "Make the assignment" produced.
#[derive(Clone, PartialEq)]
enum Made {
    /// The JSON (pretty) and the student link.
    Ready { json: String, link: String },
    /// Why the engine refused the draft (with its JSON path).
    Refused(String),
}

/// Edits the draft: `f` applied to a copy.
type Edit = Callback<Rc<dyn Fn(&mut Draft)>>;

#[function_component(MakeAssignment)]
pub fn make_assignment() -> Html {
    let store = use_store();
    let draft = use_state(Draft::new);
    let made = use_state(|| None::<Made>);
    let edit: Edit = {
        let (draft, made) = (draft.clone(), made.clone());
        Callback::from(move |f: Rc<dyn Fn(&mut Draft)>| {
            let mut next = (*draft).clone();
            f(&mut next);
            draft.set(next);
            made.set(None); // what was made no longer matches
        })
    };
    let e = &store.experiment;
    let current = format!("{} dish{}, {}, {} chef{}", e.tasks.len(), if e.tasks.len() == 1 { "" } else { "es" }, e.model.name(),
        e.model.effective_chefs(e.chefs), if e.model.effective_chefs(e.chefs) == 1 { "" } else { "s" });
    let onadd = {
        let (edit, experiment) = (edit.clone(), store.experiment.clone());
        Callback::from(move |_| {
            let experiment = experiment.clone();
            edit.emit(Rc::new(move |d: &mut Draft| d.add_step((*experiment).clone())))
        })
    };
    let onmake = {
        let (draft, made) = (draft.clone(), made.clone());
        Callback::from(move |_| made.set(Some(make(&draft))))
    };
    html! {
        <details class="make-assignment" id="make-assignment">
            <summary>{ "Make an assignment…" }</summary>
            <div class="ma-grid">
                <p class="help">{ "Each step is the kitchen as it is now. Students predict, run it on their machine, and are checked against their own measurements." }</p>
                <label>{ "Title" }{ text_input("ma-title", &draft.title, edit.clone(), |d, v| d.title = v) }</label>
                <label>{ "Instructions (Markdown)" }{ text_area("ma-instructions", &draft.instructions, edit.clone(), |d, v| d.instructions = v) }</label>
                { for draft.steps.iter().enumerate().map(|(i, s)| step_editor(i, s, &edit)) }
                <div class="ma-row">
                    <button type="button" id="ma-add-step" onclick={onadd}>{ format!("Add step: the current kitchen ({current})") }</button>
                    <button type="button" class="primary" id="ma-make" disabled={draft.steps.is_empty()} onclick={onmake}>{ "Make the assignment" }</button>
                </div>
                { output(made.as_ref()) }
            </div>
        </details>
    }
}

/// The draft's JSON, read back by the engine; the file's text and the link, or why not.
fn make(draft: &Draft) -> Made {
    let json = serde_json::to_string_pretty(&draft.to_json()).expect("a draft serialises");
    match Assignment::from_json(&json) {
        Ok(_) => {
            let link = format!("{}#{}", crate::ui::permalink::playground_base(), link::encode_assignment(&json));
            Made::Ready { json, link }
        }
        Err(e) => Made::Refused(e.to_string()),
    }
}

fn output(made: Option<&Made>) -> Html {
    match made {
        None => html! {},
        Some(Made::Refused(why)) => html! { <p class="error" id="ma-error" role="alert">{ format!("Not yet an assignment: {why}") }</p> },
        Some(Made::Ready { json, link }) => {
            let ondownload = {
                let json = json.clone();
                Callback::from(move |_| {
                    let _ = crate::ui::components::timeline::save::download_text(&json, "application/json", "assignment.json");
                })
            };
            html! {
                <div class="ma-out" id="ma-out">
                    <div class="ma-row">
                        <button type="button" id="ma-download" onclick={ondownload}>{ "Download assignment.json" }</button>
                        <a id="ma-open" href={link.clone()} target="_blank" rel="noopener">{ "Open as a student ↗" }</a>
                    </div>
                    <label>{ "Student link (the assignment travels in it)" }
                        <input id="ma-link" readonly=true value={link.clone()} /></label>
                    <p class="help">{ "Or put assignment.json on your course site and give students ?assignment=<its URL>. Students add &student=<id>, or type it." }</p>
                    <label>{ "assignment.json" }<textarea id="ma-json" readonly=true value={json.clone()} /></label>
                </div>
            }
        }
    }
}

/// One step's editor.
fn step_editor(i: usize, s: &StepDraft, edit: &Edit) -> Html {
    let on = |f: fn(&mut StepDraft)| {
        let edit = edit.clone();
        Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| f(&mut d.steps[i]))))
    };
    let step = |f: fn(&mut StepDraft, String)| move |d: &mut Draft, v: String| f(&mut d.steps[i], v);
    let check = |id: String, label: &str, value: bool, f: fn(&mut StepDraft, bool)| {
        let edit = edit.clone();
        let onchange = Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            edit.emit(Rc::new(move |d: &mut Draft| f(&mut d.steps[i], on)))
        });
        html! { <label class="option"><input type="checkbox" id={id} checked={value} {onchange} />{ label.to_string() }</label> }
    };
    let remove = { let edit = edit.clone(); Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| { d.steps.remove(i); }))) };
    let dishes = s.experiment.tasks.len();
    html! {
        <div class="ma-step" data-step={i.to_string()}>
            <h3>{ format!("Step {}: {dishes} dish{}", i + 1, if dishes == 1 { "" } else { "es" }) }</h3>
            <div class="ma-row">
                <label>{ "Id" }{ text_input(&format!("ma-step-id-{i}"), &s.id, edit.clone(), step(|s, v| s.id = v)) }</label>
                <label>{ "Title" }{ text_input(&format!("ma-step-title-{i}"), &s.title, edit.clone(), step(|s, v| s.title = v)) }</label>
            </div>
            <label>{ "Instructions (Markdown)" }{ text_area(&format!("ma-step-instructions-{i}"), &s.instructions, edit.clone(), step(|s, v| s.instructions = v)) }</label>
            <div class="ma-row">
                <span>{ "Locked:" }</span>
                { check(format!("ma-lock-dishes-{i}"), "dishes", s.lock_dishes, |s, on| s.lock_dishes = on) }
                { check(format!("ma-lock-model-{i}"), "model", s.lock_model, |s, on| s.lock_model = on) }
                { check(format!("ma-lock-chefs-{i}"), "chefs", s.lock_chefs, |s, on| s.lock_chefs = on) }
            </div>
            <h4>{ "Runs" }</h4>
            { for s.runs.iter().enumerate().map(|(r, run)| run_editor(i, r, run, edit)) }
            <h4>{ "Variants (drawn per student)" }</h4>
            { for s.variants.iter().enumerate().map(|(v, variant)| variant_editor(i, v, variant, edit)) }
            <h4>{ "Questions" }</h4>
            { for s.questions.iter().enumerate().map(|(q, _)| question_editor(i, q, s, edit)) }
            <div class="ma-row">
                <button type="button" class="ma-add-run" onclick={on(|s| {
                    let id = s.fresh_run_id();
                    s.runs.push(RunDraft { label: id.clone(), id, model: Model::Sequential, chefs: 1, sweep: false });
                })}>{ "Add run" }</button>
                <button type="button" class="ma-add-variant" onclick={on(|s| s.variants.push(VariantDraft { param: "simmer_ms".into(), min: 150.0, max: 250.0, step: 10.0 }))}>{ "Add variant" }</button>
                { for Kind::ALL.iter().map(|&k| {
                    let edit = edit.clone();
                    let onclick = Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| d.steps[i].add_question(k))));
                    html! { <button type="button" class={format!("ma-add-{}", k.name())} {onclick}>{ format!("Add {} question", k.name()) }</button> }
                }) }
                <button type="button" class="danger" onclick={remove}>{ "Remove step" }</button>
            </div>
        </div>
    }
}

fn run_editor(i: usize, r: usize, run: &RunDraft, edit: &Edit) -> Html {
    let set = |f: fn(&mut RunDraft, String)| move |d: &mut Draft, v: String| f(&mut d.steps[i].runs[r], v);
    let models: Vec<(String, String)> = Model::ALL.iter().map(|m| (m.name().to_string(), m.name().to_string())).collect();
    let remove = { let edit = edit.clone(); Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| { d.steps[i].runs.remove(r); }))) };
    let onsweep = {
        let edit = edit.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            edit.emit(Rc::new(move |d: &mut Draft| d.steps[i].runs[r].sweep = on))
        })
    };
    html! {
        <div class="ma-row ma-item ma-run">
            <label>{ "Id" }{ text_input(&format!("ma-run-id-{i}-{r}"), &run.id, edit.clone(), set(|x, v| x.id = v)) }</label>
            <label>{ "Label" }{ text_input(&format!("ma-run-label-{i}-{r}"), &run.label, edit.clone(), set(|x, v| x.label = v)) }</label>
            <label>{ "Model" }{ select(&format!("ma-run-model-{i}-{r}"), run.model.name(), &models, edit.clone(),
                set(|x, v| if let Ok(m) = v.parse() { x.model = m })) }</label>
            <label>{ "Chefs" }{ number_input(&format!("ma-run-chefs-{i}-{r}"), run.chefs as f64, edit.clone(),
                move |d, v| d.steps[i].runs[r].chefs = v.max(1.0) as usize) }</label>
            <label class="option"><input type="checkbox" checked={run.sweep} onchange={onsweep} />{ "sweep 1…2×cores" }</label>
            <button type="button" class="danger" onclick={remove}>{ "✕" }</button>
        </div>
    }
}

fn variant_editor(i: usize, v: usize, variant: &VariantDraft, edit: &Edit) -> Html {
    let params: Vec<(String, String)> = PARAMS.iter().map(|(p, l)| (p.to_string(), l.to_string())).collect();
    let remove = { let edit = edit.clone(); Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| { d.steps[i].variants.remove(v); }))) };
    html! {
        <div class="ma-row ma-item ma-variant">
            <label>{ "Parameter" }{ select(&format!("ma-var-param-{i}-{v}"), &variant.param, &params, edit.clone(),
                move |d, p| d.steps[i].variants[v].param = p) }</label>
            <label>{ "Min" }{ number_input(&format!("ma-var-min-{i}-{v}"), variant.min, edit.clone(), move |d, x| d.steps[i].variants[v].min = x) }</label>
            <label>{ "Max" }{ number_input(&format!("ma-var-max-{i}-{v}"), variant.max, edit.clone(), move |d, x| d.steps[i].variants[v].max = x) }</label>
            <label>{ "Step" }{ number_input(&format!("ma-var-step-{i}-{v}"), variant.step, edit.clone(), move |d, x| d.steps[i].variants[v].step = x) }</label>
            <button type="button" class="danger" onclick={remove}>{ "✕" }</button>
        </div>
    }
}

fn question_editor(i: usize, q: usize, s: &StepDraft, edit: &Edit) -> Html {
    let question = &s.questions[q];
    let runs: Vec<(String, String)> = s.runs.iter().map(|r| (r.id.clone(), r.label.clone())).collect();
    let set = |f: fn(&mut super::draft::QuestionDraft, String)| move |d: &mut Draft, v: String| f(&mut d.steps[i].questions[q], v);
    let remove = { let edit = edit.clone(); Callback::from(move |_| edit.emit(Rc::new(move |d: &mut Draft| { d.steps[i].questions.remove(q); }))) };
    let id = |what: &str| format!("ma-q-{what}-{i}-{q}");
    let kind_fields = match question.kind {
        Kind::Numeric => {
            let quantities: Vec<(String, String)> = QuantityKind::ALL.iter().map(|k| (k.name().to_string(), k.label().to_string())).collect();
            let against = vec![("measured".to_string(), "the student's measurement".to_string()), ("computed".to_string(), "the engine's computed value".to_string())];
            html! {
                <>
                    <label>{ "Asks for" }{ select(&id("quantity"), question.quantity.name(), &quantities, edit.clone(),
                        set(|x, v| if let Some(k) = QuantityKind::ALL.into_iter().find(|k| k.name() == v) { x.quantity = k })) }</label>
                    <label>{ "of run" }{ select(&id("run"), &question.run, &runs, edit.clone(), set(|x, v| x.run = v)) }</label>
                    if question.quantity == QuantityKind::Speedup {
                        <label>{ "over" }{ select(&id("baseline"), &question.baseline, &runs, edit.clone(), set(|x, v| x.baseline = v)) }</label>
                    }
                    <label>{ "graded against" }{ select(&id("against"), if question.against_computed { "computed" } else { "measured" }, &against, edit.clone(),
                        set(|x, v| x.against_computed = v == "computed")) }</label>
                    <label>{ "tolerance (0.25 = ±25 %)" }{ number_input(&id("tolerance"), question.tolerance, edit.clone(),
                        move |d, x| d.steps[i].questions[q].tolerance = x) }</label>
                </>
            }
        }
        Kind::Choice => {
            let correct = vec![("fastest".to_string(), "the fastest run".to_string()), ("slowest".to_string(), "the slowest run".to_string())];
            html! {
                <>
                    <span class="help">{ format!("Options: every run ({})", runs.iter().map(|r| r.1.as_str()).collect::<Vec<_>>().join(", ")) }</span>
                    <label>{ "Right answer" }{ select(&id("correct"), if question.slowest { "slowest" } else { "fastest" }, &correct, edit.clone(),
                        set(|x, v| x.slowest = v == "slowest")) }</label>
                </>
            }
        }
        Kind::Ordering => html! { <span class="help">{ "Orders every run of the step, fastest first (graded against what was measured)." }</span> },
        Kind::Explanation => html! { <span class="help">{ "Free text, not graded automatically: collected for you." }</span> },
    };
    html! {
        <div class="ma-item ma-question" data-kind={question.kind.name()}>
            <div class="ma-row">
                <strong>{ question.kind.name() }</strong>
                <label>{ "Id" }{ text_input(&id("id"), &question.id, edit.clone(), set(|x, v| x.id = v)) }</label>
                if question.kind != Kind::Explanation {
                    <label>{ "Points" }{ number_input(&id("points"), question.points, edit.clone(), move |d, x| d.steps[i].questions[q].points = x) }</label>
                }
                <button type="button" class="danger" onclick={remove}>{ "✕" }</button>
            </div>
            <label>{ "Question" }{ text_input(&id("prompt"), &question.prompt, edit.clone(), set(|x, v| x.prompt = v)) }</label>
            <div class="ma-row">{ kind_fields }</div>
            if question.kind != Kind::Explanation {
                <div class="ma-row">
                    <label>{ "Feedback when right" }{ text_input(&id("right"), &question.feedback_right, edit.clone(), set(|x, v| x.feedback_right = v)) }</label>
                    <label>{ "when wrong" }{ text_input(&id("wrong"), &question.feedback_wrong, edit.clone(), set(|x, v| x.feedback_wrong = v)) }</label>
                </div>
            }
        </div>
    }
}

fn text_input(id: &str, value: &str, edit: Edit, f: impl Fn(&mut Draft, String) + Clone + 'static) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlInputElement>().value();
        let f = f.clone();
        edit.emit(Rc::new(move |d: &mut Draft| f(d, v.clone())))
    });
    html! { <input type="text" id={id.to_string()} value={value.to_string()} {onchange} /> }
}

fn text_area(id: &str, value: &str, edit: Edit, f: impl Fn(&mut Draft, String) + Clone + 'static) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlTextAreaElement>().value();
        let f = f.clone();
        edit.emit(Rc::new(move |d: &mut Draft| f(d, v.clone())))
    });
    html! { <textarea id={id.to_string()} value={value.to_string()} rows="2" {onchange} /> }
}

fn number_input(id: &str, value: f64, edit: Edit, f: impl Fn(&mut Draft, f64) + Clone + 'static) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let Ok(v) = e.target_unchecked_into::<HtmlInputElement>().value().trim().parse::<f64>() else { return };
        if !v.is_finite() {
            return;
        }
        let f = f.clone();
        edit.emit(Rc::new(move |d: &mut Draft| f(d, v)))
    });
    html! { <input type="number" step="any" id={id.to_string()} value={value.to_string()} {onchange} /> }
}

fn select(id: &str, value: &str, options: &[(String, String)], edit: Edit, f: impl Fn(&mut Draft, String) + Clone + 'static) -> Html {
    let onchange = Callback::from(move |e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        let f = f.clone();
        edit.emit(Rc::new(move |d: &mut Draft| f(d, v.clone())))
    });
    html! {
        <select id={id.to_string()} {onchange}>
            { for options.iter().map(|(v, l)| html! { <option value={v.clone()} selected={v == value}>{ l.clone() }</option> }) }
        </select>
    }
}
