//! The HPA explorer's entry point (hpa.html): install the panic hook and mount the
//! explorer. Its wasm carries no playground and no interview mode, so the manifest
//! reader (every HPA API version, multi-document files, per-metric loads) does not weigh
//! on the playground's download.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scalesim_web::HpaApp);
}

/// Natively this binary does nothing: the native entry point is `scalesim hpa`.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("scalesim-hpa is a browser entry point; run `scalesim hpa` for the command line");
}
