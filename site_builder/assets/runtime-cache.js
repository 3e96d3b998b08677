// What this browser keeps of the trainer's runtime (the service worker's "microgpt-runtime-*" cache, sw.template.js):
// whether every runtime file is there, so the panel may start Python before Start (a return visit then trains at
// once, even offline) without ever costing a first-time visitor the 16 MB download unasked; and clearing it.
const PREFIX = "microgpt-runtime-";

async function runtimeCaches() {
  if (!("caches" in self)) return [];
  return (await caches.keys()).filter((key) => key.startsWith(PREFIX));
}

/** True only if the page is served by the site's service worker and it holds runtime.json and every file it lists. */
export async function runtimeCached(runtimeURL) {
  try {
    if (!navigator.serviceWorker?.controller) return false; // the worker's fetches would go to the network
    for (const key of await runtimeCaches()) {
      const cache = await caches.open(key);
      const manifest = await cache.match(runtimeURL);
      if (!manifest) continue;
      const paths = Object.keys((await manifest.json()).files ?? {});
      const held = await Promise.all(paths.map((path) => cache.match(new URL(path, runtimeURL).href)));
      if (paths.length && held.every(Boolean)) return true;
    }
  } catch {} // private modes may refuse Cache Storage: then nothing is cached, as far as the page can tell
  return false;
}

/** Delete the cached runtime; returns how many caches there were (0: nothing was cached). */
export async function clearRuntimeCache() {
  const keys = await runtimeCaches();
  await Promise.all(keys.map((key) => caches.delete(key)));
  return keys.length;
}
