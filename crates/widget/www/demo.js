// The demo host page: mounts the widget with the publishable key in `?key=`, its frame from the server
// named in `?endpoint=` (this page's own by default), and prints the widget's events. The loader comes
// from this page's own server only. In the end-to-end test this page is opened on another origin than the
// endpoint's.
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
await import("/widget/clearance-widget.js");
document.getElementById("widget").append(element);
