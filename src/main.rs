//! Web entry point: install the panic hook and mount the app.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scalesim_web::App);
}

/// Natively this binary does nothing: the native entry point is `scalesim`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("scalesim-web is the browser entry point; run `scalesim` for the command line");
}
