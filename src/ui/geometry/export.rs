//! The timeline as a standalone SVG file (for slides and homework): the chart the page drew,
//! framed with what the page shows around it in HTML — a title, one label per chef beside its
//! lane, and the dishes' colours — on a solid background. The browser part
//! (`components::timeline::export`) serialises the drawn chart with its styles inlined; this
//! part places it, and is tested natively.

use std::fmt::Write as _;

use super::timeline::Layout;

/// Width of the chef labels' column.
pub const LABEL_W: f64 = 130.0;
/// Height of the title above the chart.
pub const TITLE_H: f64 = 30.0;
/// Height of one row of the dish legend below the chart.
const LEGEND_ROW_H: f64 = 20.0;
/// Legend entries per row.
const LEGEND_PER_ROW: usize = 6;
/// At most this many dishes in the legend (a trace may have 20,000).
const LEGEND_MAX: usize = 24;

/// The colours the page resolved for the text and the background.
pub struct Colours<'a> {
    pub fg: &'a str,
    pub muted: &'a str,
    pub bg: &'a str,
}

/// The whole file: `chart` (an `<svg>` element as text, `chart_w` × `chart_h` px, its lanes
/// starting `top` px down) framed by `title`, the chef labels and the legend, with `colour(i)`
/// the colour of dish `i`. Returns the text and its width and height.
pub fn frame_svg(
    chart: &str,
    (chart_w, chart_h): (f64, f64),
    top: f64,
    layout: &Layout,
    title: &str,
    colour: impl Fn(usize) -> &'static str,
    c: &Colours,
) -> (String, f64, f64) {
    let shown = layout.dishes.len().min(LEGEND_MAX);
    let legend_rows = shown.div_ceil(LEGEND_PER_ROW) + usize::from(layout.dishes.len() > LEGEND_MAX);
    let w = LABEL_W + chart_w;
    let h = TITLE_H + chart_h + 8.0 + legend_rows as f64 * LEGEND_ROW_H;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" \
         font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\" font-size=\"13\">\n"
    );
    let _ = writeln!(s, "<title>{}</title>", xml(title));
    let _ = writeln!(s, "<rect width=\"100%\" height=\"100%\" fill=\"{}\"/>", xml(c.bg));
    let _ = writeln!(s, "<text x=\"8\" y=\"20\" font-weight=\"600\" fill=\"{}\">{}</text>", xml(c.fg), xml(title));
    for lane in &layout.lanes {
        let y = TITLE_H + top + lane.y + 15.0;
        let _ = writeln!(s, "<text x=\"8\" y=\"{y:.1}\" font-weight=\"600\" fill=\"{}\">chef {}</text>", xml(c.fg), lane.chef);
        let _ = writeln!(s, "<text x=\"8\" y=\"{:.1}\" fill=\"{}\">{}</text>", y + 15.0, xml(c.muted), xml(&lane.thread_label()));
    }
    let _ = writeln!(s, "<svg x=\"{LABEL_W:.0}\" y=\"{TITLE_H:.0}\" width=\"{chart_w:.0}\" height=\"{chart_h:.0}\">{}</svg>", strip_root(chart));
    let legend_y = TITLE_H + chart_h + 8.0;
    for (i, dish) in layout.dishes.iter().take(shown).enumerate() {
        let x = 8.0 + (i % LEGEND_PER_ROW) as f64 * ((w - 16.0) / LEGEND_PER_ROW as f64);
        let y = legend_y + (i / LEGEND_PER_ROW) as f64 * LEGEND_ROW_H;
        let _ = writeln!(s, "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\"/>", y + 2.0, colour(i));
        let _ = writeln!(s, "<text x=\"{:.1}\" y=\"{:.1}\" fill=\"{}\">{}</text>", x + 17.0, y + 12.5, xml(c.fg), xml(&short(dish)));
    }
    if layout.dishes.len() > LEGEND_MAX {
        let y = legend_y + (shown.div_ceil(LEGEND_PER_ROW)) as f64 * LEGEND_ROW_H + 12.5;
        let more = layout.dishes.len() - LEGEND_MAX;
        let _ = writeln!(s, "<text x=\"8\" y=\"{y:.1}\" fill=\"{}\">and {more} more dishes</text>", xml(c.muted));
    }
    s.push_str("</svg>\n");
    (s, w, h)
}

/// The inside of an `<svg …>…</svg>` element's text (its children), so it can be nested under
/// attributes of our choosing.
fn strip_root(svg: &str) -> &str {
    let start = svg.find('>').map_or(0, |i| i + 1);
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    if start <= end { &svg[start..end] } else { "" }
}

/// A dish name cut to fit a legend entry.
fn short(name: &str) -> String {
    if name.chars().count() > 18 { format!("{}…", name.chars().take(17).collect::<String>()) } else { name.to_string() }
}

/// `s` escaped for XML text and attribute values.
pub fn xml(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::simulate::simulate;
    use crate::engine::{Calibration, Experiment, Plan, Policy};
    use std::sync::Arc;

    #[test]
    fn the_frame_has_title_labels_legend_and_the_chart() {
        let e = Experiment::from_json(
            r#"{"version":1,"model":"parallel","chefs":2,"tasks":[
                {"id":"<soup> & \"co\"","phases":[{"cook":{"units":50}}]},{"id":"roast","phases":[{"cook":{"units":50}}]}]}"#,
        )
        .unwrap();
        let fixed = |kernel| Calibration { kernel, units_per_ms: 10.0, measured_over_ms: 0.0 };
        let trace = simulate(Arc::new(Plan::new(&e, &fixed).unwrap()), 2, Policy::new(e.model, e.yield_policy));
        let layout = Layout::of(&trace);
        let chart = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"600\"><rect class=\"tl-span\"/></svg>";
        let colours = Colours { fg: "rgb(0, 0, 0)", muted: "grey", bg: "white" };
        let (svg, w, h) = frame_svg(chart, (600.0, 120.0), 40.0, &layout, "parallel & 2 chefs", |_| "#E69F00", &colours);
        assert_eq!((w, h), (730.0, TITLE_H + 120.0 + 8.0 + LEGEND_ROW_H));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"730\" height=\"178\""), "{svg}");
        assert!(svg.contains("<title>parallel &amp; 2 chefs</title>"));
        assert!(svg.contains(">chef 1</text>") && svg.contains(">chef 2</text>"), "{svg}");
        assert!(svg.contains("&lt;soup&gt; &amp; &quot;co&quot;"), "dish names escaped: {svg}");
        assert!(svg.contains("<svg x=\"130\" y=\"30\" width=\"600\" height=\"120\"><rect class=\"tl-span\"/></svg>"), "{svg}");
        assert_eq!(svg.matches("<svg").count(), 2);
    }
}
