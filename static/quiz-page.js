// The quiz page: every quiz of the site (from the shared deck, window.studysiteDeck; quiz.js
// marks each), a section filter, shuffling
// (questions, and options with "All of the above" kept last), "retry missed" (the ids of
// questions last answered wrong, kept by window.studysiteStore under a key naming the site,
// so they survive a reload) and exam mode: N questions drawn from those shown, a timer,
// one submit, a score per section and every answer opened for review. The clock is read
// through window.studysiteNow when a page (or a test) sets it.
(function () {
  "use strict";
  function now() { return (window.studysiteNow || Date.now)(); }
  var timer = null;

  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // The quizzes of the shared deck as the notes' own quiz sections (quiz.js marks them).
  function render(list, quizzes) {
    list.innerHTML = quizzes.map(function (q) {
      var options = q.options.map(function (o) {
        return "<li" + (o.pinned ? ' data-pinned="true"' : "") + '><button type="button" class="quiz-option" data-letter="' +
          esc(o.letter) + '" aria-pressed="false"><span class="quiz-letter">' + esc(o.letter) + "</span> " + o.html + "</button></li>";
      }).join("");
      return '<section class="quiz" data-id="' + esc(q.id) + '" data-section="' + esc(q.section) + '" data-answer="' +
        esc(q.answer) + '"' + (q.multi ? ' data-multi="true"' : "") + ' aria-label="Practice question">' +
        '<p class="quiz-source">' + esc(q.section) + ' · <a href="' + esc(q.url) + '">' + esc(q.source) + "</a></p>" +
        '<div class="quiz-stem">' + q.stem + "</div>" +
        '<ol class="quiz-options" aria-label="' + (q.multi ? "Choose every right option" : "Choose one option") + '">' + options + "</ol>" +
        '<details class="quiz-answer"><summary>Answer</summary><p><strong>Answer: ' + esc(q.answer) + "</strong></p>" + q.explanation + "</details>" +
        '<p class="quiz-feedback" aria-live="polite"></p></section>';
    }).join("\n");
  }

  function init() {
    var root = document.getElementById("quiz-page");
    var Q = window.studysiteQuiz;
    var deck = window.studysiteDeck && window.studysiteDeck();
    if (!root || !Q || !deck) return;
    var $ = function (id) { return document.getElementById(id); };
    var list = $("qz-list"), section = $("qz-section"), shown = $("qz-shown");
    if (!list.querySelector("section.quiz")) render(list, deck.quizzes);
    var missedBtn = $("qz-missed"), missedCount = $("qz-missed-count"), result = $("qz-result");
    var start = $("qz-start"), submit = $("qz-submit"), end = $("qz-end"), clock = $("qz-timer");
    var all = Array.prototype.slice.call(list.querySelectorAll("section.quiz"));
    var store = window.studysiteStore;
    var key = root.getAttribute("data-storage-key") + ":missed";
    var missed = [];
    try { missed = JSON.parse((store && store.get(key)) || "[]") || []; } catch (e) { missed = []; }
    var onlyMissed = false, exam = null;

    function save() {
      if (store) store.set(key, JSON.stringify(missed));
      missedCount.textContent = String(missed.length);
    }
    function record(s, ok) {
      var id = s.getAttribute("data-id"), i = missed.indexOf(id);
      if (!ok && i < 0) missed.push(id);
      if (ok && i >= 0) missed.splice(i, 1);
      save();
    }
    function visible(s) {
      var want = section.value;
      return (!want || s.getAttribute("data-section") === want) &&
        (!onlyMissed || missed.indexOf(s.getAttribute("data-id")) >= 0);
    }
    function apply() {
      var n = 0;
      all.forEach(function (s) {
        s.hidden = exam ? exam.set.indexOf(s) < 0 : !visible(s);
        if (!s.hidden) n++;
      });
      shown.textContent = n + " of " + all.length + " questions shown";
    }
    function shuffled(items) {
      var a = items.slice();
      for (var i = a.length - 1; i > 0; i--) {
        var j = Math.floor(Math.random() * (i + 1));
        var t = a[i]; a[i] = a[j]; a[j] = t;
      }
      return a;
    }
    function shuffle() {
      all = shuffled(all);
      all.forEach(function (s) {
        var ol = s.querySelector(".quiz-options");
        var items = Array.prototype.slice.call(ol.children);
        var free = shuffled(items.filter(function (li) { return !li.hasAttribute("data-pinned"); }));
        free.concat(items.filter(function (li) { return li.hasAttribute("data-pinned"); }))
          .forEach(function (li) { ol.appendChild(li); });
        list.appendChild(s);
      });
      apply();
    }
    function tick() {
      if (!exam) return;
      var left = Math.max(0, exam.deadline - now());
      var m = Math.floor(left / 60000), sec = Math.floor((left % 60000) / 1000);
      clock.textContent = m + ":" + (sec < 10 ? "0" : "") + sec + " left";
      if (left <= 0 && !exam.done) grade();
    }
    function startExam() {
      var pool = shuffled(all.filter(visible));
      var n = Math.max(1, parseInt($("qz-n").value, 10) || 1);
      var minutes = Math.max(1, parseFloat($("qz-minutes").value) || 1);
      exam = { set: pool.slice(0, n), deadline: now() + minutes * 60000, done: false };
      exam.set.forEach(function (s) { Q.reset(s); s.setAttribute("data-defer", "true"); list.appendChild(s); });
      root.setAttribute("data-mode", "exam");
      result.textContent = "";
      submit.hidden = false; end.hidden = false; start.disabled = true;
      apply();
      clearInterval(timer);
      timer = setInterval(tick, 1000);
      tick();
    }
    function grade() {
      if (!exam || exam.done) return;
      exam.done = true;
      clearInterval(timer);
      var by = {}, right = 0;
      exam.set.forEach(function (s) {
        s.removeAttribute("data-defer");
        var ok = Q.grade(s);
        record(s, ok);
        var name = s.getAttribute("data-section");
        by[name] = by[name] || [0, 0];
        by[name][1]++;
        if (ok) { by[name][0]++; right++; }
      });
      var rows = Object.keys(by).sort().map(function (name) {
        var r = by[name];
        return "<tr><td>" + esc(name) + "</td><td>" + r[0] + "</td><td>" + r[1] + "</td><td>" + Math.round(100 * r[0] / r[1]) + "%</td></tr>";
      }).join("");
      result.innerHTML = "<p><strong>Score: " + right + " of " + exam.set.length + "</strong> (" +
        Math.round(100 * right / exam.set.length) + "%). Every answer is open below for review.</p>" +
        "<table><thead><tr><th>Section</th><th>Right</th><th>Of</th><th>Score</th></tr></thead><tbody>" + rows + "</tbody></table>";
      submit.hidden = true;
      clock.textContent = "";
    }
    function leave() {
      clearInterval(timer);
      if (exam) exam.set.forEach(function (s) { s.removeAttribute("data-defer"); });
      exam = null;
      root.removeAttribute("data-mode");
      submit.hidden = true; end.hidden = true; start.disabled = false; clock.textContent = "";
      apply();
    }

    Q.bind(list, { onAnswer: record });
    section.addEventListener("change", apply);
    $("qz-shuffle").addEventListener("click", shuffle);
    missedBtn.addEventListener("click", function () {
      onlyMissed = !onlyMissed;
      missedBtn.setAttribute("aria-pressed", String(onlyMissed));
      if (onlyMissed) all.forEach(function (s) { if (missed.indexOf(s.getAttribute("data-id")) >= 0) Q.reset(s); });
      apply();
    });
    start.addEventListener("click", startExam);
    submit.addEventListener("click", grade);
    end.addEventListener("click", leave);
    save();
    apply();
  }
  init();
  document.addEventListener("studysite:content", init);
})();
