//! Browser tests of the UI's logic that needs the browser (no DOM): the
//! interview page's link, read with the browser's URI decoding.
//! `cargo test --target wasm32-unknown-unknown -p scalesim-web --test web_logic`.
//! The model layer's logic is tested natively: `web/tests/model.rs`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn the_interview_page_reads_its_own_links() {
    let link = scalesim_web::read_interview_link("?interview=flash-sale&q=2&embed=1");
    assert_eq!(link.open, Some(("flash-sale".to_string(), Some(1))));
    assert!(link.embed && link.problem.is_none());
    let bad = scalesim_web::read_interview_link("?interview=flash-sail");
    assert_eq!(bad.open, None);
    assert!(bad.problem.unwrap().contains("flash-sail"));
}
