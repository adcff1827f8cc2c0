// The demo host page: mounts the widget from the server named in `?endpoint=` with the publishable key in
// `?key=`, and prints the widget's events. In the end-to-end test this page is opened on another origin.
const params = new URLSearchParams(window.location.search);
const endpoint = params.get("endpoint") ?? window.location.origin;
const key = params.get("key") ?? "";
const log = document.getElementById("events");
const show = (name) => (event) => {
  log.textContent += `${name} ${JSON.stringify(event.detail)}\n`;
};
const element = document.createElement("clearance-onboarding");
element.setAttribute("endpoint", endpoint);
element.setAttribute("publishable-key", key);
const type = params.get("type");
if (type) element.setAttribute("customer-type", type);
element.addEventListener("clearance-complete", show("clearance-complete"));
element.addEventListener("clearance-error", show("clearance-error"));
await import(new URL("/widget/clearance-widget.js", endpoint).href);
document.getElementById("widget").append(element);
