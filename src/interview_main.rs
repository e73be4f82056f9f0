//! The interview page's entry point (interview.html): install the panic hook
//! and mount interview mode. Its wasm carries no playground.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scalesim_web::InterviewApp);
}

/// Natively this binary does nothing: the native entry point is `scalesim`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("scalesim-interview is a browser entry point; run `scalesim` for the command line");
}
