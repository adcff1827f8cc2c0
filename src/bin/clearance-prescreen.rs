//! Trunk's entry point for the pre-screen worker (`data-type="worker"` in index.html): the screening
//! engine and the index, in their own wasm, loaded only when a page pre-screens.

fn main() {
    console_error_panic_hook::set_once();
    clearance_console::infra::worker::run();
}
