//! The Clearance backend: the system of record for customers, their screening and every decision on them.

pub mod app;
pub mod batch;
pub mod db;
pub mod eval;
pub mod lists;
pub mod response;
