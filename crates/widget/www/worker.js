// The pre-screen worker: the widget's wasm loads the lists' index and searches names off the page's thread.
import init, { startWorker } from "/widget/pkg/clearance_widget.js";

await init();
startWorker();
