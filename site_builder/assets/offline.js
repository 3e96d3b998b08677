// Registers the site's service worker (sw.js at the site's root, written by site_builder/offline.py): after one
// visit the site works offline and the trainer's runtime is kept for the next. Quietly nothing where service
// workers are not available (file://, private modes, old browsers): the site works as before.
if ("serviceWorker" in navigator && location.protocol !== "file:") {
  navigator.serviceWorker.register(new URL("../../sw.js", import.meta.url)).catch(() => {});
}
