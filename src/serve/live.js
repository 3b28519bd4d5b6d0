// studysite serve: reloads this page when the site is rebuilt, and shows build errors over
// it. Added to pages by the server only; built sites never contain it. Every URL is relative
// to this script's own, so it works under a base path and behind a reverse proxy.
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

  function update(status) {
    if (!status.ok) {
      showErrors(status.errors);
      return;
    }
    hideErrors();
    if (status.v === version) return;
    if (status.follow) {
      var target = status.follow.replace(/(^|\/)index\.html$/, "$1");
      if (target !== here()) {
        location.href = new URL(target, root).href;
        return;
      }
    }
    sessionStorage.setItem(scrollKey, String(window.scrollY));
    location.reload();
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
