//! One phase of a dish in the composer: cook (kernel, amount, optional split into chunks with
//! a serial part) or simmer (ms), with buttons to move or remove it.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::fields::NumberField;
use crate::engine::experiment::{Cook, Phase, Simmer, Split};
use crate::engine::Kernel;

/// What the person did to a phase.
pub enum PhaseEdit {
    /// Replace it.
    Set(Phase),
    /// Move it to this position among the dish's phases.
    Move(usize),
    Remove,
}

/// One phase of one dish.
#[derive(Properties, PartialEq)]
pub struct Props {
    /// Prefix of this phase's element ids, e.g. `dish-0-phase-1`.
    pub prefix: AttrValue,
    pub index: usize,
    /// How many phases the dish has.
    pub count: usize,
    pub phase: Phase,
    /// The engine's complaint about this phase, if any.
    pub problem: Option<AttrValue>,
    pub onedit: Callback<PhaseEdit>,
}

/// A phase's fields and its move / remove buttons.
#[function_component(PhaseEditor)]
pub fn phase_editor(props: &Props) -> Html {
    let n = props.index + 1;
    let problem_id = format!("{}-problem", props.prefix);
    let fields = match &props.phase {
        Phase::Cook(cook) => cook_fields(props, cook),
        Phase::Simmer(simmer) => simmer_fields(props, simmer),
    };
    html! {
        <li class={classes!("phase", props.problem.is_some().then_some("has-problem"))}>
            <div class="phase-head">
                { kind_select(props) }
                { phase_buttons(props, n) }
            </div>
            <div class="phase-fields">{ fields }</div>
            if let Some(problem) = &props.problem { <p class="error inline-problem" id={problem_id}>{ problem.clone() }</p> }
        </li>
    }
}

fn kind_select(props: &Props) -> Html {
    let id = format!("{}-kind", props.prefix);
    let phase = props.phase.clone();
    let onchange = props.onedit.reform(move |e: Event| {
        let kind = e.target_unchecked_into::<HtmlSelectElement>().value();
        PhaseEdit::Set(convert(&phase, &kind))
    });
    let is_cook = matches!(props.phase, Phase::Cook(_));
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ format!("Phase {}", props.index + 1) }</span>
            <select {id} {onchange}>
                <option value="cook" selected={is_cook}>{ "cook (CPU work)" }</option>
                <option value="simmer" selected={!is_cook}>{ "simmer (a wait)" }</option>
            </select>
        </label>
    }
}

/// A phase turned into the other kind, keeping its length in ms where it has one.
fn convert(phase: &Phase, kind: &str) -> Phase {
    match (phase, kind) {
        (Phase::Cook(cook), "simmer") => Phase::Simmer(Simmer { ms: cook.ms.unwrap_or(100.0) }),
        (Phase::Simmer(simmer), "cook") => Phase::Cook(Cook::ms(simmer.ms)),
        (phase, _) => phase.clone(),
    }
}

fn phase_buttons(props: &Props, n: usize) -> Html {
    let i = props.index;
    let up = props.onedit.reform(move |_: MouseEvent| PhaseEdit::Move(i.saturating_sub(1)));
    let down = props.onedit.reform(move |_: MouseEvent| PhaseEdit::Move(i + 1));
    let remove = props.onedit.reform(|_: MouseEvent| PhaseEdit::Remove);
    html! {
        <span class="phase-actions">
            <button type="button" id={format!("{}-up", props.prefix)} onclick={up} disabled={i == 0}
                aria-label={format!("Move phase {n} earlier")} title="Earlier">{ "↑" }</button>
            <button type="button" id={format!("{}-down", props.prefix)} onclick={down} disabled={i + 1 >= props.count}
                aria-label={format!("Move phase {n} later")} title="Later">{ "↓" }</button>
            <button type="button" id={format!("{}-remove", props.prefix)} onclick={remove}
                aria-label={format!("Remove phase {n}")}>{ "Remove" }</button>
        </span>
    }
}

fn simmer_fields(props: &Props, simmer: &Simmer) -> Html {
    // An empty field is NaN, which the engine rejects by name, rather than a silent default.
    let oninput = props.onedit.reform(|ms: Option<f64>| PhaseEdit::Set(Phase::Simmer(Simmer { ms: ms.unwrap_or(f64::NAN) })));
    html! {
        <NumberField id={format!("{}-ms", props.prefix)} label="simmer ms" value={Some(simmer.ms)} {oninput}
            invalid={props.problem.is_some()} describedby={format!("{}-problem", props.prefix)} />
    }
}

