//! The student's work on an assignment: who and which variant, the assignment's instructions,
//! each step ([`super::step::StepView`]), and "Hand in" (`submission.json`). The work is kept
//! in local storage after every change and restored on reload.

use std::rc::Rc;

use yew::prelude::*;

use super::markdown_view::Markdown;
use super::state::{Work, WorkAction};
use super::step::StepView;
use super::storage::{self, Loaded};
use crate::engine::homework::{Assignment, Environment, Submission, SubmissionTag};
use crate::runtime::env;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub assignment: Rc<Assignment>,
    pub student: AttrValue,
    pub embed: bool,
}

#[function_component(StudentWork)]
pub fn student_work(props: &Props) -> Html {
    let work = {
        let (assignment, student) = (props.assignment.clone(), props.student.to_string());
        use_reducer(move || {
            let key = storage::key(&assignment.digest(), &student);
            let (kept, notice) = match storage::load(&key) {
                Loaded::Fresh => (None, None),
                Loaded::Restored(kept) => (Some(kept), None),
                Loaded::Unreadable(why) => (
                    None,
                    Some(format!("The work this browser kept for you could not be read ({why}); it was set aside and you start afresh.")),
                ),
            };
            Work::new(assignment, student, kept, notice)
        })
    };
    {
        let work = work.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { work.dispatch(WorkAction::EnvProbed(env::probe_for_page().await)) });
        });
    }
    {
        // Kept after every change of the work (not on progress or status changes).
        let work = work.clone();
        use_effect_with(work.revision, move |revision| {
            if *revision > 0 {
                if let Err(why) = storage::save(&storage::key(&work.digest, &work.student), &work.kept()) {
                    work.dispatch(WorkAction::SaveFailed(why));
                }
            }
        });
    }
    let busy = work.running();
    let steps = work.assignment.steps.iter().enumerate().map(|(i, step)| {
        html! { <StepView index={i} step={Rc::new(step.clone())} state={work.steps[i].clone()} {busy} work={work.clone()} /> }
    });
    html! {
        <>
            <p class="hw-who" id="hw-who">
                <span>{ "Student " }<strong id="hw-student">{ work.student.clone() }</strong></span>
                <span>{ "your variant " }<code id="hw-seed">{ work.seed.to_string() }</code></span>
                <span>{ format!("{} step{}", work.steps.len(), if work.steps.len() == 1 { "" } else { "s" }) }</span>
            </p>
            if let Some(notice) = &work.notice { <p class="hw-notice warning" id="hw-notice" role="status">{ notice.clone() }</p> }
            if !work.assignment.instructions.trim().is_empty() {
                <Markdown class={classes!("hw-intro")} text={AttrValue::from(work.assignment.instructions.clone())} />
            }
            { for steps }
            <HandIn work={work.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct HandInProps {
    work: UseReducerHandle<Work>,
}

/// "Hand in": what is done so far, and the download.
#[function_component(HandIn)]
fn hand_in(props: &HandInProps) -> Html {
    let work = &props.work;
    let ran = work.steps.iter().filter(|s| s.all_ran()).count();
    let questions: usize = work.assignment.steps.iter().map(|s| s.questions.len()).sum();
    let answered: usize = work.steps.iter().map(|s| s.kept.work.answers.len()).sum();
    let status = use_state(|| None::<Result<String, String>>);
    let onclick = {
        let (work, status) = (work.clone(), status.clone());
        Callback::from(move |_| status.set(Some(download(&work))))
    };
    html! {
        <section class="hw-handin" id="hand-in-section">
            <button type="button" class="primary" id="hand-in" disabled={work.env.is_none() || work.running()} {onclick}>{ "Hand in" }</button>
            <p class="help" id="hw-done">{ format!("{ran} of {} step{} run · {answered} of {questions} question{} answered",
                work.steps.len(), if work.steps.len() == 1 { "" } else { "s" }, if questions == 1 { "" } else { "s" }) }</p>
            {
                match &*status {
                    Some(Ok(name)) => html! { <p class="help" role="status">{ format!("Downloaded {name}: send this file to your teacher.") }</p> },
                    Some(Err(why)) => html! { <p class="error" role="alert">{ why.clone() }</p> },
                    None => html! {},
                }
            }
        </section>
    }
}

/// `submission.json`, downloaded; its name, or why it could not be.
fn download(work: &Work) -> Result<String, String> {
    let submission = submission(work)?;
    let json = serde_json::to_string_pretty(&submission).map_err(|e| e.to_string())?;
    let name = "submission.json".to_string();
    crate::ui::components::timeline::save::download_text(&json, "application/json", &name).map_err(|e| format!("{e:?}"))?;
    Ok(name)
}

/// What is handed in: the work with the environment it was measured in.
fn submission(work: &Work) -> Result<Submission, String> {
    let env = work.env.as_ref().ok_or("the page is still starting")?;
    let browser = web_sys::window().and_then(|w| w.navigator().user_agent().ok()).unwrap_or_default();
    Ok(Submission {
        version: 1,
        kind: SubmissionTag::Submission,
        assignment_digest: work.digest.clone(),
        assignment_title: work.assignment.title.clone(),
        student: work.student.clone(),
        seed: work.seed,
        environment: Environment {
            browser,
            cores: env.hardware_concurrency,
            backend: env.backend.name().to_string(),
            app_version: env!("CARGO_PKG_VERSION").to_string(),
        },
        handed_in_at: Some(js_sys::Date::now()),
        steps: work.steps.iter().map(|s| s.kept.work.clone()).collect(),
    })
}
