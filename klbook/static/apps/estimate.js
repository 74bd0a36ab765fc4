/*
 * The "estimate" explorer (klbook/_explore_estimate.py): histograms of k1, k2
 * and k3 estimates of D(a||b) from n samples of a = N(0, 1), b = N(mu, sd^2),
 * computed by klbook at build time. This file only looks states up, draws the
 * histograms and prints bias = mean - true and std / true.
 */
(function (K) {
  "use strict";

  K.apps.estimate = function (root, data, S) {
    var t = K.t, roles = { k1: S.forward, k2: S.accent, k3: S.q };
    var controls = K.el("div", { "class": "kx-controls" }, root);
    var mu = K.slider(controls, t("mean of b, μ"), data.mus, K.nearest(data.mus, 1.0), 1, update);
    var sd = K.slider(controls, t("sd of b"), data.sds, K.nearest(data.sds, 1.0), 1, update);
    var n = K.slider(controls, t("samples n"), data.ns, K.nearest(data.ns, 100), 0, update);
    K.legend(root, data.estimators.map(function (k) {
      return { style: roles[k], dash: "", label: k };
    }).concat([{ style: S.p, dash: "", label: t("exact D(a‖b)") }]));
    var svg = K.figure(root, 720, 250, t("Estimating D(a‖b) from samples of a: k1, k2 and k3"));
    var panels = data.estimators.map(function (k, j) {
      var ax = new K.Axes(svg, [56 + j * 226, 24, 196, 176], {
        x: [0, 1], y: [0, 1], xticks: 4, title: k, xlabel: t("estimate (nats)"),
        ylabel: j === 0 ? t("share of estimates") : ""
      });
      var rects = [];
      for (var i = 0; i < data.bins; i++) {
        rects.push(K.svgEl("rect", { fill: roles[k].color, "fill-opacity": 0.75 }, ax.data));
      }
      var truth = K.svgEl("path", { stroke: S.p.color, "stroke-width": 2 }, ax.top);
      return { ax: ax, rects: rects, truth: truth };
    });
    var out = K.readout(root);

    function update() {
      var im = +mu.value, is = +sd.value, iN = +n.value;
      var st = data.states[(im * data.sds.length + is) * data.ns.length + iN];
      var truth = st[0], lo = st[1], hi = st[2], ests = st[3];
      var width = (hi - lo) / data.bins;
      var span = Math.max(hi, truth) - Math.min(lo, truth);
      var x = [Math.min(lo, truth) - 0.05 * span, Math.max(hi, truth) + 0.05 * span];
      var peak = 0;
      ests.forEach(function (e) {
        e[2].forEach(function (c) { peak = Math.max(peak, c / data.reps); });
      });
      var y = [0, peak <= 0.45 ? 0.5 : 1];
      var rows = "", words = [];
      panels.forEach(function (p, j) {
        var ax = p.ax, e = ests[j], k = data.estimators[j];
        ax.setLimits(x, y);
        p.rects.forEach(function (r, i) {
          var x0 = ax.sx(lo + i * width), x1 = ax.sx(lo + (i + 1) * width);
          var y0 = ax.sy(0), y1 = ax.sy(e[2][i] / data.reps);
          r.setAttribute("x", x0.toFixed(1));
          r.setAttribute("width", Math.max(0, x1 - x0).toFixed(1));
          r.setAttribute("y", Math.min(y0, y1).toFixed(1));
          r.setAttribute("height", Math.abs(y1 - y0).toFixed(1));
        });
        var px = ax.sx(truth).toFixed(1);
        p.truth.setAttribute("d", "M" + px + " " + ax.box[1] + "V" + (ax.box[1] + ax.box[3]));
        var bias = e[0] - truth;
        rows += "<tr><th scope='row' style='color:" + roles[k].text + "'>" + k + "</th><td>" + K.fmt(e[0], 4) +
          "</td><td>" + K.fmt(bias, 4) + "</td><td>" + K.fmt(e[1], 4) + "</td><td>" +
          (truth > 0 ? K.fmt(e[1] / truth, 3) : "—") + "</td></tr>";
        words.push(t("{k} ({colour}): mean {mean}, std {std}",
                     { k: k, colour: roles[k].colour, mean: K.fmt(e[0], 4), std: K.fmt(e[1], 4) }));
      });
      var muv = mu.current(), sdv = sd.current(), nv = n.current();
      var v = { mu: K.fmt(muv, 1), sd: K.fmt(sdv, 1), d: K.fmt(truth, 4), reps: data.reps, n: nv,
                colour: S.p.colour };
      out.innerHTML = "<p>" + t("a = N(0, 1) is sampled; b = N({mu}, {sd}²). Exact D(a‖b) = <b>{d}</b> nats." +
        " {reps} estimates, each from n = {n} samples of a (seeded).", v) +
        (truth === 0 ? " <i>" + t("b = a here, so D(a‖b) = 0 and every estimate is 0: std / true is undefined.") +
          "</i>" : "") +
        "</p><table class='kx-table'><caption>" + t("Estimates of D(a‖b) in nats") + "</caption><tr><td></td>" +
        "<th scope='col'>" + t("mean") + "</th><th scope='col'>" + t("bias") + "</th><th scope='col'>" + t("std") +
        "</th><th scope='col'>" + t("std / true") + "</th></tr>" + rows + "</table>";
      svg.describe(t("Three histograms of {reps} estimates of D(a‖b) from n = {n} samples of a = N(0, 1), with" +
        " b = N({mu}, {sd}²); a {colour} line marks the exact value {d}.", v) + " " + words.join("; ") + ".");
      root.setAttribute("data-values", JSON.stringify({ true: truth, means: ests.map(function (e) { return e[0]; }),
                                                      stds: ests.map(function (e) { return e[1]; }) }));
    }
    update();
  };
})(window.klbookExplorers);
