//! The pre-screen, off the page's thread. The worker (`worker.js`, [`start_worker`]) keeps the names-only
//! index in the Cache API, downloading it from its own server once per list version, and searches every
//! name the frame sends; the frame side ([`Prescreen`]) asks and gets a promise of whether any name
//! reached the threshold. Only that yes or no leaves the worker: the form never shows a match, and the
//! host's event carries only the flag.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use clearance_screening::{DEFAULT_THRESHOLD, Index, Query};
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The frame's question.
#[derive(Debug, Serialize, Deserialize)]
struct Ask {
    names: Vec<String>,
}

/// What the worker tells the frame: once, whether the index loaded; then one answer per question, in
/// order: whether a name matched (never, when the index did not load).
///
/// Externally tagged: an internally tagged enum would make serde buffer every message, and pull 15 KB of
/// that machinery into the widget's wasm.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Told {
    Loaded {
        ready: bool,
    },
    #[serde(rename_all = "camelCase")]
    Answer {
        potential_match: bool,
    },
}

/// Whether any of `names` reaches the threshold against `index`.
pub fn potential_match(index: &Index, names: &[String]) -> bool {
    names
        .iter()
        .filter(|name| !name.trim().is_empty())
        .any(|name| {
            !index
                .search(&Query::name(name), DEFAULT_THRESHOLD, 1)
                .is_empty()
        })
}

/// The worker's state: the index once loaded (or why it failed), and questions that came before it.
#[derive(Default)]
struct Worker {
    index: Option<Result<Index, String>>,
    waiting: Vec<Ask>,
}

fn answer(scope: &web_sys::DedicatedWorkerGlobalScope, index: &Result<Index, String>, ask: &Ask) {
    let potential_match = index
        .as_ref()
        .is_ok_and(|index| potential_match(index, &ask.names));
    tell(scope, &Told::Answer { potential_match });
}

fn tell(scope: &web_sys::DedicatedWorkerGlobalScope, told: &Told) {
    if let Ok(value) = serde_wasm_bindgen::to_value(told) {
        scope.post_message(&value).ok();
    }
}

/// The names-only index: what a name-only pre-screen needs, a third of the console's full one.
const INDEX: &str = "/v1/watchlists/index/names";

/// The Cache API cache the worker keeps the index in, one entry per server origin (the cache is the
/// frame's origin's, which is the server's).
const CACHE: &str = "clearance-widget-index";

fn js_error(e: JsValue) -> String {
    e.as_string()
        .unwrap_or_else(|| "the index did not load".into())
}

/// The worker's cache, if the browser offers the Cache API (it needs a secure context).
async fn open_cache(scope: &web_sys::DedicatedWorkerGlobalScope) -> Option<web_sys::Cache> {
    let caches = scope.caches().ok()?;
    JsFuture::from(caches.open(CACHE))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

/// The index `cache` holds from an earlier visit, if any.
async fn held_copy(cache: &web_sys::Cache) -> Option<web_sys::Response> {
    JsFuture::from(cache.match_with_str(INDEX))
        .await
        .ok()?
        .dyn_into()
        .ok()
}

async fn body(response: &web_sys::Response) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(response.array_buffer().map_err(js_error)?)
        .await
        .map_err(js_error)?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Downloads the index once per list version: the copy in the Cache API is revalidated by its ETag,
/// used on 304, and replaced on 200. Without the Cache API it is downloaded every visit.
async fn load(scope: &web_sys::DedicatedWorkerGlobalScope) -> Result<Index, String> {
    let cache = open_cache(scope).await;
    let held = match &cache {
        Some(cache) => held_copy(cache).await,
        None => None,
    };
    let headers = web_sys::Headers::new().map_err(js_error)?;
    if let Some(etag) = held
        .as_ref()
        .and_then(|r| r.headers().get("etag").ok().flatten())
    {
        headers.set("If-None-Match", &etag).map_err(js_error)?;
    }
    let init = web_sys::RequestInit::new();
    // The Cache API copy is the one kept; the HTTP cache would only hold it twice.
    init.set_cache(web_sys::RequestCache::NoStore);
    init.set_headers(&headers);
    let response: web_sys::Response = JsFuture::from(scope.fetch_with_str_and_init(INDEX, &init))
        .await
        .map_err(js_error)?
        .dyn_into()
        .map_err(js_error)?;
    match (response.status(), held) {
        (304, Some(held)) => {
            let decoded = decode(&body(&held).await?);
            if decoded.is_err()
                && let Some(cache) = &cache
            {
                // A damaged copy must not be revalidated as current forever: the next visit downloads
                // afresh.
                JsFuture::from(cache.delete_with_str(INDEX)).await.ok();
            }
            decoded
        }
        (_, _) if response.ok() => {
            let kept = response.clone().map_err(js_error)?;
            let index = decode(&body(&response).await?)?;
            // Kept only once it has decoded, so a damaged download is never the copy revalidated.
            if let Some(cache) = &cache {
                JsFuture::from(cache.put_with_str(INDEX, &kept)).await.ok();
            }
            Ok(index)
        }
        (status, _) => Err(format!("the index answered {status}")),
    }
}

fn decode(bytes: &[u8]) -> Result<Index, String> {
    Index::from_bytes(bytes)
        .map(|(index, _)| index)
        .map_err(|e| e.to_string())
}

/// Runs in the worker: starts loading the index and answers each question once it can.
#[wasm_bindgen(js_name = startWorker)]
pub fn start_worker() -> Result<(), JsValue> {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().dyn_into()?;
    let state = Rc::new(RefCell::new(Worker::default()));
    let on_message = {
        let (state, scope) = (Rc::clone(&state), scope.clone());
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Ok(ask) = serde_wasm_bindgen::from_value::<Ask>(event.data()) else {
                return;
            };
            let mut state = state.borrow_mut();
            match &state.index {
                Some(index) => answer(&scope, index, &ask),
                None => state.waiting.push(ask),
            }
        })
    };
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as its frame, and so does its one listener.
    on_message.forget();
    wasm_bindgen_futures::spawn_local(async move {
        let index = load(&scope).await;
        if let Err(why) = &index {
            // For the integrator: why the pre-screen is off (a status or a decoding error, never PII).
            web_sys::console::warn_1(&format!("Clearance pre-screen unavailable: {why}").into());
        }
        let ready = index.is_ok();
        tell(&scope, &Told::Loaded { ready });
        let mut state = state.borrow_mut();
        for ask in std::mem::take(&mut state.waiting) {
            answer(&scope, &index, &ask);
        }
        state.index = Some(index);
    });
    Ok(())
}

