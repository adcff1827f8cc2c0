//! The Clearance review console: where an analyst works through screening alerts.

pub mod api;
pub mod app;
pub mod health;

/// Mounts the console on `<body>`.
pub fn mount() {
    leptos::mount::mount_to_body(app::App);
}
