/*
 * Loaded on pages with saved widget state, between require.js and the
 * Jupyter widgets HTML manager (see nb_ipywidgets_js in _config.yml).
 *
 * 1. The HTML manager (embed-amd.js) defines its modules by name; require.js
 *    then places them next to the page, so the manager asks for its own font
 *    files at "<page dir>/@jupyter-widgets/html-manager/dist/..." and gets 404s.
 *    Mapping the package to the CDN folder the manager itself came from
 *    (data-html-manager on this script tag) makes those URLs right.
 * 2. The manager typesets widget labels with the MathJax 2 call
 *    MathJax.Hub.Queue(...), which throws on the page's MathJax 3. A tiny Hub
 *    that forwards to MathJax 3's typesetPromise keeps the console clean and
 *    the labels typeset.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script && script.getAttribute("data-html-manager");
  if (base && window.require && window.require.config) {
    window.require.config({ paths: { "@jupyter-widgets/html-manager": base } });
  }
  function installHub() {
    var mj = window.MathJax;
    if (!mj || mj.Hub || typeof mj.typesetPromise !== "function") return;
    mj.Hub = {
      Queue: function (job) {
        var element = Array.isArray(job) ? job[2] : undefined;
        if (!element) return;
        window.MathJax.typesetPromise([element]).catch(function (err) {
          console.warn("klbook-widgets: MathJax could not typeset a widget label", err);
        });
      }
    };
  }
  // MathJax 3 loads with `defer`, before "load"; this listener is registered
  // before the manager's own "load" listener, so the Hub exists in time.
  window.addEventListener("load", installHub);
  document.addEventListener("DOMContentLoaded", installHub);
})();
