/* Concept summaries read two lines (the code stays dense); a "more" button beside each opens the rest. */
export function clampSummaries(root) {
  for (const summary of root.querySelectorAll(".mgx-head .mgx-summary")) {
    const more = Object.assign(document.createElement("button"), { type: "button", className: "mgx-summary-more", textContent: "more" });
    more.setAttribute("aria-expanded", "false");
    more.setAttribute("aria-label", `More of the summary of ${summary.closest(".mgx-head").querySelector("h2").textContent.trim()}`);
    more.addEventListener("click", () => {
      const open = summary.classList.toggle("mgx-open");
      more.textContent = open ? "less" : "more";
      more.setAttribute("aria-expanded", String(open));
    });
    summary.after(more);
  }
}
