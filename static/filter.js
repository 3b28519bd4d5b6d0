// The "when to use what" filter: hides entries that do not contain every typed word.
// Set up again when `studysite serve` swaps in new content (`studysite:content`).
(function () {
  "use strict";
  function init() {
    var input = document.getElementById("scenario-filter");
    if (!input) return;
    var items = Array.prototype.slice.call(document.querySelectorAll(input.getAttribute("data-items")));
    var groups = Array.prototype.slice.call(document.querySelectorAll(input.getAttribute("data-groups")));
    var count = document.querySelector(".filter-count");
    var empty = document.querySelector(".filter-empty");
    var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
    var groupTexts = groups.map(function (g) { var h = g.querySelector("h2"); return h ? h.textContent.toLowerCase() : ""; });

    function apply() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      groups.forEach(function (g, gi) {
        var any = false;
        g.querySelectorAll(input.getAttribute("data-items")).forEach(function (el) {
          var text = texts[items.indexOf(el)] + " " + groupTexts[gi];
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
          el.hidden = !ok;
          if (ok) { any = true; shown++; }
        });
        g.hidden = !any;
      });
      if (count) count.textContent = words.length ? shown + " of " + items.length : items.length + " scenarios";
      if (empty) empty.hidden = shown > 0;
    }
    input.addEventListener("input", apply);
    apply();
  }
  init();
  document.addEventListener("studysite:content", init);
})();
