//! The real list snapshot the browser tests screen against (the 2024 SDN list with the 2026 aliases and
//! addresses), compiled into the test: a wasm test cannot read files. Shared by the screening crate's and
//! the console's browser tests through `#[path]`; the paths are relative to this file, so they hold for
//! both.

use clearance_screening::ListFile;

const SDN: &[u8] = include_bytes!("../../../../../shared/data/lists/ofac-sdn-2024-05-03/sdn.csv");
const ALT: &[u8] =
    include_bytes!("../../../../../shared/data/lists/ofac-alt-add-2026-06-02/alt.csv");
const ADD: &[u8] =
    include_bytes!("../../../../../shared/data/lists/ofac-alt-add-2026-06-02/add.csv");

pub fn files() -> [ListFile<'static>; 3] {
    [
        ListFile {
            name: "sdn.csv",
            bytes: SDN,
        },
        ListFile {
            name: "alt.csv",
            bytes: ALT,
        },
        ListFile {
            name: "add.csv",
            bytes: ADD,
        },
    ]
}
