//! The one way tests and benchmarks get a server: the real `clearance serve` process on a free port, with
//! a temporary SQLite file, the shared list snapshots and keys made by the CLI, as an operator would. The
//! API suite, the console's end-to-end tests and the load benchmark all start it here.

mod client;
mod fixtures;
pub mod load;
mod process;
pub mod timing;

pub use client::{Client, Reply};
pub use fixtures::{
    CLEAN, DOB, LISTED, SSN, as_written, default_lists, individual, individuals_as_written,
    negatives_us_names, put_lists, shared_list, shared_snapshot, undated,
};
pub use process::{Killed, Options, Server, create_key, spawn_until, workspace_binary};
