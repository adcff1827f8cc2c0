//! Wire types of the Clearance API, shared by the server that writes them and the console and widget that
//! read them, so that a field renamed on one side fails to compile on the other.

mod envelope;
mod health;
mod watchlists;

pub use envelope::{Envelope, ResponseMeta, ResponseType};
pub use health::{Health, ListSnapshot};
pub use watchlists::{LoadCounts, WatchlistCount, Watchlists};
