// The frame page's start-up: load the widget's wasm, then let it build the form.
import init, { startFrame } from "/widget/pkg/clearance_widget.js";

await init();
startFrame();
