// Draws the page's math with KaTeX: `$...$` (span.math-inline), `$$...$$`
// (span.math-display) and ```math blocks (pre.math). Loaded only on pages that have math,
// after static/vendor/katex/katex.min.js. A formula KaTeX cannot read stays as its source,
// with KaTeX's message as a tooltip.
(function () {
  if (!window.katex) return;
  function draw() {
    var nodes = document.querySelectorAll("span.math:not([data-drawn]), pre.math:not([data-drawn])");
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var tex = el.textContent;
      el.setAttribute("data-drawn", "");
      el.setAttribute("data-tex", tex);
      try {
        window.katex.render(tex, el, {
          displayMode: el.tagName === "PRE" || el.classList.contains("math-display"),
          throwOnError: true,
          output: "htmlAndMathml",
        });
      } catch (e) {
        el.textContent = tex;
        el.classList.add("math-error");
        el.title = String(e.message || e);
      }
    }
  }
  draw();
  // A live update in `serve` swaps the page's content in place.
  document.addEventListener("studysite:content", draw);
})();
