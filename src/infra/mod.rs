//! What the pages stand on: the typed API client, the session, the list query in the URL, and the
//! in-browser pre-screen (the worker's handle, and the index the worker holds).

pub mod api;
pub mod index;
pub mod list_query;
pub mod prescreen;
pub mod session;
pub mod worker;
