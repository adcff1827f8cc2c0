//! Masking and validation, natively and in headless Chromium: the onboarding widget and the console must
//! mask and validate exactly as the server does.

use clearance_screening::pii::{DateOfBirth, Ein, Phone, Sensitive, Ssn, validate_zip};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn masks_as_straddle_and_keeps_last_four_for_display() {
    let ssn = Ssn::parse("123456789").unwrap();
    assert_eq!(ssn.expose(), "123-45-6789");
    assert_eq!(ssn.masked().as_str(), "***-**-****");
    assert_eq!(ssn.masked_for_display().as_str(), "***-**-6789");
    assert!(!format!("{ssn:?}").contains("6789"));
    assert_eq!(
        Ein::parse("12-3456789").unwrap().masked().as_str(),
        "**-*******"
    );
    let dob = DateOfBirth::parse("1980-07-04", "2026-11-21").unwrap();
    assert_eq!(dob.masked().as_str(), "****-**-**");
}

#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
#[cfg_attr(not(target_arch = "wasm32"), test)]
fn rejects_with_precise_messages() {
    let error = Ssn::parse("666-12-3456").unwrap_err();
    assert_eq!(error.field, "ssn");
    assert!(error.message.contains("666"));
    assert!(
        !error.message.contains("3456"),
        "messages never repeat the value"
    );
    assert!(Phone::parse("555-0100").is_err());
    assert!(validate_zip("9021").is_err());
}