/// The frame's handle on the worker. The worker answers in order, so each answer settles the oldest
/// question still open.
pub struct Prescreen {
    worker: web_sys::Worker,
    open: Rc<RefCell<VecDeque<js_sys::Function>>>,
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Prescreen {
    /// Starts the worker, which begins loading the index at once, before the user has typed anything;
    /// `loaded` hears whether it could.
    pub fn start(loaded: impl Fn(bool) + 'static) -> Result<Self, JsValue> {
        let loaded = Rc::new(loaded);
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options("/widget/worker.js", &options)?;
        let open: Rc<RefCell<VecDeque<js_sys::Function>>> = Rc::default();
        let on_message = {
            let (open, loaded) = (Rc::clone(&open), Rc::clone(&loaded));
            Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
                let matched = match serde_wasm_bindgen::from_value::<Told>(event.data()) {
                    Ok(Told::Loaded { ready }) => return loaded(ready),
                    Ok(Told::Answer { potential_match }) => potential_match,
                    Err(_) => false,
                };
                if let Some(resolve) = open.borrow_mut().pop_front() {
                    resolve
                        .call1(&JsValue::NULL, &JsValue::from_bool(matched))
                        .ok();
                }
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A worker that fails to start or dies answers nothing: the pre-screen is unavailable, and every
        // open question settles as no match, so a submit never waits on it.
        let on_error = {
            let open = Rc::clone(&open);
            Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
                loaded(false);
                for resolve in open.borrow_mut().drain(..) {
                    resolve.call1(&JsValue::NULL, &JsValue::FALSE).ok();
                }
            })
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Self {
            worker,
            open,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends `names` to the worker now; [`answered`] waits for its verdict. Asking before the create
    /// request goes lets both run at once.
    pub fn ask(&self, names: Vec<String>) -> Option<js_sys::Promise> {
        let open = Rc::clone(&self.open);
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            open.borrow_mut().push_back(resolve);
        });
        let sent = serde_wasm_bindgen::to_value(&Ask { names })
            .ok()
            .is_some_and(|ask| self.worker.post_message(&ask).is_ok());
        if !sent {
            self.open.borrow_mut().pop_back();
            return None;
        }
        Some(promise)
    }
}

/// How long a submit waits for the worker's verdict once the customer is created: the first visit may
/// still be downloading the index.
const VERDICT_WAIT_MS: i32 = 3_000;

/// Whether the names [`Prescreen::ask`] sent include a potential match; `false` when they could not be
/// asked, the index could not be loaded, or no verdict came within [`VERDICT_WAIT_MS`] (the server
/// screens every create regardless).
pub async fn answered(asked: Option<js_sys::Promise>) -> bool {
    let Some(answer) = asked else {
        return false;
    };
    let late = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            window
                .set_timeout_with_callback_and_timeout_and_arguments_1(
                    &resolve,
                    VERDICT_WAIT_MS,
                    &JsValue::FALSE,
                )
                .ok();
        }
    });
    let first = js_sys::Promise::race(&js_sys::Array::of2(&answer, &late));
    JsFuture::from(first)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
