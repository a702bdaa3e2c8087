// newsdesk: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // Theme: light, dark or the system's, remembered per browser.
  var root = document.documentElement;
  var saved = localStorage.getItem("newsdesk-theme");
  if (saved) root.setAttribute("data-theme", saved);
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-theme-toggle]");
    if (!toggle) return;
    var dark = root.getAttribute("data-theme") === "dark" ||
      (!root.getAttribute("data-theme") && window.matchMedia("(prefers-color-scheme: dark)").matches);
    var next = dark ? "light" : "dark";
    root.setAttribute("data-theme", next);
    localStorage.setItem("newsdesk-theme", next);
    toggle.setAttribute("aria-pressed", String(next === "dark"));
  });

  // Language: the one the reader picks is remembered, so "/" opens the site in it (a year, this site only).
  document.addEventListener("click", function (event) {
    var link = event.target.closest(".languages a[hreflang]");
    if (!link) return;
    document.cookie = "newsdesk_lang=" + encodeURIComponent(link.getAttribute("hreflang")) +
      "; path=/; max-age=31536000; samesite=lax";
  });

  // "Copy link": copies the canonical story link; the plain link stays as the fallback.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    event.preventDefault();
    var url = new URL(button.getAttribute("data-copy"), window.location.href).href;
    navigator.clipboard.writeText(url).then(function () {
      var label = button.querySelector("[data-copy-label]") || button;
      var before = label.textContent;
      label.textContent = button.getAttribute("data-copied") || "Link copied";
      setTimeout(function () { label.textContent = before; }, 2000);
    });
  });

  // Keyboard: j / k move between articles, Enter opens, / focuses search.
  var cards = function () { return Array.prototype.slice.call(document.querySelectorAll(".card")); };
  var current = -1;
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.metaKey || event.ctrlKey || event.altKey) return;
    if (event.key === "/") {
      var search = document.getElementById("q");
      if (search) { event.preventDefault(); search.focus(); }
      return;
    }
    if (event.key !== "j" && event.key !== "k") return;
    var list = cards();
    if (!list.length) return;
    current = Math.max(0, Math.min(list.length - 1, current + (event.key === "j" ? 1 : -1)));
    list.forEach(function (card) { card.classList.remove("is-current"); });
    list[current].classList.add("is-current");
    var link = list[current].querySelector("a");
    if (link) link.focus();
  });

  // Exact times on hover, in the reader's own time zone and language.
  var lang = document.documentElement.lang || "en";
  Array.prototype.forEach.call(document.querySelectorAll("time[datetime]"), function (node) {
    var when = new Date(node.getAttribute("datetime"));
    if (!isNaN(when)) node.title = when.toLocaleString(lang, { dateStyle: "long", timeStyle: "short" });
  });

  // The offline page: list what the service worker kept (sw.js names the caches), newest first.
  var offline = document.querySelector("[data-offline]");
  if (offline && window.caches) listSaved(offline);

  function listSaved(section) {
    var lists = Array.prototype.slice.call(section.querySelectorAll("[data-saved]"));
    Promise.all(lists.map(fillList)).then(function (counts) {
      var total = counts.reduce(function (a, b) { return a + b; }, 0);
      section.querySelector("[data-saved-list]").hidden = total === 0;
      section.querySelector("[data-saved-none]").hidden = total > 0;
    });

    function fillList(list) {
      return caches.open(list.getAttribute("data-saved")).then(function (cache) {
        return cache.keys().then(function (keys) {
          return Promise.all(keys.reverse().map(function (key) {
            return cache.match(key).then(function (response) { return response.text(); }).then(function (html) {
              return { path: new URL(key.url).pathname, title: pageTitle(html, section) };
            });
          }));
        });
      }).then(function (pages) {
        pages.forEach(function (page) {
          var item = document.createElement("li"), link = document.createElement("a");
          link.href = page.path;
          link.textContent = page.title;
          item.appendChild(link);
          list.appendChild(item);
        });
        var heading = document.getElementById(list.getAttribute("aria-labelledby"));
        if (heading) heading.hidden = pages.length === 0;
        return pages.length;
      });
    }
  }

  function pageTitle(html, section) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var heading = doc.querySelector("main h1:not(.visually-hidden)");
    if (!heading) return section.getAttribute("data-front-page") + " (" + (doc.documentElement.lang || "") + ")";
    return heading.textContent.trim();
  }

  // Offline reading: register the service worker (sw.js says what it keeps).
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () { navigator.serviceWorker.register("/sw.js"); });
  }
})();
