// The deck the flashcards, quiz and review pages share. The build writes it once, as
// static/study/deck.js (window.studysiteDeckData), which those pages load before this; a
// quiz card there names its quiz instead of holding a copy. window.studysiteDeck() gives
// every card whole (front and back as HTML, as the Anki export has them), the quizzes, and
// the deck for Anki as text and as CSV, made here rather than shipped beside it.
(function () {
  "use strict";
  var made = null, from = null;

  function text(s) {
    return String(s).replace(/[&<>"]/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c];
    });
  }

  function whole(c, quizzes) {
    var z = c.q == null ? null : quizzes[c.q];
    if (!z) return c;
    var front = z.stem + '<ol class="rv-options">' + z.options.map(function (o) {
      return "<li><b>" + o.letter + "</b> " + o.html + "</li>";
    }).join("") + "</ol>";
    var back = "<p><strong>Answer: " + z.answer.split(",").join(", ") + "</strong></p>" + z.explanation;
    return { id: c.id, kind: c.kind, section: z.section, source: z.source, url: z.url, front: front, back: back };
  }

  // A CSV field (RFC 4180): quoted when it holds a comma, quote or line break.
  function field(s) {
    s = String(s).trim();
    return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function csv(deck) {
    return [COLUMNS.join(",")].concat(rows(deck).map(function (r) { return r.map(field).join(","); }))
      .join("\r\n") + "\r\n";
  }

  // A field of Anki's text format: one line (HTML breaks for newlines), no tab, quoted
  // (quotes doubled) when it holds a quote.
  function txtField(s) {
    s = String(s).trim().replace(/\r\n/g, "\n").replace(/\n/g, "<br>").replace(/\t/g, " ");
    return s.indexOf('"') >= 0 ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  var COLUMNS = ["GUID", "Note type", "Deck", "Front", "Back", "Tags"];

  function rows(deck) {
    return deck.cards.map(function (c) {
      var name = deck.site.split("::").join(":") + "::" + c.section.split("::").join(":");
      var tags = "studysite " + c.kind + " " + (deck.tags[c.section] || "");
      var source = '<p class="source">From: ' + text(c.source) + "</p>";
      return c.cloze ? [c.id, "Cloze", name, c.cloze, source, tags]
        : [c.id, "Basic", name, c.front, c.back + source, tags];
    });
  }

  // The deck in Anki's text format (File > Import): headers name the columns, so a
  // re-import updates the cards by their GUID.
  function txt(deck) {
    var head = ["#separator:tab", "#html:true", "#guid column:1", "#notetype column:2",
      "#deck column:3", "#tags column:6", "#columns:" + COLUMNS.join("\t")];
    return head.concat(rows(deck).map(function (r) { return r.map(txtField).join("\t"); }))
      .join("\n") + "\n";
  }

  // An item as the pages use it: the deck names each item's page once (`p`, an index into
  // data.pages of [URL, note title, section]) and its anchor (`at`); a quiz option is
  // [letter, html, pinned].
  function placed(item, pages) {
    var page = item.p == null ? null : pages[item.p];
    if (!page) return item;
    var out = {};
    for (var k in item) if (k !== "p" && k !== "at") out[k] = item[k];
    out.url = page[0] + (item.at ? "#" + item.at : "");
    out.source = page[1];
    out.section = page[2];
    if (item.options) {
      out.options = item.options.map(function (o) {
        return o.length > 2 ? { letter: o[0], html: o[1], pinned: true } : { letter: o[0], html: o[1] };
      });
    }
    return out;
  }

  window.studysiteDeck = function () {
    var data = window.studysiteDeckData;
    if (!data) return null;
    if (from !== data) {
      var pages = data.pages || [];
      var quizzes = (data.quizzes || []).map(function (q) { return placed(q, pages); });
      made = {
        site: data.site || "",
        tags: data.tags || {},
        quizzes: quizzes,
        cards: (data.cards || []).map(function (c) { return whole(placed(c, pages), quizzes); })
      };
      made.csv = function () { return csv(made); };
      made.txt = function () { return txt(made); };
      from = data;
    }
    return made;
  };

  // Saves `body` as a file named `name` (a link to a Blob: works from file:// too).
  window.studysiteDownload = function (name, body, type) {
    var url = URL.createObjectURL(new Blob([body], { type: type }));
    var a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  };
})();
