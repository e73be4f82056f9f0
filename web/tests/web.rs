//! Browser tests of the UI components, in headless Chromium:
//! `cargo test --target wasm32-unknown-unknown -p scalesim-web` (runner: wasm-bindgen-test-runner).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use scalesim_web::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod web_support;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app with every built-in scenario already loaded (the page would
/// fetch them), so its first scenario opens at once.
fn mount_app() -> (web_sys::HtmlElement, impl Drop) {
    web_support::load_built_ins();
    let doc = document();
    let host: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), App);
    (host, handle)
}

fn canvas_ink(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let data = ctx
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap()
        .data();
    let bg = (data[0], data[1], data[2]);
    data.chunks(4).filter(|p| (p[0], p[1], p[2]) != bg).count()
}

#[wasm_bindgen_test]
async fn the_app_shell_has_every_layout_region_with_a_heading() {
    let (host, _handle) = mount_app();
    leptos::task::tick().await;
    for (id, title) in [
        ("diagram", "Architecture diagram"),
        ("charts", "Charts"),
        ("actions", "Actions"),
        ("slo", "Error budget (SLO)"),
        ("timeline", "Timeline"),
        ("interview", "Interview"),
    ] {
        let region = host
            .query_selector(&format!("section#{id}"))
            .unwrap()
            .unwrap_or_else(|| panic!("no region {id}"));
        let heading_id = region.get_attribute("aria-labelledby").unwrap();
        let heading = host
            .query_selector(&format!("#{heading_id}"))
            .unwrap()
            .unwrap();
        assert_eq!(heading.text_content().unwrap(), title);
    }
    assert!(host.query_selector("header.top-bar h1").unwrap().is_some());
    // The simulator's first frame is drawn: a diagram with zones, a clock and actions.
    assert!(host
        .query_selector("svg.diagram .zone-box")
        .unwrap()
        .is_some());
    assert!(host
        .query_selector(".sim-clock")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
        .starts_with("T+0:00"));
    let buttons: Vec<String> = {
        let list = host.query_selector_all("#actions button").unwrap();
        (0..list.length())
            .map(|i| list.item(i).unwrap().text_content().unwrap())
            .collect()
    };
    for name in [
        "Trigger spike",
        "Kill pod",
        "Kill node",
        "Inject latency",
        "Bad release",
        "Memory leak",
        "Restore",
    ] {
        assert!(
            buttons.iter().any(|b| b == name),
            "no {name} button in {buttons:?}"
        );
    }
    assert!(buttons.iter().any(|b| b.starts_with("Kill zone ")));
    assert!(buttons.iter().any(|b| b.starts_with("Kill region ")));
    host.remove();
}

#[wasm_bindgen_test]
async fn the_queueing_chart_draws_on_its_canvas_and_redraws_for_the_dark_theme() {
    let (host, _handle) = mount_app();
    leptos::task::tick().await;
    let canvas: web_sys::HtmlCanvasElement = host
        .query_selector("#queueing-chart")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let light_ink = canvas_ink(&canvas);
    assert!(
        light_ink > 2000,
        "canvas looks blank: {light_ink} drawn pixels"
    );

    let toggle: web_sys::HtmlElement = host
        .query_selector(".theme-toggle")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let before = toggle.get_attribute("data-theme-now").unwrap();
    toggle.click();
    leptos::task::tick().await;
    let after = toggle.get_attribute("data-theme-now").unwrap();
    assert_ne!(before, after, "the toggle did not change the theme");
    assert_eq!(
        document()
            .document_element()
            .unwrap()
            .get_attribute("data-theme")
            .as_deref(),
        Some(after.as_str())
    );
    let ctx: web_sys::CanvasRenderingContext2d =
        canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let corner = ctx.get_image_data(1.0, 1.0, 1.0, 1.0).unwrap().data();
    let dark_background = corner[0] < 64;
    assert_eq!(
        dark_background,
        after == "dark",
        "chart background does not follow the theme"
    );
    // Restore, so the other tests start from the same state.
    toggle.click();
    leptos::task::tick().await;
    host.remove();
}

/// Sets `select` to `value` and fires its change event, as a learner's pick does.
fn pick(select: &web_sys::HtmlSelectElement, value: &str) {
    select.set_value(value);
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
}

async fn ticks(n: usize) {
    for _ in 0..n {
        leptos::task::tick().await;
    }
}

#[wasm_bindgen_test]
async fn the_clients_controls_show_on_the_retry_storm_and_a_change_lands_in_the_timeline() {
    let (host, _handle) = mount_app();
    ticks(2).await;
    // First steps: its clients neither retry nor have a breaker.
    assert!(host.query_selector("fieldset.clients").unwrap().is_none());
    let scenario: web_sys::HtmlSelectElement = host
        .query_selector("select[aria-label='Scenario']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    pick(&scenario, "retry-storm");
    ticks(4).await;
    let clients = host
        .query_selector("fieldset.clients")
        .unwrap()
        .expect("the Clients controls on the retry storm");
    assert_eq!(
        clients
            .query_selector("legend")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Clients"
    );
    let selects = clients.query_selector_all("select").unwrap();
    let backoff: web_sys::HtmlSelectElement = selects.item(0).unwrap().unchecked_into();
    let jitter: web_sys::HtmlSelectElement = selects.item(1).unwrap().unchecked_into();
    // The scenario's clients retry at once: no backoff, so no jitter to pick.
    assert_eq!(backoff.value(), "none");
    assert!(jitter.disabled());
    pick(&backoff, "exponential");
    ticks(4).await;
    assert_eq!(backoff.value(), "exponential");
    assert!(!jitter.disabled(), "jitter applies once there is a backoff");
    let log = host
        .query_selector("[role='log']")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(
        log.contains("clients now retry up to 3 times (4 attempts), exponential backoff without jitter (in step), no retry budget"),
        "{log}"
    );
    // Out of range: refused in the field, the run stays.
    let attempts: web_sys::HtmlInputElement = clients
        .query_selector("input[type='number']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    attempts.set_value("12");
    attempts
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    ticks(2).await;
    assert_eq!(attempts.value(), "4");
    let alert = clients.query_selector("[role='alert']").unwrap().unwrap();
    assert!(alert
        .text_content()
        .unwrap()
        .contains("from 1 to 10 attempts"));
    host.remove();
}

/// The pages read actions as link codes only (the table reader stays out of the wasm):
/// every built-in's events, drill faults and playbooks, and configure answers read here.
#[wasm_bindgen_test]
fn every_built_in_reads_in_the_browser_with_its_actions_as_link_codes() {
    for (name, json) in web_support::BUILT_IN_JSON {
        let s = scalesim::scenario::load_json(&format!("{name}.json"), json)
            .unwrap_or_else(|e| panic!("{e}"));
        let questions = s.questions().unwrap_or_else(|e| panic!("{name}: {e}"));
        for q in &questions {
            if let scalesim::grade::Question::Drill(d) = q {
                let again = s
                    .drill_question(&d.id)
                    .unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(&again, d);
            }
        }
    }
    // A table where the pages expect a code says what it wants.
    let table = r#"{"title":"t","traffic":{"profile":{"kind":"constant","rps":1}},
        "events":[{"at_s":1,"action":{"kind":"cache_flush"}}]}"#;
    let err = scalesim::scenario::load_json("t.json", table).unwrap_err();
    assert!(err.message.contains("link code"), "{}", err.message);
}
