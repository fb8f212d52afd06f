/* Under `mkdocs serve` the build writes this file as sw.js: a worker kept from a built site on
 * the same address would go on showing its old pages. The browser finds this one on the next
 * page load; it takes over at once, deletes the kept pages, removes itself and reloads. */
"use strict";
self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const scope = new URL(self.registration.scope).pathname;
      await caches.delete(`handbok ${scope}`);
      await self.registration.unregister();
      for (const client of await self.clients.matchAll({ type: "window" })) client.navigate(client.url);
    })(),
  );
});
