//! The pre-screen as pages use it: a dedicated worker (`src/bin/clearance-prescreen.rs`, built by Trunk
//! beside the console) holds the screening engine and the index, so the engine's code and the index's
//! decoding stay out of the console's wasm and off its thread. Pages ask it to load the index and to
//! screen names; each question is one JSON message, answered by one with the same id.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use clearance_api::WatchListMatch;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::infra::index::js_error;
use crate::infra::session::Credentials;

/// Where Trunk puts the worker's loader: workers keep their binary's name, without a content hash.
const WORKER_URL: &str = "/clearance-prescreen_loader.js";
/// How long the worker may take to load its wasm before the pre-screen gives up on it: a wasm that fails
/// to load rejects a promise inside the worker, which the page never hears of.
const START_WITHIN: std::time::Duration = std::time::Duration::from_secs(30);

/// A question to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "ask", rename_all = "snake_case")]
pub enum Ask {
    /// Download (or revalidate) and decode the index from this backend with this key.
    Load {
        base_url: String,
        key: Option<String>,
    },
    /// Screen one name against the loaded index.
    Screen { name: String },
}

/// The worker's answer to one [`Ask`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "answer", rename_all = "snake_case")]
pub enum Answer {
    /// The worker listens: sent once, with [`READY`] for its id, when it starts. A message posted before
    /// it would be lost, since the worker's wasm loads asynchronously.
    Ready,
    Loaded {
        list_date: Option<String>,
    },
    Matches {
        matches: Vec<WatchListMatch>,
    },
    Failed {
        message: String,
    },
}

/// The id of the worker's [`Answer::Ready`].
pub const READY: u32 = u32::MAX;

/// One message either way: the id pairs an answer with its question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message<T> {
    pub id: u32,
    pub body: T,
}

/// The worker and the questions it has not answered yet.
struct Handle {
    worker: web_sys::Worker,
    /// Resolved by the worker's [`Answer::Ready`]: questions are posted after it.
    ready: js_sys::Promise,
    waiting: Rc<RefCell<HashMap<u32, js_sys::Function>>>,
    next: Cell<u32>,
    /// The load asked for, by the credentials it used: every later question waits for it.
    loading: RefCell<Option<(Credentials, js_sys::Promise)>>,
    /// Kept alive as long as the worker: they answer its messages and its failure.
    _on_message: Closure<dyn FnMut(web_sys::MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

thread_local! {
    static HANDLE: RefCell<Option<Rc<Handle>>> = const { RefCell::new(None) };
}

/// Answers the question `id` with the message `text`, if it still waits.
fn settle(waiting: &RefCell<HashMap<u32, js_sys::Function>>, id: u32, text: String) {
    let resolve = waiting.borrow_mut().remove(&id);
    if let Some(resolve) = resolve {
        resolve.call1(&JsValue::NULL, &text.into()).ok();
    }
}

fn failed(id: u32, message: &str) -> String {
    serde_json::to_string(&Message {
        id,
        body: Answer::Failed {
            message: message.to_owned(),
        },
    })
    .unwrap_or_default()
}

fn start() -> Result<Rc<Handle>, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_name("clearance-prescreen");
    let worker = web_sys::Worker::new_with_options(WORKER_URL, &options).map_err(js_error)?;
    let waiting: Rc<RefCell<HashMap<u32, js_sys::Function>>> = Rc::default();
    let listening = Rc::clone(&waiting);
    let ready = js_sys::Promise::new(&mut |resolve, _| {
        listening.borrow_mut().insert(READY, resolve);
    });
    let answered = Rc::clone(&waiting);
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let Some(text) = event.data().as_string() else {
                return;
            };
            let Ok(message) = serde_json::from_str::<Message<serde_json::Value>>(&text) else {
                return;
            };
            settle(&answered, message.id, text);
        });
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        stop_with("the pre-screen worker failed");
    });
    let started = Rc::clone(&waiting);
    leptos::prelude::set_timeout(
        move || {
            if started.borrow().contains_key(&READY) {
                stop_with("the pre-screen worker did not start");
            }
        },
        START_WITHIN,
    );
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    Ok(Rc::new(Handle {
        worker,
        ready,
        waiting,
        next: Cell::new(0),
        loading: RefCell::new(None),
        _on_message: on_message,
        _on_error: on_error,
    }))
}

fn handle() -> Result<Rc<Handle>, String> {
    HANDLE.with_borrow_mut(|slot| match slot {
        Some(handle) => Ok(Rc::clone(handle)),
        None => {
            let handle = start()?;
            *slot = Some(Rc::clone(&handle));
            Ok(handle)
        }
    })
}

/// Ends the worker and forgets its index and key (at sign-out).
pub fn stop() {
    stop_with("signed out");
}

