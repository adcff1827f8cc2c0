//! The screening core: everything that decides whether a name may belong to a listed entity. It does no
//! file or network I/O, so the same code runs in the server and in the browser.

mod bound;
pub mod codec;
pub mod correlation;
pub mod countries;
mod distance;
pub mod index;
pub mod lists;
pub mod model;
pub mod normalize;
pub mod phonetic;
pub mod pii;
pub mod query;
mod scan;
pub mod score;
pub mod tables;

pub use correlation::{Correlation, DEFAULT_THRESHOLD};
pub use index::{Index, Match, Memo};
pub use lists::{ListError, ListFile, Snapshot};
pub use model::{Entity, EntityKind, ListId};
pub use query::{MAX_RAISE, Query};
