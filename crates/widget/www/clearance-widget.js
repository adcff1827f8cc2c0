// Clearance onboarding widget loader: `<clearance-onboarding>` and `mount()`. The form itself lives in a
// frame served by Clearance, so the host page never holds the SSN, EIN or date of birth; this script only
// checks the options, places the frame, sizes it, and turns the frame's messages into DOM events. Options
// and messages are checked by the widget's wasm, with the same types the frame uses.

const base = new URL(".", import.meta.url);
let engine;

function load() {
  engine ??= import(new URL("pkg/clearance_widget.js", base).href).then(async (module) => {
    await module.default({ module_or_path: new URL("pkg/clearance_widget_bg.wasm", base) });
    return module;
  });
  return engine;
}

function emit(element, name, detail, callback) {
  element.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
  if (typeof callback === "function") callback(detail);
}

/**
 * Mounts the onboarding form in `element`.
 * options: {endpoint, publishableKey, customerType?, theme?: {accent, background, text, font, radius},
 *           onComplete?(detail), onError?(detail)}
 * Returns {unmount()}.
 */
export async function mount(element, options = {}) {
  const { onComplete, onError, ...given } = options;
  const widget = await load();
  let checked;
  try {
    checked = widget.validateOptions(given);
  } catch (error) {
    emit(element, "clearance-error", { code: "invalid_options", message: String(error.message ?? error) }, onError);
    throw error;
  }
  const server = new URL(checked.endpoint).origin;
  const src = new URL("/widget/frame", server);
  src.searchParams.set("key", checked.publishableKey);
  src.searchParams.set("type", checked.customerType);
  src.searchParams.set("origin", window.location.origin);
  for (const [name, value] of Object.entries(checked.theme)) {
    if (value != null) src.searchParams.set(name, value);
  }
  const frame = document.createElement("iframe");
  frame.src = src.href;
  frame.title = "Your details";
  // Through the CSSOM, which a host's Content-Security-Policy allows where a style attribute is refused.
  Object.assign(frame.style, { display: "block", width: "100%", height: "480px", border: "0", margin: "0", padding: "0" });
  // In a shadow root the host page's style sheets cannot reach the frame element to hide or restyle it.
  const root = element.shadowRoot ?? element.attachShadow({ mode: "open" });
  root.replaceChildren(frame);
  const listen = (event) => {
    if (event.source !== frame.contentWindow) return;
    const message = widget.acceptMessage(event.origin, server, event.data);
    if (message === undefined) return;
    if (message.type === "clearance:resize") {
      frame.style.height = `${message.height}px`;
    } else if (message.type === "clearance:complete") {
      emit(element, "clearance-complete", message.detail, onComplete);
    } else if (message.type === "clearance:error") {
      emit(element, "clearance-error", message.detail, onError);
    }
  };
  window.addEventListener("message", listen);
  return {
    unmount() {
      window.removeEventListener("message", listen);
      frame.remove();
    },
  };
}

/** `<clearance-onboarding endpoint="…" publishable-key="pk_…" customer-type="individual">` */
class ClearanceOnboarding extends HTMLElement {
  connectedCallback() {
    if (this.mounting) return;
    const options = {
      endpoint: this.getAttribute("endpoint") ?? "",
      publishableKey: this.getAttribute("publishable-key") ?? "",
    };
    const type = this.getAttribute("customer-type");
    if (type !== null) options.customerType = type;
    const theme = {};
    for (const name of ["accent", "background", "text", "font", "radius"]) {
      const value = this.getAttribute(`theme-${name}`);
      if (value !== null) theme[name] = value;
    }
    if (Object.keys(theme).length > 0) options.theme = theme;
    this.mounting = mount(this, options).catch(() => {
      // Already reported as a clearance-error event on this element.
    });
  }

  // Removed from the page: stop listening for its frame, and mount afresh if it is put back.
  disconnectedCallback() {
    const mounting = this.mounting;
    this.mounting = undefined;
    mounting?.then((widget) => widget?.unmount());
  }
}

if (!customElements.get("clearance-onboarding")) {
  customElements.define("clearance-onboarding", ClearanceOnboarding);
}
