/* "One step, slowly": one training step walked through the code at a pace a person can follow. Each line of the
   file lights up in the order the step ran it (forward, loss, backward, Adam; values_format.js stepOrder), is
   scrolled into view, and its value appears, the values of lines not reached yet hidden. Pause, Step, Stop (Esc). */
const PACE_MS = 900;

export function createStepPlayer({ bar, plan, lineOf, titleOf, announce }) {
  const controls = document.createElement("span");
  controls.className = "mgx-vplay";
  controls.innerHTML = `<button type="button" data-play="start" title="Walk one training step through the code, line by line">\u25b6 One step, slowly</button>
    <button type="button" data-play="pause" hidden>Pause</button><button type="button" data-play="next" hidden>Next line</button>
    <button type="button" data-play="stop" hidden>Stop</button>`;
  bar.querySelector("form").append(controls);
  const button = (name) => controls.querySelector(`[data-play="${name}"]`);
  let order = [], at = -1, timer = 0, col = null, current = null;

  controls.addEventListener("click", (e) => {
    const name = e.target.closest("button")?.dataset.play;
    if (name === "start") start();
    else if (name === "pause") (timer ? pause() : resume());
    else if (name === "next") { pause(); advance(); }
    else if (name === "stop") stop();
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && at >= 0) stop(); });

  function start() {
    ({ col, order } = plan());
    if (!order.length) return announce("Nothing to walk: this view has no training step.");
    stop(false);
    at = -1;
    document.documentElement.classList.add("mgx-stepping");
    document.documentElement.dataset.mgxStepping = col;
    for (const b of ["pause", "next", "stop"]) button(b).hidden = false;
    button("start").hidden = true;
    resume();
  }

  function advance() {
    current?.classList.remove("mgx-step-now");
    at += 1;
    if (at >= order.length) { announce("The step is done: forward, loss, backward and Adam."); return finish(); }
    const ln = lineOf(col, order[at]);
    if (!ln) return advance();
    ln.classList.add("mgx-step-now");
    for (const v of ln.querySelectorAll(".mgx-val, .mgx-eq")) v.classList.add("mgx-reached");
    ln.scrollIntoView({ block: "center", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
    current = ln;
    announce(`${titleOf(ln)} · ${col}.py line ${order[at]} (${at + 1} of ${order.length}): ${ln.querySelector(".mgx-val")?.textContent ?? ""}`);
  }

  function resume() {
    clearInterval(timer);
    button("pause").textContent = "Pause";
    advance();
    timer = setInterval(advance, PACE_MS);
  }

  function pause() {
    clearInterval(timer);
    timer = 0;
    button("pause").textContent = "Resume";
  }

  function finish() {
    clearInterval(timer);
    timer = 0;
    button("pause").hidden = true;
    button("next").hidden = true;
  }

  function stop(reset = true) {
    finish();
    current?.classList.remove("mgx-step-now");
    current = null;
    at = -1;
    document.documentElement.classList.remove("mgx-stepping");
    delete document.documentElement.dataset.mgxStepping;
    for (const v of document.querySelectorAll(".mgx-reached")) v.classList.remove("mgx-reached");
    if (reset) { button("start").hidden = false; button("stop").hidden = true; }
  }

  return { start, stop, playing: () => at >= 0 };
}
