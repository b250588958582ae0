//! The student page's root: loads the assignment (a sentence with the JSON path when it can't),
//! asks for the student id when the address has none, then shows the work
//! ([`super::work::StudentWork`]). The same page in embed mode is compact for a course site.

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::route::{self, Opening, Source};
use super::work::StudentWork;
use crate::engine::homework::Assignment;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub opening: Rc<Opening>,
}

/// Where the assignment is.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Ready(Rc<Assignment>),
    Failed(String),
}

#[function_component(Homework)]
pub fn homework(props: &Props) -> Html {
    let load = use_state(|| Load::Loading);
    let student = use_state(|| props.opening.student.clone());
    {
        let (load, source) = (load.clone(), props.opening.source.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                load.set(match opened(&source).await {
                    Ok(a) => Load::Ready(Rc::new(a)),
                    Err(why) => Load::Failed(why),
                });
            });
        });
    }
    let body = match (&*load, &*student) {
        (Load::Loading, _) => html! { <p class="help" id="assignment-loading">{ "Opening the assignment…" }</p> },
        (Load::Failed(why), _) => html! {
            <div class="hw-problem" id="assignment-error" role="alert">
                <h2>{ "This assignment can't be opened" }</h2>
                <p class="error">{ why.clone() }</p>
                <p class="help">{ "Ask your teacher for a corrected file or link. The kitchen itself still works: " }
                    <a href={playground()}>{ "open the playground" }</a>{ "." }</p>
            </div>
        },
        (Load::Ready(a), None) => html! {
            <>
                <AssignmentTitle title={a.title.clone()} />
                <StudentForm onstart={{ let student = student.clone(); Callback::from(move |id| student.set(Some(id))) }} />
            </>
        },
        (Load::Ready(a), Some(id)) => html! {
            <>
                <AssignmentTitle title={a.title.clone()} />
                <StudentWork assignment={a.clone()} student={AttrValue::from(id.clone())} embed={props.opening.embed} />
            </>
        },
    };
    html! {
        <main class={classes!("homework", props.opening.embed.then_some("hw-embed"))}>
            if !props.opening.embed {
                <p class="hw-brand"><a href={playground()}>{ "Concurrency Kitchen" }</a>{ " · homework" }</p>
            }
            { body }
        </main>
    }
}

/// The assignment the source holds, parsed and validated by the engine.
async fn opened(source: &Source) -> Result<Assignment, String> {
    let text = super::fetch::text(source).await?;
    Assignment::from_json(&text).map_err(|e| e.to_string())
}

#[derive(Properties, PartialEq)]
struct TitleProps {
    title: String,
}

#[function_component(AssignmentTitle)]
fn assignment_title(props: &TitleProps) -> Html {
    html! { <h1 class="hw-title" id="assignment-title">{ props.title.clone() }</h1> }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    onstart: Callback<String>,
}

/// Asks for the student id, and puts it in the address (so a reload opens the same work).
#[function_component(StudentForm)]
fn student_form(props: &FormProps) -> Html {
    let input = use_node_ref();
    let problem = use_state(|| None::<String>);
    let onsubmit = {
        let (input, problem, onstart) = (input.clone(), problem.clone(), props.onstart.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let typed = input.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
            match route::clean_student(&typed) {
                Ok(id) => {
                    remember_student(&id);
                    onstart.emit(id);
                }
                Err(why) => problem.set(Some(why)),
            }
        })
    };
    html! {
        <form class="hw-student" id="student-form" {onsubmit}>
            <label for="student-id">{ "Your student id" }</label>
            <input id="student-id" ref={input} type="text" autocomplete="username" required=true maxlength="100" />
            <button type="submit" class="primary" id="student-start">{ "Start" }</button>
            <p class="help">{ "Your numbers depend on it: everyone gets their own variant of the assignment." }</p>
            if let Some(why) = &*problem { <p class="error" role="alert">{ why.clone() }</p> }
        </form>
    }
}

/// `student=<id>` in the address, without a reload.
fn remember_student(id: &str) {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let query = route::with_student(&location.search().unwrap_or_default(), id);
    let url = format!("{}{query}{}", location.pathname().unwrap_or_default(), location.hash().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// The playground: this page's address without query or fragment.
fn playground() -> String {
    crate::ui::permalink::playground_base()
}
