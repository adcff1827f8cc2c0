//! Keyboard shortcuts: when a key is the analyst's shortcut and when it is their typing.

use leptos::ev::KeyboardEvent;
use wasm_bindgen::JsCast;

/// Whether a key press belongs to what is being typed (a text field, a note, a menu) or comes with a
/// modifier, so no shortcut takes it. A checkbox is not typed into.
pub fn typed(ev: &KeyboardEvent) -> bool {
    let typing = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                && el.get_attribute("type").as_deref() != Some("checkbox")
        });
    typing || ev.ctrl_key() || ev.meta_key() || ev.alt_key()
}
