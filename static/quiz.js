// Quizzes on a page: each <section class="quiz"> names its right letters in data-answer.
// Choosing an option (a button: mouse, keyboard, screen reader alike) marks it right or
// wrong and opens the answer; with several right letters (data-multi) a Check button grades
// the choice. Without this script the answer is still there, folded in its <details>.
// quiz.html reuses the functions through window.studysiteQuiz.
(function () {
  "use strict";

  function right(s) {
    return (s.getAttribute("data-answer") || "").split(",").filter(Boolean);
  }

  function options(s) {
    return Array.prototype.slice.call(s.querySelectorAll(".quiz-option"));
  }

  function chosen(s) {
    return options(s)
      .filter(function (b) { return b.getAttribute("aria-pressed") === "true"; })
      .map(function (b) { return b.getAttribute("data-letter"); });
  }

  // Marks every option, says the result and opens the explanation; returns whether the
  // choice was right.
  function grade(s) {
    var want = right(s), got = chosen(s);
    var ok = got.length === want.length && got.every(function (l) { return want.indexOf(l) >= 0; });
    options(s).forEach(function (b) {
      var l = b.getAttribute("data-letter");
      b.classList.toggle("quiz-correct", want.indexOf(l) >= 0);
      b.classList.toggle("quiz-wrong", got.indexOf(l) >= 0 && want.indexOf(l) < 0);
    });
    s.setAttribute("data-result", ok ? "right" : "wrong");
    var fb = s.querySelector(".quiz-feedback");
    if (fb) {
      fb.textContent = ok ? "Right: " + want.join(", ") + "." :
        "Not quite: the answer is " + want.join(", ") + (got.length ? " (you chose " + got.join(", ") + ")." : ".");
    }
    var d = s.querySelector("details.quiz-answer, .quiz-answer details");
    if (d) d.open = true;
    return ok;
  }

  function reset(s) {
    s.removeAttribute("data-result");
    options(s).forEach(function (b) {
      b.setAttribute("aria-pressed", "false");
      b.classList.remove("quiz-correct", "quiz-wrong");
    });
    var fb = s.querySelector(".quiz-feedback");
    if (fb) fb.textContent = "";
    var d = s.querySelector("details.quiz-answer, .quiz-answer details");
    if (d) d.open = false;
  }

  // opts.onAnswer(s, ok) is told of each graded choice. A section with data-defer (exam
  // mode) only records the choice; its submit grades it.
  function bind(root, opts) {
    opts = opts || {};
    Array.prototype.forEach.call(root.querySelectorAll("section.quiz"), function (s) {
      if (s.__quiz) return;
      s.__quiz = opts;
      var multi = s.hasAttribute("data-multi");
      // The page writes bare buttons (some 40 bytes less per option); a toggle's type and
      // state are set here, where the script that makes them toggles runs.
      options(s).forEach(function (b) {
        b.type = "button";
        if (!b.hasAttribute("aria-pressed")) b.setAttribute("aria-pressed", "false");
      });
      if (multi) {
        var check = document.createElement("button");
        check.type = "button";
        check.className = "quiz-check";
        check.textContent = "Check";
        var ol = s.querySelector(".quiz-options");
        if (ol) ol.insertAdjacentElement("afterend", check);
        check.addEventListener("click", function () {
          if (s.hasAttribute("data-defer") || s.hasAttribute("data-result")) return;
          var ok = grade(s);
          if (s.__quiz.onAnswer) s.__quiz.onAnswer(s, ok);
        });
      }
      s.addEventListener("click", function (e) {
        var b = e.target.closest ? e.target.closest(".quiz-option") : null;
        if (!b || !s.contains(b) || s.hasAttribute("data-result")) return;
        var pressed = b.getAttribute("aria-pressed") === "true";
        if (!multi) options(s).forEach(function (o) { o.setAttribute("aria-pressed", "false"); });
        b.setAttribute("aria-pressed", String(!pressed || !multi));
        if (multi || s.hasAttribute("data-defer")) return;
        var ok = grade(s);
        if (s.__quiz.onAnswer) s.__quiz.onAnswer(s, ok);
      });
    });
  }

  window.studysiteQuiz = { bind: bind, grade: grade, reset: reset, chosen: chosen, right: right };
  function init() {
    if (!document.getElementById("quiz-page")) bind(document, {});
  }
  init();
  document.addEventListener("studysite:content", init);
})();
