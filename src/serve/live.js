// studysite serve: brings this page up to date when the site is rebuilt, and shows build
// errors over it. Added to pages by the server only; built sites never contain it. Every URL
// is relative to this script's own, so it works under a base path and behind a reverse proxy.
//
// When only notes changed (the server lists the changed files), the page swaps in its new
// content in place: no new navigation, so no refetched styles, scripts and fonts, and the
// scroll position stays. Whenever that is in doubt it reloads, keeping the scroll position.
//
// One tab waits for builds and tells the others: a browser opens at most six connections to
// a host, and a waiting request holds one, so with a poll in every tab the seventh tab of the
// site would not load until a poll returned.
(function () {
  "use strict";
  var script = document.currentScript;
  var version = Number(script.getAttribute("data-v")) || 0;
  var own = new URL(".", script.src);
  var root = new URL("..", own);
  var scrollKey = "studysite:scroll:" + location.pathname;
  var overlayId = "studysite-build-errors";

  // Back to where the reader was before the reload.
  var saved = sessionStorage.getItem(scrollKey);
  if (saved !== null) {
    sessionStorage.removeItem(scrollKey);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }

  function showErrors(errors) {
    var box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
        "background:rgba(20,20,20,.93);color:#f5f5f5;padding:2rem;" +
        "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      document.body.appendChild(box);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The site did not build; showing the last good version.";
    title.style.color = "#ff8a80";
    var list = document.createElement("pre");
    list.style.whiteSpace = "pre-wrap";
    list.textContent = errors.join("\n\n");
    box.appendChild(title);
    box.appendChild(list);
  }

  function hideErrors() {
    var box = document.getElementById(overlayId);
    if (box) box.remove();
  }

  // The page's path inside the site: "a/b.html", "a/" for "a/index.html".
  function here() {
    var path = location.pathname.slice(root.pathname.length);
    return path.replace(/(^|\/)index\.html$/, "$1");
  }

  // The page's file as the server names it: "a/index.html" for "a/".
  function file() {
    var path = here();
    try { path = decodeURIComponent(path); } catch (e) { /* left as it is */ }
    return path === "" || /\/$/.test(path) ? path + "index.html" : path;
  }

  function reload() {
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
  }

  // Can this page take build `status` in place? Only if it shows build `since`, and the
  // build changed nothing but pages and files no page loads (sitemap, robots.txt).
  function swappable(status) {
    return status.since === version && Array.isArray(status.changed) &&
      status.changed.every(function (path) { return /\.(html|xml|txt)$/.test(path); });
  }

  // What the page loads and what frames its content; a swap needs it unchanged. Styles and
  // scripts are compared by the new page's list: scripts may have added their own since.
  function shell(doc) {
    var header = doc.querySelector(".site-header .site-title");
    var study = Array.prototype.map.call(doc.querySelectorAll(".study-links a"), function (a) {
      return a.getAttribute("href") + " " + a.textContent;
    });
    var body = doc.body;
    return [header && header.outerHTML, study.join("\n"), body.getAttribute("data-root"),
      body.getAttribute("data-url"), body.getAttribute("data-source")].join("\n");
  }

  function loads(doc) {
    return Array.prototype.map.call(doc.querySelectorAll("link[rel=stylesheet], script[src]"),
      function (e) { return e.tagName + " " + (e.getAttribute("href") || e.getAttribute("src")); });
  }

  function sameShell(next) {
    var have = loads(document);
    return shell(next) === shell(document) &&
      loads(next).every(function (l) { return have.indexOf(l) >= 0; });
  }

  // `old` becomes `next` (from the new page): replaced, added after `after`, or removed.
  function put(old, next, after) {
    if (next) next = document.adoptNode(next);
    if (old && next) old.replaceWith(next);
    else if (old) old.remove();
    else if (next && after) after.after(next);
  }

  function swap(next) {
    var main = document.getElementById("content");
    var fresh = next.getElementById("content");
    if (!main || !fresh) throw new Error("no content to swap");
    document.title = next.title;
    Array.prototype.forEach.call(next.head.querySelectorAll("meta[name], meta[property]"), function (m) {
      var key = m.hasAttribute("name") ? "name" : "property";
      var mine = document.head.querySelector("meta[" + key + '="' + CSS.escape(m.getAttribute(key)) + '"]');
      if (mine) mine.setAttribute("content", m.getAttribute("content") || "");
    });
    put(main, fresh, null);
    put(document.querySelector(".toc"), next.querySelector(".toc"), fresh);
    document.dispatchEvent(new CustomEvent("studysite:content", { detail: { root: fresh } }));
  }

  // Fetches this page as the build now serves it and swaps its content in.
  function refresh() {
    return fetch(location.href, { cache: "no-store" })
      .then(function (r) {
        if (!r.ok) throw new Error("status " + r.status);
        return r.text();
      })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html");
        if (!sameShell(next)) throw new Error("the page's frame changed");
        swap(next);
      });
  }

  var busy = false;
  var queued = null;

  function update(status) {
    if (!status.ok) {
      showErrors(status.errors);
      return;
    }
    hideErrors();
    if (status.v === version) return;
    if (busy) {
      queued = status;
      return;
    }
    if (status.follow) {
      var target = status.follow.replace(/(^|\/)index\.html$/, "$1");
      if (target !== here()) {
        location.href = new URL(target, root).href;
        return;
      }
    }
    if (!swappable(status)) return reload();
    if (status.changed.indexOf(file()) < 0) {
      version = status.v;
      return;
    }
    busy = true;
    refresh().then(function () {
      version = status.v;
      busy = false;
      var later = queued;
      queued = null;
      if (later) update(later);
    }, reload);
  }

  function get(path) {
    return fetch(new URL(path, own), { cache: "no-store" }).then(function (r) {
      if (!r.ok) throw new Error("status " + r.status);
      return r.json();
    });
  }

  // Web Locks need a secure context (localhost is one); without them every tab polls.
  var shared = window.BroadcastChannel && navigator.locks;
  var tabs = shared ? new BroadcastChannel("studysite:" + root.href) : null;

  var seen = version;
  function poll(delay) {
    get("wait?v=" + seen)
      .then(function (status) {
        seen = status.v;
        if (tabs) tabs.postMessage(status);
        update(status);
        poll(0);
      })
      .catch(function () {
        // The server is restarting or gone: try again, less and less often.
        setTimeout(function () { poll(Math.min(delay * 2 || 250, 5000)); }, delay || 250);
      });
  }
  if (!shared) {
    poll(0);
    return;
  }
  tabs.onmessage = function (e) { update(e.data); };
  // A build may have finished or failed before this page started listening.
  get("status").then(update, function () {});
  // The lock is held until this page goes away; then the next tab in line takes over.
  navigator.locks.request("studysite:" + root.href, function () {
    return new Promise(function () { poll(0); });
  });
})();
