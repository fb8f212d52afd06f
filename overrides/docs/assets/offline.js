/* Offline after the first visit: register the region's service worker (sw.js, written by the
 * build: generator/build/offline.py), say «Frakoblet – viser utgaven fra <dato>» while the
 * browser is offline, and offer «Ny utgave – last inn på nytt» when a new edition is waiting.
 * A file, not an inline script: the site's CSP allows none. */
(() => {
  "use strict";
  const script = document.currentScript;
  if (!script || !("serviceWorker" in navigator)) return;
  const worker = new URL(script.dataset.worker, location.href);
  const edition = script.dataset.edition;

  const bar = document.createElement("div");
  bar.className = "hb-offline";
  bar.setAttribute("aria-live", "polite"); // not role=status: the search box has that one
  bar.hidden = true;
  document.body.append(bar);

  let waiting = null;
  function show() {
    bar.replaceChildren();
    if (waiting) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "hb-offline__reload";
      button.textContent = "Ny utgave – last inn på nytt";
      button.addEventListener("click", () => waiting.postMessage("skip-waiting"));
      bar.append(button);
    } else if (!navigator.onLine) {
      const note = document.createElement("p");
      note.textContent = `Frakoblet – viser utgaven fra ${edition}`;
      bar.append(note);
    }
    bar.hidden = !bar.firstChild;
  }

  function watch(registration) {
    const offer = () => {
      // Only an update: the first worker of a visit has nothing to replace.
      if (registration.waiting && navigator.serviceWorker.controller) {
        waiting = registration.waiting;
        show();
      }
    };
    offer();
    registration.addEventListener("updatefound", () => {
      const installing = registration.installing;
      installing?.addEventListener("statechange", () => installing.state === "installed" && offer());
    });
    addEventListener("online", () => registration.update().catch(() => {}));
  }

  let reloading = false;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    if (waiting && !reloading) {
      reloading = true;
      location.reload();
    }
  });
  addEventListener("online", show);
  addEventListener("offline", show);
  show();
  const register = () =>
    navigator.serviceWorker
      .register(worker, { updateViaCache: "none" })
      .then(watch)
      .catch(() => {}); // no worker (private mode, a blocked origin): the site works online
  // Only once the page has loaded: the worker's install fetches and checks the whole edition,
  // which must not compete with the page the reader opened.
  if (document.readyState === "complete") register();
  else addEventListener("load", register, { once: true });
})();
