//! The page inside the frame. It reads its settings from its own URL (the loader wrote them; they are
//! checked again here, and the server lets only the named host origin, one of the key's, frame the
//! page), builds the form, and on submit pre-screens the names in the worker while it creates the
//! customer with the publishable key on its own server. The outcome goes to the host page by
//! `postMessage`, addressed to that origin; the form shows the same neutral acknowledgement whatever the
//! screening found.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Document, Element, Event, HtmlElement, Window};

use crate::form::Form;
use crate::options::{self, CustomerType, Options, Theme};
use crate::prescreen::{self, Prescreen};
use crate::protocol::{Code, Complete, Failure, Message, Prescreen as Flag, Status};

/// What the end user reads once the details are sent: the same whatever the screening found, so the form
/// never tells a listed person they resemble a listing.
const RECEIVED: &str = "Thank you. We have received your details.";
/// What the end user reads when the details could not be sent; the host's event says why.
const NOT_SENT: &str = "We could not send your details. Please check them and try again.";

/// The frame's settings: the checked options, and the host page's origin, where messages go.
struct Settings {
    options: Options,
    host: String,
}

fn settings(window: &Window) -> Result<Settings, String> {
    let location = window.location();
    let search = location.search().map_err(|_| "no URL")?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).map_err(|_| "no URL")?;
    let get = |name: &str| params.get(name);
    let customer_type = match get("type").as_deref() {
        None | Some("individual") => CustomerType::Individual,
        Some("business") => CustomerType::Business,
        Some(_) => return Err("type must be individual or business".into()),
    };
    let options = Options {
        endpoint: location.origin().map_err(|_| "no origin")?,
        publishable_key: get("key").unwrap_or_default(),
        customer_type,
        theme: Theme {
            accent: get("accent"),
            background: get("background"),
            text: get("text"),
            font: get("font"),
            radius: get("radius"),
        },
    }
    .checked()
    .map_err(|e| e.to_string())?;
    let host = get("origin")
        .filter(|origin| options::is_origin(origin))
        .ok_or("origin must be the host page's origin")?;
    Ok(Settings { options, host })
}

/// Sets the theme as CSS custom properties on the frame's root; `frame.css` reads them.
fn apply(theme: &Theme, document: &Document) -> Result<(), JsValue> {
    let root: HtmlElement = document.document_element().ok_or("no root")?.dyn_into()?;
    for (name, value) in theme.values() {
        if let Some(value) = value {
            root.style()
                .set_property(&format!("--clearance-{name}"), value)?;
        }
    }
    Ok(())
}

/// Everything the page keeps for as long as it is open.
struct Frame {
    window: Window,
    main: Element,
    form: Form,
    prescreen: Prescreen,
    settings: Settings,
    busy: Cell<bool>,
    /// The Idempotency-Key of the values as they stand: kept across retries of one submission, so a
    /// resubmit after a lost answer cannot make a second customer; a new one once a field changes.
    attempt: RefCell<Option<String>>,
    /// Where a failed submission is explained to the end user.
    notice: HtmlElement,
}

impl Frame {
    fn post(&self, message: &Message) {
        let Ok(value) = serde_wasm_bindgen::to_value(message) else {
            return;
        };
        if let Some(parent) = self.window.parent().ok().flatten() {
            parent.post_message(&value, &self.settings.host).ok();
        }
    }

    /// Tells the host how tall the content is, so the frame shows it whole.
    fn resize(&self) {
        let height = self.main.scroll_height().max(0).unsigned_abs();
        self.post(&Message::Resize {
            height: height.saturating_add(2),
        });
    }

    fn fail(&self, code: Code, message: &str) {
        self.post(&Message::Error {
            detail: Failure {
                code,
                message: message.to_owned(),
            },
        });
    }
}

/// Starts the frame page: `frame.js` calls this once the module is loaded.
#[wasm_bindgen(js_name = startFrame)]
pub fn start_frame() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let main = document
        .get_element_by_id("clearance-frame")
        .ok_or("no #clearance-frame")?;
    let embedded = window.top().ok().flatten().is_some_and(|top| top != window);
    let settings = match settings(&window) {
        Ok(_) if !embedded => {
            main.set_text_content(Some("This form is shown only inside a sign-up page."));
            return Ok(());
        }
        Ok(settings) => settings,
        Err(why) => {
            // No trustworthy host origin to tell: say so in the frame, for the integrator to see.
            main.set_text_content(Some(&format!("This form is not set up correctly: {why}")));
            return Ok(());
        }
    };
    apply(&settings.options.theme, &document)?;
    let today: String = String::from(js_sys::Date::new_0().to_iso_string())
        .chars()
        .take(10)
        .collect();
    let form = Form::build(&document, &main, settings.options.customer_type, &today)?;
    let notice: HtmlElement = document.create_element("p")?.dyn_into()?;
    notice.set_class_name("notice");
    notice.set_attribute("role", "alert")?;
    notice.set_hidden(true);
    main.append_child(&notice)?;
    // Whether the pre-screen can run is the page's state, never the end user's concern: shown on the
    // form as `data-prescreen` (`ready` or `unavailable`) for the integrator's tools and tests.
    let prescreen = Prescreen::start({
        let form = form.element().clone();
        move |ready| {
            let state = if ready { "ready" } else { "unavailable" };
            form.set_attribute("data-prescreen", state).ok();
        }
    })?;
    let frame = Rc::new(Frame {
        window,
        main,
        form,
        prescreen,
        settings,
        busy: Cell::new(false),
        attempt: RefCell::new(None),
        notice,
    });
    let on_input = {
        let frame = Rc::clone(&frame);
        Closure::<dyn FnMut(Event)>::new(move |_: Event| {
            frame.attempt.replace(None);
        })
    };
    let on_submit = {
        let frame = Rc::clone(&frame);
        Closure::<dyn FnMut(Event)>::new(move |event: Event| {
            event.prevent_default();
            if frame.busy.get() {
                return;
            }
            if !frame.form.check_all() {
                return;
            }
            frame.busy.set(true);
            frame.form.set_busy(true);
            wasm_bindgen_futures::spawn_local(submit(Rc::clone(&frame)));
        })
    };
    let element = frame.form.element();
    element.add_event_listener_with_callback("input", on_input.as_ref().unchecked_ref())?;
    element.add_event_listener_with_callback("submit", on_submit.as_ref().unchecked_ref())?;
    // Whatever changes the content's height (an error shown, a font loaded, a narrower frame), the host
    // hears of it, so the frame never scrolls inside.
    let on_resize = {
        let frame = Rc::clone(&frame);
        Closure::<dyn FnMut()>::new(move || frame.resize())
    };
    web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref())?.observe(&frame.main);
    // The page's listeners live as long as the page.
    on_input.forget();
    on_submit.forget();
    on_resize.forget();
    Ok(())
}

