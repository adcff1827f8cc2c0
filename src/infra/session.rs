//! Who is signed in: the backend's base URL and the API key. Kept in memory and in the tab's session
//! storage (so a reload keeps the analyst signed in and closing the tab signs out), never in the URL or in
//! local storage.

use leptos::prelude::*;

use crate::infra::api::Client;

const KEY: &str = "clearance.key";
const BASE_URL: &str = "clearance.base_url";
const ROLE: &str = "clearance.role";
const KEY_ID: &str = "clearance.key_id";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credentials {
    pub base_url: String,
    pub key: String,
    /// The key's role when the backend says (Clearance does); `None` on other backends.
    pub role: Option<String>,
    /// The key's id when the backend says, so the queue can tell the analyst's own assignments.
    pub key_id: Option<String>,
}

/// The signed-in state, provided as context at the root.
#[derive(Clone, Copy)]
pub struct Session(RwSignal<Option<Credentials>>);

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

impl Session {
    /// Restores a sign-in from this tab's session storage.
    pub fn restore() -> Self {
        let stored = storage().and_then(|s| {
            Some(Credentials {
                key: s.get_item(KEY).ok()??,
                base_url: s.get_item(BASE_URL).ok()?.unwrap_or_default(),
                role: s.get_item(ROLE).ok()?,
                key_id: s.get_item(KEY_ID).ok()?,
            })
        });
        Self(RwSignal::new(stored))
    }

    pub fn sign_in(self, credentials: Credentials) {
        if let Some(s) = storage() {
            s.set_item(KEY, &credentials.key).ok();
            s.set_item(BASE_URL, &credentials.base_url).ok();
            for (name, value) in [(ROLE, &credentials.role), (KEY_ID, &credentials.key_id)] {
                match value {
                    Some(value) => s.set_item(name, value).ok(),
                    None => s.remove_item(name).ok(),
                };
            }
        }
        self.0.set(Some(credentials));
    }

    pub fn sign_out(self) {
        crate::infra::prescreen::stop();
        if let Some(s) = storage() {
            s.remove_item(KEY).ok();
            s.remove_item(BASE_URL).ok();
            s.remove_item(ROLE).ok();
            s.remove_item(KEY_ID).ok();
        }
        self.0.set(None);
    }

    pub fn is_signed_in(self) -> bool {
        self.0.with(Option::is_some)
    }

    /// A client for the signed-in backend (tracked: reading it subscribes to sign-in changes).
    pub fn client(self) -> Client {
        self.0.with(|c| match c {
            Some(c) => Client::new(c.base_url.clone(), Some(c.key.clone())),
            None => Client::default(),
        })
    }

    /// Whether to offer Unmask: an admin key, or a backend that does not say (the server decides anyway).
    pub fn may_unmask(self) -> bool {
        self.0.with(|c| {
            c.as_ref()
                .and_then(|c| c.role.as_deref())
                .is_none_or(|role| role == "admin")
        })
    }

    /// Whether to offer the audit export: an admin key, or a backend that does not say.
    pub fn may_export(self) -> bool {
        self.may_unmask()
    }

    /// The signed-in key's id, when the backend told it.
    pub fn key_id(self) -> Option<String> {
        self.0.with(|c| c.as_ref().and_then(|c| c.key_id.clone()))
    }

    /// The credentials, for the pre-screen worker that downloads the index with them (tracked).
    pub fn credentials(self) -> Option<Credentials> {
        self.0.get()
    }

    pub fn base_url(self) -> String {
        self.0
            .with(|c| c.as_ref().map(|c| c.base_url.clone()).unwrap_or_default())
    }
}

/// The session from context.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
