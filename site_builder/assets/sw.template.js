/* The site's service worker (written to the site's root at build time by site_builder/offline.py, which fills in
   VERSION and PAGES): after one visit every page and asset works offline, and the trainer's runtime (Pyodide, the
   compiled standard library, the wheel, names.txt) is kept once it has been fetched, so a second visit trains
   without the network. VERSION is the sha256 of runtime.json and of every file listed: a new build replaces the
   caches. Pages are network-first (a reader online always gets the latest build), everything else cache-first;
   the worker's own sha256 checks still guard every runtime file, cached or not. */
const VERSION = "__VERSION__";
const PAGES = __PAGES__;  // every file of the site but the runtime, relative to this script
const SITE = `microgpt-site-${VERSION}`, RUNTIME = `microgpt-runtime-${VERSION}`;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SITE).then((cache) => cache.addAll(PAGES.map((p) => new URL(p, self.registration.scope)))).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("microgpt-") && k !== SITE && k !== RUNTIME).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const runtime = url.pathname.includes("/runtime/");
  if (event.request.mode === "navigate") event.respondWith(networkFirst(event.request));
  else event.respondWith(cacheFirst(event.request, runtime ? RUNTIME : SITE));
});

async function networkFirst(request) {
  const cache = await caches.open(SITE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const cached = await cache.match(request, { ignoreSearch: name === SITE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.status === 200) cache.put(request, response.clone());
  return response;
}
