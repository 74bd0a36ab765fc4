/*
 * Kernel-free explorers of "Forward KL vs Reverse KL" (see klbook/explorers.py).
 *
 * klbook computes every number at build time, on a lattice of control values
 * (explorers/<app>.js registers them in window.KLBOOK_EXPLORERS). This script
 * only looks states up and draws them: closed-form Normal and mixture
 * densities, the pointwise KL integrand, and sums over a categorical's bars.
 * It never fits, integrates or optimises.
 *
 * A classic script (not an ES module) that loads its data with <script>
 * tags, so pages and decks opened from disk (file://) work too.
 */
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var current = document.currentScript;
  var BASE = current && current.src ? current.src.replace(/[^\/]*$/, "") : "";
  var registry = (window.KLBOOK_EXPLORERS = window.KLBOOK_EXPLORERS || {});
  var waiting = {};
  var counter = 0;

  // ------------------------------------------------------------ words

  // Every word an explorer shows goes through t: its English template, with
  // {name} placeholders filled from `vars`, is replaced by its entry in the page
  // language's label table (klbook/i18n/<lang>.json, which write_assets ships
  // as klbook-labels-<lang>.js: window.KLBOOK_LABELS[lang]). Numbers are never
  // in the table: they come in through `vars`, formatted by fmt. A page is in
  // one language: its explorers' data-lang (set by the translated build), else
  // <html lang>; a language with no shipped table is shown in English.
  var LABELS = (window.KLBOOK_LABELS = window.KLBOOK_LABELS || {});
  var LANGUAGES = []; // the languages with a table: klbookExplorers.run(languages) sets them
  var lang = null, unlabelled = {};

  function pageLang() {
    if (lang === null) {
      var tagged = document.querySelector(".klbook-explorer[data-lang]");
      var code = ((tagged && tagged.getAttribute("data-lang")) || document.documentElement.lang || "en");
      code = code.toLowerCase().split("-")[0];
      lang = LANGUAGES.indexOf(code) >= 0 ? code : "en";
    }
    return lang;
  }

  function t(template, vars) {
    var text = template, table = LABELS[pageLang()];
    if (table) {
      if (Object.prototype.hasOwnProperty.call(table, template) && table[template]) text = table[template];
      else if (!unlabelled[template]) {
        // Shown in English, and loud: the tests turn console errors into failures.
        unlabelled[template] = true;
        console.error("klbook explorer: no " + lang + " label for " + JSON.stringify(template));
      }
    }
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      if (!vars || !Object.prototype.hasOwnProperty.call(vars, name)) {
        throw new Error("klbook explorer: no value for {" + name + "} in " + JSON.stringify(template));
      }
      return vars[name];
    });
  }

  // ------------------------------------------------------------ numbers

  var LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

  function fmt(value, digits) {
    digits = digits === undefined ? 3 : digits;
    if (value === Infinity) return "∞";
    if (value === -Infinity) return "−∞";
    if (typeof value !== "number" || isNaN(value)) throw new Error("klbook explorer: NaN reached the screen");
    var text = value.toFixed(digits);
    if (/^-0\.?0*$/.test(text)) text = text.slice(1);
    return text.replace("-", "−");
  }

  function normalLogpdf(x, m, s) {
    var z = (x - m) / s;
    return -0.5 * z * z - Math.log(s) - LOG_SQRT_2PI;
  }

  // comps: [[weight, mean, sd], ...]; log-sum-exp, so far tails stay finite.
  function mixtureLogpdf(x, comps) {
    var top = -Infinity, terms = [], i, t, total = 0;
    for (i = 0; i < comps.length; i++) {
      t = Math.log(comps[i][0]) + normalLogpdf(x, comps[i][1], comps[i][2]);
      terms.push(t);
      if (t > top) top = t;
    }
    for (i = 0; i < terms.length; i++) total += Math.exp(terms[i] - top);
    return top + Math.log(total);
  }

  function grid(lo, hi, n) {
    var out = [];
    for (var i = 0; i < n; i++) out.push(lo + (hi - lo) * i / (n - 1));
    return out;
  }

  function density(xs, comps) {
    return xs.map(function (x) { return Math.exp(mixtureLogpdf(x, comps)); });
  }

  // forward: p log(p/q) (area D(P||Q)); reverse: q log(q/p) (area D(Q||P)).
  function integrand(xs, p, q, direction) {
    return xs.map(function (x) {
      var lp = mixtureLogpdf(x, p), lq = mixtureLogpdf(x, q);
      return direction === "forward" ? Math.exp(lp) * (lp - lq) : Math.exp(lq) * (lq - lp);
    });
  }

  // 0 log 0 = 0; a > 0 where b = 0 gives infinity (scipy.special.rel_entr).
  function relEntr(a, b) {
    if (a === 0) return 0;
    if (b === 0) return Infinity;
    return a * Math.log(a / b);
  }

  function sum(values) {
    return values.reduce(function (s, v) { return s + v; }, 0);
  }

  var LADDER = [0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 100];

  // A y-limit from a fixed ladder, unchanged while `peak` fits comfortably.
  function niceLimit(peak, current) {
    if (!isFinite(peak)) peak = LADDER[LADDER.length - 1];
    if (current && peak >= 0.35 * current && peak <= 0.97 * current) return current;
    for (var i = 0; i < LADDER.length; i++) if (LADDER[i] >= peak / 0.9) return LADDER[i];
    return LADDER[LADDER.length - 1];
  }

  function normalText(m, s) {
    return t("N(mean {mean}, sd {sd})", { mean: fmt(m, 2), sd: fmt(s, 2) });
  }

  function mixtureText(comps) {
    if (comps.length === 1) return normalText(comps[0][1], comps[0][2]);
    return comps.map(function (c) { return fmt(c[0], 2) + "·" + normalText(c[1], c[2]); }).join(" + ");
  }

  // ------------------------------------------------------------ DOM helpers

  function el(tag, attrs, parent, text) {
    var node = document.createElement(tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (text !== undefined) node.textContent = text;
    if (parent) parent.appendChild(node);
    return node;
  }

  function svgEl(tag, attrs, parent) {
    var node = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) node.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function uid(prefix) {
    counter += 1;
    return "kx-" + prefix + "-" + counter;
  }

  // A range input over the indices of a lattice; it shows and announces the value.
  function slider(parent, label, values, index, digits, onInput) {
    var id = uid("range");
    var wrap = el("div", { "class": "kx-control" }, parent);
    el("label", { "for": id }, wrap, label);
    var input = el("input", { type: "range", id: id, min: 0, max: values.length - 1, step: 1,
                              value: index }, wrap);
    var out = el("output", { "for": id }, wrap);
    function show() {
      var v = values[+input.value];
      out.textContent = fmt(v, digits);
      input.setAttribute("aria-valuetext", fmt(v, digits));
    }
    input.addEventListener("input", function () { show(); onInput(); });
    show();
    input.current = function () { return values[+input.value]; };
    return input;
  }

  function select(parent, label, options, onChange) {
    var id = uid("select");
    var wrap = el("div", { "class": "kx-control" }, parent);
    el("label", { "for": id }, wrap, label);
    var input = el("select", { id: id }, wrap);
    options.forEach(function (o, i) { el("option", { value: i }, input, o); });
    input.addEventListener("change", onChange);
    input.addEventListener("input", onChange);
    return input;
  }

  function legend(parent, entries) {
    var box = el("ul", { "class": "kx-legend" }, parent);
    entries.forEach(function (e) {
      var li = el("li", {}, box);
      var sw = svgEl("svg", { width: 28, height: 10, "aria-hidden": "true", focusable: "false" }, li);
      svgEl("line", { x1: 1, y1: 5, x2: 27, y2: 5, stroke: e.style.color, "stroke-width": 2.5,
                      "stroke-dasharray": e.dash !== undefined ? e.dash : e.style.dash }, sw);
      li.appendChild(document.createTextNode(" " + e.label));
    });
    return box;
  }

  // ------------------------------------------------------------ plots

  function ticks(lo, hi, n) {
    var span = hi - lo, raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 2.5, 5, 10].map(function (f) { return f * mag; })
      .filter(function (s) { return span / s <= n + 0.5; })[0] || 10 * mag;
    var out = [], t = Math.ceil(lo / step - 1e-9) * step;
    for (; t <= hi + 1e-9 * span; t += step) out.push(Math.abs(t) < 1e-12 * span ? 0 : t);
    return out;
  }

  function logTicks(lo, hi) {
    var out = [];
    for (var e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      [1, 2, 5].forEach(function (f) {
        var v = f * Math.pow(10, e);
        if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push(v);
      });
    }
    return out;
  }

  function tickText(v) {
    var s = Math.abs(v) >= 1 || v === 0 ? String(Math.round(v * 100) / 100) : String(+v.toPrecision(2));
    return s.replace("-", "−");
  }

  // One set of axes in an SVG; its data artists are kept and updated in place.
  function Axes(svg, box, opts) {
    this.svg = svg;
    this.box = box; // [left, top, width, height] in SVG units
    this.ylog = !!opts.ylog;
    this.g = svgEl("g", {}, svg);
    this.clipId = uid("clip");
    var defs = svgEl("defs", {}, this.g);
    var clip = svgEl("clipPath", { id: this.clipId }, defs);
    svgEl("rect", { x: box[0], y: box[1], width: box[2], height: box[3] }, clip);
    this.under = svgEl("g", { "clip-path": "url(#" + this.clipId + ")" }, this.g);
    this.data = svgEl("g", { "clip-path": "url(#" + this.clipId + ")" }, this.g);
    this.axisLayer = svgEl("g", { "class": "kx-axis" }, this.g);
    this.top = svgEl("g", {}, this.g);
    this.opts = opts;
    this.setLimits(opts.x, opts.y);
  }

  Axes.prototype.setLimits = function (x, y) {
    if (this.xlim && this.xlim[0] === x[0] && this.xlim[1] === x[1] &&
        this.ylim[0] === y[0] && this.ylim[1] === y[1]) return;
    this.xlim = x.slice();
    this.ylim = y.slice();
    var b = this.box, o = this.opts, g = this.axisLayer, self = this;
    while (g.firstChild) g.removeChild(g.firstChild);
    svgEl("line", { x1: b[0], y1: b[1] + b[3], x2: b[0] + b[2], y2: b[1] + b[3] }, g);
    svgEl("line", { x1: b[0], y1: b[1], x2: b[0], y2: b[1] + b[3] }, g);
    (o.xticks === 0 ? [] : ticks(x[0], x[1], o.xticks || 8)).forEach(function (t) {
      var px = self.sx(t);
      svgEl("line", { x1: px, y1: b[1] + b[3], x2: px, y2: b[1] + b[3] + 4 }, g);
      svgEl("text", { x: px, y: b[1] + b[3] + 15, "text-anchor": "middle" }, g).textContent = tickText(t);
    });
    (this.ylog ? logTicks(y[0], y[1]) : ticks(y[0], y[1], o.yticks || 4)).forEach(function (t) {
      var py = self.sy(t);
      svgEl("line", { x1: b[0] - 4, y1: py, x2: b[0], y2: py }, g);
      svgEl("text", { x: b[0] - 6, y: py + 3.5, "text-anchor": "end" }, g).textContent = tickText(t);
    });
    if (o.xlabel) svgEl("text", { x: b[0] + b[2] / 2, y: b[1] + b[3] + 30, "text-anchor": "middle" },
                        g).textContent = o.xlabel;
    var lx = b[0] - 38;
    if (o.ylabel) svgEl("text", { x: lx, y: b[1] + b[3] / 2, "text-anchor": "middle",
                                  transform: "rotate(-90 " + lx + " " + (b[1] + b[3] / 2) + ")" }, g).textContent = o.ylabel;
    if (o.title) svgEl("text", { x: b[0] + b[2] / 2, y: b[1] - 6, "text-anchor": "middle",
                                 "class": "kx-title" }, g).textContent = o.title;
  };

  Axes.prototype.sx = function (x) {
    return this.box[0] + (x - this.xlim[0]) / (this.xlim[1] - this.xlim[0]) * this.box[2];
  };

  Axes.prototype.sy = function (y) {
    var lo = this.ylim[0], hi = this.ylim[1];
    var f = this.ylog ? (Math.log(y) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : (y - lo) / (hi - lo);
    return this.box[1] + this.box[3] * (1 - f);
  };

  Axes.prototype.line = function (style, extra) {
    var attrs = { fill: "none", stroke: style.color, "stroke-width": 2, "stroke-dasharray": style.dash,
                  "stroke-linejoin": "round" };
    for (var k in extra || {}) attrs[k] = extra[k];
    return svgEl("path", attrs, this.data);
  };

  Axes.prototype.area = function (color, opacity) {
    return svgEl("path", { fill: color, "fill-opacity": opacity, stroke: "none" }, this.under);
  };

  Axes.prototype.points = function (xs, ys) {
    var d = "", lim = 1e4;
    for (var i = 0; i < xs.length; i++) {
      var px = this.sx(xs[i]), py = Math.max(-lim, Math.min(lim, this.sy(ys[i])));
      d += (i ? "L" : "M") + px.toFixed(1) + " " + py.toFixed(1);
    }
    return d;
  };

  Axes.prototype.setLine = function (path, xs, ys) {
    path.setAttribute("d", xs.length ? this.points(xs, ys) : "");
  };

  Axes.prototype.setArea = function (path, xs, ys) {
    var zero = this.sy(Math.max(0, this.ylim[0]));
    var d = this.points(xs, ys);
    path.setAttribute("d", d + "L" + this.sx(xs[xs.length - 1]).toFixed(1) + " " + zero.toFixed(1) +
                      "L" + this.sx(xs[0]).toFixed(1) + " " + zero.toFixed(1) + "Z");
  };

  Axes.prototype.hline = function (y, color) {
    var path = svgEl("path", { stroke: color, "stroke-width": 0.8 }, this.under);
    path.setAttribute("d", "M" + this.box[0] + " " + this.sy(y) + "H" + (this.box[0] + this.box[2]));
    return path;
  };

  function figure(root, width, height, label) {
    var wrap = el("div", { "class": "kx-figure" }, root);
    wrap.style.maxWidth = width + "px";
    var svg = svgEl("svg", { viewBox: "0 0 " + width + " " + height, role: "img",
                             "class": "kx-plot", preserveAspectRatio: "xMidYMid meet" }, wrap);
    svg.style.aspectRatio = width + " / " + height;
    var title = svgEl("title", { id: uid("title") }, svg);
    svg.setAttribute("aria-labelledby", title.id);
    svg.describe = function (text) {
      title.textContent = label + ". " + text;
      svg.setAttribute("data-description", text);
    };
    return svg;
  }

  function marker(parent, shape, color, filled) {
    var node = shape === "diamond" ? svgEl("path", {}, parent) : svgEl("circle", { r: 4.5 }, parent);
    node.setAttribute("fill", filled ? color : "white");
    node.setAttribute("stroke", filled ? "white" : color);
    node.setAttribute("stroke-width", filled ? 1 : 2);
    node.place = function (px, py) {
      if (shape === "diamond") node.setAttribute("d", "M" + px + " " + (py - 6) + "l6 6l-6 6l-6 -6Z");
      else { node.setAttribute("cx", px); node.setAttribute("cy", py); }
    };
    return node;
  }

  function readout(root) {
    return el("div", { "class": "kx-readout", "aria-live": "polite" }, root);
  }

  function nearest(values, v) {
    var best = 0;
    for (var i = 1; i < values.length; i++) if (Math.abs(values[i] - v) < Math.abs(values[best] - v)) best = i;
    return best;
  }

  function optimaList(optima) {
    return optima.map(function (o) { return normalText(o[0], o[1]) + ": D(Q‖P) = " + fmt(o[2]); }).join("; ");
  }

  // ------------------------------------------------------------ the apps

  // Each app: APPS[name] = function (root, data, styles) { ...build controls and figure... }.
  // The apps of later chapters live in klbook/static/apps/<name>.js and register
  // themselves with klbookExplorers.apps; write_assets bundles them after this core.
  var APPS = {};

  APPS.glance = function (root, data, S) {
    var controls = el("div", { "class": "kx-controls" }, root);
    var a = slider(controls, t("half-separation a"), data.a, nearest(data.a, 2.5), 1, update);
    var w = slider(controls, t("weight of left mode w"), data.w, nearest(data.w, 0.5), 2, update);
    legend(root, [{ style: S.p, label: t("P (target)") }, { style: S.forward, label: t("forward fit: min D(P‖Q)") },
                  { style: S.reverse, label: t("reverse fit: min D(Q‖P), best") },
                  { style: S.reverse, dash: "2 3", label: t("other local minima of D(Q‖P)") }]);
    var svg = figure(root, 640, 250, t("A two-mode P and its forward and reverse Normal fits"));
    var xs = grid(data.x[0], data.x[1], 401);
    var peak = 0.4;
    data.states.forEach(function (st) {
      st[1].concat([st[0]]).forEach(function (o) { peak = Math.max(peak, 1 / (o[1] * Math.sqrt(2 * Math.PI))); });
    });
    var ax = new Axes(svg, [52, 10, 572, 196], { x: data.x, y: [0, niceLimit(peak)], xlabel: "x",
                                                 ylabel: t("density") });
    var pFill = ax.area(S.p.color, 0.12), pLine = ax.line(S.p), fLine = ax.line(S.forward);
    var rLine = ax.line(S.reverse);
    var others = [0, 1, 2].map(function () { return ax.line(S.reverse, { "stroke-dasharray": "2 3", "stroke-width": 1.5 }); });
    var out = readout(root);

    function update() {
      var av = a.current(), wv = w.current();
      var st = data.states[(+a.value) * data.w.length + (+w.value)];
      var fwd = st[0], opt = st[1], best = opt[0];
      var p = [[wv, -av, 1], [1 - wv, av, 1]];
      var yp = density(xs, p);
      ax.setLine(pLine, xs, yp);
      ax.setArea(pFill, xs, yp);
      ax.setLine(fLine, xs, density(xs, [[1, fwd[0], fwd[1]]]));
      ax.setLine(rLine, xs, density(xs, [[1, best[0], best[1]]]));
      others.forEach(function (line, k) {
        var o = opt[k + 1];
        ax.setLine(line, o ? xs : [], o ? density(xs, [[1, o[0], o[1]]]) : []);
      });
      var rest = opt.slice(1);
      var extra = { n: rest.length, list: rest.length ? optimaList(rest) : "" };
      out.innerHTML = "<p>P = " + fmt(wv, 2) + "·N(−" + fmt(av, 2) + ", 1) + " + fmt(1 - wv, 2) + "·N(" +
        fmt(av, 2) + ", 1).<br>" +
        t("<b>Forward fit</b> {q}: D(P‖Q) = {d} nats.", { q: normalText(fwd[0], fwd[1]), d: fmt(fwd[2]) }) + "<br>" +
        t("<b>Reverse fit</b> {q}: D(Q‖P) = {d} nats.", { q: normalText(best[0], best[1]), d: fmt(best[2]) }) + " " +
        (rest.length > 1 ? t("A grid of starts finds {n} other local optima: {list}.", extra)
          : rest.length ? t("A grid of starts finds {n} other local optimum: {list}.", extra)
          : t("A grid of starts finds no other local optimum.")) + "</p>";
      svg.describe(t("Target P with modes at −{a} and {a} (left weight {w}), {style} and shaded.",
                     { a: fmt(av, 1), w: fmt(wv, 2), style: S.p.words }) + " " +
        t("Forward fit {q}, {style}.", { q: normalText(fwd[0], fwd[1]), style: S.forward.words }) + " " +
        (rest.length ? t("Reverse fit {q}, {style}, with {n} other local optimum(s) {colour} dotted.",
                         { q: normalText(best[0], best[1]), style: S.reverse.words, n: rest.length,
                           colour: S.reverse.colour })
          : t("Reverse fit {q}, {style}.", { q: normalText(best[0], best[1]), style: S.reverse.words })));
    }
    update();
  };

  APPS.discrete = function (root, cfg, S) {
    var k = cfg.labels.length;
    var controls = el("div", { "class": "kx-controls kx-columns" }, root);
    var pcol = el("div", { "class": "kx-column" }, controls), qcol = el("div", { "class": "kx-column" }, controls);
    var steps = grid(0, 1, 101);
    var ps = cfg.p.map(function (v, i) { return slider(pcol, "P(" + cfg.labels[i] + ")", steps, nearest(steps, v), 2, update); });
    var qs = cfg.q.map(function (v, i) { return slider(qcol, "Q(" + cfg.labels[i] + ")", steps, nearest(steps, v), 2, update); });
    var unit = select(controls, t("units"), [t("nats"), t("bits")], update);
    legend(root, [{ style: S.p, dash: "", label: "P" }, { style: S.q, dash: "", label: "Q" },
                  { style: S.forward, dash: "", label: t("p log p/q (sums to D(P‖Q))") },
                  { style: S.reverse, dash: "", label: t("q log q/p (sums to D(Q‖P))") }]);
    var svg = figure(root, 640, 230, t("Bars of P and Q, and each outcome's term of both KL divergences"));
    var left = new Axes(svg, [46, 12, 250, 180], { x: [-0.5, k - 0.5], y: [0, 1], xticks: 0, ylabel: t("probability") });
    var right = new Axes(svg, [372, 12, 250, 180], { x: [-0.5, k - 0.5], y: [-0.1, 0.1], xticks: 0, ylabel: t("term") });
    [left, right].forEach(function (ax) {
      for (var i = 0; i < k; i++) {
        svgEl("text", { x: ax.sx(i), y: ax.box[1] + ax.box[3] + 15, "text-anchor": "middle" }, ax.top).textContent = cfg.labels[i];
      }
    });
    var zero = right.hline(0, S.muted.color);
    function bars(ax, color, offset, hatch) {
      var out = [];
      for (var i = 0; i < k; i++) {
        out.push(svgEl("rect", { fill: color, "fill-opacity": hatch ? 0.55 : 0.85 }, ax.data));
      }
      out.offset = offset;
      return out;
    }
    var pb = bars(left, S.p.color, -0.2), qb = bars(left, S.q.color, 0.2, true);
    var fb = bars(right, S.forward.color, -0.2), rb = bars(right, S.reverse.color, 0.2);
    var infs = [];
    for (var i = 0; i < 2 * k; i++) infs.push(svgEl("text", { "text-anchor": "middle", "class": "kx-inf" }, right.top));
    var out = readout(root);
    var ylim = null;

    function place(ax, rects, values, top) {
      rects.forEach(function (r, i) {
        var v = values[i] === Infinity ? top : values[i];
        var x0 = ax.sx(i + rects.offset - 0.2), x1 = ax.sx(i + rects.offset + 0.2);
        var y0 = ax.sy(0), y1 = ax.sy(v);
        r.setAttribute("x", x0.toFixed(1));
        r.setAttribute("width", (x1 - x0).toFixed(1));
        r.setAttribute("y", Math.min(y0, y1).toFixed(1));
        r.setAttribute("height", Math.abs(y1 - y0).toFixed(1));
      });
    }

    function update() {
      var pr = ps.map(function (s) { return s.current(); }), qr = qs.map(function (s) { return s.current(); });
      var sp = sum(pr), sq = sum(qr), u = unit.value === "1" ? "bits" : "nats", unitText = t(u);
      var empty = [sp > 0 ? null : "P", sq > 0 ? null : "Q"].filter(Boolean);
      if (empty.length) {
        [pb, qb, fb, rb].forEach(function (bs) { bs.forEach(function (r) { r.setAttribute("height", 0); }); });
        infs.forEach(function (t) { t.textContent = ""; });
        out.innerHTML = "<p>" + t("<b>{which} has no mass:</b> every slider is at 0. Raise at least one" +
          " (values are rescaled to sum to 1).", { which: empty.length > 1 ? t("P and Q") : empty[0] }) + "</p>";
        svg.describe(t("Bars are empty: a distribution with no mass has no probabilities."));
        return;
      }
      var scale = u === "bits" ? Math.log(2) : 1;
      var p = pr.map(function (v) { return v / sp; }), q = qr.map(function (v) { return v / sq; });
      var ft = p.map(function (v, i) { return relEntr(v, q[i]) / scale; });
      var rt = q.map(function (v, i) { return relEntr(v, p[i]) / scale; });
      var hp = -sum(p.map(function (v) { return v > 0 ? v * Math.log(v) : 0; })) / scale;
      var hq = -sum(q.map(function (v) { return v > 0 ? v * Math.log(v) : 0; })) / scale;
      var dpq = sum(ft), dqp = sum(rt);
      var hpq = hp + dpq, hqp = hq + dqp;
      var finite = ft.concat(rt).filter(isFinite).concat([0]);
      var top = niceLimit(Math.max(Math.max.apply(null, finite), 0.05), ylim && ylim[1]);
      var bottom = -niceLimit(Math.max(-Math.min.apply(null, finite), 0.05), null);
      if (!ylim || ylim[0] !== bottom || ylim[1] !== top) {
        ylim = [bottom, top];
        right.setLimits([-0.5, k - 0.5], [bottom, top * 1.15]);
        zero.setAttribute("d", "M" + right.box[0] + " " + right.sy(0) + "H" + (right.box[0] + right.box[2]));
      }
      place(left, pb, p, 1);
      place(left, qb, q, 1);
      place(right, fb, ft, top);
      place(right, rb, rt, top);
      [ft, rt].forEach(function (vals, j) {
        vals.forEach(function (v, i) {
          var t = infs[j * k + i];
          t.setAttribute("x", right.sx(i + (j ? 0.2 : -0.2)));
          t.setAttribute("y", right.sy(top * 1.12));
          t.textContent = v === Infinity ? "∞" : "";
        });
      });
      var notes = [];
      if (dpq === Infinity) notes.push(t("D(P‖Q) = ∞: Q gives probability 0 to an outcome P can produce, so a code built for Q has no codeword for it."));
      if (dqp === Infinity) notes.push(t("D(Q‖P) = ∞: Q gives probability to an outcome P never produces."));
      var asym = isFinite(dpq) && isFinite(dqp) ?
        " " + t("The two directions differ by {d} {unit}.", { d: fmt(Math.abs(dpq - dqp)), unit: unitText }) : "";
      var rescaled = Math.abs(sp - 1) > 1e-9 || Math.abs(sq - 1) > 1e-9;
      function row(a, av, b, bv) {
        return "<tr><th scope='row'>" + a + "</th><td>" + av + "</td><th scope='row'>" + b + "</th><td>" + bv + "</td></tr>";
      }
      out.innerHTML = "<table class='kx-table'><caption>" + t("Entropies and KL divergences in {unit}", { unit: unitText }) +
        "</caption>" +
        row("H(P)", fmt(hp), "H(Q)", fmt(hq)) + row("H(P,Q)", fmt(hpq), "H(Q,P)", fmt(hqp)) +
        row("D(P‖Q) = H(P,Q) − H(P)", "<b>" + fmt(dpq) + "</b>", "D(Q‖P) = H(Q,P) − H(Q)", "<b>" + fmt(dqp) + "</b>") +
        "</table><p>" + t("All values in {unit}.", { unit: unitText }) + asym + " " + notes.join(" ") + "</p>" +
        (rescaled ? "<p>" + t("<b>Rescaled:</b> the sliders sum to {p} (P) and {q} (Q); each is divided by its sum," +
          " so the bars and numbers use probabilities that sum to 1.", { p: fmt(sp, 2), q: fmt(sq, 2) }) + "</p>" : "");
      svg.describe(t("Left: bars of P ({pColour}) and Q ({qColour}) over outcomes {outcomes}. Right: each outcome's" +
        " term of D(P‖Q) ({fColour}) and D(Q‖P) ({rColour}); D(P‖Q) = {dpq} {unit}, D(Q‖P) = {dqp} {unit}.", {
          pColour: S.p.colour, qColour: S.q.colour, fColour: S.forward.colour, rColour: S.reverse.colour,
          outcomes: cfg.labels.map(function (lab, i) {
            return lab + ": P " + fmt(p[i], 2) + ", Q " + fmt(q[i], 2);
          }).join(", "),
          dpq: fmt(dpq), dqp: fmt(dqp), unit: unitText }));
      root.setAttribute("data-values", JSON.stringify({ h_p: hp, h_q: hq, h_pq: hpq, h_qp: hqp, d_pq: dpq, d_qp: dqp }));
    }
    update();
  };

  // The density and integrand panels of a fit, shared by the forward and
  // reverse apps: P (shaded), Q, an optional start (`lines.s`, `start`), and
  // the integrand of the divergence in `direction` with its area shaded.
  function drawFit(f, xs, xr, p, q, direction, lim, lines, start) {
    var yp = density(xs, p), yq = density(xs, q), yi = integrand(xs, p, q, direction);
    var ys = start ? density(xs, start) : [];
    lim.y = niceLimit(Math.max.apply(null, yp.concat(yq, ys)), lim.y);
    lim.i = niceLimit(Math.max(Math.max.apply(null, yi), 0.02), lim.i);
    f.ax.setLimits(xr, [0, lim.y]);
    f.ai.setLimits(xr, [-lines.below * lim.i, lim.i]);
    f.ax.setLine(lines.p, xs, yp);
    f.ax.setArea(lines.pFill, xs, yp);
    if (start) f.ax.setLine(lines.s, xs, ys);
    f.ax.setLine(lines.q, xs, yq);
    f.ai.setLine(lines.i, xs, yi);
    f.ai.setArea(lines.iFill, xs, yi);
  }

  function twoPanels(root, label, width, xr, legendEntries) {
    legend(root, legendEntries);
    var row = el("div", { "class": "kx-row" }, root);
    var svg = figure(row, width, 330, label);
    var ax = new Axes(svg, [52, 8, width - 70, 170], { x: xr, y: [0, 0.5], ylabel: t("density") });
    var ai = new Axes(svg, [52, 200, width - 70, 90], { x: xr, y: [-0.1, 0.2], xlabel: "x", ylabel: t("integrand") });
    return { svg: svg, ax: ax, ai: ai, row: row };
  }

  APPS.forward = function (root, data, S) {
    var controls = el("div", { "class": "kx-controls" }, root);
    var preset = select(controls, t("target P"), data.presets.map(function (p) { return t(p.name); }), update);
    var family = select(controls, t("family of Q"), data.families.map(function (f) { return t(f[0]); }), update);
    var f = twoPanels(root, t("Forward KL: fit Q to P by minimising D(P‖Q)"), 640, data.x,
      [{ style: S.p, label: t("P (target)") }, { style: S.forward, label: t("Q fitted by forward KL D(P‖Q)") },
       { style: S.forward, dash: "", label: t("p(x) log p(x)/q(x); its area is D(P‖Q)") }]);
    var xs = grid(data.x[0], data.x[1], 441);
    var lines = { pFill: f.ax.area(S.p.color, 0.12), p: f.ax.line(S.p), q: f.ax.line(S.forward), below: 0.35 };
    f.ai.hline(0, S.muted.color);
    lines.iFill = f.ai.area(S.forward.color, 0.25);
    lines.i = f.ai.line(S.forward, { "stroke-dasharray": "" });
    var out = readout(root);
    var lim = { y: null, i: null };

    function update() {
      var pr = data.presets[+preset.value], fam = data.families[+family.value];
      var fit = pr.fits[fam[1]];
      drawFit(f, xs, data.x, pr.p, fit.q, "forward", lim, lines);
      var moments = fam[1] === "normal" ? "<br>" + t("Moment matching: P's mean is {pMean} and its sd {pSd};" +
        " the fitted Q has mean {qMean} and sd {qSd}.", { pMean: fmt(pr.mean), pSd: fmt(pr.sd),
                                                        qMean: fmt(fit.q[0][1]), qSd: fmt(fit.q[0][2]) }) : "";
      out.innerHTML = "<p>P = " + mixtureText(pr.p) + ".<br>" +
        t("<b>Forward fit</b> ({family}): Q = {q}.", { family: t(fam[0]), q: mixtureText(fit.q) }) + "<br>" +
        t("D(P‖Q) = <b>{d}</b> nats ({bits} bits), the shaded area below.",
          { d: fmt(fit.d), bits: fmt(fit.d / Math.log(2)) }) + moments + "</p>";
      f.svg.describe(t("Top: target P = {p} ({pStyle}, shaded) and the forward-KL fit Q = {q} ({qStyle})." +
        " Bottom: the integrand p log p/q, whose area D(P‖Q) = {d} nats.", {
          p: mixtureText(pr.p), pStyle: S.p.words, q: mixtureText(fit.q), qStyle: S.forward.words, d: fmt(fit.d) }));
    }
    update();
  };

  APPS.reverse = function (root, data, S) {
    var controls = el("div", { "class": "kx-controls" }, root);
    var preset = select(controls, t("target P"), data.presets.map(function (p) { return t(p.name); }), update);
    var sm = slider(controls, t("start: mean of Q"), data.start_means, nearest(data.start_means, 1), 1, update);
    var ss = slider(controls, t("start: sd of Q"), data.start_sds, nearest(data.start_sds, 1.4), 2, update);
    var f = twoPanels(root, t("Reverse KL: fit Q to P by minimising D(Q‖P) from a starting point"), 640, data.x,
      [{ style: S.p, label: t("P (target)") }, { style: S.reverse, dash: "2 3", label: t("Q at the start") },
       { style: S.reverse, label: t("Q fitted by reverse KL D(Q‖P)") },
       { style: S.reverse, dash: "", label: t("q(x) log q(x)/p(x); its area is D(Q‖P)") }]);
    var xs = grid(data.x[0], data.x[1], 441);
    var lines = { pFill: f.ax.area(S.p.color, 0.12), p: f.ax.line(S.p), below: 0.5 };
    lines.s = f.ax.line(S.reverse, { "stroke-dasharray": "2 3", "stroke-width": 1.5 });
    lines.q = f.ax.line(S.reverse);
    f.ai.hline(0, S.muted.color);
    lines.iFill = f.ai.area(S.reverse.color, 0.25);
    lines.i = f.ai.line(S.reverse, { "stroke-dasharray": "" });
    var lsvg = figure(f.row, 420, 330, t("The landscape of D(Q‖P) over Normal Q, with the optimizer's path"));
    var la = new Axes(lsvg, [52, 24, 350, 266], { x: data.means, y: data.sds, ylog: true, xlabel: t("mean of Q"),
                                                  ylabel: t("sd of Q"), title: t("D(Q‖P) over Normal Q (darker is lower)") });
    var img = svgEl("image", { x: la.box[0], y: la.box[1], width: la.box[2], height: la.box[3],
                               preserveAspectRatio: "none" }, la.under);
    var pathHalo = la.line({ color: "white", dash: "" }, { "stroke-width": 4 });
    var pathCore = la.line(S.reverse, { "stroke-dasharray": "", "stroke-width": 2 });
    var startMark = marker(la.data, "circle", S.reverse.color, false);
    var optMarks = [];
    legend(root, [{ style: S.reverse, dash: "", label: t("optimizer's path from the start (circle)") },
                  { style: S.reverse, dash: "", label: t("filled diamond: global optimum; open: other local optima") }]);
    var out = readout(root);
    var lim = { y: null, i: null }, shown = null;

    function update() {
      var pr = data.presets[+preset.value];
      var run = pr.runs[(+ss.value) * data.start_means.length + (+sm.value)];
      var mus = run[0], sds = run[1], d = run[2], converged = run[3], rank = run[4];
      var q = [[1, mus[mus.length - 1], sds[sds.length - 1]]], start = [[1, mus[0], sds[0]]];
      if (shown !== pr) {
        shown = pr;
        img.setAttribute("href", pr.landscape);
        optMarks.forEach(function (m) { m.parentNode.removeChild(m); });
        optMarks = pr.optima.map(function (o, k) {
          var m = marker(la.top, "diamond", S.reverse.color, k === 0);
          m.place(la.sx(o[0]), la.sy(o[1]));
          return m;
        });
      }
      drawFit(f, xs, data.x, pr.p, q, "reverse", lim, lines, start);
      la.setLine(pathHalo, mus, sds);
      la.setLine(pathCore, mus, sds);
      startMark.place(la.sx(mus[0]), la.sy(sds[0]));
      var best = pr.optima[0], verdict;
      if (!converged) verdict = t("The optimizer stopped before reaching a minimum.");
      else if (rank === 0) verdict = t("This is the global optimum.");
      else if (rank < 0) verdict = t("(A minimum the grid of starts missed.)");
      else verdict = t("This is a local optimum, not the global one: the best is {best} with D(Q‖P) = {d}.",
                       { best: normalText(best[0], best[1]), d: fmt(best[2]) });
      var texts = { start: normalText(mus[0], sds[0]), q: normalText(q[0][1], q[0][2]), n: mus.length - 1, d: fmt(d) };
      out.innerHTML = "<p>P = " + mixtureText(pr.p) + ".<br>" +
        t("Start {start} → <b>reverse fit</b> Q = {q} after {n} steps: D(Q‖P) = <b>{d}</b> nats.", texts) + " " + verdict +
        "<br>" + t("Local optima found from a grid of starts ({n}): {list}.",
                   { n: pr.optima.length, list: optimaList(pr.optima) }) + "</p>";
      f.svg.describe(t("Top: target P = {p} ({pStyle}), the start {start} ({colour} dotted) and the reverse-KL fit {q}" +
        " ({qStyle}). Bottom: the integrand q log q/p with area {d} nats.", {
          p: mixtureText(pr.p), pStyle: S.p.words, start: texts.start, colour: S.reverse.colour, q: texts.q,
          qStyle: S.reverse.words, d: texts.d }));
      lsvg.describe(t("Map of D(Q‖P) over Q's mean (−7 to 7) and sd (0.1 to 8, log scale) with the optimizer's path" +
        " of {n} steps from {start} to {q}, and {k} local optima marked by diamonds.",
        { n: texts.n, start: texts.start, q: texts.q, k: pr.optima.length }));
    }
    update();
  };

  APPS.phase = function (root, data, S) {
    var controls = el("div", { "class": "kx-controls" }, root);
    var a = slider(controls, t("half-separation a"), data.a, nearest(data.a, 2.6), 2, update);
    legend(root, [{ style: S.p, label: t("P (target)") }, { style: S.reverse, dash: "", label: t("centred optimum") },
                  { style: S.accent, dash: "8 3 2 3", label: t("one-mode optima") }]);
    var svg = figure(root, 760, 250, t("Reverse KL on two equal modes: where do the optima sit?"));
    var ax = new Axes(svg, [46, 10, 320, 196], { x: data.x, y: [0, 0.6], xlabel: "x", ylabel: t("density"), xticks: 6 });
    var am = new Axes(svg, [440, 10, 300, 196], { x: [data.a[0], data.a[data.a.length - 1]], y: [-5, 5],
                                                  xlabel: t("half-separation a"), ylabel: t("mean of optimal Q"), xticks: 5 });
    var xs = grid(data.x[0], data.x[1], 401);
    var pFill = ax.area(S.p.color, 0.12), pLine = ax.line(S.p);
    var cLine = ax.line(S.reverse, { "stroke-dasharray": "" });
    var sLines = [0, 1].map(function () { return ax.line(S.accent, { "stroke-dasharray": "8 3 2 3" }); });
    // The phase picture: the mean of every optimum against a (drawn once).
    var cx = [], cy = [], up = [], upa = [];
    data.states.forEach(function (st, i) {
      st[0].forEach(function (o) {
        if (Math.abs(o[0]) <= 1e-3) { cx.push(data.a[i]); cy.push(0); }
        else if (o[0] > 0) { upa.push(data.a[i]); up.push(o[0]); }
      });
    });
    am.setLine(am.line(S.reverse, { "stroke-dasharray": "" }), cx, cy);
    am.setLine(am.line(S.accent, { "stroke-dasharray": "8 3 2 3" }), upa, up);
    am.setLine(am.line(S.accent, { "stroke-dasharray": "8 3 2 3" }), upa, up.map(function (v) { return -v; }));
    [data.appear, data.global].forEach(function (t) {
      var g = svgEl("path", { stroke: S.muted.color, "stroke-dasharray": "3 3" }, am.under);
      g.setAttribute("d", "M" + am.sx(t) + " " + am.box[1] + "V" + (am.box[1] + am.box[3]));
    });
    var cursor = svgEl("path", { stroke: S.p.color, "stroke-width": 1.5 }, am.top);
    var out = readout(root);

    function update() {
      var av = a.current(), st = data.states[+a.value], opt = st[0];
      var p = [[0.5, -av, 1], [0.5, av, 1]], yp = density(xs, p);
      ax.setLine(pLine, xs, yp);
      ax.setArea(pFill, xs, yp);
      var centred = opt.filter(function (o) { return Math.abs(o[0]) <= 1e-3; });
      var side = opt.filter(function (o) { return Math.abs(o[0]) > 1e-3; });
      ax.setLine(cLine, centred.length ? xs : [], centred.length ? density(xs, [[1, centred[0][0], centred[0][1]]]) : []);
      sLines.forEach(function (line, k) {
        var o = side[k];
        ax.setLine(line, o ? xs : [], o ? density(xs, [[1, o[0], o[1]]]) : []);
      });
      cursor.setAttribute("d", "M" + am.sx(av) + " " + am.box[1] + "V" + (am.box[1] + am.box[3]));
      var limits = { appear: fmt(data.appear, 2), global: fmt(data.global, 2) };
      var regime = [
        t("below {appear}: the centred Q is the only optimum, so reverse KL does <i>not</i> pick a mode here.", limits),
        t("between {appear} and {global}: one-mode optima exist, but the centred Q is still the global optimum.", limits),
        t("above {global}: a one-mode Q is the global optimum; the centred Q is still a (worse) local optimum," +
          " so a start in the middle stays there.", limits)
      ][st[1]];
      out.innerHTML = "<p>a = " + fmt(av, 2) + ", " + regime + "<br>" +
        t("Local optima ({n}): {list} (best first).", { n: opt.length, list: optimaList(opt) }) + "</p>";
      var kinds = [];
      if (centred.length) kinds.push(t("a centred Normal ({colour})", { colour: S.reverse.colour }));
      if (side.length) kinds.push(t("one Normal on each mode ({colour} dash-dotted)", { colour: S.accent.colour }));
      svg.describe(t("Left: P with modes at ±{a} and its {n} reverse-KL optima: {kinds}. Right: the phase picture" +
        " of optimum means against a, with a cursor at a = {a}.", {
          a: fmt(av, 2), n: opt.length,
          kinds: kinds.length > 1 ? t("{first} and {second}", { first: kinds[0], second: kinds[1] }) : kinds.join("") }));
    }
    update();
  };

  // ------------------------------------------------------------ start-up

  // Loads the script at BASE + `path` once (unless `loaded()` already holds),
  // then calls done(loaded()); pages that preload it (deferred, before this
  // script) need no second round trip.
  function loadScript(path, loaded, done, fail) {
    if (loaded()) return done(loaded());
    if (!waiting[path]) {
      waiting[path] = [];
      var s = document.createElement("script");
      s.src = BASE + path;
      s.onload = function () { waiting[path].forEach(function (cb) { cb[0](loaded()); }); };
      s.onerror = function () { waiting[path].forEach(function (cb) { cb[1](); }); };
      document.head.appendChild(s);
    }
    waiting[path].push([done, fail]);
  }

  function loadData(app, done, fail) {
    loadScript("explorers/" + app + ".js", function () { return registry[app]; }, done, fail);
  }

  // The page language's label table (nothing to load for English).
  function loadLabels(done, fail) {
    var code = pageLang();
    if (code === "en") return done();
    loadScript("klbook-labels-" + code + ".js", function () { return LABELS[code]; }, done, fail);
  }

  function start(root) {
    if (root.getAttribute("data-ready")) return;
    root.setAttribute("data-ready", "loading");
    var app = root.getAttribute("data-app");
    var cfg = JSON.parse(root.getAttribute("data-config") || "{}");
    var build = APPS[app];
    root.setAttribute("role", "group");
    function run(data) {
      root.innerHTML = "";
      var heading = el("p", { "class": "kx-heading", id: uid("heading") }, root, cfg.title || "");
      root.setAttribute("aria-labelledby", heading.id);
      build(root, data || cfg, cfg.styles);
      root.setAttribute("data-ready", "yes");
      root.setAttribute("data-ready-ms", performance.now().toFixed(1));
    }
    function fail() {
      root.setAttribute("data-ready", "failed");
      root.innerHTML = "<p>" + t("The data of this explorer could not be loaded.") + "</p>";
    }
    if (!build) {
      root.setAttribute("data-ready", "failed");
      throw new Error("klbook explorer: no app named " + app);
    }
    loadLabels(function () {
      if (root.getAttribute("data-needs-data") === "no") run(null);
      else loadData(app, run, fail);
    }, fail);
  }

  function startAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".klbook-explorer"), start);
  }

  // What app files use (klbook/static/apps/*.js), and what the browser tests check.
  window.klbookExplorers = {
    apps: APPS, start: startAll, fmt: fmt, mixtureLogpdf: mixtureLogpdf, normalLogpdf: normalLogpdf,
    relEntr: relEntr, integrand: integrand, density: density, grid: grid, sum: sum, niceLimit: niceLimit,
    normalText: normalText, mixtureText: mixtureText, el: el, svgEl: svgEl, slider: slider, select: select,
    legend: legend, figure: figure, Axes: Axes, marker: marker, readout: readout, nearest: nearest, t: t
  };
  // The bundle (klbook.explorers.write_assets) ends with klbookExplorers.run([languages with a
  // label table]), after every app file.
  window.klbookExplorers.run = function (languages) {
    LANGUAGES = languages || [];
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
    else startAll();
  };
})();
