//! The pre-screen worker's message loop: it holds the decoded index and answers the console's
//! [`Ask`]s (see `infra::prescreen`) one message each.

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;

use crate::infra::api::Client;
use crate::infra::index::{self, Loaded};
use crate::infra::prescreen::{Answer, Ask, Message, READY};

thread_local! {
    static INDEX: RefCell<Option<Loaded>> = const { RefCell::new(None) };
    /// The newest load asked for: an older one that ends later does not replace what it brought.
    static LATEST: Cell<u32> = const { Cell::new(0) };
}

/// The date of the lists the index in memory holds.
fn list_date() -> Option<String> {
    INDEX.with_borrow(|held| held.as_ref().and_then(|l| l.list_date.clone()))
}

fn reply(scope: &web_sys::DedicatedWorkerGlobalScope, id: u32, body: Answer) {
    if let Ok(text) = serde_json::to_string(&Message { id, body }) {
        scope.post_message(&text.into()).ok();
    }
}

/// Starts answering; the worker binary's `main` calls it once.
pub fn run() {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let replies = scope.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let Ok(Message { id, body }) = serde_json::from_str::<Message<Ask>>(&text) else {
                return;
            };
            let scope = replies.clone();
            match body {
                Ask::Load { base_url, key } => {
                    LATEST.set(id);
                    let held = INDEX.with_borrow(|held| held.as_ref().and_then(|l| l.etag.clone()));
                    wasm_bindgen_futures::spawn_local(async move {
                        let client = Client::new(base_url, key);
                        let answer = match index::load(&client, held.as_deref()).await {
                            Ok(fresh) => {
                                if let Some(loaded) = fresh.filter(|_| LATEST.get() == id) {
                                    INDEX.set(Some(loaded));
                                }
                                Answer::Loaded {
                                    list_date: list_date(),
                                }
                            }
                            Err(message) => Answer::Failed { message },
                        };
                        reply(&scope, id, answer);
                    })
                }
                Ask::Screen { name } => {
                    let answer = INDEX.with_borrow(|held| match held {
                        Some(loaded) => Answer::Matches {
                            matches: index::screen(&loaded.index, &name),
                        },
                        None => Answer::Failed {
                            message: "the list index is not loaded".to_owned(),
                        },
                    });
                    reply(&scope, id, answer);
                }
            }
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    reply(&scope, READY, Answer::Ready);
}
