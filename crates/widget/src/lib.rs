//! The embeddable widget's JavaScript surface. A host page loads the wasm bundle and calls these functions;
//! everything they compute stays in the browser.

use wasm_bindgen::prelude::*;

/// The name in the form the screening engine compares, so a host page can show the user what will be
/// screened before anything leaves the browser.
#[wasm_bindgen(js_name = normalizeName)]
pub fn normalize_name(name: &str) -> String {
    clearance_screening::normalize::fold(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_like_the_screening_engine() {
        assert_eq!(normalize_name("Smith,  JOHN"), "john smith");
    }
}
