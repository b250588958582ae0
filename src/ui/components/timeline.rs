//! The kitchen timeline: a Gantt chart of a measured trace, one lane per chef. (Placeholder.)

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::{Experiment, Trace};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub trace: Rc<Trace>,
    /// For dependency arrows.
    pub experiment: Rc<Experiment>,
}

#[function_component(Timeline)]
pub fn timeline(props: &Props) -> Html {
    html! { <p class="timeline-placeholder">{ format!("{} spans on {} lanes", props.trace.spans.len(), props.trace.lanes.len()) }</p> }
}