fn cook_fields(props: &Props, cook: &Cook) -> Html {
    let edit = |f: fn(&mut Cook, Option<f64>)| {
        let cook = cook.clone();
        props.onedit.reform(move |v: Option<f64>| {
            let mut next = cook.clone();
            f(&mut next, v);
            PhaseEdit::Set(Phase::Cook(next))
        })
    };
    let (unit, amount) = match (cook.ms, cook.units) {
        (None, Some(units)) => ("units", Some(units as f64)),
        (ms, _) => ("ms", ms),
    };
    let invalid = props.problem.is_some();
    let problem = format!("{}-problem", props.prefix);
    html! {
        <>
            { kernel_select(props, cook) }
            <NumberField id={format!("{}-amount", props.prefix)} label={format!("cook {unit}")} value={amount}
                oninput={edit(set_amount)} {invalid} describedby={problem.clone()} />
            { unit_select(props, cook, unit) }
            { split_toggle(props, cook) }
            if let Some(split) = cook.split {
                <NumberField id={format!("{}-chunks", props.prefix)} label="chunks" value={Some(f64::from(split.chunks))}
                    oninput={edit(set_chunks)} step="1" {invalid} describedby={problem.clone()} />
                <NumberField id={format!("{}-serial", props.prefix)} label="serial ms (only this dish's chef; optional)"
                    value={cook.serial_ms} oninput={edit(set_serial)} {invalid} describedby={problem} />
            }
        </>
    }
}

fn set_amount(cook: &mut Cook, v: Option<f64>) {
    let v = v.unwrap_or(f64::NAN);
    if cook.units.is_some() && cook.ms.is_none() {
        // Whole units only; anything else (empty, negative) becomes 0, which the engine explains.
        cook.units = Some(if v.is_finite() && v > 0.0 { v as u64 } else { 0 });
    } else {
        cook.ms = Some(v);
    }
}

fn set_chunks(cook: &mut Cook, v: Option<f64>) {
    let chunks = v.filter(|v| v.is_finite() && *v > 0.0).map_or(0, |v| v.min(f64::from(u32::MAX)) as u32);
    cook.split = Some(Split { chunks });
}

fn set_serial(cook: &mut Cook, v: Option<f64>) {
    cook.serial_ms = v;
}

fn kernel_select(props: &Props, cook: &Cook) -> Html {
    let id = format!("{}-kernel", props.prefix);
    let current = cook.clone();
    let onchange = props.onedit.reform(move |e: Event| {
        let name = e.target_unchecked_into::<HtmlSelectElement>().value();
        let kernel = Kernel::ALL.into_iter().find(|k| k.name() == name).unwrap_or_default();
        PhaseEdit::Set(Phase::Cook(Cook { kernel, ..current.clone() }))
    });
    let options = Kernel::ALL.map(|k| html! { <option value={k.name()} selected={k == cook.kernel}>{ k.name() }</option> });
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ "kernel" }</span>
            <select {id} {onchange}>{ for options }</select>
        </label>
    }
}

/// Cook by time (calibrated on this machine) or by an exact amount of kernel work.
fn unit_select(props: &Props, cook: &Cook, unit: &str) -> Html {
    let id = format!("{}-unit", props.prefix);
    let current = cook.clone();
    let onchange = props.onedit.reform(move |e: Event| {
        let by_units = e.target_unchecked_into::<HtmlSelectElement>().value() == "units";
        // The number stays as typed: ms and units are not convertible before calibration.
        let amount = current.ms.or(current.units.map(|u| u as f64)).unwrap_or(100.0);
        let (ms, units) = if by_units { (None, Some(amount.max(0.0) as u64)) } else { (Some(amount), None) };
        PhaseEdit::Set(Phase::Cook(Cook { ms, units, ..current.clone() }))
    });
    html! {
        <label class="field" for={id.clone()}>
            <span class="field-label">{ "measured in" }</span>
            <select {id} {onchange}>
                <option value="ms" selected={unit == "ms"}>{ "ms (calibrated here)" }</option>
                <option value="units" selected={unit == "units"}>{ "kernel units" }</option>
            </select>
        </label>
    }
}

fn split_toggle(props: &Props, cook: &Cook) -> Html {
    let id = format!("{}-split", props.prefix);
    let current = cook.clone();
    let onchange = props.onedit.reform(move |e: Event| {
        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
        // The serial part belongs to a split; without one the engine would refuse it.
        let (split, serial_ms) = if on { (Some(Split { chunks: 4 }), current.serial_ms) } else { (None, None) };
        PhaseEdit::Set(Phase::Cook(Cook { split, serial_ms, ..current.clone() }))
    });
    html! {
        <label class="field check" for={id.clone()}>
            <input {id} type="checkbox" checked={cook.split.is_some()} {onchange} />
            <span>{ "split into chunks any chef may cook" }</span>
        </label>
    }
}
