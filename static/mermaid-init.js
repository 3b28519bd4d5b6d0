// Draws the page's ```mermaid blocks (pre.mermaid) as diagrams, in the theme's colours.
// Loaded only on pages that have one, after static/vendor/mermaid/mermaid.min.js.
(function () {
  if (!window.mermaid) return;
  var chosen = document.documentElement.getAttribute("data-theme");
  var dark = chosen
    ? chosen === "dark"
    : !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  window.mermaid.initialize({
    startOnLoad: false,
    securityLevel: "strict",
    theme: dark ? "dark" : "default",
  });
  function draw() {
    var blocks = document.querySelectorAll("pre.mermaid:not([data-processed])");
    if (blocks.length) window.mermaid.run({ nodes: blocks }).catch(function () {});
  }
  draw();
  // A live update in `serve` swaps the page's content in place.
  document.addEventListener("studysite:content", draw);
})();
