// studysite default theme: the nav tree, the theme toggle, the phone menu, copy buttons and
// the "on this page" highlight. Plain ES2017, no dependencies; works from file://.
// `studysite serve` may swap in a page's new content without a reload; it then dispatches
// `studysite:content` on the document, and the content's enhancements are set up again.
(function () {
  "use strict";

  var doc = document.documentElement;
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var here = body.getAttribute("data-url") || "";
  var THEME_KEY = "studysite-theme";

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) {
      if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, attrs[k]);
    }
    if (text) e.textContent = text;
    return e;
  }

  // ---- Nav tree -------------------------------------------------------------------------

  // The tree comes in parts, one per folder (static/nav/ID.js, each setting
  // STUDYSITE_NAV[ID] = {t, u, c: entries}; a folder entry names its part as `p`). A page
  // loads the parts down to its own folder; the others load when a reader opens them.
  function parts() {
    return window.STUDYSITE_NAV || {};
  }

  function entries(node) {
    var part = node.p && parts()[node.p];
    return node.c || (part && part.c) || null;
  }

  // Marks the path to the current page; returns true when `node` is on it.
  function markCurrent(node) {
    var on = node.u === here;
    (entries(node) || []).forEach(function (child) {
      if (markCurrent(child)) on = true;
    });
    node.open = on;
    return on;
  }

  // Loads folder part `id` with a script element (works from file://), then calls `done`.
  function loadPart(id, done) {
    if (!id || parts()[id]) return done(true);
    var s = el("script", { src: root + "static/nav/" + id + ".js" });
    s.onload = function () { done(!!parts()[id]); };
    s.onerror = function () { done(false); };
    document.head.appendChild(s);
  }

  var groupCount = 0;

  function navItem(node) {
    var li = el("li");
    var row = el("div", { class: "nav-row" });
    var a = el("a", { href: root + node.u }, node.t);
    if (node.u === here) {
      a.setAttribute("aria-current", "page");
      li.classList.add("current");
    }
    row.appendChild(a);
    li.appendChild(row);
    if (node.p || (node.c && node.c.length)) {
      var id = "nav-group-" + ++groupCount;
      var btn = el("button", {
        type: "button",
        class: "nav-toggle",
        "aria-expanded": node.open ? "true" : "false",
        "aria-controls": id,
        "aria-label": "Show or hide " + node.t,
      });
      row.appendChild(btn);
      var ul = el("ul", { id: id });
      ul.hidden = true;
      var filled = false;
      var fill = function () {
        if (filled) return;
        filled = true;
        (entries(node) || []).forEach(function (child) {
          ul.appendChild(navItem(child));
        });
      };
      if (node.open) {
        fill();
        ul.hidden = false;
      }
      btn.addEventListener("click", function () {
        var open = btn.getAttribute("aria-expanded") !== "true";
        if (!open) {
          btn.setAttribute("aria-expanded", "false");
          ul.hidden = true;
          return;
        }
        btn.setAttribute("aria-busy", "true");
        loadPart(node.p, function (ok) {
          btn.removeAttribute("aria-busy");
          if (!ok && !node.c) return;
          fill();
          btn.setAttribute("aria-expanded", "true");
          ul.hidden = false;
        });
      });
      li.classList.add("has-children");
      li.appendChild(ul);
    }
    return li;
  }

  function buildNav() {
    var nav = document.getElementById("nav");
    var tree = parts().root;
    if (!nav || !tree) return;
    markCurrent(tree);
    var list = el("ul", { class: "nav-tree" });
    // The root is the home page: listed first, its children beside it rather than under it.
    var home = navItem({ t: "Home", u: tree.u });
    home.classList.add("nav-home");
    list.appendChild(home);
    tree.c.forEach(function (child) {
      list.appendChild(navItem(child));
    });
    // The study pages' short list is plain HTML in every page; it stays below the tree.
    var study = nav.querySelector(".nav-study");
    nav.textContent = "";
    nav.appendChild(list);
    if (study) nav.appendChild(study);
    // In a long tree, scroll the sidebar (not the page) so the current page is in view.
    var current = nav.querySelector('[aria-current="page"]');
    if (current && nav.scrollHeight > nav.clientHeight) {
      var offset = current.getBoundingClientRect().top - nav.getBoundingClientRect().top;
      nav.scrollTop += offset - nav.clientHeight / 2;
    }
  }

  // ---- Phone menu -----------------------------------------------------------------------

  function setupMenu() {
    var btn = document.querySelector(".menu-button");
    var backdrop = document.querySelector(".nav-backdrop");
    if (!btn) return;
    function set(open) {
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      btn.setAttribute("aria-label", open ? "Hide navigation" : "Show navigation");
      if (open) doc.setAttribute("data-nav-open", "");
      else doc.removeAttribute("data-nav-open");
      if (backdrop) backdrop.hidden = !open;
    }
    btn.addEventListener("click", function () {
      var open = btn.getAttribute("aria-expanded") !== "true";
      set(open);
      if (open) {
        var first = document.querySelector("#nav a");
        if (first) first.focus();
      }
    });
    if (backdrop) backdrop.addEventListener("click", function () { set(false); });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && doc.hasAttribute("data-nav-open")) {
        set(false);
        btn.focus();
      }
    });
  }

  // ---- Theme ----------------------------------------------------------------------------

  function systemDark() {
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }

  function currentTheme() {
    var t = doc.getAttribute("data-theme");
    if (t === "light" || t === "dark") return t;
    return systemDark() ? "dark" : "light";
  }

  // The default base.html's head script defines the store (see there); a theme whose own
  // base.html leaves it out still gets one backed by localStorage alone.
  var store = (window.studysiteStore = window.studysiteStore || {
    get: function (k) {
      try {
        return localStorage.getItem(k);
      } catch (e) {
        return null;
      }
    },
    set: function (k, v) {
      try {
        localStorage.setItem(k, v);
      } catch (e) {
        // Storage can be disabled; the choice then lasts for this page.
      }
    },
  });

  function setupTheme() {
    var btn = document.querySelector(".theme-toggle");
    if (!btn) return;
    function label() {
      var next = currentTheme() === "dark" ? "light" : "dark";
      btn.setAttribute("aria-label", "Switch to " + next + " theme");
      btn.setAttribute("title", "Switch to " + next + " theme");
    }
    btn.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      doc.setAttribute("data-theme", next);
      store.set(THEME_KEY, next);
      label();
    });
    // Follow a choice made elsewhere: another open tab, a page that stored it while this
    // one was loading (browsers share storage between pages asynchronously), or a page
    // restored from the back/forward cache after the reader toggled on a later page.
    function follow(value) {
      if (value === "light" || value === "dark") doc.setAttribute("data-theme", value);
      else if (value === null) doc.removeAttribute("data-theme");
      else return;
      label();
    }
    window.addEventListener("storage", function (e) {
      if (e.key === THEME_KEY) follow(e.newValue);
      else if (e.key === null) follow(store.get(THEME_KEY));
    });
    window.addEventListener("pageshow", function (e) {
      if (e.persisted) follow(store.get(THEME_KEY));
    });
    label();
  }

  // ---- Copy buttons ---------------------------------------------------------------------

  function copyFallback(text) {
    var area = el("textarea", { readonly: "", "aria-hidden": "true" });
    area.value = text;
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.left = "0";
    area.style.opacity = "0";
    body.appendChild(area);
    area.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    body.removeChild(area);
    return ok;
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyFallback(text); }
      );
    }
    return Promise.resolve(copyFallback(text));
  }

  function setupCopyButtons(scope) {
    var blocks = (scope || document).querySelectorAll(".content pre.code");
    Array.prototype.forEach.call(blocks, function (pre) {
      var wrap = el("div", { class: "code-block" });
      pre.parentNode.insertBefore(wrap, pre);
      wrap.appendChild(pre);
      var btn = el("button", { type: "button", class: "copy-button", "aria-label": "Copy code" }, "Copy");
      var timer = 0;
      btn.addEventListener("click", function () {
        var code = pre.querySelector("code") || pre;
        copyText(code.textContent.replace(/\n$/, "")).then(function (ok) {
          btn.textContent = ok ? "Copied" : "Press Ctrl+C";
          btn.classList.toggle("copied", ok);
          clearTimeout(timer);
          timer = setTimeout(function () {
            btn.textContent = "Copy";
            btn.classList.remove("copied");
          }, 1600);
        }).catch(function () {
          btn.textContent = "Copy failed";
        });
      });
      wrap.appendChild(btn);
    });
  }

  // ---- Heading anchors -------------------------------------------------------------------

  // A `#` link at the end of each heading with an id, for copying a link to the section;
  // made here rather than written into every page (75 bytes a heading).
  function setupAnchors(scope) {
    var sel = [1, 2, 3, 4, 5, 6].map(function (n) { return ".content h" + n + "[id]"; }).join(",");
    Array.prototype.forEach.call((scope || document).querySelectorAll(sel), function (h) {
      if (h.querySelector(":scope > .anchor")) return;
      h.appendChild(el("a", { class: "anchor", href: "#" + h.id, "aria-label": "Link to this section" }));
    });
  }

  // ---- "On this page" highlight ---------------------------------------------------------

  var tocObserver = null;

  function setupToc() {
    if (tocObserver) tocObserver.disconnect();
    var links = document.querySelectorAll(".toc a[href^='#']");
    if (!links.length || !("IntersectionObserver" in window)) return;
    var byId = {};
    var headings = [];
    Array.prototype.forEach.call(links, function (a) {
      var id = decodeURIComponent(a.getAttribute("href").slice(1));
      var h = document.getElementById(id);
      if (h) {
        byId[id] = a;
        headings.push(h);
      }
    });
    var visible = {};
    function update() {
      var active = null;
      for (var i = 0; i < headings.length; i++) {
        if (visible[headings[i].id]) {
          active = headings[i].id;
          break;
        }
      }
      if (!active) return;
      Array.prototype.forEach.call(links, function (a) { a.classList.remove("active"); });
      if (byId[active]) byId[active].classList.add("active");
    }
    tocObserver = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) { visible[e.target.id] = e.isIntersecting; });
      update();
    }, { rootMargin: "0px 0px -60% 0px" });
    headings.forEach(function (h) { tocObserver.observe(h); });
  }

  function run(steps, arg) {
    steps.forEach(function (step) {
      try {
        step(arg);
      } catch (e) {
        // One broken feature must not take the others down; the error is still reported.
        setTimeout(function () { throw e; });
      }
    });
  }

  // ---- Print ----------------------------------------------------------------------------

  // A folded callout prints open (a closed <details> hides its body whatever the CSS says),
  // and folds again after.
  function setupPrint() {
    var opened = [];
    window.addEventListener("beforeprint", function () {
      opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
        d.open = true;
        return true;
      });
    });
    window.addEventListener("afterprint", function () {
      opened.forEach(function (d) { d.open = false; });
      opened = [];
    });
  }

  // A block wider than the page scrolls sideways; a keyboard reader must be able to reach
  // it to scroll it, so each such block takes focus (and only those: no extra tab stops).
  function setupScrollers(scope) {
    var boxes = (scope || document).querySelectorAll(".content pre, .content .table-wrap, .content .mermaid-drawn");
    Array.prototype.forEach.call(boxes, function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        if (!box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  var scrollTimer = 0;
  window.addEventListener("resize", function () {
    clearTimeout(scrollTimer);
    scrollTimer = setTimeout(function () { run([setupScrollers]); }, 150);
  });

  run([buildNav, setupMenu, setupTheme, setupAnchors, setupCopyButtons, setupToc, setupPrint, setupScrollers]);
  document.addEventListener("studysite:content", function (e) {
    run([setupAnchors, setupCopyButtons, setupToc, setupScrollers], e.detail && e.detail.root);
  });
})();
