// studysite default theme: what runs before the first paint, loaded from every page's <head>.
// Before any paint: record script errors for the tests, and apply the saved theme so a dark page never flashes light.
window.__errors = [];
addEventListener("error", function (e) { window.__errors.push(String(e.message || e)); });
addEventListener("unhandledrejection", function (e) { window.__errors.push("unhandled rejection: " + String(e.reason)); });
// What the reader chooses (theme, flashcard marks) is kept in localStorage and in this tab's
// window.name, the newer winning: Chromium gives file:// pages an opaque origin whose
// localStorage lives in one renderer process, so a page opened in a new process would
// otherwise find it empty. site.js and flashcards.js use window.studysiteStore.
window.studysiteStore = (function () {
  var P = "studysite:";
  function tab() {
    try { return window.name.indexOf(P) === 0 ? JSON.parse(window.name.slice(P.length)) || {} : {}; } catch (e) { return {}; }
  }
  function get(k) {
    var v = null, at = 0, t = tab()[k];
    try { v = localStorage.getItem(k); at = Number(localStorage.getItem(k + ":at")) || 0; } catch (e) {}
    if (t && (v === null || t[1] > at)) v = t[0];
    return v;
  }
  function set(k, v) {
    var now = Date.now(), t = tab();
    try { localStorage.setItem(k, v); localStorage.setItem(k + ":at", String(now)); } catch (e) {}
    if (!window.name || window.name.indexOf(P) === 0) { t[k] = [v, now]; window.name = P + JSON.stringify(t); }
  }
  return { get: get, set: set };
})();
(function (t) { if (t === "light" || t === "dark") document.documentElement.setAttribute("data-theme", t); })(window.studysiteStore.get("studysite-theme"));
document.documentElement.classList.add("js");