/// Every name the server screens in the request: the customer's, a business's legal name, and each
/// representative's.
fn screened_names(request: &Value) -> Vec<String> {
    let profile = &request["compliance_profile"];
    let representatives = profile["representatives"].as_array().into_iter().flatten();
    [&request["name"], &profile["legal_business_name"]]
        .into_iter()
        .chain(representatives.map(|r| &r["name"]))
        .filter_map(|name| name.as_str().map(str::to_owned))
        .collect()
}

/// 128 random bits in hex, from `getRandomValues` (which, unlike `randomUUID`, plain-HTTP pages have too);
/// empty if the browser gives no randomness, and the request then goes without a key.
fn attempt_key(window: &Window) -> String {
    let mut bytes = [0u8; 16];
    let filled = window
        .crypto()
        .ok()
        .is_some_and(|crypto| crypto.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

async fn submit(frame: Rc<Frame>) {
    frame.notice.set_hidden(true);
    let request = frame.form.request();
    let names = screened_names(&request);
    let asked = frame.prescreen.ask(names);
    let created = create(&frame, &request).await;
    let potential_match = prescreen::answered(asked).await;
    match created {
        Ok((customer_id, status)) => {
            frame.attempt.replace(None);
            frame.main.set_text_content(Some(RECEIVED));
            frame.post(&Message::Complete {
                detail: Complete {
                    customer_id,
                    status,
                    prescreen: Flag { potential_match },
                },
            });
        }
        Err(Refusal {
            code,
            message,
            items,
        }) => {
            frame.busy.set(false);
            frame.form.set_busy(false);
            frame.form.show_refusals(&items);
            frame.notice.set_text_content(Some(NOT_SENT));
            frame.notice.set_hidden(false);
            frame.fail(code, &message);
        }
    }
}

/// Why a create did not happen: the host's code and message, and the server's field errors as
/// `(reference, detail)`, shown under their inputs.
struct Refusal {
    code: Code,
    message: String,
    items: Vec<(String, String)>,
}

impl Refusal {
    fn network(message: &str) -> Self {
        Self {
            code: Code::Network,
            message: message.to_owned(),
            items: Vec::new(),
        }
    }
}

/// POSTs the customer to the frame's own server with the publishable key; the new id and status, or
/// what went wrong.
async fn create(frame: &Frame, request: &Value) -> Result<(String, Status), Refusal> {
    let network = |_| Refusal::network("the Clearance server could not be reached");
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_body(&JsValue::from_str(&request.to_string()));
    let headers = web_sys::Headers::new().map_err(network)?;
    let key = &frame.settings.options.publishable_key;
    headers
        .set("authorization", &format!("Bearer {key}"))
        .map_err(network)?;
    headers
        .set("content-type", "application/json")
        .map_err(network)?;
    let key = frame
        .attempt
        .borrow_mut()
        .get_or_insert_with(|| attempt_key(&frame.window))
        .clone();
    if !key.is_empty() {
        headers.set("idempotency-key", &key).map_err(network)?;
    }
    init.set_headers(&headers);
    let response: web_sys::Response =
        JsFuture::from(frame.window.fetch_with_str_and_init("/v1/customers", &init))
            .await
            .map_err(network)?
            .dyn_into()
            .map_err(network)?;
    let status = response.status();
    let body = JsFuture::from(response.json().map_err(network)?)
        .await
        .ok()
        .and_then(|v| serde_wasm_bindgen::from_value::<Value>(v).ok())
        .unwrap_or(Value::Null);
    if status == 201 {
        let id = body["data"]["id"].as_str().map(str::to_owned);
        let state = serde_json::from_value::<Status>(body["data"]["status"].clone()).ok();
        return match (id, state) {
            (Some(id), Some(state)) => Ok((id, state)),
            _ => Err(Refusal::network("the server's answer was not understood")),
        };
    }
    // The server's own sentence (it names fields, never their values), for the host's logs.
    let detail = body["error"]["detail"]
        .as_str()
        .unwrap_or("the server refused the request")
        .to_owned();
    let code = match status {
        403 => Code::NotAllowed,
        429 => Code::RateLimited,
        400..=499 => Code::Refused,
        _ => Code::Network,
    };
    let items = body["error"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| {
            let reference = item["reference"].as_str()?;
            Some((reference.to_owned(), item["detail"].as_str()?.to_owned()))
        })
        .collect();
    Err(Refusal {
        code,
        message: detail,
        items,
    })
}
