//! A step's questions: predictions (numeric, choice, ordering) asked before the runs and locked
//! once they start, explanations asked after; each with its check once the runs are done.

use yew::prelude::*;

use web_sys::{HtmlInputElement, HtmlTextAreaElement};

use super::state::WorkAction;
use crate::engine::homework::{Answer, AnswerValue, Checked, Question, QuestionKind, Verdict};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub step: usize,
    pub question: Question,
    pub answer: Option<Answer>,
    /// The run labels by run id (for choices and orderings).
    pub labels: Vec<(String, String)>,
    /// The prediction can no longer change.
    pub locked: bool,
    /// Explanations: the step's runs are done, so the question is open.
    pub open: bool,
    pub onanswer: Callback<WorkAction>,
}

/// One question with its input.
#[function_component(QuestionView)]
pub fn question_view(props: &Props) -> Html {
    let q = &props.question;
    let id = format!("q-{}-{}", props.step, q.id);
    let disabled = if q.kind.is_prediction() { props.locked } else { !props.open };
    let (step, question) = (props.step, q.id.clone());
    let emit = {
        let onanswer = props.onanswer.clone();
        Callback::from(move |value: AnswerValue| onanswer.emit(WorkAction::Answer { step, question: question.clone(), value }))
    };
    let input = match &q.kind {
        QuestionKind::Numeric => numeric(&id, props.answer.as_ref(), disabled, emit),
        QuestionKind::Choice => {
            let options = &q.options;
            let chosen = match props.answer.as_ref().map(|a| &a.value) {
                Some(AnswerValue::Text(t)) => Some(t.clone()),
                _ => None,
            };
            let items = options.iter().map(|o| {
                let run = o.run.clone();
                let onchange = emit.reform(move |_| AnswerValue::Text(run.clone()));
                html! {
                    <label class="option">
                        <input type="radio" name={id.clone()} value={o.run.clone()} checked={chosen.as_deref() == Some(o.run.as_str())}
                            {disabled} {onchange} />
                        { o.label.clone() }
                    </label>
                }
            });
            html! { <div role="radiogroup" id={id.clone()}>{ for items }</div> }
        }
        QuestionKind::Ordering => ordering(&id, &q.runs, props.answer.as_ref(), &props.labels, disabled, emit),
        QuestionKind::Explanation => {
            let text = match props.answer.as_ref().map(|a| &a.value) {
                Some(AnswerValue::Text(t)) => t.clone(),
                _ => String::new(),
            };
            let oninput = emit.reform(|e: InputEvent| AnswerValue::Text(e.target_unchecked_into::<HtmlTextAreaElement>().value()));
            html! { <textarea id={id.clone()} value={text} {disabled} {oninput} maxlength="10000"
                placeholder={if disabled { "Answer once the runs are done." } else { "" }} /> }
        }
    };
    let points = if q.points > 0.0 { format!("{} point{}", q.points, if q.points == 1.0 { "" } else { "s" }) } else { "not graded".into() };
    html! {
        <div class={classes!("hw-question", disabled.then_some("locked"))} data-question={q.id.clone()}>
            <p class="prompt"><label for={id.clone()}>{ q.prompt.clone() }</label><span class="points">{ points }</span></p>
            { input }
            { when(props) }
        </div>
    }
}

/// "Locked" or "answered at …" under a prediction.
fn when(props: &Props) -> Html {
    if !props.question.kind.is_prediction() {
        return html! {};
    }
    match (&props.answer, props.locked) {
        (Some(_), true) => html! { <p class="hw-when">{ "Locked: you predicted before running." }</p> },
        (None, true) => html! { <p class="hw-when warning">{ "Locked: not answered before the runs started." }</p> },
        (_, false) => html! {},
    }
}

