/*
 * The alpha dial (klbook/_explore_alpha.py): P = 0.5 N(-a, 1) + 0.5 N(a, 1) and the
 * Normal Q minimising Minka's D_alpha(P||Q); alpha = 1 is the forward KL D(P||Q),
 * alpha = 0 the reverse KL D(Q||P). Looks states up; draws Normal densities only.
 */
(function (K) {
  "use strict";

  K.apps.alpha = function (root, data, S) {
    var fmt = K.fmt, t = K.t, nA = data.a.length;
    var controls = K.el("div", { "class": "kx-controls" }, root);
    var al = K.slider(controls, t("alpha"), data.alpha, K.nearest(data.alpha, 0.5), 2, update);
    var sep = K.slider(controls, t("half-separation a"), data.a, K.nearest(data.a, 3), 2, update);
    K.legend(root, [{ style: S.p, label: t("P (target)") },
                    { style: S.q, dash: "", label: t("Q: best optimum of D_α(P‖Q)") },
                    { style: S.q, dash: "2 3", label: t("other local optima") },
                    { style: S.muted, dash: "6 4", label: t("run from the middle, not converged") },
                    { style: S.accent, dash: "2 3", label: t("right: sd of the one-mode optimum") },
                    { style: S.muted, dash: "2 2", label: t("right: sd where D_α turns infinite") }]);
    var svg = K.figure(root, 720, 270, t("The alpha dial"));
    var xs = K.grid(data.x[0], data.x[1], 401);
    var ax = new K.Axes(svg, [52, 24, 380, 196], { x: data.x, y: [0, 0.5], xlabel: "x", ylabel: t("density"),
                                                   title: t("P and the fitted Normals") });
    var pFill = ax.area(S.p.color, 0.12), pLine = ax.line(S.p);
    var others = [0, 1].map(function () { return ax.line(S.q, { "stroke-dasharray": "2 3", "stroke-width": 1.5 }); });
    var edgeLine = ax.line(S.muted, { "stroke-dasharray": "6 4", "stroke-width": 1.5 });
    var bestLine = ax.line(S.q, { "stroke-dasharray": "", "stroke-width": 2.5 });
    var alo = data.alpha[0], ahi = data.alpha[data.alpha.length - 1];
    var dial = new K.Axes(svg, [500, 24, 200, 196], { x: [alo, ahi], y: [0, 4.5], xlabel: "α", ylabel: t("sd of Q"),
                                                      xticks: 4, title: t("the dial at this a") });
    // The ends of the dial: alpha = 0 is the reverse KL, alpha = 1 the forward KL.
    [[0, S.reverse, t("reverse KL")], [1, S.forward, t("forward KL")]].forEach(function (m) {
      var g = K.svgEl("path", { stroke: m[1].color, "stroke-dasharray": "3 3" }, dial.under);
      g.setAttribute("d", "M" + dial.sx(m[0]) + " " + dial.box[1] + "V" + (dial.box[1] + dial.box[3]));
      K.svgEl("text", { x: dial.sx(m[0]) + (m[0] ? 3 : -3), y: dial.box[1] + 10, "text-anchor": m[0] ? "start" : "end",
                        "font-size": 10, fill: m[1].color }, dial.top).textContent = m[2];
    });
    // The sd beyond which D_alpha is infinite (fixed by alpha alone: P's components have sd 1).
    var bound = dial.line(S.muted, { "stroke-dasharray": "2 2", "stroke-width": 1 });
    var lowX = [], lowY = [], highX = [], highY = [];
    data.alpha.forEach(function (v, i) {
      if (v < 0) { lowX.push(v); lowY.push(data.edges[i][1]); }
      if (v > 1) { highX.push(v); highY.push(data.edges[i][0]); }
    });
    var bPath = (lowX.length ? dial.points(lowX, lowY) : "") + (highX.length ? dial.points(highX, highY) : "");
    bound.setAttribute("d", bPath);
    var cLine = dial.line(S.q, { "stroke-dasharray": "", "stroke-width": 2 });
    var sLine = dial.line(S.accent, { "stroke-dasharray": "2 3", "stroke-width": 2 });
    var cursor = K.svgEl("path", { stroke: S.p.color, "stroke-width": 1.5 }, dial.top);
    var out = K.readout(root);

    function normal(o) { return K.density(xs, [[1, o[0], o[1]]]); }
    function stateAt(i, j) { return data.states[i * nA + j]; }
    function dialName(v) { return v === 1 ? t("forward KL, D(P‖Q)") : v === 0 ? t("reverse KL, D(Q‖P)") : ""; }

    function update() {
      var i = +al.value, j = +sep.value, av = al.current(), a = sep.current();
      var st = stateAt(i, j), c = st[0], s = st[1], stalled = st[2];
      var yp = K.density(xs, [[0.5, -a, 1], [0.5, a, 1]]);
      ax.setLine(pLine, xs, yp);
      ax.setArea(pFill, xs, yp);
      var opt = [];
      if (c) opt.push(c);
      if (s) { opt.push(s); opt.push([-s[0], s[1], s[2]]); }
      opt.sort(function (u, v) { return Math.round((u[2] - v[2]) * 1e6) || u[0] - v[0]; });
      ax.setLine(bestLine, opt.length ? xs : [], opt.length ? normal(opt[0]) : []);
      others.forEach(function (line, k) {
        var o = opt[k + 1];
        ax.setLine(line, o ? xs : [], o ? normal(o) : []);
      });
      ax.setLine(edgeLine, stalled ? xs : [], stalled ? normal(stalled) : []);
      var peak = Math.max.apply(null, yp.concat(opt.concat(stalled ? [stalled] : []).map(function (o) {
        return 1 / (o[1] * Math.sqrt(2 * Math.PI));
      })));
      ax.setLimits(data.x, [0, K.niceLimit(peak, ax.ylim[1])]);
      // The dial panel: the sds of the optima over alpha at this a, looked up.
      var cx = [], cy = [], sx = [], sy = [];
      data.alpha.forEach(function (v, k) {
        var t = stateAt(k, j);
        if (t[0]) { cx.push(v); cy.push(t[0][1]); }
        if (t[1]) { sx.push(v); sy.push(t[1][1]); }
      });
      dial.setLine(cLine, cx, cy);
      dial.setLine(sLine, sx, sy);
      cursor.setAttribute("d", "M" + dial.sx(av) + " " + dial.box[1] + "V" + (dial.box[1] + dial.box[3]));
      var e = data.edges[i];
      var finite = e[1] === null ? (e[0] === 0 ? t("every sd") : t("sd above {v}", { v: fmt(e[0]) }))
        : t("sd below {v}", { v: fmt(e[1]) });
      var name = dialName(av), named = name ? " (" + name + ")" : "";
      out.innerHTML = "<p>α = " + fmt(av, 2) + named + "; P = 0.5·N(−" + fmt(a, 2) +
        ", 1) + 0.5·N(" + fmt(a, 2) + ", 1). " + t("D_α(P‖Q) is finite for {range}.", { range: finite }) + "<br>" +
        t("Regime: {regime}.", { regime: t(data.regimes[st[3]]) }) + " " +
        (opt.length ? t("Local optima ({n}, best first): {list}.", { n: opt.length, list: opt.map(function (o) {
          return K.normalText(o[0], o[1]) + ": D_α = " + fmt(o[2]);
        }).join("; ") }) : t("No interior optimum was found.")) +
        (stalled ? "<br>" + t("The run from the middle did not converge: D_α keeps falling as Q widens, up to the edge" +
          " of the finite region; it stopped at {q}, D_α = {d}.",
          { q: K.normalText(stalled[0], stalled[1]), d: fmt(stalled[2]) }) : "") + "</p>";
      svg.describe(t("alpha = {alpha}{name}.", { alpha: fmt(av, 2), name: named }) + " " +
        t("Left: target P with modes at ±{a}, {style} and shaded", { a: fmt(a, 2), style: S.p.words }) +
        (opt.length ? t("; best fitted Normal {q}, {colour} solid",
                        { q: K.normalText(opt[0][0], opt[0][1]), colour: S.q.colour }) +
          (opt.length > 1 ? t("; {n} other local optimum(s) {colour} dotted", { n: opt.length - 1, colour: S.q.colour })
            : "")
          : t("; no converged fit")) +
        (stalled ? t("; unconverged run from the middle {q}, {colour} dashed",
                     { q: K.normalText(stalled[0], stalled[1]), colour: S.muted.colour }) : "") +
        ". " + t("Right: the sd of the centred optimum ({colour}) and of the one-mode optimum ({accent} dotted)" +
        " against alpha from {lo} to {hi}, with the ends alpha = 0 (reverse KL) and alpha = 1 (forward KL) marked" +
        " and a cursor at the current alpha.", { colour: S.q.colour, accent: S.accent.colour, lo: fmt(alo, 1),
                                               hi: fmt(ahi, 1) }));
    }
    update();
  };
})(window.klbookExplorers);
