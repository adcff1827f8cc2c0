//! The Clearance backend: the system of record for customers, their screening and every decision on them.
//!
//! Requests flow one way: `routes` (extract, authorise, answer) → `service` (the rules) → `store` (every
//! SQL statement). `domain` holds what all three speak of; `http` the request plumbing routes share;
//! `state` what every request may read. `app` wires the router and is used by `main` alone; `cli` holds
//! the other subcommands and the tools behind them.

pub mod app;
pub mod cli;
mod clock;
mod delta;
mod domain;
mod downloads;
mod http;
mod lists;
mod routes;
mod service;
mod state;
mod store;

pub use http::listener;
