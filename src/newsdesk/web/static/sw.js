// newsdesk service worker: offline reading. Keeps the front page, the stories and the articles a reader
// opened, the newest articles of the front page (fetched ahead), their images, and the site's assets.
// A logged-in reader's pages (their name, their form token) are never kept: the server marks them no-store,
// and the copy kept instead is fetched without cookies, as any reader who is not logged in sees it.
// The server writes the line below: the fingerprinted URLs of this version's assets (web/assets.py).
var SITE = {"version": "dev", "precache": ["/static/site.css", "/static/app.js", "/offline"], "languages": ["en"]};
var ASSETS = "newsdesk-assets-" + SITE.version;
var ARTICLES = "newsdesk-articles-v2";
var PAGES = "newsdesk-pages-v1";
var IMAGES = "newsdesk-images-v1";
var KEEP = { articles: 50, pages: 30, images: 300 };
var AHEAD = 20; // the front page's newest articles kept for reading offline
var ARTICLE = /^\/[a-z]{2}\/article\/[0-9a-f]{32}$/;
var STORY = /^\/[a-z]{2}\/story\/[0-9a-f]{32}$/;
var HOME = /^\/([a-z]{2}\/)?$/;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(ASSETS).then(function (cache) {
    return cache.addAll(SITE.precache.map(function (url) { return new Request(url, { credentials: "omit" }); }));
  }));
  self.skipWaiting();
});

function dropOldCaches() {
  // Earlier versions' caches: old assets, and articles that may include a logged-in reader's pages.
  var current = [ASSETS, ARTICLES, PAGES, IMAGES];
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("newsdesk-") === 0 && current.indexOf(name) < 0;
    }).map(function (name) { return caches.delete(name); }));
  });
}

self.addEventListener("activate", function (event) {
  event.waitUntil(dropOldCaches().then(function () { return self.clients.claim(); }));
});

function keepable(response) {
  return response.ok && !/no-store|private/.test(response.headers.get("Cache-Control") || "");
}

function trim(cache, keep) {
  // Cache keys come back in the order they were stored: the oldest go first.
  return cache.keys().then(function (keys) {
    var extra = keys.length - keep;
    return Promise.all(keys.slice(0, Math.max(0, extra)).map(function (key) { return cache.delete(key); }));
  });
}

function store(name, url, response, keep) {
  // Delete first, so a page read again moves to the end of the cache's order.
  return caches.open(name).then(function (cache) {
    return cache.delete(url).then(function () { return cache.put(url, response); }).then(function () {
      return trim(cache, keep);
    });
  });
}

function anonymousCopy(url) {
  return fetch(url, { credentials: "omit" }).then(function (response) {
    return keepable(response) ? response : null;
  });
}

function keepCopy(name, url, response, keep) {
  // The reader's own copy when it may be kept, otherwise the one every reader who is not logged in gets.
  var copy = keepable(response) ? Promise.resolve(response.clone()) : anonymousCopy(url);
  return copy.then(function (kept) {
    return kept ? store(name, url, kept.clone(), keep).then(function () { return kept; }) : null;
  });
}

function fetchAhead(home) {
  // The newest articles the front page links to, fetched now so they can be read offline later.
  return home.text().then(function (html) {
    var found = html.match(/href="\/[a-z]{2}\/article\/[0-9a-f]{32}"/g) || [];
    var paths = found.map(function (href) { return href.slice(6, -1); }).filter(function (path, i, all) {
      return all.indexOf(path) === i;
    }).slice(0, AHEAD);
    return caches.open(ARTICLES).then(function (cache) {
      return paths.reduce(function (done, path) {
        return done.then(function () {
          return cache.match(path).then(function (hit) {
            return hit ? null : anonymousCopy(path).then(function (copy) { return copy && cache.put(path, copy); });
          });
        });
      }, Promise.resolve());
    }).then(function () { return caches.open(ARTICLES); }).then(function (cache) { return trim(cache, KEEP.articles); });
  }).catch(function () { return null; });
}

function offlinePage(url) {
  var lang = url.pathname.split("/")[1];
  var path = SITE.languages.indexOf(lang) >= 0 ? "/" + lang + "/offline" : "/offline";
  return caches.match(path).then(function (hit) { return hit || caches.match("/offline"); });
}

function networkFirst(event, url, name, keep, after) {
  var path = url.pathname;
  event.respondWith(fetch(event.request).then(function (response) {
    event.waitUntil(keepCopy(name, path, response, keep).then(function (kept) {
      return kept && after ? after(kept) : null;
    }).catch(function () { return null; }));
    return response;
  }).catch(function () {
    // Offline: the kept copy; for a front page, the other address of the front page if only it was kept.
    var lang = path.split("/")[1] || "en";
    var fronts = HOME.test(path) ? [path, "/" + lang + "/", "/"] : [path];
    return caches.open(name).then(function (cache) {
      return fronts.reduce(function (found, front) {
        return found.then(function (hit) { return hit || cache.match(front); });
      }, Promise.resolve(undefined));
    }).then(function (hit) { return hit || offlinePage(url); });
  }));
}

function image(event, url) {
  // Copies are immutable: from the cache when there; offline, any kept width of the same image.
  event.respondWith(caches.open(IMAGES).then(function (cache) {
    return cache.match(url.pathname).then(function (hit) {
      if (hit) return hit;
      return fetch(event.request).then(function (response) {
        if (response.ok) event.waitUntil(store(IMAGES, url.pathname, response.clone(), KEEP.images));
        return response;
      }).catch(function () {
        var prefix = url.pathname.replace(/-\d+\.webp$/, "-");
        return cache.keys().then(function (keys) {
          var other = keys.filter(function (key) { return new URL(key.url).pathname.indexOf(prefix) === 0; })[0];
          return other ? cache.match(other) : Response.error();
        });
      });
    });
  }));
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search && !/^\/static\//.test(url.pathname)) {
    if (request.mode === "navigate" && url.origin === self.location.origin) {
      event.respondWith(fetch(request).catch(function () { return offlinePage(url); }));
    }
    return;
  }
  if (ARTICLE.test(url.pathname)) return networkFirst(event, url, ARTICLES, KEEP.articles);
  if (STORY.test(url.pathname)) return networkFirst(event, url, PAGES, KEEP.pages);
  if (HOME.test(url.pathname)) return networkFirst(event, url, PAGES, KEEP.pages, fetchAhead);
  if (/^\/images\//.test(url.pathname)) return image(event, url);
  if (url.pathname.indexOf("/static/") === 0) {
    // A fingerprinted URL never changes; offline, an article kept from before an upgrade takes today's file.
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).catch(function () { return caches.match(request, { ignoreSearch: true }); });
    }));
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(function () { return offlinePage(url); }));
  }
});
