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

/// Which part of the page a link opens on.
///
/// The page stacks its sections today; a link scrolls to the one it names. Kept to plain names
/// so a layout with real views can map them one to one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// The last run's kitchen timeline (the default).
    #[default]
    Timeline,
    /// "Run all models": the models side by side.
    Compare,
    /// "Sweep chefs": speedup against the number of chefs.
    Sweep,
    /// "Claims you can check": the lessons, opened on [`LinkState::lesson`] when it names one.
    Lessons,
}

impl View {
    /// Every view, in the page's order.
    pub const ALL: [View; 4] = [View::Timeline, View::Compare, View::Sweep, View::Lessons];

    /// The name used in links and in the embed's `views=` option.
    pub fn name(self) -> &'static str {
        match self {
            View::Timeline => "timeline",
            View::Compare => "compare",
            View::Sweep => "sweep",
            View::Lessons => "lessons",
        }
    }

    /// The view called `name`, if any.
    pub fn named(name: &str) -> Option<View> {
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
