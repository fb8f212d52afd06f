/* Samhandlingshåndboka offline: one region's pages, assets and search index, kept by hash.
 *
 * The build (generator/build/offline.py) writes this file into the region's folder with
 * `const EDITION = {precache: [[path, hash], ...], lazy: [...]}` in front; paths are relative
 * to the worker's scope (the region's folder, which it never leaves). Install: fetch every
 * precache file not yet kept, checked against its hash. Then wait, until the page asks to
 * «skip-waiting» (the reader chose «Ny utgave – last inn på nytt») or no tab uses the old one.
 * Activate: delete what this edition does not list. Fetch: the kept copy first; a page that is
 * not kept comes from the network, and offline the region's 404 page. No other origin. */
"use strict";

const SCOPE = new URL(self.registration.scope);
const CACHE = `handbok ${SCOPE.pathname}`; // one cache per region (and edition folder)
const FILES = new Map([
  ...EDITION.precache.map(([path, hash]) => [path, { hash, lazy: false }]),
  ...EDITION.lazy.map(([path, hash]) => [path, { hash, lazy: true }]),
]);

// One key per path and content: a file that did not change is not fetched again.
const key = (path, hash) =>
  new URL(`${path}?__rev=${encodeURIComponent(hash)}`, SCOPE).href;

const fetchChecked = (path, hash) =>
  fetch(new URL(path, SCOPE), { cache: "no-cache", integrity: hash, credentials: "same-origin" });

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await Promise.all(
        EDITION.precache.map(async ([path, hash]) => {
          if (await cache.match(key(path, hash))) return;
          const response = await fetchChecked(path, hash);
          if (!response.ok) throw new Error(`${path}: ${response.status}`);
          await cache.put(key(path, hash), response);
        }),
      );
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      const wanted = new Set([...FILES].map(([path, { hash }]) => key(path, hash)));
      for (const request of await cache.keys()) {
        if (!wanted.has(request.url)) await cache.delete(request);
      }
      await self.clients.claim(); // the first visit's tab works offline without a reload
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
});

// The path in the precache list for a request in scope (the query is ignored: Pagefind adds
// ?ts=…, and /sok/?q=… is the search page), or null.
function listed(url, navigate) {
  let path = url.pathname.slice(SCOPE.pathname.length);
  if (FILES.has(path)) return path;
  if (!navigate) return null;
  if (path === "index.html" || path.endsWith("/index.html")) path = path.slice(0, -10);
  else if (!path.endsWith("/")) path += "/";
  return FILES.has(path) ? path : null;
}

async function respond(request, path) {
  const { hash, lazy } = FILES.get(path);
  const cache = await caches.open(CACHE);
  const kept = await cache.match(key(path, hash));
  if (kept) return kept;
  if (!lazy) return fetch(request); // not kept yet (install still running)
  try {
    const response = await fetchChecked(path, hash);
    await cache.put(key(path, hash), response.clone());
    return response;
  } catch {
    return fetch(request); // changed on the server since this edition: not kept
  }
}

async function notListed(request) {
  try {
    return await fetch(request);
  } catch (error) {
    if (request.mode !== "navigate") throw error;
    const notFound = FILES.get("404.html");
    const page = notFound && (await caches.match(key("404.html", notFound.hash)));
    if (!page) throw error;
    return new Response(page.body, { status: 404, headers: page.headers });
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== SCOPE.origin) return;
  if (!url.pathname.startsWith(SCOPE.pathname)) return;
  const path = listed(url, request.mode === "navigate");
  event.respondWith(path === null ? notListed(request) : respond(request, path));
});