/// Ends the worker, answering every question still waiting with `why`.
fn stop_with(why: &str) {
    let Some(handle) = HANDLE.with_borrow_mut(Option::take) else {
        return;
    };
    handle.worker.terminate();
    handle.loading.borrow_mut().take();
    let waiting: Vec<(u32, js_sys::Function)> = handle.waiting.borrow_mut().drain().collect();
    for (id, resolve) in waiting {
        resolve.call1(&JsValue::NULL, &failed(id, why).into()).ok();
    }
}

/// Sends `ask` once the worker listens, and returns the promise of its answer's text.
fn send(handle: &Handle, ask: Ask) -> Result<js_sys::Promise, String> {
    let id = handle.next.get();
    handle.next.set(id.wrapping_add(1) % READY);
    let text = serde_json::to_string(&Message { id, body: ask }).map_err(|e| e.to_string())?;
    let waiting = Rc::clone(&handle.waiting);
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        waiting.borrow_mut().insert(id, resolve);
    });
    let (worker, ready) = (handle.worker.clone(), handle.ready.clone());
    // Questions wait for the same promise, so they are posted in the order they were asked.
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(ready).await.is_ok() && worker.post_message(&text.into()).is_err() {
            settle(
                &waiting,
                id,
                failed(id, "the pre-screen worker could not be asked"),
            );
        }
    });
    Ok(promise)
}

async fn answer(promise: js_sys::Promise) -> Result<Answer, String> {
    let text = JsFuture::from(promise).await.map_err(js_error)?;
    let message: Message<Answer> = serde_json::from_str(&text.as_string().unwrap_or_default())
        .map_err(|e| format!("the pre-screen worker's answer could not be read: {e}"))?;
    match message.body {
        Answer::Failed { message } => Err(message),
        other => Ok(other),
    }
}

/// Why the pre-screen could not answer, worded for the analyst.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("the list index could not load: {0}")]
pub struct PrescreenError(pub String);

/// Asks the worker for the index again for the signed-in `credentials`: a page calls it when it opens, so
/// each page view screens against the lists in force (the worker keeps the decoded index while the
/// server says it is current). Questions asked after it wait for it.
pub fn refresh(credentials: Option<Credentials>) {
    let (Some(credentials), Ok(handle)) = (credentials, handle()) else {
        return;
    };
    ask_load(&handle, credentials).ok();
}

fn ask_load(handle: &Handle, credentials: Credentials) -> Result<js_sys::Promise, String> {
    let promise = send(
        handle,
        Ask::Load {
            base_url: credentials.base_url.clone(),
            key: Some(credentials.key.clone()),
        },
    )?;
    *handle.loading.borrow_mut() = Some((credentials, promise.clone()));
    Ok(promise)
}

/// Waits for the index for the signed-in `credentials`, asking for it unless a load for them was asked
/// for already. Returns the date of the lists it holds.
pub async fn load(credentials: Option<Credentials>) -> Result<Option<String>, PrescreenError> {
    let credentials = credentials.ok_or_else(|| PrescreenError("sign in first".to_owned()))?;
    let handle = handle().map_err(PrescreenError)?;
    let held = handle
        .loading
        .borrow()
        .as_ref()
        .filter(|(held, _)| *held == credentials)
        .map(|(_, promise)| promise.clone());
    let pending = match held {
        Some(promise) => promise,
        None => ask_load(&handle, credentials).map_err(PrescreenError)?,
    };
    let result = answer(pending.clone()).await;
    if !matches!(result, Ok(Answer::Loaded { .. })) {
        // A failed load is asked for again by the next caller, unless a newer one replaced it.
        let mut loading = handle.loading.borrow_mut();
        if loading
            .as_ref()
            .is_some_and(|(_, current)| js_sys::Object::is(current, &pending))
        {
            loading.take();
        }
    }
    match result {
        Ok(Answer::Loaded { list_date }) => Ok(list_date),
        Ok(_) => Err(PrescreenError(OUT_OF_TURN.to_owned())),
        Err(message) => Err(PrescreenError(message)),
    }
}

const OUT_OF_TURN: &str = "the pre-screen worker answered out of turn";

/// Screens `name` in the worker once the index is loaded, with the same evidence the server's review
/// shows; empty for a blank name.
pub async fn screen(
    credentials: Option<Credentials>,
    name: String,
) -> Result<Vec<WatchListMatch>, PrescreenError> {
    load(credentials).await?;
    if name.trim().is_empty() {
        return Ok(Vec::new());
    }
    let handle = handle().map_err(PrescreenError)?;
    let asked = send(&handle, Ask::Screen { name }).map_err(PrescreenError)?;
    match answer(asked).await.map_err(PrescreenError)? {
        Answer::Matches { matches } => Ok(matches),
        _ => Err(PrescreenError(OUT_OF_TURN.to_owned())),
    }
}
