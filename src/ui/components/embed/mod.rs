//! Embed mode (`?embed` on the same page, README "Embedding"): a compact kitchen for a docs
//! column 480–800 px wide — the dishes as a summary (editable only with `edit`), model and
//! chefs, Run and Stop, the views the options allow (the timeline by default), and "Open in the
//! playground" carrying the state. It uses the playground's store, reducer and components; the
//! parent page may drive it by postMessage ([`parent`]).

mod controls;
mod parent;
pub(crate) mod summary;

use std::rc::Rc;

use yew::prelude::*;

use super::compare::Compare;
use super::lessons::Lessons;
use super::results::Results;
use super::share::LinkNotice;
use super::sweep::Sweep;
use crate::engine::share::embed::{EmbedOptions, Theme};
use crate::engine::share::View;
use crate::runtime::env;
use crate::ui::app::{compare_models, start_run, sweep_widths};
use crate::ui::permalink;
use crate::ui::state::{Action, AppState, Store};

/// The embed's options, read from the query string at mount.
#[derive(Properties, PartialEq)]
pub struct Props {
    pub options: Rc<EmbedOptions>,
    /// The parts of the query that were ignored, and why.
    pub warnings: Rc<Vec<String>>,
}

#[function_component(Embed)]
pub fn embed(props: &Props) -> Html {
    let state = use_reducer(AppState::default);
    let options = props.options.clone();
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move { state.dispatch(Action::EnvProbed(env::probe_for_page().await)) });
        });
    }
    permalink::use_permalink(&state);
    use_theme(options.theme);
    use_allowed_model(&state, &options);
    parent::use_parent(&state);
    use_autorun(&state, &options);
    let tab = use_state(|| options.views.first().copied().unwrap_or_default());
    use_follow_view(&state, &options, &tab);
    html! {
        <ContextProvider<Store> context={state.clone()}>
            <main class="embed" data-readonly={options.readonly.to_string()}>
                <LinkNotice />
                if !props.warnings.is_empty() {
                    <ul class="help embed-warnings" id="embed-warnings">
                        { for props.warnings.iter().map(|w| html! { <li>{ w }</li> }) }
                    </ul>
                }
                <summary::Summary edit={options.edit && !options.readonly} />
                <controls::EmbedControls options={options.clone()} />
                { tabs(&options, &tab) }
                { view(&state, &options, *tab) }
                { footer(&state) }
            </main>
        </ContextProvider<Store>>
    }
}

/// The tab follows the store's view once it changes (a link opened, a run or batch started),
/// when the options offer that view; at first the tab is the options' first view.
#[hook]
fn use_follow_view(state: &Store, options: &EmbedOptions, tab: &UseStateHandle<View>) {
    let first = use_mut_ref(|| true);
    let (tab, views) = (tab.clone(), options.views.clone());
    use_effect_with(state.view, move |view| {
        if !std::mem::replace(&mut *first.borrow_mut(), false) && views.contains(view) {
            tab.set(*view);
        }
    });
}

/// One tab per view when there are several.
fn tabs(options: &EmbedOptions, tab: &UseStateHandle<View>) -> Html {
    if options.views.len() < 2 {
        return html! {};
    }
    let label = |v: View| match v {
        View::Results => "Timeline",
        View::Compare => "All models",
        View::Sweep => "Sweep chefs",
        View::Lessons => "Lessons",
    };
    html! {
        <div class="embed-tabs" role="tablist" aria-label="Views">
            { for options.views.iter().map(|&v| {
                let onclick = { let tab = tab.clone(); Callback::from(move |_| tab.set(v)) };
                html! {
                    <button type="button" role="tab" id={format!("tab-{}", v.name())} aria-selected={(**tab == v).to_string()}
                        {onclick}>{ label(v) }</button>
                }
            }) }
        </div>
    }
}

fn view(state: &Store, options: &EmbedOptions, tab: View) -> Html {
    match tab {
        View::Results => html! {
            <Results status={state.run.clone()} experiment={Rc::new(state.experiment.clone())}
                analysis={state.analysis().cloned()} breakdown={state.breakdown.clone()}
                cores={state.env.as_ref().map_or(1, |e| e.hardware_concurrency)} compact=true />
        },
        View::Compare => {
            // The button compares the models this embed offers, and says which.
            let models = options.models.clone();
            let only = Some(models.clone());
            let onrun = { let state = state.clone(); Callback::from(move |_| compare_models(state.clone(), &models)) };
            html! { <Compare {onrun} {only} /> }
        }
        View::Sweep => {
            let onrun = { let state = state.clone(); Callback::from(move |_| sweep_widths(state.clone())) };
            html! { <Sweep {onrun} /> }
        }
        View::Lessons => html! { <Lessons /> },
    }
}

/// "Open in the playground", with the state; the link follows every change.
fn footer(state: &Store) -> Html {
    let href = permalink::playground_url(&state.link_state());
    html! {
        <footer class="embed-footer">
            <a id="open-playground" {href} target="_blank" rel="noopener">{ "Open in the playground ↗" }</a>
            <span class="help">{ "Concurrency Kitchen: measured in your browser" }</span>
        </footer>
    }
}

/// `theme=light` or `dark` fixes the colours (`auto` leaves them to the system).
#[hook]
fn use_theme(theme: Theme) {
    use_effect_with(theme, |theme| {
        let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
        if let Some(root) = root {
            let _ = match theme {
                Theme::Auto => root.remove_attribute("data-theme"),
                other => root.set_attribute("data-theme", other.name()),
            };
        }
    });
}

/// Only the models the options allow: the link's or default model is replaced by the first
/// allowed one once the page knows its chefs. (A parent page's `load` may set any model.)
#[hook]
fn use_allowed_model(state: &Store, options: &EmbedOptions) {
    let allowed = options.allowed_model(state.experiment.model);
    let ready = state.env.is_some();
    let dispatcher = state.dispatcher();
    use_effect_with(ready, move |ready| {
        if *ready {
            dispatcher.dispatch(Action::SetModel(allowed));
        }
    });
}

/// `autorun`: one run as soon as the page can cook (the dishes checked, the model one the
/// options allow), unless the reader prefers reduced motion: a kitchen that starts moving on
/// its own is what that setting asks to avoid.
#[hook]
fn use_autorun(state: &Store, options: &EmbedOptions) {
    let ready = state.env.is_some()
        && state.checked.as_ref().is_some_and(|c| c.is_ok())
        && options.models.contains(&state.experiment.model);
    let autorun = options.autorun;
    let done = use_mut_ref(|| false);
    let state = state.clone();
    use_effect_with(ready, move |ready| {
        if *ready && autorun && !*done.borrow() && !super::timeline::prefers_reduced_motion() {
            *done.borrow_mut() = true;
            start_run(state.clone(), state.experiment.clone());
        }
    });
}
