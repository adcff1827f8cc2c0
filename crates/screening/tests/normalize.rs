//! Runs natively and, with `--target wasm32-unknown-unknown`, in headless Chromium: the browser must
//! normalise exactly as the server does.

use clearance_screening::normalize::fold;

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn folds_punctuation_particles_and_order() {
    assert_eq!(fold("  AL-QAIDA,  Network "), "network al qaida");
    assert_eq!(
        fold("CANO CORREA, Jhon Eidelber"),
        "jhon eidelber cano correa"
    );
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn neutralises_lookalikes_and_transliterates() {
    assert_eq!(fold("САNО СОRRЕА"), "cano correa");
    assert_eq!(fold("Дмитрий Попов"), "dmitrii popov");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn punctuation_only_is_empty() {
    assert_eq!(fold(" ,.-' "), "");
}
