/* The Display panel: the form shows the settings (columns in order, font or fit, wrap, line numbers, sync, notes,
   comments) and turns every change into new settings for `change(next, save)`; Reset forgets the saved ones;
   Close, Esc or a click elsewhere closes it, back on its button. The settings themselves: settings.js. */
import * as S from "./settings.js";

export function createDisplayForm({ root, switcher, current, change }) {
  const form = root.querySelector(".mgx-form"), details = root.querySelector(".mgx-settings");
  const close = () => { details.open = false; details.querySelector("summary").focus(); };

  function show(settings) {
    const fs = form.querySelector("fieldset");
    const order = [...settings.cols, ...S.COLS.filter((c) => !settings.cols.includes(c))];
    for (const col of order) fs.append(fs.querySelector(`.mgx-colopt[data-col="${col}"]`));
    for (const box of form.querySelectorAll('input[name="col"]')) box.checked = settings.cols.includes(box.value);
    Object.assign(form.font, { min: S.SCHEMA.font.min, max: S.SCHEMA.font.max });
    const fit = settings.font === "fit";
    form.fit.checked = fit; form.font.disabled = fit;
    if (!fit) { form.font.value = settings.font; form.fontout.value = settings.font; }
    for (const r of form.querySelectorAll('input[name="comments"]')) r.checked = r.value === settings.comments;
    form.wrap.checked = settings.wrap; form.ln.checked = settings.ln; form.sync.checked = settings.sync;
    for (const r of form.querySelectorAll('input[name="notes"]')) r.checked = r.value === settings.notes;
    for (const b of switcher.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.col === settings.col));
  }

  function read() {
    const settings = current();
    const order = [...form.querySelectorAll(".mgx-colopt")].map((d) => d.dataset.col);
    const checked = order.filter((c) => form.querySelector(`input[name="col"][value="${c}"]`).checked);
    return { ...settings, cols: checked.length ? checked : settings.cols, font: form.fit.checked ? "fit" : +form.font.value,
      wrap: form.wrap.checked, ln: form.ln.checked, sync: form.sync.checked, notes: form.querySelector('input[name="notes"]:checked').value,
      comments: form.querySelector('input[name="comments"]:checked').value };
  }

  form.addEventListener("input", () => change(read()));
  form.addEventListener("change", () => change(read()));
  form.addEventListener("click", (e) => {
    const b = e.target.closest("button");
    if (!b) return;
    if (b.name === "close") return close();  // the phone's panel covers the code: close it from inside
    if (b.name === "reset") {
      S.forget();
      change(S.clean({}), false);
      return;
    }
    const opt = b.closest(".mgx-colopt"), move = +b.dataset.move;
    const sib = move < 0 ? opt.previousElementSibling : opt.nextElementSibling;
    if (sib && sib.classList.contains("mgx-colopt")) {
      move < 0 ? sib.before(opt) : sib.after(opt);
      b.focus();
      change(read());
    }
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && details.open) close(); });
  document.addEventListener("click", (e) => { if (details.open && !details.contains(e.target)) details.open = false; });
  return { show, fontOut: (px) => { form.fontout.value = px; } };
}
