//! What this browser offers: isolation, cores, where the chefs run (the back-end, in words),
//! timer resolution.

use yew::prelude::*;

use crate::runtime::backend::Backend;
use crate::runtime::env::Env;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub env: Option<Env>,
}

/// Where the chefs of parallel models run, in words.
fn chefs_in_words(env: &Env) -> String {
    let n = env.threads;
    let chefs = if n == 1 { "1 chef".to_string() } else { format!("{n} chefs") };
    match env.backend {
        Backend::SharedMemory => format!("{chefs}, threads sharing the page's memory"),
        Backend::MessagePassing => format!("{chefs}, each in its own worker, talking by messages"),
        Backend::None => "one chef, on the page's main thread".to_string(),
    }
}

#[function_component(EnvPanel)]
pub fn env_panel(props: &Props) -> Html {
    let Some(env) = &props.env else {
        return html! { <section class="env" aria-live="polite"><p>{ "Starting the kitchen…" }</p></section> };
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    html! {
        <section class="env" aria-label="Environment" aria-live="polite">
            <dl>
                <div><dt>{ "Chefs" }</dt><dd id="env-backend" data-backend={env.backend.name()}>{ chefs_in_words(env) }</dd></div>
                <div><dt>{ "Cross-origin isolated" }</dt><dd id="env-coi">{ yes_no(env.cross_origin_isolated) }</dd></div>
                <div><dt>{ "SharedArrayBuffer" }</dt><dd id="env-sab">{ yes_no(env.shared_array_buffer) }</dd></div>
                <div><dt>{ "Cores reported" }</dt><dd id="env-cores">{ env.hardware_concurrency }</dd></div>
                <div><dt>{ "Workers started" }</dt><dd id="env-threads">{ env.threads }</dd></div>
                <div><dt>{ "Timer resolution" }</dt><dd>{ format!("{:.3} ms", env.timer_resolution_ms) }</dd></div>
            </dl>
            if let Some(why) = &env.threads_unavailable {
                <p class="warning" role="alert" id="env-why">{ format!("Parallel models are unavailable: {why}.") }</p>
            }
            // The long explanations one click away, so the playground keeps its height for the results.
            <details class="env-more">
                <summary>{ "Why these chefs, and isolation" }</summary>
                if env.threads_unavailable.is_none() {
                    <p class="help" id="env-why">{ format!("Why: {}.", env.backend_reason) }</p>
                }
                <p class="help" id="env-isolation">{ format!("Isolation: {}.", env.isolation) }</p>
            </details>
        </section>
    }
}
