//! The API's handlers, one module per resource.

pub mod audit;
pub mod compliance;
pub mod customers;
pub mod easyofac;
pub mod keys;
pub mod review;
pub mod watchlists;
pub mod webhooks;
pub mod widget;
