/* Finding code lines in the page; the id format itself lives in line_links.js. */
export { lineId } from "../line_links.js";

/** The code line an element is in, or null. */
export const lineOf = (el) => (el && el.closest ? el.closest(".mgx-code .ln") : null);
