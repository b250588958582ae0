//! The HTML that embeds a kitchen in a docs page: an `<iframe>` with a title, lazy loading,
//! `allow="cross-origin-isolated"` and a height that fits, plus an optional script that sizes
//! it from the kitchen's `resize` messages, and where the HTML goes in four docs tools.
//!
//! The iframe has no `style` attribute and closes explicitly, so the same text is valid HTML
//! and valid JSX (Docusaurus' MDX).

use super::embed::EmbedOptions;
use super::View;

/// Where the HTML goes in each docs tool.
pub const NOTES: [(&str, &str); 4] = [
    ("mdBook", "paste it into the chapter's .md file on lines of its own, with a blank line before and after: Markdown passes HTML through."),
    ("MkDocs", "paste it into the page's .md file as it is, with blank lines around it: Python-Markdown passes block HTML through (no extension needed)."),
    ("Docusaurus", "paste it into the .md or .mdx page: MDX reads it as JSX, which is why it has no style attribute. Put the optional script in a client module (docusaurus.config.js, clientModules) rather than in the page."),
    ("Sphinx", "in reStructuredText under a `.. raw:: html` directive, indented by three spaces; with MyST Markdown inside a ```{raw} html fence."),
];

/// A page script that sizes every kitchen iframe to its content, from its `resize` messages
/// (docs/format.md, "Embedding"). Optional: without it the iframe keeps its height and scrolls.
pub const RESIZE_SCRIPT: &str = r#"<script>
  // Concurrency Kitchen: size each embedded kitchen to its content.
  addEventListener('message', (event) => {
    const message = event.data && event.data.kitchen;
    const frame = [...document.querySelectorAll('iframe')].find((f) => f.contentWindow === event.source);
    // The height of the iframe's content box (its border comes on top).
    if (frame && message && message.type === 'resize') frame.style.height = `${message.height}px`;
  });
</script>"#;

/// The address of an embedded kitchen: the playground's `base` address (without query or
/// fragment), the options as a query, and the link's fragment (without `#`).
pub fn embed_url(base: &str, options: &EmbedOptions, fragment: &str) -> String {
    format!("{base}?{}#{fragment}", options.to_query())
}

/// A height (CSS pixels) that shows the kitchen after a run without scrolling in a column of
/// about 600 px: the dishes, the controls, the timeline of a few chefs, the footer.
pub fn default_height(options: &EmbedOptions) -> u32 {
    let tabs = if options.views.len() > 1 { 44 } else { 0 };
    let views = if options.views.iter().any(|v| *v != View::Results) { 120 } else { 0 };
    640 + tabs + views
}

/// The `<iframe>` for `src`, titled `title` (screen readers announce it), `height` px tall.
pub fn iframe(src: &str, title: &str, height: u32) -> String {
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{height}\" loading=\"lazy\" allow=\"cross-origin-isolated\"></iframe>",
        attribute(src),
        attribute(title)
    )
}

/// `s` escaped for a double-quoted attribute value.
fn attribute(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;").replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::share::embed;
    use crate::engine::Model;

    #[test]
    fn the_iframe_has_what_a_docs_page_needs() {
        let options = EmbedOptions { views: vec![View::Results, View::Compare], readonly: true, ..EmbedOptions::default() };
        let src = embed_url("https://kitchen.example/", &options, "v1.z.abc");
        assert_eq!(src, "https://kitchen.example/?embed&views=results,compare&readonly#v1.z.abc");
        let html = iframe(&src, "Concurrency Kitchen: \"Three dishes\" <3>", default_height(&options));
        for part in [
            "src=\"https://kitchen.example/?embed&amp;views=results,compare&amp;readonly#v1.z.abc\"",
            "title=\"Concurrency Kitchen: &quot;Three dishes&quot; &lt;3&gt;\"",
            "loading=\"lazy\"",
            "allow=\"cross-origin-isolated\"",
            "height=\"804\"",
        ] {
            assert!(html.contains(part), "{part} not in {html}");
        }
        assert!(html.ends_with("></iframe>") && !html.contains("style="), "{html}");
    }

    #[test]
    fn the_src_gives_back_the_options() {
        let options = EmbedOptions { models: vec![Model::Concurrent], autorun: true, edit: true, ..EmbedOptions::default() };
        let src = embed_url("http://127.0.0.1:8080/", &options, "v1.j.x");
        let query = src.split_once('?').unwrap().1.split_once('#').unwrap().0;
        assert_eq!(embed::parse(query).unwrap().options, options);
        assert_eq!(default_height(&EmbedOptions::default()), 640);
    }
}
