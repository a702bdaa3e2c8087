// newsdesk service worker: keeps the last 50 opened articles (and the site's assets) readable offline.
// A logged-in reader's pages (their name, their form token) are never kept: the server marks them no-store.
// The server writes the line below: the fingerprinted URLs of this version's assets (web/assets.py).
var SITE = {"version": "dev", "precache": ["/static/site.css", "/static/app.js", "/offline"]};
var ASSETS = "newsdesk-assets-" + SITE.version;
var ARTICLES = "newsdesk-articles-v2";
var KEEP = 50;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return cache.addAll(SITE.precache);
  }));
  self.skipWaiting();
});

function dropOldCaches() {
  // Earlier versions' caches: old assets, and articles that may include a logged-in reader's pages.
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("newsdesk-") === 0 && name !== ASSETS && name !== ARTICLES;
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(dropOldCaches().then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  return response.ok && !/no-store|private/.test(response.headers.get("Cache-Control") || "");
}

function trim(cache) {
  return cache.keys().then(function (keys) {
    var extra = keys.length - KEEP;
    return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (key) { return cache.delete(key); }));
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/[a-z]{2}\/article\/[0-9a-f]{32}$/.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (keepable(response)) {
        var copy = response.clone();
        caches.open(ARTICLES).then(function (cache) {
          return cache.delete(request).then(function () { return cache.put(request, copy); }).then(function () { return trim(cache); });
        });
      }
      return response;
    }).catch(function () {
      return caches.open(ARTICLES).then(function (cache) { return cache.match(request); }).then(function (hit) {
        return hit || caches.match("/offline");
      });
    }));
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    // A fingerprinted URL never changes; offline, an article kept from before an upgrade takes today's file.
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).catch(function () { return caches.match(request, { ignoreSearch: true }); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return caches.match("/offline"); }));
  }
});
