// Flashcards: every card of the site (the shared deck, window.studysiteDeck); marks
// ("knew" / "missed") are kept by window.studysiteStore under a key naming the site. Set up
// again when `studysite serve` swaps in new content (`studysite:content`); the keys reach the
// new deck.
(function () {
  "use strict";
  var onKey = function () {};
  document.addEventListener("keydown", function (e) { onKey(e); });

  // A card's words alone, for the live region.
  function plain(html) {
    var d = document.createElement("div");
    d.innerHTML = html || "";
    return (d.textContent || "").replace(/\s+/g, " ").trim();
  }

  function init() {
    var root = document.getElementById("flashcards");
    var shared = window.studysiteDeck && window.studysiteDeck();
    if (!root || !shared) return;
    var all = shared.cards;
    var key = root.getAttribute("data-storage-key");
    var $ = function (id) { return document.getElementById(id); };
    var card = $("fc-card"), answer = $("fc-answer"), prompt = $("fc-prompt"), kind = $("fc-kind");
    var source = $("fc-source"), mark = $("fc-mark"), progress = $("fc-progress"), score = $("fc-score");
    var live = $("fc-live"), section = $("fc-section"), reveal = $("fc-reveal");
    var KINDS = { scenario: "Scenario", tip: "Exam tip", trap: "Exam trap", question: "Practice question", quiz: "Practice question", cloze: "Cloze" };

    // The store (base.html's head script, or site.js's fallback) keeps marks across pages
    // and reloads, from file:// too; with storage disabled they last for this visit.
    var store = window.studysiteStore;
    function load() {
      try { return JSON.parse((store && store.get(key)) || "{}") || {}; } catch (e) { return {}; }
    }
    var marks = load();
    function save() {
      if (store) store.set(key, JSON.stringify(marks));
    }

    var deck = all.slice();
    var pos = 0;

    function current() { return deck[pos]; }

    function show() {
      var c = current();
      answer.hidden = true;
      card.setAttribute("aria-expanded", "false");
      reveal.textContent = "Show answer";
      if (!c) {
        kind.textContent = "";
        prompt.textContent = "No cards in this section.";
        answer.textContent = "";
        mark.textContent = "";
        source.textContent = "";
        progress.textContent = "";
        return;
      }
      kind.textContent = (KINDS[c.kind] || c.kind) + " · " + c.section;
      card.setAttribute("data-kind", c.kind);
      prompt.hidden = false;
      prompt.innerHTML = c.front;
      answer.innerHTML = c.back;
      source.textContent = c.source;
      source.setAttribute("href", c.url);
      var m = marks[c.id];
      card.setAttribute("data-mark", m || "");
      mark.textContent = m === "knew" ? "You knew this one." : m === "missed" ? "You missed this one last time." : "";
      progress.textContent = "Card " + (pos + 1) + " of " + deck.length;
      updateScore();
    }

    function updateScore() {
      var knew = 0, missed = 0;
      deck.forEach(function (c) {
        if (marks[c.id] === "knew") knew++;
        else if (marks[c.id] === "missed") missed++;
      });
      score.textContent = "Knew " + knew + " · missed " + missed + " · not yet marked " + (deck.length - knew - missed);
    }

    function toggle() {
      if (!current()) return;
      var open = answer.hidden;
      answer.hidden = !open;
      // A cloze's back is its whole text, the blanks filled.
      prompt.hidden = open && current().kind === "cloze";
      card.setAttribute("aria-expanded", String(open));
      reveal.textContent = open ? "Hide answer" : "Show answer";
      if (open) live.textContent = "Answer: " + plain(current().back);
    }

    function go(step) {
      if (!deck.length) return;
      pos = (pos + step + deck.length) % deck.length;
      show();
      var c = current();
      live.textContent = "Card " + (pos + 1) + " of " + deck.length + ": " + plain(c.front);
    }

    function setMark(value) {
      var c = current();
      if (!c) return;
      marks[c.id] = value;
      save();
      go(1);
    }

    function filter() {
      var s = section.value;
      deck = all.filter(function (c) { return !s || c.section === s; });
      pos = 0;
      show();
    }

    function shuffle() {
      for (var i = deck.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = deck[i]; deck[i] = deck[j]; deck[j] = t;
      }
      pos = 0;
      show();
    }

    card.addEventListener("click", toggle);
    reveal.addEventListener("click", toggle);
    $("fc-next").addEventListener("click", function () { go(1); });
    $("fc-prev").addEventListener("click", function () { go(-1); });
    $("fc-knew").addEventListener("click", function () { setMark("knew"); });
    $("fc-missed").addEventListener("click", function () { setMark("missed"); });
    $("fc-shuffle").addEventListener("click", shuffle);
    $("fc-csv").addEventListener("click", function () {
      window.studysiteDownload("flashcards.csv", shared.csv(), "text/csv");
    });
    $("fc-txt").addEventListener("click", function () {
      window.studysiteDownload("flashcards.txt", shared.txt(), "text/plain");
    });
    section.addEventListener("change", filter);

    onKey = function (e) {
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      var t = e.target;
      var tag = t && t.tagName;
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
      // Buttons and links keep their own Space and Enter.
      var own = (tag === "BUTTON" || tag === "A") && (e.key === " " || e.key === "Enter");
      if (own) return;
      if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); toggle(); }
      else if (e.key === "Enter" || e.key === "ArrowRight") { e.preventDefault(); go(1); }
      else if (e.key === "ArrowLeft") { e.preventDefault(); go(-1); }
    };

    show();
  }
  init();
  document.addEventListener("studysite:content", init);
})();