fn numeric(id: &str, answer: Option<&Answer>, disabled: bool, emit: Callback<AnswerValue>) -> Html {
    let value = match answer.map(|a| &a.value) {
        Some(AnswerValue::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let onchange = Callback::from(move |e: Event| {
        let text = e.target_unchecked_into::<HtmlInputElement>().value();
        if let Ok(n) = text.trim().parse::<f64>() {
            if n.is_finite() {
                emit.emit(AnswerValue::Number(n));
            }
        }
    });
    html! { <input type="number" id={id.to_string()} step="any" {value} {disabled} {onchange} inputmode="decimal" /> }
}

/// Runs in an order the student sets with ↑/↓; answered once moved or confirmed.
fn ordering(id: &str, runs: &[String], answer: Option<&Answer>, labels: &[(String, String)], disabled: bool, emit: Callback<AnswerValue>) -> Html {
    let order: Vec<String> = match answer.map(|a| &a.value) {
        Some(AnswerValue::List(list)) => list.clone(),
        _ => runs.to_vec(),
    };
    let label = |run: &str| labels.iter().find(|(id, _)| id == run).map_or(run.to_string(), |(_, l)| l.clone());
    let n = order.len();
    let items = order.iter().enumerate().map(|(i, run)| {
        let swap = |j: usize| {
            let (order, emit) = (order.clone(), emit.clone());
            Callback::from(move |_| {
                let mut order = order.clone();
                order.swap(i, j);
                emit.emit(AnswerValue::List(order));
            })
        };
        html! {
            <li data-run={run.clone()}>
                <span>{ label(run) }</span>
                <button type="button" class="up" aria-label={format!("Move {} up", label(run))} disabled={disabled || i == 0}
                    onclick={swap(i.saturating_sub(1))}>{ "↑" }</button>
                <button type="button" class="down" aria-label={format!("Move {} down", label(run))} disabled={disabled || i + 1 == n}
                    onclick={swap((i + 1).min(n - 1))}>{ "↓" }</button>
            </li>
        }
    });
    let confirm = {
        let (order, emit) = (order.clone(), emit.clone());
        Callback::from(move |_| emit.emit(AnswerValue::List(order.clone())))
    };
    html! {
        <>
            <ol class="order" id={id.to_string()}>{ for items }</ol>
            if answer.is_none() && !disabled {
                <button type="button" class="keep-order" onclick={confirm}>{ "This is my order" }</button>
            }
        </>
    }
}

/// A question's check, once it can be checked; `labels` (run id → label) name an ordering's runs
/// as the student saw them.
pub fn check_view(question: &Question, checked: &Checked, labels: &[(String, String)]) -> Html {
    let expected = checked.expected.as_ref().map(|e| match question.kind {
        // The engine words an order with run ids ("juggling < one-chef").
        QuestionKind::Ordering => e
            .split(" < ")
            .map(|id| labels.iter().find(|(run, _)| run == id).map_or(id, |(_, label)| label.as_str()))
            .collect::<Vec<_>>()
            .join(" < "),
        _ => e.clone(),
    });
    let (class, word) = match &checked.verdict {
        Verdict::Right => ("right", "Right"),
        Verdict::Wrong => ("wrong", "Not quite"),
        Verdict::Unanswered => ("wrong", "Not answered"),
        Verdict::PredictedAfterRunning => ("wrong", "Predicted after running"),
        Verdict::NotGraded => ("", "Collected for your teacher"),
        Verdict::Flagged(_) | Verdict::CannotCheck(_) => ("", "Can't check"),
    };
    let reason = match &checked.verdict {
        Verdict::CannotCheck(_) | Verdict::Flagged(_) => Some(checked.verdict.describe()),
        _ => None,
    };
    html! {
        <li class={classes!("hw-check", class)} data-question={question.id.clone()} data-verdict={class} data-points={checked.points.to_string()}>
            <span class="hw-verdict">{ word }</span>
            { format!("{} — {} of {} point{}", question.prompt, checked.points, checked.max_points, if checked.max_points == 1.0 { "" } else { "s" }) }
            if let Some(expected) = expected { <div class="help">{ format!("Measured: {expected}") }</div> }
            if !checked.feedback.is_empty() { <div>{ checked.feedback.clone() }</div> }
            if let Some(why) = reason { <div class="help">{ why }</div> }
        </li>
    }
}
