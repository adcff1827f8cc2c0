//! The Clearance backend: the system of record for customers, their screening and every decision on them.

pub mod app;
pub mod auth;
pub mod batch;
pub mod clock;
pub mod customer;
pub mod db;
pub mod error;
pub mod eval;
pub mod lists;
pub mod mutation;
pub mod openapi;
pub mod ratelimit;
pub mod request;
pub mod response;
pub mod routes;
pub mod screen;
pub mod validate;
pub mod workflow;
