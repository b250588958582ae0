//! On wasm32 this starts the web app; natively it is the command-line runner.

#[cfg(target_arch = "wasm32")]
fn main() {
    kitchen::start();
}

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}
