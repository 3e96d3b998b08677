/* The explorer's status line (.mgx-toast): copied links, links that moved or lead nowhere; shown long enough to
   read, then gone. */

/** How long a message stays: at least 2.5 s, longer for long ones (about 20 characters a second). */
export const toastMs = (text) => Math.max(2500, text.length * 50);

export function createToast(el) {
  let timer;
  return function toast(text) {
    el.textContent = text;
    el.classList.add("mgx-on");
    clearTimeout(timer);
    timer = setTimeout(() => el.classList.remove("mgx-on"), toastMs(text));
  };
}
