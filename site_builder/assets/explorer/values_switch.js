/* The live values' switch: the Values button from the start, their code (values.js, ≈ 30 KB) only when the reader
   first turns them on, the trainer asks for them, or the URL has ?values (a course links to them on). */
export function createValuesSwitch({ toolbar, toast, titleOf }) {
  const toggle = Object.assign(document.createElement("button"), { type: "button", className: "mgx-values-toggle", textContent: "Values",
    title: "Show what every line computes on a word (v on a line opens its value)" });
  toggle.setAttribute("aria-pressed", "false");
  toolbar.querySelector(".mgx-tools").prepend(toggle);
  let values = null, ready = null;  // the promise too, so that two early calls make one bar
  const withValues = () => (ready ??= import("./values.js").then(({ createValues }) =>
    (values = createValues({ toggle, toolbar, toast, titleOf }))));
  toggle.addEventListener("click", () => { if (!values) withValues().then((v) => v.switchOn()); }, { once: true });
  document.addEventListener("mgx:show-values", (e) => {  // the trainer's button, before the module is here
    if (!values) withValues().then(() => document.dispatchEvent(new CustomEvent("mgx:show-values", { detail: e.detail })));
  }, { once: true });
  if (new URLSearchParams(location.search).has("values")) withValues().then((v) => v.switchOn());
}
