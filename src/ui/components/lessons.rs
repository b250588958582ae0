//! "Claims you can check": the twelve lessons, each with a button that runs it on this machine
//! and the verdict the engine computed from what was measured.

use yew::prelude::*;

use super::progress::RunProgress;
use crate::engine::lessons::{Lesson, Verdict, LESSONS};
use crate::runtime::lessons::{self as runner, LessonResult, Step};
use crate::runtime::run;
use crate::ui::state::{Action, LessonStatus, Store, use_store};

/// The section: an intro and one entry per lesson.
#[function_component(Lessons)]
pub fn lessons() -> Html {
    html! {
        <section class="lessons" aria-labelledby="lessons-title">
            <h2 id="lessons-title">{ "Claims you can check" }</h2>
            <p class="help">
                { "Each lesson cooks real dishes on this machine and reads the measured times; the verdict is computed \
                   from them, so it may differ from one machine to another. Timing claims need a quiet machine: close \
                   other busy programs first." }
            </p>
            <ol class="lesson-list">
                { for (0..LESSONS.len()).map(|index| html! { <LessonItem key={index} {index} /> }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct ItemProps {
    /// Position in [`LESSONS`] (a `Lesson` holds function pointers, which cannot be compared).
    index: usize,
}

/// One lesson: title, claim, Run and Load buttons, progress or verdict.
#[function_component(LessonItem)]
fn lesson_item(props: &ItemProps) -> Html {
    let state = use_store();
    let lesson = &LESSONS[props.index];
    let status = state.lessons.get(lesson.id).cloned();
    // Planned by the reducer once the machine is known, so a lesson this page cannot run says
    // why before it is run.
    let plan = state.lesson_plans.get(props.index);
    let cannot = plan.and_then(|p| p.as_ref().err());
    let caveat = state.lesson_caveats.get(props.index).cloned().flatten();
    let first_dishes = plan.and_then(|p| p.as_ref().ok()).and_then(|specs| specs.first().cloned());
    let busy = state.running() || state.env.is_none();
    let onrun = {
        let state = state.clone();
        let id = lesson.id;
        Callback::from(move |_| start(state.clone(), id))
    };
    let onload = first_dishes.map(|spec| state.dispatcher().to_callback().reform(move |_| Action::LoadExperiment(spec.experiment.clone())));
    // The lesson a permalink names (or the one last run) is open and brought into sight.
    let linked = state.lesson.as_deref() == Some(lesson.id);
    let item = use_node_ref();
    {
        let item = item.clone();
        use_effect_with(linked, move |linked| {
            if let (true, Some(item)) = (*linked, item.cast::<web_sys::Element>()) {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                item.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    html! {
        <li class="lesson" id={format!("lesson-{}", lesson.id)} data-lesson={lesson.id} ref={item}
            data-linked={linked.then_some(AttrValue::Static(""))}>
            <details open={status.is_some() || linked}>
                <summary>
                    <span class="lesson-title">{ format!("{}. {}", lesson.number, lesson.title) }</span>
                    { badge(status.as_ref()) }
                </summary>
                <p class="claim">{ lesson.claim }</p>
                if let Some(why) = &cannot {
                    <p class="help cannot-run">{ format!("Can't run here: {why}") }</p>
                }
                if let Some(note) = caveat {
                    <p class="lesson-caveat" role="note">{ note }</p>
                }
                <div class="row buttons">
                    <button class="run-lesson" onclick={onrun} disabled={busy || cannot.is_some()}
                        aria-label={format!("Run the lesson: {}", lesson.title)}>{ "Run the lesson" }</button>
                    if let Some(onload) = onload {
                        <button class="load-lesson" onclick={onload} disabled={busy}
                            aria-label={format!("Load the dishes of the lesson {} into the composer", lesson.title)}>
                            { "Load its dishes" }
                        </button>
                    }
                </div>
                <div class="lesson-outcome" aria-live="polite">{ outcome(lesson, status.as_ref()) }</div>
            </details>
        </li>
    }
}

/// Runs lesson `id`, reporting each step and the outcome to the store.
fn start(state: Store, id: &'static str) {
    state.dispatch(Action::LessonStarted(id));
    wasm_bindgen_futures::spawn_local(async move {
        let on_step = {
            let state = state.clone();
            move |step: Step| state.dispatch(Action::LessonStep(id, step))
        };
        let result = runner::run_lesson(id, &on_step).await;
        state.dispatch(Action::LessonFinished(id, result));
    });
}

/// A short word beside the title once the lesson has run, so a closed entry still tells.
fn badge(status: Option<&LessonStatus>) -> Html {
    let (class, text) = match status {
        None => return html! {},
        Some(LessonStatus::Running(_)) => ("badge running", "running…"),
        Some(LessonStatus::Done(r)) if r.verdict.reproduced => ("badge reproduced", "reproduced"),
        Some(LessonStatus::Done(_)) => ("badge not-reproduced", "not reproduced"),
        Some(LessonStatus::Failed(_)) => ("badge failed", "no verdict"),
    };
    html! { <span class={class}>{ text }</span> }
}

fn outcome(lesson: &Lesson, status: Option<&LessonStatus>) -> Html {
    match status {
        None => html! {},
        Some(LessonStatus::Running(step)) => running(lesson, step.as_ref()),
        Some(LessonStatus::Done(result)) => verdict(lesson, result),
        Some(LessonStatus::Failed(error)) if error.is_stop() => {
            html! { <p class="lesson-stopped">{ "Stopped before the lesson finished: no verdict." }</p> }
        }
        Some(LessonStatus::Failed(error)) => html! { <p class="error" role="alert">{ error.to_string() }</p> },
    }
}

fn running(lesson: &Lesson, step: Option<&Step>) -> Html {
    let what = step.map_or("Starting…".to_string(), |s| format!("Run {} of {}: {}", s.index + 1, s.total, s.label));
    html! {
        <div class="lesson-running">
            <p class="lesson-step">{ what }</p>
            // The race demo is no kitchen run: dish progress would say nothing about it.
            if !lesson.measures.is_race_demo() { <RunProgress /> }
            <button class="stop-lesson" onclick={Callback::from(|_| { run::stop(); })}>{ "Stop the lesson" }</button>
        </div>
    }
}

/// The verdict: headline, the numbers behind it, the reason when it did not reproduce, where
/// each run's time went (its breakdown), and each run's measured wall time.
fn verdict(lesson: &Lesson, result: &LessonResult) -> Html {
    let Verdict { reproduced, headline, numbers, reason, explained } = &result.verdict;
    let class = if *reproduced { "verdict reproduced" } else { "verdict not-reproduced" };
    html! {
        <div class={class} data-reproduced={reproduced.to_string()}>
            <p class="verdict-headline">{ capitalised(headline) }</p>
            if let Some(reason) = reason {
                <p class="verdict-reason">{ format!("Likely reason: {reason}") }</p>
            }
            <table class="verdict-numbers">
                <caption>
                    { format!("Measured for “{}” (ratios computed from the measured times)", lesson.title) }
                    if numbers.iter().any(|(name, _)| is_computed(name)) {
                        { "; rows marked computed come from the engine's schedule on a virtual clock, not from a run" }
                    }
                </caption>
                <tbody>
                    { for numbers.iter().map(|(name, value)| html! {
                        <tr class={classes!(is_computed(name).then_some("computed"))}>
                            <th scope="row">{ name }</th><td class="num">{ number(*value) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if !explained.is_empty() {
                <p class="lesson-explained-title">{ "Where each run's time went (computed parts, and the overhead: measured − computed):" }</p>
                <ul class="lesson-explained" aria-label="Where each run's time went: computed parts and the measured overhead">
                    { for explained.iter().map(|line| html! { <li>{ line }</li> }) }
                </ul>
            }
            if !result.runs.is_empty() {
                <ul class="lesson-runs" aria-label="Runs, measured wall time">
                    { for result.runs.iter().map(|r| html! {
                        <li>{ format!("{}: {:.1} ms (measured)", r.label, r.wall_ms) }</li>
                    }) }
                </ul>
            }
        </div>
    }
}

/// Whether a verdict's number was computed rather than measured (its name says so).
fn is_computed(name: &str) -> bool {
    name.contains("(computed)")
}

/// "reproduced on your machine: …" → "Reproduced on your machine: …".
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Whole numbers as such (counts), others with sensible precision.
fn number(x: f64) -> String {
    match x {
        x if x.fract() == 0.0 && x.abs() < 1e15 => format!("{x:.0}"),
        x if x.abs() >= 100.0 => format!("{x:.0}"),
        x if x.abs() >= 1.0 => format!("{x:.2}"),
        x => format!("{x:.3}"),
    }
}
