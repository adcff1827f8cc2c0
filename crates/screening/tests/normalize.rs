//! Runs natively and, with `--target wasm32-unknown-unknown`, in headless Chromium.

use clearance_screening::normalize::fold;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fold_ignores_case_punctuation_and_spacing() {
    assert_eq!(fold("  AL-QAIDA,  Network "), "al qaida network");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn fold_of_punctuation_only_is_empty() {
    assert_eq!(fold(" ,.-' "), "");
}
