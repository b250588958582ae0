//! The safe Markdown subset of homework instructions: CommonMark read by `pulldown-cmark` into
//! a small tree of [`Node`]s that the page turns into Yew nodes (never `innerHTML`).
//!
//! What is kept: paragraphs, headings (moved two levels down, under the page's own), emphasis,
//! strong, inline code and code blocks, lists, block quotes, rules, line breaks, and links whose
//! address is `http:`, `https:` or `mailto:`. Raw HTML is shown as the text it is; a link to any
//! other address (`javascript:`, `data:`, a relative path) keeps its words but is no link;
//! an image shows its description. Pure, so it is tested natively.

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag as MdTag, TagEnd};

/// One node of rendered instructions.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    /// Text, shown as it is (escaped by the renderer, never read as HTML).
    Text(String),
    /// An element and what it holds.
    Element(Tag, Vec<Node>),
}

/// The elements instructions may contain.
#[derive(Clone, Debug, PartialEq)]
pub enum Tag {
    /// `<p>`.
    Paragraph,
    /// `<h3>`…`<h6>`: a Markdown `#` heading is an `<h3>`, below the page's and the step's titles.
    Heading(u8),
    /// `<blockquote>`.
    BlockQuote,
    /// `<pre><code>`.
    CodeBlock,
    /// `<ul>`, or `<ol>` numbered from the given start.
    List(Option<u64>),
    /// `<li>`.
    Item,
    /// `<em>`.
    Emphasis,
    /// `<strong>`.
    Strong,
    /// `<code>`.
    Code,
    /// `<a href>` to an http, https or mailto address (checked by [`safe_href`]).
    Link(String),
    /// `<span>`: what stays of a refused link or an image (their words).
    Span,
    /// `<br>`.
    LineBreak,
    /// `<hr>`.
    Rule,
}

impl Tag {
    /// The HTML element's name.
    pub fn name(&self) -> &'static str {
        match self {
            Tag::Paragraph => "p",
            Tag::Heading(3) => "h3",
            Tag::Heading(4) => "h4",
            Tag::Heading(5) => "h5",
            Tag::Heading(_) => "h6",
            Tag::BlockQuote => "blockquote",
            Tag::CodeBlock => "pre",
            Tag::List(None) => "ul",
            Tag::List(Some(_)) => "ol",
            Tag::Item => "li",
            Tag::Emphasis => "em",
            Tag::Strong => "strong",
            Tag::Code => "code",
            Tag::Link(_) => "a",
            Tag::Span => "span",
            Tag::LineBreak => "br",
            Tag::Rule => "hr",
        }
    }
}

/// `href` when it is an address instructions may link to (http, https or mailto), else `None`.
pub fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    let (scheme, rest) = href.split_once(':')?;
    let ok = ["http", "https", "mailto"].iter().any(|s| scheme.eq_ignore_ascii_case(s));
    // Control characters or spaces in an address are not what a teacher typed by mistake.
    (ok && !rest.is_empty() && !href.chars().any(|c| c.is_control() || c == ' ')).then(|| href.to_string())
}

/// `markdown` as a tree of safe nodes.
pub fn parse(markdown: &str) -> Vec<Node> {
    // Options::empty(): CommonMark only — no tables, footnotes or math.
    let mut stack: Vec<(Tag, Vec<Node>)> = vec![(Tag::Span, Vec::new())];
    for event in Parser::new_ext(markdown, Options::empty()) {
        match event {
            Event::Start(tag) => stack.push((open(tag), Vec::new())),
            Event::End(TagEnd::HtmlBlock) | Event::End(_) if stack.len() > 1 => {
                let (tag, children) = stack.pop().expect("more than the root");
                push(&mut stack, Node::Element(tag, children));
            }
            Event::End(_) => {}
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => push_text(&mut stack, &t),
            Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push(&mut stack, Node::Element(Tag::Code, vec![Node::Text(t.to_string())]))
            }
            Event::SoftBreak => push_text(&mut stack, "\n"),
            Event::HardBreak => push(&mut stack, Node::Element(Tag::LineBreak, vec![])),
            Event::Rule => push(&mut stack, Node::Element(Tag::Rule, vec![])),
            Event::FootnoteReference(t) => push_text(&mut stack, &format!("[^{t}]")),
            Event::TaskListMarker(done) => push_text(&mut stack, if done { "[x] " } else { "[ ] " }),
        }
    }
    // A well-formed event stream closes every tag; fold anything left open all the same.
    while stack.len() > 1 {
        let (tag, children) = stack.pop().expect("more than the root");
        push(&mut stack, Node::Element(tag, children));
    }
    stack.pop().map(|(_, children)| children).unwrap_or_default()
}

/// The element a Markdown tag becomes.
fn open(tag: MdTag) -> Tag {
    match tag {
        MdTag::Paragraph | MdTag::HtmlBlock => Tag::Paragraph,
        MdTag::Heading { level, .. } => Tag::Heading((level as u8 + 2).min(6)),
        MdTag::BlockQuote(_) => Tag::BlockQuote,
        MdTag::CodeBlock(CodeBlockKind::Fenced(_) | CodeBlockKind::Indented) => Tag::CodeBlock,
        MdTag::List(start) => Tag::List(start),
        MdTag::Item => Tag::Item,
        MdTag::Emphasis => Tag::Emphasis,
        MdTag::Strong => Tag::Strong,
        MdTag::Strikethrough => Tag::Span,
        MdTag::Link { link_type: LinkType::Email, dest_url, .. } => {
            safe_href(&format!("mailto:{dest_url}")).map_or(Tag::Span, Tag::Link)
        }
        MdTag::Link { dest_url, .. } => safe_href(&dest_url).map_or(Tag::Span, Tag::Link),
        _ => Tag::Span,
    }
}

