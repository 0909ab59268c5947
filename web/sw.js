// The app's service worker: keeps the app shell (index.html and the files it names) and every
// lazy chunk so the SPA opens offline; each page then shows its last load from localStorage
// (src/offline/last-loaded.ts). Data API requests go to another origin and are never touched.
// The shell is re-read on every online navigation, and a new build's missing files fetched.
// One cache per build (the build writes its id below: service-worker.ts); a new build's worker
// fills its own cache at install and deletes the older builds' caches once it is active.
const PREFIX = "habits-shell-";
const CACHE = `${PREFIX}__HABITS_BUILD_ID__`;

/**
 * Every built file the build lists in precache.json (lazy page chunks, Realtime's client, the
 * Russian sentences) that this cache lacks, so a page never opened online still opens offline.
 * Run at install and after each online page load: a new build's files arrive without a new sw.js.
 */
async function cacheListed(cache) {
  const listed = await fetch("/precache.json", { cache: "no-cache" }).catch(() => null);
  if (!listed?.ok) return;
  const files = await listed.json().catch(() => []);
  await Promise.all(files.map(async (file) => {
    if (!(await cache.match(file))) await cache.add(file).catch(() => {});
  }));
}

async function cacheShell() {
  const cache = await caches.open(CACHE);
  const response = await fetch("/", { cache: "no-cache" });
  if (!response.ok) return;
  const html = await response.clone().text();
  await cache.put("/", response);
  const files = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1]);
  await cache.addAll([...new Set(files)]);
  await cacheListed(cache);
}

self.addEventListener("install", (event) => {
  event.waitUntil(cacheShell().then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => names.filter((name) => name.startsWith(PREFIX) && name !== CACHE))
      .then((old) => Promise.all(old.map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    // Network first, so a new build shows at once; the cached shell when offline.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok) {
          const copy = response.clone();
          event.waitUntil(
            caches.open(CACHE).then(async (cache) => {
              await cache.put("/", copy);
              await cacheListed(cache);
            }),
          );
        }
        return response;
      }).catch(async () => (await caches.match("/")) ?? Response.error()),
    );
    return;
  }
  // Built files have content hashes in their names: the cached copy is always right.
  event.respondWith(
    caches.match(request).then((cached) =>
      cached ?? fetch(request).then((response) => {
        if (response.ok && (url.pathname.startsWith("/assets/") || url.pathname.startsWith("/icons/"))) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(request, copy));
        }
        return response;
      })
    ),
  );
});
