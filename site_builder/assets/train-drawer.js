// The explorer's trainer drawer: the toolbar's Train button (and any link to #train) docks the page's one trainer
// panel (<section id="train">, at the foot of the page when closed) as a fixed drawer under the code, so a reader
// trains while reading. Esc or × closes it and focus goes back where the reader was. Loaded with the explorer
// (named train-, not trainer-: it is not the lazily loaded trainer code); the trainer itself loads on opening.
const OPEN_CLASS = "mgt-drawer-open";

function drawerBar(section, trainPage) {
  const bar = document.createElement("div");
  bar.className = "mgt-drawer-bar";
  const title = Object.assign(document.createElement("p"), { className: "mgt-drawer-title", textContent: "Train it in your browser" });
  const own = Object.assign(document.createElement("a"), { className: "mgt-drawer-page", href: trainPage, textContent: "open on its own page" });
  const close = Object.assign(document.createElement("button"), { type: "button", className: "mgt-drawer-close", textContent: "×" });
  close.setAttribute("aria-label", "Close the trainer (Esc)");
  close.title = "Close (Esc)";
  bar.append(title, own, close);
  section.prepend(bar);
  return close;
}

/** Wire the drawer: `tools` is the toolbar's button group, `load()` loads the trainer's code (explorer.html). */
export function createTrainDrawer({ section, tools, load, trainPage }) {
  const html = document.documentElement;
  const toggle = Object.assign(document.createElement("button"), { type: "button", className: "mgt-drawer-toggle", textContent: "Train" });
  toggle.title = "Train the model in a drawer under the code (Esc closes it)";
  toggle.setAttribute("aria-controls", section.id);
  toggle.setAttribute("aria-expanded", "false");
  tools.querySelector(".mgx-settings") ? tools.querySelector(".mgx-settings").before(toggle) : tools.append(toggle);
  const close = drawerBar(section, trainPage);
  section.tabIndex = -1;
  let returnTo = null;

  const isOpen = () => html.classList.contains(OPEN_CLASS);
  function open(from = toggle) {
    if (!isOpen()) returnTo = from instanceof HTMLElement && from !== document.body ? from : toggle;
    html.classList.add(OPEN_CLASS);
    section.setAttribute("role", "dialog");
    section.setAttribute("aria-modal", "false"); // the code stays readable and reachable beside it
    toggle.setAttribute("aria-expanded", "true");
    load()?.catch?.(() => {}); // offline: the panel says so itself
    section.focus({ preventScroll: true });
  }
  function shut() {
    if (!isOpen()) return;
    html.classList.remove(OPEN_CLASS);
    section.removeAttribute("role");
    section.removeAttribute("aria-modal");
    toggle.setAttribute("aria-expanded", "false");
    if (location.hash === "#train") history.replaceState(history.state, "", location.pathname + location.search); // a #train link opens it again
    (returnTo?.isConnected ? returnTo : toggle).focus({ preventScroll: true });
    returnTo = null;
  }

  toggle.addEventListener("click", () => (isOpen() ? shut() : open(toggle)));
  close.addEventListener("click", shut);
  section.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !isOpen() || e.defaultPrevented) return;
    e.preventDefault();
    shut();
  });
  document.addEventListener("click", (e) => { // a link to #train on this page opens the drawer, not a scroll to the foot
    const link = e.target.closest?.("a[href]");
    if (!link || e.defaultPrevented || e.button || e.metaKey || e.ctrlKey || e.shiftKey) return;
    const url = new URL(link.href, location.href);
    if (url.hash !== "#train" || url.pathname !== location.pathname) return;
    e.preventDefault();
    open(link);
  });
  addEventListener("hashchange", () => { if (location.hash === "#train") open(document.activeElement); });
  if (location.hash === "#train") {
    open(toggle);
    requestAnimationFrame(() => scrollTo(0, 0)); // the browser's jump to the panel's old place at the foot
  }
  return { open, close: shut, isOpen };
}