fn push(stack: &mut [(Tag, Vec<Node>)], node: Node) {
    stack.last_mut().expect("the root is never popped").1.push(node);
}

/// Text, joined to the text before it (the parser splits text at every special character).
fn push_text(stack: &mut [(Tag, Vec<Node>)], text: &str) {
    let children = &mut stack.last_mut().expect("the root is never popped").1;
    match children.last_mut() {
        Some(Node::Text(before)) => before.push_str(text),
        _ => children.push(Node::Text(text.to_string())),
    }
}

/// The words of `nodes`, without markup (for a title or an accessible label).
pub fn plain_text(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(_, children) => out.push_str(&plain_text(children)),
        }
    }
    out
}

/// `nodes` as HTML text, escaped — what the page's Yew nodes amount to; for tests and reading.
pub fn to_html(nodes: &[Node]) -> String {
    let mut out = String::new();
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(&escape(t)),
            Node::Element(tag @ (Tag::LineBreak | Tag::Rule), _) => out.push_str(&format!("<{}>", tag.name())),
            Node::Element(Tag::Link(href), children) => {
                out.push_str(&format!("<a href=\"{}\">{}</a>", escape(href), to_html(children)))
            }
            Node::Element(Tag::CodeBlock, children) => out.push_str(&format!("<pre><code>{}</code></pre>", to_html(children))),
            Node::Element(Tag::List(Some(start)), children) if *start != 1 => {
                out.push_str(&format!("<ol start=\"{start}\">{}</ol>", to_html(children)))
            }
            Node::Element(tag, children) => out.push_str(&format!("<{0}>{1}</{0}>", tag.name(), to_html(children))),
        }
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(md: &str) -> String {
        to_html(&parse(md))
    }

    #[test]
    fn the_subset_renders() {
        assert_eq!(html("Hello *you* and **all**, `x < 2`."), "<p>Hello <em>you</em> and <strong>all</strong>, <code>x &lt; 2</code>.</p>");
        assert_eq!(html("# Title\n\ntext"), "<h3>Title</h3><p>text</p>");
        assert_eq!(html("#### Deep"), "<h6>Deep</h6>");
        assert_eq!(html("- one\n- two"), "<ul><li>one</li><li>two</li></ul>");
        assert_eq!(html("3. three\n4. four"), "<ol start=\"3\"><li>three</li><li>four</li></ol>");
        assert_eq!(html("> quoted"), "<blockquote><p>quoted</p></blockquote>");
        assert_eq!(html("```\nlet a = 1 < 2;\n```"), "<pre><code>let a = 1 &lt; 2;\n</code></pre>");
        assert_eq!(html("a  \nb"), "<p>a<br>b</p>");
        assert_eq!(html("---"), "<hr>");
        assert_eq!(html("- a\n  - b"), "<ul><li>a<ul><li>b</li></ul></li></ul>");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let out = html("<script>alert(1)</script>\n\nHi <b onclick=\"x()\">there</b>");
        assert!(!out.contains("<script") && !out.contains("<b "), "{out}");
        assert!(out.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{out}");
        assert!(out.contains("Hi &lt;b onclick=&quot;x()&quot;&gt;there&lt;/b&gt;"), "{out}");
        let out = html("<img src=x onerror=alert(1)>");
        assert!(out.starts_with("<p>&lt;img"), "{out}");
    }

    #[test]
    fn only_http_https_and_mailto_links() {
        assert_eq!(html("[docs](https://example.org/a?b=1)"), "<p><a href=\"https://example.org/a?b=1\">docs</a></p>");
        assert_eq!(html("[plain](http://example.org)"), "<p><a href=\"http://example.org\">plain</a></p>");
        assert_eq!(html("[mail](mailto:t@example.org)"), "<p><a href=\"mailto:t@example.org\">mail</a></p>");
        assert_eq!(html("<t@example.org>"), "<p><a href=\"mailto:t@example.org\">t@example.org</a></p>");
        for bad in ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", "/relative", "#top", "//evil.example"] {
            assert_eq!(html(&format!("[click]({bad})")), "<p><span>click</span></p>", "{bad}");
        }
        assert_eq!(html("![a cat](https://example.org/cat.png)"), "<p><span>a cat</span></p>");
        assert_eq!(safe_href(" HTTPS://x.org "), Some("HTTPS://x.org".into()));
        assert_eq!(safe_href("https:"), None);
    }

    #[test]
    fn anything_parses_without_panicking() {
        for md in ["", "*", "[", "](", "<", "```", "> - 1.", "\u{0}", "- [x] done", "[^1]\n\n[^1]: x", "$x$", "~~s~~"] {
            let nodes = parse(md);
            let _ = to_html(&nodes);
            let _ = plain_text(&nodes);
        }
        assert_eq!(plain_text(&parse("**Predict** first")), "Predict first");
    }
}
