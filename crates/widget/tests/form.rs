//! The frame's form in headless Chromium: every input named by its Straddle path with a visible label,
//! secrets hidden until revealed, errors inline as the user types and never repeating the value, and the
//! values read back as the create request.
#![cfg(target_arch = "wasm32")]

use clearance_widget::form::Form;
use clearance_widget::options::CustomerType;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{Element, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

const TODAY: &str = "2026-12-01";

fn mount(customer_type: CustomerType) -> (Element, Form) {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let form = Form::build(&document, &root, customer_type, TODAY).unwrap();
    (root, form)
}

fn input(root: &Element, name: &str) -> HtmlInputElement {
    root.query_selector(&format!("input[name=\"{name}\"]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no input named {name}"))
        .dyn_into()
        .unwrap()
}

fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    let event = web_sys::Event::new("input").unwrap();
    input.dispatch_event(&event).unwrap();
}

fn error_of(root: &Element, input: &HtmlInputElement) -> Option<String> {
    let error = root
        .query_selector(&format!("#{}-error", input.id()))
        .unwrap()
        .unwrap();
    (!error.has_attribute("hidden")).then(|| error.text_content().unwrap_or_default())
}

#[wasm_bindgen_test]
fn inputs_are_named_by_straddle_path_and_labelled() {
    let (root, _form) = mount(CustomerType::Individual);
    for name in [
        "name",
        "email",
        "phone",
        "compliance_profile.dob",
        "compliance_profile.ssn",
        "address.address1",
        "address.city",
        "address.state",
        "address.zip",
    ] {
        let field = input(&root, name);
        let label = root
            .query_selector(&format!("label[for=\"{}\"]", field.id()))
            .unwrap();
        assert!(
            label.is_some_and(|l| !l.text_content().unwrap_or_default().is_empty()),
            "{name} has a visible label"
        );
    }
    let submits = root.query_selector_all("button[type=submit]").unwrap();
    assert_eq!(submits.length(), 1, "one submit button");
    let (business, _form) = mount(CustomerType::Business);
    input(&business, "compliance_profile.ein");
    input(&business, "compliance_profile.legal_business_name");
}

#[wasm_bindgen_test]
fn secrets_are_hidden_until_the_user_reveals_them() {
    let (root, _form) = mount(CustomerType::Individual);
    let ssn = input(&root, "compliance_profile.ssn");
    let security = |input: &HtmlInputElement| {
        input
            .style()
            .get_property_value("-webkit-text-security")
            .unwrap_or_default()
    };
    assert_eq!(
        ssn.type_(),
        "text",
        "never a password field a browser would offer to save"
    );
    assert_eq!(security(&ssn), "disc");
    let toggle: web_sys::HtmlElement = root
        .query_selector(&format!("button[aria-controls=\"{}\"]", ssn.id()))
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    toggle.click();
    assert_eq!(security(&ssn), "none");
    assert_eq!(
        toggle.get_attribute("aria-pressed").as_deref(),
        Some("true")
    );
    toggle.click();
    assert_eq!(security(&ssn), "disc");
}

#[wasm_bindgen_test]
fn errors_show_inline_as_the_user_types_and_never_repeat_the_value() {
    let (root, form) = mount(CustomerType::Individual);
    let ssn = input(&root, "compliance_profile.ssn");
    type_into(&ssn, "666-44-8890");
    let error = error_of(&root, &ssn).expect("an invalid SSN shows an error");
    assert!(
        !error.contains("8890") && !error.contains("666-44"),
        "{error}"
    );
    assert_eq!(ssn.get_attribute("aria-invalid").as_deref(), Some("true"));
    type_into(&ssn, "512-44-8890");
    assert_eq!(error_of(&root, &ssn), None);
    assert!(!form.check_all(), "the empty required fields fail");
    assert!(error_of(&root, &input(&root, "name")).is_some());
}

#[wasm_bindgen_test]
fn the_values_make_the_create_request() {
    let (root, form) = mount(CustomerType::Individual);
    for (name, value) in [
        ("name", "Ron Swanson"),
        ("email", "ron@pawnee.gov"),
        ("phone", "+12128675309"),
        ("address.address1", "123 Main St"),
        ("address.city", "Pawnee"),
        ("address.state", "IN"),
        ("address.zip", "47998"),
        ("compliance_profile.dob", "1972-05-06"),
        ("compliance_profile.ssn", "512-44-8890"),
    ] {
        type_into(&input(&root, name), value);
    }
    assert!(form.check_all());
    let request = form.request();
    assert_eq!(request["type"], "individual");
    assert_eq!(request["address"]["city"], "Pawnee");
    assert_eq!(request["compliance_profile"]["ssn"], "512-44-8890");
    assert!(request["address"].get("address2").is_none());
}

#[wasm_bindgen_test]
fn a_dropped_form_stops_listening() {
    let (root, form) = mount(CustomerType::Individual);
    let ssn = input(&root, "compliance_profile.ssn");
    drop(form);
    type_into(&ssn, "666-44-8890");
    assert_eq!(error_of(&root, &ssn), None, "no listener is left to run");
}
