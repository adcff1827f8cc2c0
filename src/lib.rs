//! The Clearance review console: where an analyst works through screening alerts.

pub mod api;
pub mod app;
pub mod customer;
pub mod customers;
pub mod evidence;
pub mod health;
pub mod list_query;
pub mod lists;
pub mod new_customer;
pub mod prescreen;
pub mod review;
pub mod search;
pub mod session;
pub mod sign_in;
pub mod ui;

/// Mounts the console on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
