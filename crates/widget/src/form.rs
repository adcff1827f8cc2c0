//! The form inside the frame: built from [`fields::form`], each input checked by the shared validators as
//! it changes, with its error inline beside it (never the value), the secrets hidden until the user
//! reveals them, and the values read back as the create request. It runs only in the frame Clearance
//! serves, so the host page's scripts and styles cannot reach it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlButtonElement, HtmlElement, HtmlInputElement};

use crate::fields::{self, Field};
use crate::options::CustomerType;

/// One field as built: its spec, its input, and where its error shows.
struct Built {
    field: Field,
    input: HtmlInputElement,
    error: HtmlElement,
}

/// A built form. Dropping it keeps the DOM and removes the listeners, so no event reaches a dropped
/// closure.
pub struct Form {
    element: HtmlElement,
    customer_type: CustomerType,
    today: String,
    fields: Rc<Vec<Built>>,
    submit: HtmlButtonElement,
    listeners: Vec<Listener>,
}

/// A listener with its element and event, so it can be removed.
struct Listener {
    element: HtmlElement,
    event: &'static str,
    callback: Closure<dyn FnMut(Event)>,
}

impl Drop for Form {
    fn drop(&mut self) {
        for listener in &self.listeners {
            listener
                .element
                .remove_event_listener_with_callback(
                    listener.event,
                    listener.callback.as_ref().unchecked_ref(),
                )
                .ok();
        }
    }
}

fn create<T: JsCast>(document: &Document, tag: &str) -> Result<T, JsValue> {
    document
        .create_element(tag)?
        .dyn_into::<T>()
        .map_err(|_| JsValue::from_str(tag))
}

