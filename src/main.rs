//! Trunk's entry point for the review console.

fn main() {
    console_error_panic_hook::set_once();
    clearance_console::mount();
}
