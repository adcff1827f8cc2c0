//! The widget's JavaScript boundary, in headless Chromium: options and frame messages arrive as real JS
//! values and cross into the typed Rust structs with serde-wasm-bindgen.
#![cfg(target_arch = "wasm32")]

use clearance_widget::{accept_message, validate_options};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn js(json: &str) -> JsValue {
    js_sys::JSON::parse(json).expect("test JSON parses")
}

fn text(value: &JsValue, path: &[&str]) -> Option<String> {
    let mut at = value.clone();
    for key in path {
        at = js_sys::Reflect::get(&at, &JsValue::from_str(key)).ok()?;
    }
    at.as_string()
}

const CLEARANCE: &str = "https://clearance.example";

#[wasm_bindgen_test]
fn options_are_checked_and_normalised() {
    let Ok(checked) = validate_options(js(
        r#"{"endpoint": "https://clearance.example/", "publishableKey": "pk_1", "customerType": "business"}"#,
    )) else {
        panic!("good options refused");
    };
    assert_eq!(text(&checked, &["endpoint"]).as_deref(), Some(CLEARANCE));
    assert_eq!(
        text(&checked, &["customerType"]).as_deref(),
        Some("business")
    );
}

#[wasm_bindgen_test]
fn wrong_options_are_errors_that_name_them() {
    for (options, named) in [
        (
            r#"{"endpoint": "https://c.example", "publishableKey": "pk_1", "colour": "red"}"#,
            "colour",
        ),
        (
            r#"{"endpoint": "https://c.example", "publishableKey": "clr_1"}"#,
            "pk_",
        ),
        (r#"{"publishableKey": "pk_1"}"#, "endpoint"),
        (
            r#"{"endpoint": "https://c.example", "publishableKey": "pk_1", "customerType": 3}"#,
            "customerType",
        ),
    ] {
        let Err(error) = validate_options(js(options)) else {
            panic!("accepted {options}");
        };
        let message = JsValue::from(error);
        let message = text(&message, &["message"]).unwrap_or_default();
        assert!(message.contains(named), "{options}: {message}");
    }
}

#[wasm_bindgen_test]
fn frame_messages_from_elsewhere_or_malformed_are_ignored() {
    let complete = r#"{"type": "clearance:complete",
        "detail": {"customerId": "0a1b-2c", "status": "review", "prescreen": {"potentialMatch": true}}}"#;
    let accepted = accept_message(CLEARANCE, CLEARANCE, js(complete));
    assert_eq!(
        text(&accepted, &["detail", "customerId"]).as_deref(),
        Some("0a1b-2c")
    );
    assert!(accept_message("https://evil.example", CLEARANCE, js(complete)).is_undefined());
    for bad in [
        "null",
        "42",
        r#"{"type": "clearance:resize"}"#,
        r#"{"type": "clearance:error", "detail": {"code": "network", "message": 7}}"#,
        r#"{"type": "clearance:complete", "detail": {"customerId": "0a", "status": "review",
            "prescreen": {"potentialMatch": true}, "ssn": "512-44-8890"}}"#,
    ] {
        assert!(
            accept_message(CLEARANCE, CLEARANCE, js(bad)).is_undefined(),
            "{bad}"
        );
    }
}
