// studysite search: the box in the header, and the index shards it loads on demand.
// The index ships as scripts (static/search/*.js calling __studysiteSearch.add) because
// fetch() fails from file://. The tokenizer and stemmer mirror src/search.rs exactly.
(function (g) {
  "use strict";

  var STOP_WORDS = ["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is",
    "it", "of", "on", "or", "that", "the", "this", "to", "was", "with"];
  var WORD_CHAR = /[\p{Alphabetic}\p{N}]/u;
  var MAX_RESULTS = 10;
  var MAX_PREFIX_TERMS = 20;
  var MAX_PREFIX_SHARDS = 4;

  function isCjk(c) {
    var n = c.codePointAt(0);
    return (n >= 0x3040 && n <= 0x30ff) || (n >= 0x3400 && n <= 0x4dbf) ||
      (n >= 0x4e00 && n <= 0x9fff) || (n >= 0xac00 && n <= 0xd7af) || (n >= 0xf900 && n <= 0xfaff);
  }

  // Lowercased words with the index each starts at.
  function tokens(text) {
    var out = [];
    var word = "";
    var start = 0;
    var i = 0;
    for (var c of text) {
      if (isCjk(c)) {
        if (word) out.push([word, start]);
        word = "";
        out.push([c, i]);
      } else if (WORD_CHAR.test(c)) {
        if (!word) start = i;
        word += c.toLowerCase();
      } else if (word) {
        out.push([word, start]);
        word = "";
      }
      i += c.length;
    }
    if (word) out.push([word, start]);
    return out;
  }

  function hasVowel(s) {
    return /[aeiouy]/.test(s);
  }

  function endsWith(s, suffix) {
    return s.length >= suffix.length && s.slice(s.length - suffix.length) === suffix;
  }

  // Same rules, same order, as `stem` in src/search.rs.
  function stem(word) {
    if (word.length < 4 || !/^[a-z]+$/.test(word)) return word;
    var s = word;
    if (endsWith(s, "sses")) s = s.slice(0, -2);
    else if (endsWith(s, "ies")) s = s.slice(0, -3) + "i";
    else if (endsWith(s, "s") && !endsWith(s, "ss") && !endsWith(s, "us") && !endsWith(s, "is")) s = s.slice(0, -1);
    var verbs = ["ing", "ed"];
    for (var v = 0; v < verbs.length; v++) {
      var rest = s.length - verbs[v].length;
      if (endsWith(s, verbs[v]) && rest >= 3 && hasVowel(s.slice(0, rest))) {
        s = s.slice(0, rest);
        var last = s[s.length - 1];
        if (last === s[s.length - 2] && "aeiouylsz".indexOf(last) < 0) s = s.slice(0, -1);
        break;
      }
    }
    var derived = [["ization", "iz"], ["ation", ""], ["ment", ""], ["ness", ""], ["ly", ""]];
    for (var d = 0; d < derived.length; d++) {
      if (endsWith(s, derived[d][0]) && s.length - derived[d][0].length >= 4) {
        s = s.slice(0, s.length - derived[d][0].length) + derived[d][1];
        break;
      }
    }
    if (s.length >= 3 && endsWith(s, "y")) s = s.slice(0, -1) + "i";
    else if (s.length >= 4 && endsWith(s, "e")) s = s.slice(0, -1);
    return s;
  }

  // A term's key, as `key_chars` in src/search.rs: ASCII, so keys order alike on both sides.
  function keyChars(term) {
    var out = "";
    for (var c of term) {
      out += /^[a-z0-9]$/.test(c) ? c : "_" + c.codePointAt(0).toString(16) + "_";
    }
    return out;
  }

  // The words of a query, stop words dropped unless that leaves nothing.
  function queryWords(q) {
    var words = tokens(q).map(function (t) { return t[0]; });
    var kept = words.filter(function (w) { return STOP_WORDS.indexOf(w) < 0; });
    return kept.length ? kept : words;
  }

  var manifest = null;
  var shards = {};
  var loading = {};
  var parts = {};

  var api = {
    tokens: tokens,
    stem: stem,
    add: function (key, data) {
      if (key === "") {
        manifest = data;
      } else if (key.indexOf("d-") === 0) {
        parts[key] = data;
      } else {
        shards[key] = data;
      }
    }
  };
  g.__studysiteSearch = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  if (typeof document === "undefined" || !document.body) return;
  // For tests and the payload bench: resolves to {words, stems, results}.
  api.query = function (q) { return run(q, true); };

  var root = document.body.getAttribute("data-root") || "";
  var base = root + "static/search/";

  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = base + name + ".js";
        s.onload = function () { resolve(); };
        s.onerror = function () {
          delete loading[name];
          reject(new Error("could not load " + s.src));
        };
        document.head.appendChild(s);
      });
    }
    return loading[name];
  }

  // The number of the shard whose terms' keys take in `key`: the last whose first key is
  // not after it (-1 when `key` comes before every term).
  function shardIndex(key) {
    var lo = 0, hi = manifest.shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (manifest.shards[mid] <= key) lo = mid + 1; else hi = mid;
    }
    return lo - 1;
  }

  // The shard that would hold `term`.
  function shardFor(term) {
    var i = shardIndex(keyChars(term));
    return i < 0 ? null : "t-" + i;
  }

  // Shards that may hold terms starting with `prefix`: its own and those after it that
  // start with it (a few, or its own only: then keep typing).
  function shardsUnder(prefix) {
    var p = keyChars(prefix);
    var own = shardIndex(p);
    var out = own < 0 ? [] : ["t-" + own];
    for (var i = own + 1; i < manifest.shards.length && manifest.shards[i].indexOf(p) === 0; i++) {
      out.push("t-" + i);
    }
    return out.length > MAX_PREFIX_SHARDS + 1 ? out.slice(0, 1) : out;
  }

  function run(q, prefixLast) {
    var words = queryWords(q);
    if (!words.length) return Promise.resolve({ words: [], results: [] });
    return load("index").then(function () {
      var stems = words.map(stem);
      var last = words[words.length - 1];
      var wanted = stems.map(shardFor);
      var prefixKeys = prefixLast && last.length >= 2 ? shardsUnder(last) : [];
      var all = wanted.concat(prefixKeys).filter(function (k, i, a) { return k && a.indexOf(k) === i; });
      return Promise.all(all.map(load)).then(function () {
        var ranked = rank(words, stems, wanted, prefixKeys, prefixLast);
        // What a result shows is in the part table, loaded for the results shown only.
        var chunks = ranked.map(chunkOf).filter(function (k, i, a) { return a.indexOf(k) === i; });
        return Promise.all(chunks.map(load)).then(function () {
          return { words: words, stems: stems, results: ranked.map(describe) };
        });
      });
    });
  }

  function rank(words, stems, wanted, prefixKeys, prefixLast) {
    var docs = {};
    stems.forEach(function (s, i) {
      var matched = {};
      function collect(shard, term, weight) {
        // [part, score, part, score, ...]
        var list = shard.t[term] || [];
        for (var n = 0; n + 1 < list.length; n += 2) {
          var prev = matched[list[n]];
          if (!prev || prev < list[n + 1] * weight) matched[list[n]] = list[n + 1] * weight;
        }
      }
      if (wanted[i] && shards[wanted[i]]) collect(shards[wanted[i]], s, 1);
      if (prefixLast && i === stems.length - 1) {
        var raw = words[i];
        var seen = 0;
        prefixKeys.forEach(function (k) {
          var shard = shards[k];
          if (!shard) return;
          Object.keys(shard.t).forEach(function (term) {
            if (term !== s && seen < MAX_PREFIX_TERMS && (term.indexOf(raw) === 0 || term.indexOf(s) === 0)) {
              seen++;
              collect(shard, term, 0.6);
            }
          });
        });
      }
      Object.keys(matched).forEach(function (id) {
        var d = docs[id] || (docs[id] = { id: Number(id), terms: 0, score: 0 });
        d.terms += 1;
        d.score += matched[id];
      });
    });
    return Object.keys(docs).map(function (id) { return docs[id]; }).sort(function (a, b) {
      return b.terms - a.terms || b.score - a.score || a.id - b.id;
    }).slice(0, MAX_RESULTS);
  }

  function chunkOf(r) { return "d-" + Math.floor(r.id / manifest.chunk); }

  // A ranked part as a result: its URL, title and the start of its text.
  function describe(r) {
    var row = parts[chunkOf(r)][r.id % manifest.chunk];
    return { url: row[0], title: row[1], excerpt: row[2] };
  }

  // ---- The box ----------------------------------------------------------------------------

  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) return;
  var active = -1;
  var serial = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  // The excerpt as text nodes, the query's words in <mark>.
  function snippet(text, stems, last) {
    var out = el("span", { class: "search-snippet" });
    var at = 0;
    tokens(text).forEach(function (t) {
      var hit = stems.indexOf(stem(t[0])) >= 0 || (last.length >= 2 && t[0].indexOf(last) === 0);
      if (!hit) return;
      var end = t[1] + t[0].length;
      if (t[1] > at) out.appendChild(document.createTextNode(text.slice(at, t[1])));
      out.appendChild(el("mark", {}, text.slice(t[1], end)));
      at = end;
    });
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function open(on) {
    list.hidden = !on;
    input.setAttribute("aria-expanded", on ? "true" : "false");
    if (!on) setActive(-1);
  }

  function setActive(i) {
    var items = list.querySelectorAll("[role=option]");
    active = items.length ? Math.max(-1, Math.min(i, items.length - 1)) : -1;
    Array.prototype.forEach.call(items, function (item, n) {
      item.setAttribute("aria-selected", n === active ? "true" : "false");
    });
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function show(q, found) {
    list.textContent = "";
    var last = found.words.length ? found.words[found.words.length - 1] : "";
    found.results.forEach(function (r, i) {
      // The link is the option itself: an option may not hold an interactive element.
      var li = el("li", { role: "presentation", class: "search-result" });
      var a = el("a", { href: root + r.url, tabindex: "-1", role: "option", id: "search-option-" + i, "aria-selected": "false" });
      a.appendChild(el("span", { class: "search-title" }, r.title));
      a.appendChild(snippet(r.excerpt, found.stems, last));
      a.addEventListener("click", function () { open(false); });
      li.appendChild(a);
      list.appendChild(li);
    });
    if (!found.results.length) {
      list.appendChild(el("li", { class: "search-empty", role: "presentation" }, "No results for “" + q + "”"));
    }
    status.textContent = found.results.length
      ? found.results.length + (found.results.length === 1 ? " result" : " results") + ", use the arrow keys to choose"
      : "No results";
    open(true);
  }

  var timer = 0;
  function update() {
    var q = input.value;
    var mine = ++serial;
    if (!q.trim()) {
      list.textContent = "";
      status.textContent = "";
      open(false);
      return;
    }
    run(q, !/\s$/.test(q)).then(function (found) {
      if (mine === serial) show(q, found);
    }, function (e) {
      if (mine !== serial) return;
      list.textContent = "";
      list.appendChild(el("li", { class: "search-empty", role: "presentation" }, "Search is unavailable: " + e.message));
      open(true);
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 60);
  });
  input.addEventListener("focus", function () {
    load("index").catch(function () {});
    if (input.value.trim() && list.childNodes.length) open(true);
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      if (list.hidden && input.value.trim()) open(true);
      setActive(active + (e.key === "ArrowDown" ? 1 : -1));
    } else if (e.key === "Enter") {
      var items = list.querySelectorAll("a[role=option]");
      var target = items[active >= 0 ? active : 0];
      if (target) {
        e.preventDefault();
        open(false);
        target.click();
      }
    } else if (e.key === "Escape") {
      if (!list.hidden) open(false);
      else input.value = "";
    }
  });
  document.addEventListener("click", function (e) {
    if (!list.hidden && e.target !== input && !list.contains(e.target)) open(false);
  });
  document.addEventListener("keydown", function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName) || e.target.isContentEditable;
    if ((e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) ||
        (e.key.toLowerCase() === "k" && (e.ctrlKey || e.metaKey))) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
})(typeof window !== "undefined" ? window : globalThis);
