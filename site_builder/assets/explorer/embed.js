/* Embed mode (?embed=1), for someone else's page: links that lead off the explorer open it in a new tab (not inside
   the host's frame); the toolbar's controls only with controls=1 and the concept summaries only with summary=1
   (an 800 × 500 frame is for the code); theme=light|dark fixes the colour scheme; and the frame tells its host
   how tall its content is, so the host can size it:
     addEventListener("message", (e) => { if (e.data?.type === "microgpt-explorer:height") frame.style.height = `${e.data.height}px`; });
   The target (lines=, note=) is read by explorer.js; deep_links.js scrolls the frame's own page only. */
export const HEIGHT_MESSAGE = "microgpt-explorer:height";

export function setUpEmbed({ html, params }) {
  if (params.get("controls") === "1") html.classList.add("mgx-embed-controls");
  if (params.get("summary") === "1") html.classList.add("mgx-embed-summary");
  const theme = params.get("theme");
  if (theme === "light" || theme === "dark") document.body.setAttribute("data-md-color-scheme", theme === "dark" ? "slate" : "default");
  document.addEventListener("click", (e) => {  // a link to another page (glossary, concept page): a new tab
    const a = e.target.closest && e.target.closest("a[href]");
    if (!a || a.getAttribute("href").startsWith("#")) return;
    a.target = "_blank";
    a.rel = "noopener";
  }, true);
  if (window.parent === window) return;
  let last = 0;
  const tell = () => {
    const height = document.documentElement.scrollHeight;  // the content, or the frame if the content is shorter
    if (height !== last) { last = height; window.parent.postMessage({ type: HEIGHT_MESSAGE, height }, "*"); }  // a size, nothing private
  };
  const seen = new ResizeObserver(tell);  // the frame (body) and the content (the explorer) may each change
  for (const el of [document.body, document.getElementById("mgx")]) if (el) seen.observe(el);
  tell();
}
