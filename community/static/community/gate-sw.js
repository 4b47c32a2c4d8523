// Service worker for the gate pages: network first, the last good copy when offline, so a volunteer who
// reloads the page (or reopens the phone's browser) without network can still register; the entries wait in
// localStorage and gate.js sends them when the network is back.
var CACHE = "shouhu-gate-v1";
self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (ev) { ev.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (ev) {
  var req = ev.request, url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  var page = req.mode === "navigate" && /^\/community\/gates\/\d+\/$/.test(url.pathname);
  var asset = url.pathname.indexOf("/static/") === 0;
  if (!page && !asset) return;
  ev.respondWith(fetch(req).then(function (res) {
    if (res.ok && !res.redirected) {
      var copy = res.clone();
      caches.open(CACHE).then(function (c) { c.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.match(req).then(function (hit) { return hit || Response.error(); });
  }));
});
