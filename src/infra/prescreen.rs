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

use crate::infra::session::Credentials;

/// Where Trunk puts the worker's loader: workers keep their binary's name, without a content hash.
const WORKER_URL: &str = "/clearance-prescreen_loader.js";

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

fn js_text(e: JsValue) -> String {
    e.as_string()
        .or_else(|| {
            e.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| "the pre-screen worker failed".to_owned())
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
    let worker = web_sys::Worker::new_with_options(WORKER_URL, &options).map_err(js_text)?;
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
            if let Some(resolve) = answered.borrow_mut().remove(&message.id) {
                resolve.call1(&JsValue::NULL, &text.into()).ok();
            }
        });
    let broken = Rc::clone(&waiting);
    let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_: web_sys::Event| {
        for (id, resolve) in broken.borrow_mut().drain() {
            let text = failed(id, "the pre-screen worker could not start");
            resolve.call1(&JsValue::NULL, &text.into()).ok();
        }
        stop();
    });
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
    if let Some(handle) = HANDLE.with_borrow_mut(Option::take) {
        handle.worker.terminate();
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
            let failed = failed(id, "the pre-screen worker could not be asked");
            if let Some(resolve) = waiting.borrow_mut().remove(&id) {
                resolve.call1(&JsValue::NULL, &failed.into()).ok();
            }
        }
    });
    Ok(promise)
}

async fn answer(promise: js_sys::Promise) -> Result<Answer, String> {
    let text = JsFuture::from(promise).await.map_err(js_text)?;
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

/// Loads the index for the signed-in `credentials`, once per page view: later calls wait for the same
/// load. Returns the date of the lists it holds.
pub async fn load(credentials: Option<Credentials>) -> Result<Option<String>, PrescreenError> {
    let credentials = credentials.ok_or_else(|| PrescreenError("sign in first".to_owned()))?;
    let handle = handle().map_err(PrescreenError)?;
    let pending = {
        let mut loading = handle.loading.borrow_mut();
        match &*loading {
            Some((held, promise)) if *held == credentials => promise.clone(),
            _ => {
                let promise = send(
                    &handle,
                    Ask::Load {
                        base_url: credentials.base_url.clone(),
                        key: Some(credentials.key.clone()),
                    },
                )
                .map_err(PrescreenError)?;
                *loading = Some((credentials, promise.clone()));
                promise
            }
        }
    };
    match answer(pending).await {
        Ok(Answer::Loaded { list_date }) => Ok(list_date),
        Ok(_) => Err(PrescreenError(OUT_OF_TURN.to_owned())),
        Err(message) => {
            // A failed load is tried again by the next caller.
            handle.loading.borrow_mut().take();
            Err(PrescreenError(message))
        }
    }
}

const OUT_OF_TURN: &str = "the pre-screen worker answered out of turn";

/// Screens `name` in the worker, with the same evidence the server's review shows; empty for a blank
/// name.
pub async fn screen(
    credentials: Option<Credentials>,
    name: String,
) -> Result<Vec<WatchListMatch>, PrescreenError> {
    if name.trim().is_empty() {
        return Ok(Vec::new());
    }
    load(credentials).await?;
    let handle = handle().map_err(PrescreenError)?;
    let asked = send(&handle, Ask::Screen { name }).map_err(PrescreenError)?;
    match answer(asked).await.map_err(PrescreenError)? {
        Answer::Matches { matches } => Ok(matches),
        _ => Err(PrescreenError(OUT_OF_TURN.to_owned())),
    }
}
