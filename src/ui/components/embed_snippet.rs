//! "Embed": the snippet generator. The embed's options (views, models, autorun, read-only,
//! editable dishes, theme, height) as a form; the `<iframe>` for this kitchen as it is now,
//! ready to paste, with the optional resize script and where the HTML goes in mdBook, MkDocs,
//! Docusaurus and Sphinx. The HTML itself comes from `engine::share::snippet`.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::engine::presets;
use crate::engine::share::embed::{EmbedOptions, Theme};
use crate::engine::share::{link, snippet, View};
use crate::engine::Model;
use crate::ui::permalink;
use crate::ui::state::use_store;

/// The Embed button and, open, its panel.
#[function_component(EmbedSnippet)]
pub fn embed_snippet() -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <>
            <button type="button" id="embed-toggle" onclick={ontoggle} aria-expanded={open.to_string()} aria-controls="embed-panel">
                { if *open { "Hide embed" } else { "Embed…" } }
            </button>
            if *open { <Panel /> }
        </>
    }
}

#[function_component(Panel)]
fn panel() -> Html {
    let state = use_store();
    let options = use_state(EmbedOptions::default);
    let height = use_state(|| None::<u32>);
    let copied = use_state(|| None::<Result<(), String>>);
    let title = match state.preset.and_then(presets::find) {
        Some(p) => format!("Concurrency Kitchen: {}", p.title),
        None => format!("Concurrency Kitchen: {} dishes", state.experiment.tasks.len()),
    };
    let src = snippet::embed_url(&permalink::playground_base(), &options, &link::encode(&state.link_state()));
    let h = height.unwrap_or_else(|| snippet::default_height(&options));
    let html_text = snippet::iframe(&src, &title, h);
    let oncopy = {
        let (text, copied) = (html_text.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, copied) = (text.clone(), copied.clone());
            wasm_bindgen_futures::spawn_local(async move { copied.set(Some(permalink::copy_to_clipboard(&text).await)) });
        })
    };
    let select_all = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlTextAreaElement>().select());
    html! {
        <div id="embed-panel" class="embed-panel">
            <fieldset class="embed-options">
                <legend>{ "What the embedded kitchen offers" }</legend>
                { choices("Views", "view", &View::ALL.map(|v| (v.name(), options.views.contains(&v))), {
                    let options = options.clone();
                    move |name, on| edit(&options, |o| toggle(&mut o.views, View::named(name), on))
                }) }
                { choices("Models", "model", &Model::ALL.map(|m| (m.name(), options.models.contains(&m))), {
                    let options = options.clone();
                    move |name, on| edit(&options, |o| toggle(&mut o.models, name.parse().ok(), on))
                }) }
                <div class="row">
                    { flag("embed-autorun", "Run on load (not under reduced motion)", options.autorun, { let o = options.clone(); move |on| edit(&o, |x| x.autorun = on) }) }
                    { flag("embed-readonly", "Read-only", options.readonly, { let o = options.clone(); move |on| edit(&o, |x| x.readonly = on) }) }
                    { flag("embed-edit", "Editable dishes", options.edit, { let o = options.clone(); move |on| edit(&o, |x| x.edit = on) }) }
                </div>
                <div class="row">
                    <label for="embed-theme">{ "Theme" }</label>
                    <select id="embed-theme" onchange={{
                        let options = options.clone();
                        Callback::from(move |e: Event| {
                            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
                            edit(&options, |o| o.theme = Theme::ALL.into_iter().find(|t| t.name() == value).unwrap_or_default());
                        })
                    }}>
                        { for Theme::ALL.map(|t| html! { <option value={t.name()} selected={options.theme == t}>{ t.name() }</option> }) }
                    </select>
                    <label for="embed-height">{ "Height, px" }</label>
                    <input id="embed-height" type="number" min="200" max="4000" value={h.to_string()} oninput={{
                        let height = height.clone();
                        Callback::from(move |e: InputEvent| {
                            height.set(e.target_unchecked_into::<HtmlInputElement>().value().parse().ok().filter(|h| (200..=4000).contains(h)));
                        })
                    }} />
                </div>
            </fieldset>
            <label for="embed-html">{ "Paste this into your page (it embeds the kitchen as it is now):" }</label>
            <textarea id="embed-html" readonly=true rows="4" value={html_text} onfocus={select_all.clone()} spellcheck="false" />
            <div class="share">
                <button type="button" id="embed-copy" onclick={oncopy}>{ "Copy HTML" }</button>
                <a id="embed-preview" href={src} target="_blank" rel="noopener">{ "Preview this embed ↗" }</a>
                <span class="help" role="status">{ match &*copied {
                    Some(Ok(())) => "Copied.".to_string(),
                    Some(Err(why)) => format!("Select and copy it ({why})."),
                    None => String::new(),
                } }</span>
            </div>
            <label for="embed-script">{ "Optional: let your page size the kitchen to its content (its resize messages):" }</label>
            <textarea id="embed-script" readonly=true rows="7" value={snippet::RESIZE_SCRIPT} onfocus={select_all} spellcheck="false" />
            <ul id="embed-notes" class="help">
                { for snippet::NOTES.iter().map(|(tool, note)| html! { <li><strong>{ *tool }</strong>{ format!(": {note}") }</li> }) }
                <li>{ "Plain HTML works in all of them. The kitchen's host decides its chefs: with the shipped _headers \
                       (Document-Isolation-Policy) Chromium gives an embedded kitchen shared-memory threads; elsewhere its \
                       chefs are workers that talk by messages." }</li>
            </ul>
        </div>
    }
}

/// Applies `change` to the options.
fn edit(options: &UseStateHandle<EmbedOptions>, change: impl FnOnce(&mut EmbedOptions)) {
    let mut next = (**options).clone();
    change(&mut next);
    options.set(next);
}

/// Adds or removes `item`; the last one stays (an embed offers at least one view and model).
fn toggle<T: PartialEq + Copy>(list: &mut Vec<T>, item: Option<T>, on: bool) {
    let Some(item) = item else { return };
    if on && !list.contains(&item) {
        list.push(item);
    } else if !on && list.len() > 1 {
        list.retain(|x| *x != item);
    }
}

/// A row of checkboxes, one per `(name, checked)`.
fn choices(legend: &str, id: &'static str, items: &[(&'static str, bool)], onchange: impl Fn(&str, bool) + Clone + 'static) -> Html {
    html! {
        <div class="row">
            <span>{ legend }</span>
            { for items.iter().map(|&(name, checked)| {
                let onchange = onchange.clone();
                html! {
                    <label>
                        <input type="checkbox" id={format!("embed-{id}-{name}")} {checked}
                            onchange={Callback::from(move |e: Event| onchange(name, e.target_unchecked_into::<HtmlInputElement>().checked()))} />
                        { format!(" {name}") }
                    </label>
                }
            }) }
        </div>
    }
}

fn flag(id: &'static str, label: &str, checked: bool, onchange: impl Fn(bool) + 'static) -> Html {
    html! {
        <label>
            <input type="checkbox" {id} {checked}
                onchange={Callback::from(move |e: Event| onchange(e.target_unchecked_into::<HtmlInputElement>().checked()))} />
            { format!(" {label}") }
        </label>
    }
}
