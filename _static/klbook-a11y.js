/* klbook: keyboard access to display formulas that scroll sideways.
   MathJax's own tab stop on every formula is off (mathjax3_config in
   _config.yml: 77 of 190 tab stops on one page were formulas), so a display
   formula wider than the text column, which scrolls, could not be reached to
   scroll it with the arrow keys (axe scrollable-region-focusable). Such a
   formula, and only while it scrolls, gets a tab stop. Jupyter Book adds every
   .js file of _static/ to each page. */
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll('mjx-container[display="true"]').forEach(function (el) {
      var scrolls = el.scrollWidth > el.clientWidth + 1;
      if (scrolls && !el.hasAttribute("tabindex")) {
        el.setAttribute("tabindex", "0");
        el.dataset.klbookScrolls = "yes";
      } else if (!scrolls && el.dataset.klbookScrolls === "yes") {
        el.removeAttribute("tabindex");
        delete el.dataset.klbookScrolls;
      }
    });
  }
  window.addEventListener("load", function () {
    var mj = window.MathJax;
    if (!(mj && mj.startup && mj.startup.promise)) return;
    mj.startup.promise.then(mark);
    var pending = null;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(mark, 200);
    });
  });
})();
