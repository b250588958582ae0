//! "Copy link": a permalink to the kitchen as it is (dishes, model, chefs, yield policy, the
//! main-thread option and the open view), copied to the clipboard and shown to copy by hand.
//! Also put in the address bar, so the address itself is the link.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::permalink;
use crate::ui::state::use_store;

/// What the last Copy link did.
#[derive(Clone, PartialEq)]
enum Copied {
    /// On the clipboard.
    Yes,
    /// The browser refused (why); the link is selected in its field instead.
    ByHand(String),
}

/// The Copy link button and, once pressed, the link.
#[function_component(CopyLink)]
pub fn copy_link() -> Html {
    let state = use_store();
    let copied = use_state(|| None::<(String, Copied)>);
    let field = use_node_ref();
    let onclick = {
        let (copied, field) = (copied.clone(), field.clone());
        Callback::from(move |_: MouseEvent| {
            let link_state = state.link_state();
            let url = permalink::playground_url(&link_state);
            permalink::remember_in_address(&link_state);
            let (copied, field) = (copied.clone(), field.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let outcome = match permalink::copy_to_clipboard(&url).await {
                    Ok(()) => Copied::Yes,
                    Err(why) => Copied::ByHand(why),
                };
                copied.set(Some((url, outcome)));
                if let Some(input) = field.cast::<HtmlInputElement>() {
                    input.select();
                }
            });
        })
    };
    let onfocus = Callback::from(|e: FocusEvent| e.target_unchecked_into::<HtmlInputElement>().select());
    html! {
        <div class="share">
            <button type="button" id="copy-link" {onclick}>{ "Copy link" }</button>
            <super::embed_snippet::EmbedSnippet />
            if let Some((url, outcome)) = &*copied {
                <input id="share-link" ref={field} readonly=true value={url.clone()} {onfocus}
                    aria-label="Link to this kitchen" data-length={url.len().to_string()} />
                <span id="copy-status" class="help" role="status">{ match outcome {
                    Copied::Yes => format!("Copied: {} characters.", url.len()),
                    Copied::ByHand(why) => format!("Select and copy it ({why})."),
                } }</span>
            }
        </div>
    }
}

/// Why the link the page was opened with could not be opened; the kitchen shown is the one
/// it had (the default one, at start-up).
#[function_component(LinkNotice)]
pub fn link_notice() -> Html {
    let state = use_store();
    match &state.link_error {
        Some(e) => html! {
            <p id="link-error" class="error" role="alert">
                { format!("{}. The kitchen below is the one you had; nothing was changed.", capitalised(&e.to_string())) }
            </p>
        },
        None => html! {},
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
