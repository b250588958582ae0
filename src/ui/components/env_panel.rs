//! What this browser offers: isolation, cores, worker threads, timer resolution.

use yew::prelude::*;

use crate::runtime::env::Env;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub env: Option<Env>,
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
                <div><dt>{ "Cross-origin isolated" }</dt><dd id="env-coi">{ yes_no(env.cross_origin_isolated) }</dd></div>
                <div><dt>{ "SharedArrayBuffer" }</dt><dd id="env-sab">{ yes_no(env.shared_array_buffer) }</dd></div>
                <div><dt>{ "Cores reported" }</dt><dd id="env-cores">{ env.hardware_concurrency }</dd></div>
                <div><dt>{ "Worker threads started" }</dt><dd id="env-threads">{ env.threads }</dd></div>
                <div><dt>{ "Timer resolution" }</dt><dd>{ format!("{:.3} ms", env.timer_resolution_ms) }</dd></div>
            </dl>
            if let Some(why) = &env.threads_unavailable {
                <p class="warning" role="alert">{ format!("Parallel models are unavailable: {why}.") }</p>
            }
        </section>
    }
}
