// The review page: every card of the site (the shared deck, window.studysiteDeck), scheduled
// with FSRS (the published FSRS-5 formulas and default parameters, written out below), due
// cards first, then new ones. Progress (each card's stability, difficulty and due time, and
// a log of reviews) is kept by window.studysiteStore under a key naming the site, and can be
// exported to and imported from a JSON file, since browsers keep file:// storage per file
// and per profile. The clock is read through window.studysiteNow when something sets it.
(function () {
  "use strict";
  var DAY = 86400000, MINUTE = 60000;
  // FSRS-5 default weights.
  var W = [0.40255, 1.18385, 3.173, 15.69105, 7.1949, 0.5345, 1.4604, 0.0046, 1.54575, 0.1192,
    1.01925, 1.9395, 0.11, 0.29605, 2.2698, 0.2315, 2.9898, 0.51655, 0.6621];
  var DECAY = -0.5, FACTOR = Math.pow(0.9, 1 / DECAY) - 1, RETENTION = 0.9;
  function clampD(d) { return Math.min(10, Math.max(1, d)); }
  function initS(g) { return Math.max(W[g - 1], 0.1); }
  function initD(g) { return clampD(W[4] - Math.exp(W[5] * (g - 1)) + 1); }
  function retrievability(days, s) { return Math.pow(1 + FACTOR * days / s, DECAY); }
  function interval(s) {
    return Math.min(36500, Math.max(1, Math.round(s / FACTOR * (Math.pow(RETENTION, 1 / DECAY) - 1))));
  }
  function nextD(d, g) {
    var damped = d + (-W[6] * (g - 3)) * (10 - d) / 9;
    return clampD(W[7] * initD(4) + (1 - W[7]) * damped);
  }
  function recallS(d, s, r, g) {
    var hard = g === 2 ? W[15] : 1, easy = g === 4 ? W[16] : 1;
    return s * (1 + Math.exp(W[8]) * (11 - d) * Math.pow(s, -W[9]) * (Math.exp((1 - r) * W[10]) - 1) * hard * easy);
  }
  function forgetS(d, s, r) {
    var f = W[11] * Math.pow(d, -W[12]) * (Math.pow(s + 1, W[13]) - 1) * Math.exp((1 - r) * W[14]);
    return Math.min(f, s / Math.exp(W[17] * W[18]));
  }
  function shortTermS(s, g) { return s * Math.exp(W[17] * (g - 3 + W[18])); }

  // A card's next state after grade g (1 Again, 2 Hard, 3 Good, 4 Easy) at time t.
  function schedule(c, g, t) {
    var n = { reps: ((c && c.reps) || 0) + 1, lapses: (c && c.lapses) || 0, last: t, grade: g };
    if (!c || !c.s) {
      n.s = initS(g);
      n.d = initD(g);
    } else {
      var days = (t - c.last) / DAY;
      if (days < 1) {
        n.s = shortTermS(c.s, g);
      } else {
        var r = retrievability(days, c.s);
        n.s = g === 1 ? forgetS(c.d, c.s, r) : recallS(c.d, c.s, r, g);
      }
      n.d = nextD(c.d, g);
    }
    if (g === 1) {
      if (c && c.s) n.lapses++;
      n.due = t + (c && c.s ? 10 : 1) * MINUTE;
    } else {
      n.due = t + interval(n.s) * DAY;
    }
    return n;
  }

  function now() { return (window.studysiteNow || Date.now)(); }
  function dayOf(t) {
    var d = new Date(t);
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function init() {
    var root = document.getElementById("review");
    var deck = window.studysiteDeck && window.studysiteDeck();
    if (!root || !deck) return;
    var $ = function (id) { return document.getElementById(id); };
    var all = deck.cards;
    var key = root.getAttribute("data-storage-key");
    var store = window.studysiteStore;
    var KINDS = { scenario: "Scenario", tip: "Exam tip", trap: "Exam trap", question: "Practice question", quiz: "Practice question", cloze: "Cloze" };

    function empty() { return { version: 1, cards: {}, log: [] }; }
    function load() {
      try {
        var p = JSON.parse((store && store.get(key)) || "null");
        return p && p.cards && p.log ? p : empty();
      } catch (e) { return empty(); }
    }
    var progress = load();
    function save() { if (store) store.set(key, JSON.stringify(progress)); }

    var current = null;
    // `review.html#card-ID` (a link to one card) puts that card first.
    var focus = (location.hash.match(/^#card-([0-9a-f]+)$/) || [])[1] || null;

    function queue() {
      var t = now(), want = $("rv-section").value;
      var pool = all.filter(function (c) { return !want || c.section === want; });
      var due = pool.filter(function (c) { var p = progress.cards[c.id]; return p && p.due <= t; })
        .sort(function (a, b) { return progress.cards[a.id].due - progress.cards[b.id].due; });
      var fresh = pool.filter(function (c) { return !progress.cards[c.id]; });
      var next = due.concat(fresh);
      var first = pool.filter(function (c) { return c.id === focus; });
      if (first.length) next = first.concat(next.filter(function (c) { return c.id !== focus; }));
      return { due: due, next: next };
    }

    function show() {
      var q = queue();
      current = q.next[0] || null;
      $("rv-back").hidden = true;
      $("rv-show").hidden = !current;
      grades(false);
      if (!current) {
        $("rv-kind").textContent = "";
        $("rv-front").textContent = "Nothing is due. Come back later, or choose another section.";
        $("rv-back").innerHTML = "";
        $("rv-source").textContent = "";
      } else {
        var p = progress.cards[current.id];
        $("rv-kind").textContent = (KINDS[current.kind] || current.kind) + " · " + current.section +
          (p ? " · due " + dayOf(p.due) : " · new");
        $("rv-card").setAttribute("data-id", current.id);
        $("rv-card").setAttribute("data-kind", current.kind);
        $("rv-front").innerHTML = current.front;
        $("rv-back").innerHTML = current.back;
        var src = $("rv-source");
        src.innerHTML = "";
        var a = document.createElement("a");
        a.href = current.url;
        a.textContent = current.source;
        src.appendChild(document.createTextNode("From "));
        src.appendChild(a);
      }
      stats();
    }

    function grades(on) {
      Array.prototype.forEach.call(root.querySelectorAll(".rv-grade"), function (b) { b.hidden = !on; });
    }

    function reveal() {
      if (!current) return;
      $("rv-back").hidden = false;
      if (current.kind === "cloze") $("rv-front").hidden = true;
      $("rv-show").hidden = true;
      grades(true);
      var first = root.querySelector(".rv-grade[data-grade='3']");
      if (first) first.focus();
    }

    function grade(g) {
      if (!current || $("rv-back").hidden) return;
      var t = now();
      progress.cards[current.id] = schedule(progress.cards[current.id], g, t);
      focus = null;
      progress.log.push([t, current.id, g]);
      if (progress.log.length > 50000) progress.log.splice(0, progress.log.length - 50000);
      save();
      $("rv-front").hidden = false;
      show();
    }

    function stats() {
      var t = now(), today = dayOf(t);
      $("rv-due").textContent = String(queue().due.length);
      var perDay = {};
      progress.log.forEach(function (e) { var d = dayOf(e[0]); perDay[d] = (perDay[d] || 0) + 1; });
      $("rv-today").textContent = String(perDay[today] || 0);
      var streak = 0, d = t;
      if (!perDay[today]) d -= DAY;
      while (perDay[dayOf(d)]) { streak++; d -= DAY; }
      $("rv-streak").textContent = String(streak);
      var by = {};
      all.forEach(function (c) {
        var s = by[c.section] = by[c.section] || [0, 0];
        s[1]++;
        var p = progress.cards[c.id];
        if (p && p.grade >= 3) s[0]++;
      });
      $("rv-mastery").innerHTML = Object.keys(by).sort().map(function (name) {
        var s = by[name];
        return "<tr><td>" + esc(name) + "</td><td>" + Math.round(100 * s[0] / s[1]) + "%</td><td>" + s[1] + "</td></tr>";
      }).join("");
      var cal = $("rv-calendar"), cells = [];
      for (var i = 139; i >= 0; i--) {
        var day = dayOf(t - i * DAY), n = perDay[day] || 0;
        var level = n === 0 ? 0 : n < 5 ? 1 : n < 15 ? 2 : 3;
        cells.push("<span data-day=\"" + day + "\" data-n=\"" + level + "\" title=\"" + day + ": " + n + " review(s)\"></span>");
      }
      cal.innerHTML = cells.join("");
    }

    function esc(s) {
      return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
    }

    function exportText() {
      return JSON.stringify({ format: "studysite-progress", version: 1, key: key, exported: now(), progress: progress });
    }

    // Keeps, per card, the state reviewed last; the logs are joined.
    function importText(text) {
      var p = JSON.parse(text);
      var got = p && p.format === "studysite-progress" ? p.progress : null;
      if (!got || !got.cards || !got.log) throw new Error("not a studysite progress file");
      Object.keys(got.cards).forEach(function (id) {
        var mine = progress.cards[id], theirs = got.cards[id];
        if (!mine || (theirs.last || 0) > (mine.last || 0)) progress.cards[id] = theirs;
      });
      var seen = {};
      progress.log.concat(got.log).forEach(function (e) { seen[e[0] + "|" + e[1]] = e; });
      progress.log = Object.keys(seen).map(function (k) { return seen[k]; }).sort(function (a, b) { return a[0] - b[0]; });
      save();
      show();
    }

    $("rv-show").onclick = reveal;
    Array.prototype.forEach.call(root.querySelectorAll(".rv-grade"), function (b) {
      b.onclick = function () { grade(Number(b.getAttribute("data-grade"))); };
    });
    $("rv-section").onchange = show;
    $("rv-export").onclick = function () {
      var blob = new Blob([exportText()], { type: "application/json" });
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "studysite-progress.json";
      document.body.appendChild(a);
      a.click();
      a.remove();
      $("rv-status").textContent = "Progress exported.";
    };
    $("rv-import").onchange = function (e) {
      var f = e.target.files && e.target.files[0];
      if (!f) return;
      var reader = new FileReader();
      reader.onload = function () {
        try {
          importText(String(reader.result));
          $("rv-status").textContent = "Progress imported.";
        } catch (err) {
          $("rv-status").textContent = "Could not import: " + err.message;
        }
      };
      reader.readAsText(f);
    };
    document.onkeydown = function (e) {
      var tag = e.target && e.target.tagName;
      if (e.altKey || e.ctrlKey || e.metaKey || tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      if (e.key === " " && tag !== "BUTTON") { e.preventDefault(); reveal(); }
      else if (/^[1-4]$/.test(e.key)) grade(Number(e.key));
    };
    window.studysiteReview = {
      exportText: exportText,
      importText: importText,
      state: function (id) { return progress.cards[id] || null; },
      refresh: show,
      schedule: schedule
    };
    show();
  }
  init();
  document.addEventListener("studysite:content", init);
})();
