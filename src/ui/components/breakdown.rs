//! Where a run's wall time went: the engine's breakdown — computed parts beside the measured
//! wall — as a stacked bar and a table whose rows add up to the wall.

use std::rc::Rc;

use yew::prelude::*;

use crate::engine::breakdown::{Breakdown, Part, PartKind};
use crate::engine::trace::Source;
use crate::ui::state::Explained;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub breakdown: Explained,
}

/// The breakdown of one run, or why there is none.
#[function_component(BreakdownView)]
pub fn breakdown_view(props: &Props) -> Html {
    let b = match &props.breakdown {
        Ok(b) => b,
        Err(e) => return html! { <p id="breakdown-error" class="help">{ e.to_string() }</p> },
    };
    let wall_basis = if b.source == Source::Measured { "measured" } else { "simulated" };
    html! {
        <section class="breakdown" aria-labelledby="breakdown-title" data-wall-ms={format!("{:.3}", b.wall_ms)}>
            <h3 id="breakdown-title">{ "Where the wall time went" }</h3>
            <p class="breakdown-summary">{ b.summary() }</p>
            <StackedBar breakdown={b.clone()} width={640.0} />
            <table class="breakdown-table">
                <caption>{ "Each part is what it adds to the wall; computed parts come from the dishes and the run's \
                             calibration (the simulator predicts the schedule), the overhead is what the real run added." }</caption>
                <thead><tr><th scope="col">{ "Part" }</th><th scope="col" class="num">{ "ms" }</th>
                    <th scope="col">{ "From" }</th><th scope="col">{ "What it means in the kitchen" }</th></tr></thead>
                <tbody>{ for b.parts.iter().map(part_row) }</tbody>
                <tfoot>
                    <tr class="wall-row">
                        <th scope="row">{ "Wall time" }</th>
                        <td class="num">{ format!("{:.1}", b.wall_ms) }</td>
                        <td><span class="basis measured">{ wall_basis }</span></td>
                        <td>{ "the parts add up to it" }</td>
                    </tr>
                </tfoot>
            </table>
        </section>
    }
}

fn part_row(p: &Part) -> Html {
    let zero = p.part != PartKind::Ideal && p.part != PartKind::Overhead && p.ms.abs() < 0.05;
    html! {
        <tr class={classes!("part", zero.then_some("zero"))} data-part={p.part.name()} data-ms={format!("{:.3}", p.ms)}
            data-basis={p.basis.label()}>
            <th scope="row"><span class={classes!("swatch", part_class(p.part))} aria-hidden="true"></span>{ p.part.title() }</th>
            <td class="num">{ format!("{:.1}", p.ms) }</td>
            <td><span class={classes!("basis", basis_class(p))}>{ p.basis.label() }</span></td>
            <td>
                { &p.says }
                if !p.details.is_empty() {
                    <ul class="details">{ for p.details.iter().map(|d| html! { <li>{ d }</li> }) }</ul>
                }
            </td>
        </tr>
    }
}

fn basis_class(p: &Part) -> &'static str {
    match p.basis {
        crate::engine::breakdown::Basis::Measured => "measured",
        crate::engine::breakdown::Basis::Computed => "computed",
        crate::engine::breakdown::Basis::MeasuredMinusComputed => "difference",
    }
}

/// The CSS class that colours a part (the same in the bar, the table and Compare).
pub fn part_class(kind: PartKind) -> String {
    format!("part-{}", kind.name().replace('_', "-"))
}

#[derive(Properties, PartialEq)]
pub struct BarProps {
    pub breakdown: Rc<Breakdown>,
    pub width: f64,
}

/// The parts side by side, left to right, as wide as their ms; a negative overhead (the run
/// beat the prediction) is drawn as a mark where the measured wall ends instead.
#[function_component(StackedBar)]
pub fn stacked_bar(props: &BarProps) -> Html {
    const H: f64 = 22.0;
    let b = &props.breakdown;
    let positive: f64 = b.parts.iter().map(|p| p.ms.max(0.0)).sum();
    let scale = props.width / positive.max(b.wall_ms).max(1e-9);
    let mut x = 0.0;
    let segments = b.parts.iter().filter(|p| p.ms > 0.0).map(|p| {
        let w = p.ms * scale;
        let seg = html! {
            <rect class={classes!("seg", part_class(p.part))} x={format!("{x:.2}")} y="0" width={format!("{:.2}", w.max(0.5))} height={H.to_string()}>
                <title>{ format!("{}: {:.1} ms ({})", p.part.title(), p.ms, p.basis.label()) }</title>
            </rect>
        };
        x += w;
        seg
    });
    let wall_x = b.wall_ms * scale;
    html! {
        <svg class="breakdown-bar" viewBox={format!("0 0 {} {}", props.width, H + 2.0)} preserveAspectRatio="none"
            role="img" aria-label={b.summary()}>
            { for segments }
            <line class="wall-mark" x1={format!("{wall_x:.2}")} x2={format!("{wall_x:.2}")} y1="0" y2={(H + 2.0).to_string()} />
        </svg>
    }
}
