//! Sharing a kitchen: what a link carries ([`LinkState`]), the link codec ([`link`]), the
//! options of an embedded kitchen ([`embed`]), the messages it exchanges with the page that
//! embeds it ([`messages`]) and the HTML that embeds one ([`snippet`]).
//! Pure Rust, so every decoder of a link or a query string is tested and fuzzed natively.

pub mod embed;
pub mod link;
pub mod messages;
pub mod snippet;

use serde::{Deserialize, Serialize};

use super::experiment::Experiment;

/// Which view a link opens: the playground shows one at a time (tabs), an embed the ones its
/// `views=` option offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    /// The last run: its timeline, breakdown and timings (the default). Also read as
    /// `timeline`, the word a reader of the page uses for it.
    #[default]
    #[serde(alias = "timeline")]
    Results,
    /// "Run all models": every model on the same dishes.
    Compare,
    /// "Sweep chefs": speedup against the number of chefs.
    Sweep,
    /// "Claims you can check": the lessons, opened on [`LinkState::lesson`] when it names one.
    Lessons,
}

impl View {
    /// Every view, in the order the page's tabs show them.
    pub const ALL: [View; 4] = [View::Results, View::Compare, View::Sweep, View::Lessons];

    /// The name used in links, in the embed's `views=` option and in element ids (`view-compare`).
    pub fn name(self) -> &'static str {
        match self {
            View::Results => "results",
            View::Compare => "compare",
            View::Sweep => "sweep",
            View::Lessons => "lessons",
        }
    }

    /// The view called `name` (`timeline` is the results view).
    pub fn named(name: &str) -> Option<View> {
        if name == "timeline" {
            return Some(View::Results);
        }
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Everything a link restores: the experiment (dishes, model, chefs, yield policy), whether
/// the sequential chef cooks on the main thread, and the view that is open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkState {
    /// The experiment, in the documented format (docs/format.md).
    pub experiment: Experiment,
    /// Run the sequential model's chef on the page's main thread (the responsiveness lesson).
    #[serde(default, skip_serializing_if = "is_false")]
    pub main_thread: bool,
    /// The open view.
    #[serde(default, skip_serializing_if = "is_default_view")]
    pub view: View,
    /// The lesson the lessons view is opened on (a lesson id, see `kitchen.lessons()`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<String>,
}

impl LinkState {
    /// The state of `experiment` with everything else at its default.
    pub fn of(experiment: Experiment) -> LinkState {
        LinkState { experiment, main_thread: false, view: View::default(), lesson: None }
    }
}

fn is_false(b: &bool) -> bool {
    !b
}

fn is_default_view(v: &View) -> bool {
    *v == View::default()
}
