//! The Clearance review console: where an analyst works through screening alerts.

pub mod app;
pub mod components;
pub mod infra;
pub mod pages;

/// Mounts the console on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
