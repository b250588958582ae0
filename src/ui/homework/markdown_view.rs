//! [`super::markdown`]'s nodes as Yew nodes: text is always text (Yew escapes it), never HTML.

use yew::prelude::*;

use super::markdown::{parse, Node, Tag};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Markdown in the safe subset (see [`super::markdown`]).
    pub text: AttrValue,
    #[prop_or_default]
    pub class: Classes,
}

/// Instructions written in Markdown.
#[function_component(Markdown)]
pub fn markdown(props: &Props) -> Html {
    // Parsed when the text changes, not on every render of the page around it.
    let nodes = use_memo(props.text.clone(), |text| parse(text));
    html! { <div class={classes!("md", props.class.clone())}>{ view(&nodes) }</div> }
}

fn view(nodes: &[Node]) -> Html {
    nodes.iter().map(node).collect::<Html>()
}

fn node(n: &Node) -> Html {
    match n {
        Node::Text(text) => html! { { text.clone() } },
        Node::Element(tag, children) => match tag {
            Tag::Link(href) => html! { <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ view(children) }</a> },
            Tag::CodeBlock => html! { <pre><code>{ view(children) }</code></pre> },
            Tag::List(Some(start)) => html! { <ol start={start.to_string()}>{ view(children) }</ol> },
            Tag::LineBreak => html! { <br /> },
            Tag::Rule => html! { <hr /> },
            other => html! { <@{other.name()}>{ view(children) }</@> },
        },
    }
}