impl Form {
    /// Builds the form for `customer_type` inside `parent`. `today` (`YYYY-MM-DD`) bounds the date of
    /// birth.
    pub fn build(
        document: &Document,
        parent: &Element,
        customer_type: CustomerType,
        today: &str,
    ) -> Result<Self, JsValue> {
        let element: HtmlElement = create(document, "form")?;
        element.set_attribute("novalidate", "")?;
        element.set_class_name("clearance-form");
        let mut built = Vec::new();
        let mut toggles = Vec::new();
        for (i, field) in fields::form(customer_type).into_iter().enumerate() {
            let id = format!("clearance-field-{i}");
            let wrapper: HtmlElement = create(document, "div")?;
            wrapper.set_class_name("field");
            let label: HtmlElement = create(document, "label")?;
            label.set_attribute("for", &id)?;
            label.set_text_content(Some(field.label));
            let input: HtmlInputElement = create(document, "input")?;
            input.set_id(&id);
            input.set_name(field.name);
            input.set_type(field.input_type());
            conceal(&input, &field, false);
            input.set_attribute("autocomplete", field.autocomplete)?;
            input.set_required(field.required);
            input.set_attribute("aria-describedby", &format!("{id}-hint {id}-error"))?;
            if field.is_secret() {
                input.set_attribute("spellcheck", "false")?;
                input.set_attribute("autocapitalize", "off")?;
            }
            let hint: HtmlElement = create(document, "small")?;
            hint.set_id(&format!("{id}-hint"));
            hint.set_text_content(Some(field.hint));
            let error: HtmlElement = create(document, "p")?;
            error.set_id(&format!("{id}-error"));
            error.set_class_name("error");
            error.set_hidden(true);
            wrapper.append_child(&label)?;
            wrapper.append_child(&input)?;
            if field.is_secret() {
                let toggle: HtmlButtonElement = create(document, "button")?;
                toggle.set_type("button");
                toggle.set_class_name("reveal");
                toggle.set_text_content(Some("Show"));
                toggle.set_attribute("aria-controls", &id)?;
                toggle.set_attribute("aria-pressed", "false")?;
                wrapper.append_child(&toggle)?;
                toggles.push((built.len(), toggle));
            }
            wrapper.append_child(&hint)?;
            wrapper.append_child(&error)?;
            element.append_child(&wrapper)?;
            built.push(Built {
                field,
                input,
                error,
            });
        }
        let submit: HtmlButtonElement = create(document, "button")?;
        submit.set_type("submit");
        submit.set_text_content(Some("Continue"));
        element.append_child(&submit)?;
        parent.append_child(&element)?;

        let fields = Rc::new(built);
        let mut listeners = Vec::new();
        for i in 0..fields.len() {
            let shared = Rc::clone(&fields);
            let today = today.to_owned();
            let listener = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                show(&shared[i], &today);
            });
            fields[i]
                .input
                .add_event_listener_with_callback("input", listener.as_ref().unchecked_ref())?;
            listeners.push(Listener {
                element: fields[i].input.clone().into(),
                event: "input",
                callback: listener,
            });
        }
        for (i, toggle) in toggles {
            let shared = Rc::clone(&fields);
            let button = toggle.clone();
            let revealed = Rc::new(RefCell::new(false));
            let listener = Closure::<dyn FnMut(Event)>::new(move |_: Event| {
                let mut shown = revealed.borrow_mut();
                *shown = !*shown;
                let built = &shared[i];
                conceal(&built.input, &built.field, *shown);
                button.set_text_content(Some(if *shown { "Hide" } else { "Show" }));
                button
                    .set_attribute("aria-pressed", if *shown { "true" } else { "false" })
                    .ok();
            });
            toggle.add_event_listener_with_callback("click", listener.as_ref().unchecked_ref())?;
            listeners.push(Listener {
                element: toggle.into(),
                event: "click",
                callback: listener,
            });
        }
        Ok(Self {
            element,
            customer_type,
            today: today.to_owned(),
            fields,
            submit,
            listeners,
        })
    }

    /// Disables the submit button while a create is under way, so one click makes one customer.
    pub fn set_busy(&self, busy: bool) {
        self.submit.set_disabled(busy);
        self.submit
            .set_attribute("aria-busy", if busy { "true" } else { "false" })
            .ok();
    }

    /// The `<form>` element, for the frame to listen for its submit.
    pub fn element(&self) -> &HtmlElement {
        &self.element
    }

    /// Checks every field and shows each error; whether all passed.
    pub fn check_all(&self) -> bool {
        // Every field is checked, not only up to the first failure, so every error shows at once.
        let failed = self
            .fields
            .iter()
            .filter(|built| !show(built, &self.today))
            .count();
        failed == 0
    }

    /// Shows the server's field errors (`reference` is the field's path, as each input's `name`) under
    /// their inputs. The browser checks first, so these are what only the server knows, such as a value
    /// another customer already has; one for a field the form lacks stays in the host's event.
    pub fn show_refusals(&self, items: &[(String, String)]) {
        for (reference, detail) in items {
            if let Some(built) = self.fields.iter().find(|b| b.field.name == reference) {
                mark(built, Some(detail));
            }
        }
    }

    /// The create request the current values make.
    pub fn request(&self) -> serde_json::Value {
        let values: Vec<(&str, String)> = self
            .fields
            .iter()
            .map(|built| (built.field.name, built.input.value()))
            .collect();
        let borrowed: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
        fields::request(self.customer_type, &borrowed)
    }
}

/// Draws a secret's characters as discs, or in the clear once the user reveals it.
fn conceal(input: &HtmlInputElement, field: &Field, revealed: bool) {
    if let Some(security) = field.text_security(revealed) {
        input
            .style()
            .set_property("-webkit-text-security", security)
            .ok();
    }
}

/// Checks one field and shows or clears its error; whether it passed.
fn show(built: &Built, today: &str) -> bool {
    let checked = built.field.check(&built.input.value(), today);
    mark(built, checked.as_ref().err().map(String::as_str));
    checked.is_ok()
}

/// Shows `error` under the field's input and marks the input invalid, or clears both.
fn mark(built: &Built, error: Option<&str>) {
    built.error.set_text_content(error);
    built.error.set_hidden(error.is_none());
    match error {
        Some(_) => built.input.set_attribute("aria-invalid", "true").ok(),
        None => built.input.remove_attribute("aria-invalid").ok(),
    };
}
