//! Labelled inputs for the composer that keep what the person typed.
//!
//! Yew sets an input's DOM value whenever it differs from the rendered one. A number input
//! reports "" while it holds a half-typed "-" or "0.", so rendering the stored number would wipe
//! the keystroke; these fields render the person's own text while they type instead.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Shows a number as the field's text: finite numbers as Rust prints them, anything else empty.
pub fn number_text(value: Option<f64>) -> String {
    value.filter(|v| v.is_finite()).map_or_else(String::new, |v| v.to_string())
}

/// A [`NumberField`]: its id, its label, the stored value and where keystrokes go.
#[derive(Properties, PartialEq)]
pub struct NumberProps {
    pub id: AttrValue,
    pub label: AttrValue,
    /// The stored value, shown while the person is not typing; `None` shows an empty field.
    pub value: Option<f64>,
    /// Every keystroke: the number typed, or `None` when the field is empty or not a number.
    pub oninput: Callback<Option<f64>>,
    #[prop_or_default]
    pub invalid: bool,
    /// Id of the message explaining what is wrong, when `invalid`.
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    #[prop_or(AttrValue::Static("any"))]
    pub step: AttrValue,
}

/// A labelled number input that reports every keystroke.
#[function_component(NumberField)]
pub fn number_field(props: &NumberProps) -> Html {
    let draft = use_state(|| None::<String>);
    let oninput = {
        let (draft, emit) = (draft.clone(), props.oninput.clone());
        Callback::from(move |e: InputEvent| {
            let text = e.target_unchecked_into::<HtmlInputElement>().value();
            emit.emit(text.trim().parse::<f64>().ok());
            draft.set(Some(text));
        })
    };
    let onblur = {
        let draft = draft.clone();
        Callback::from(move |_: FocusEvent| draft.set(None))
    };
    let shown = (*draft).clone().unwrap_or_else(|| number_text(props.value));
    html! {
        <label class="field" for={props.id.clone()}>
            <span class="field-label">{ props.label.clone() }</span>
            <input id={props.id.clone()} type="number" step={props.step.clone()} value={shown} {oninput} {onblur}
                aria-invalid={props.invalid.then_some("true")}
                aria-describedby={props.describedby.clone().filter(|_| props.invalid)} />
        </label>
    }
}

/// A [`TextField`]: its id, its label, the stored text and where the applied text goes.
#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    /// The text, once the person presses Enter or leaves the field.
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub invalid: bool,
    #[prop_or_default]
    pub describedby: Option<AttrValue>,
    #[prop_or_default]
    pub help: Option<AttrValue>,
}

/// A labelled text input applied on Enter or blur, not per keystroke: a dish's name is what
/// its dependents refer to, and renaming through every prefix ("r", "ro", "roast"…) could pass
/// through another dish's name and tie their dependents together.
#[function_component(TextField)]
pub fn text_field(props: &TextProps) -> Html {
    let draft = use_state(|| None::<String>);
    let oninput = {
        let draft = draft.clone();
        Callback::from(move |e: InputEvent| draft.set(Some(e.target_unchecked_into::<HtmlInputElement>().value())))
    };
    let onchange = {
        let (draft, emit) = (draft.clone(), props.onchange.clone());
        Callback::from(move |e: Event| {
            emit.emit(e.target_unchecked_into::<HtmlInputElement>().value());
            draft.set(None);
        })
    };
    let help_id = format!("{}-help", props.id);
    let described = [props.describedby.clone().filter(|_| props.invalid).map(|d| d.to_string()),
        props.help.as_ref().map(|_| help_id.clone())];
    let described: Vec<String> = described.into_iter().flatten().collect();
    html! {
        <label class="field" for={props.id.clone()}>
            <span class="field-label">{ props.label.clone() }</span>
            <input id={props.id.clone()} type="text" value={(*draft).clone().unwrap_or_else(|| props.value.to_string())}
                {oninput} {onchange} spellcheck="false" autocomplete="off"
                aria-invalid={props.invalid.then_some("true")}
                aria-describedby={(!described.is_empty()).then(|| described.join(" "))} />
            if let Some(help) = &props.help { <span id={help_id} class="help">{ help.clone() }</span> }
        </label>
    }
}
