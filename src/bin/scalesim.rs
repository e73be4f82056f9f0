//! The native `scalesim` command. All logic lives in [`scalesim::cli`].

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(scalesim::cli::main(&args));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
