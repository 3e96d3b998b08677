/* Finding code lines in the page; the id format itself lives in line_links.js. */
export { lineId } from "../line_links.js";

/** The code line an element is in, or null. */
export const lineOf = (el) => (el && el.closest ? el.closest(".mgx-code .ln") : null);

/** A line's number, from its id ("scalar-L42" -> 42). */
export const lineNumber = (ln) => +ln.id.split("-L")[1];

/** A line's source text: its code without the decorations other features add (values, marks, buttons: class mgx-…),
 *  so a fingerprint taken in the page is the fingerprint of the file's line. */
export function lineText(ln) {
  let text = "";
  for (const n of ln.childNodes) if (!(n.nodeType === 1 && /(^| )mgx-/.test(n.className))) text += n.textContent;
  return text;
}
