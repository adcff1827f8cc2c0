//! The embeddable onboarding widget. One wasm module serves both sides of the frame boundary: on the host
//! page, the loader script (`clearance-widget.js`) uses it to check the mount options and every message
//! the frame sends; inside the frame Clearance serves, it builds the form, checks each field with the
//! screening crate's validators and assembles the create request. Values cross the JS boundary with
//! serde-wasm-bindgen into the typed structs of `options` and `protocol`, so a wrong value is an error
//! that names it.

pub mod fields;
pub mod form;
pub mod frame;
pub mod options;
pub mod prescreen;
pub mod protocol;

use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The name in the form the screening engine compares, so a host page can show the user what will be
/// screened before anything leaves the browser.
#[wasm_bindgen(js_name = normalizeName)]
pub fn normalize_name(name: &str) -> String {
    clearance_screening::normalize::fold(name)
}

/// The mount options, checked and normalised, or an `Error` naming what is wrong.
#[wasm_bindgen(js_name = validateOptions)]
pub fn validate_options(options: JsValue) -> Result<JsValue, JsError> {
    // Through a JSON value: serde-wasm-bindgen reads only a struct's known keys, so a misspelt option
    // would pass unseen; serde_json sees every key and names the unknown one.
    let options: serde_json::Value = serde_wasm_bindgen::from_value(options)
        .map_err(|e| JsError::new(&format!("clearance-onboarding: {e}")))?;
    let options: options::Options = serde_path_to_error::deserialize(options).map_err(|e| {
        let path = e.path().to_string();
        JsError::new(&format!("clearance-onboarding: {path}: {}", e.into_inner()))
    })?;
    let checked = options
        .checked()
        .map_err(|e| JsError::new(&e.to_string()))?;
    let json = serde_json::json!({
        "endpoint": checked.endpoint,
        "publishableKey": checked.publishable_key,
        "customerType": match checked.customer_type {
            options::CustomerType::Individual => "individual",
            options::CustomerType::Business => "business",
        },
        "theme": checked
            .theme
            .values()
            .into_iter()
            .map(|(name, value)| (name.to_owned(), serde_json::json!(value)))
            .collect::<serde_json::Map<_, _>>(),
    });
    json.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// A frame message the host may act on, or `undefined` for one to ignore: from another origin, of an
/// unknown shape, or with implausible values.
#[wasm_bindgen(js_name = acceptMessage)]
pub fn accept_message(origin: &str, expected_origin: &str, data: JsValue) -> JsValue {
    let Ok(data) = serde_wasm_bindgen::from_value::<serde_json::Value>(data) else {
        return JsValue::UNDEFINED;
    };
    protocol::Message::accept(origin, expected_origin, data)
        .and_then(|m| {
            m.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
                .ok()
        })
        .unwrap_or(JsValue::UNDEFINED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_the_screening_engine() {
        assert_eq!(normalize_name("Smith,  JOHN"), "john smith");
    }
}
