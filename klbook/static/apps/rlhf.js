/*
 * The "rlhf" explorer (klbook/_explore_rlhf.py): the optimum pi* of
 * E_pi[r] - beta D(pi||pi_ref) (a reverse-KL penalty) on ten responses, next to
 * pi_ref and the optimum under the forward penalty D(pi_ref||pi), and its point
 * on the reward-KL frontier. Computed by klbook at build time; this file only
 * looks states up and draws bars, a curve and a marker.
 */
(function (K) {
  "use strict";

  K.apps.rlhf = function (root, data, S) {
    var t = K.t, logs = data.betas.map(function (b) { return Math.log(b) / Math.LN10; });
    var controls = K.el("div", { "class": "kx-controls" }, root);
    var beta = K.slider(controls, "log₁₀ β", logs, K.nearest(logs, 0), 2, update);
    var preset = K.select(controls, t("rewards"), [t("distinct rewards"), t("tie for best")], update);
    var series = [
      { style: S.p, label: t("π_ref (reference)") },
      { style: S.reverse, label: "π* = argmax E[r] − β D(π‖π_ref)" },
      { style: S.forward, label: t("argmax E[r] − β D(π_ref‖π) (forward penalty)") }
    ];
    K.legend(root, series.map(function (s) { return { style: s.style, dash: "", label: s.label }; })
      .concat([{ style: S.reverse, dash: "", label: t("frontier of π* as β varies (right)") }]));
    var svg = K.figure(root, 760, 270, t("The KL penalty in RLHF"));
    var nA = data.ref.length, w = 0.27;
    var axB = new K.Axes(svg, [56, 24, 430, 196], {
      x: [-0.6, nA - 0.4], y: [0, 1.15], xticks: 0, xlabel: t("response y (its reward r(y) above the bars)"),
      ylabel: t("probability")
    });
    var axF = new K.Axes(svg, [560, 24, 180, 196], {
      x: [0, 3], y: [0.35, 1.02], xticks: 3, xlabel: t("D(π*‖π_ref) (nats)"), ylabel: "E_π*[r]"
    });
    var rects = series.map(function (s) {
      var out = [];
      for (var i = 0; i < nA; i++) out.push(K.svgEl("rect", { fill: s.style.color }, axB.data));
      return out;
    });
    var labels = [];
    for (var i = 0; i < nA; i++) {
      K.svgEl("text", { x: axB.sx(i), y: axB.box[1] + axB.box[3] + 15, "text-anchor": "middle" }, axB.top)
        .textContent = String(i);
      labels.push(K.svgEl("text", { x: axB.sx(i), y: axB.sy(1.08), "text-anchor": "middle",
                                    "font-size": "10" }, axB.top));
    }
    var curve = axF.line(S.reverse, { "stroke-dasharray": "" });
    var dot = K.marker(axF.top, "circle", S.p.color, true);
    var out = K.readout(root);

    function bar(r, x, h) {
      var x0 = axB.sx(x - w / 2), x1 = axB.sx(x + w / 2), y0 = axB.sy(0), y1 = axB.sy(h);
      r.setAttribute("x", x0.toFixed(1));
      r.setAttribute("width", (x1 - x0).toFixed(1));
      r.setAttribute("y", y1.toFixed(1));
      r.setAttribute("height", Math.max(0, y0 - y1).toFixed(1));
    }

    function update() {
      var ip = +preset.value, ib = +beta.value;
      var st = data.states[ip * data.betas.length + ib];
      var b = data.betas[ib], rewards = data.rewards[ip];
      var values = [data.ref, st[0], st[4]];
      rects.forEach(function (rs, j) {
        rs.forEach(function (r, i) { bar(r, i + (j - 1) * w, values[j][i]); });
      });
      labels.forEach(function (t, i) { t.textContent = String(rewards[i]); });
      axF.setLine(curve, data.frontier[ip][0], data.frontier[ip][1]);
      dot.place(axF.sx(st[2]).toFixed(1), axF.sy(st[1]).toFixed(1));
      var best = 0, fmin = 1;
      st[0].forEach(function (v, i) { if (v > st[0][best]) best = i; });
      st[4].forEach(function (v) { fmin = Math.min(fmin, v); });
      var bt = K.fmt(b, b < 0.1 ? 4 : b < 10 ? 3 : 1);
      var v = { beta: bt, preset: t(data.presets[ip]), piStar: "<b style='color:" + S.reverse.text + "'>π*</b>",
                reward: K.fmt(st[1], 4), kl: K.fmt(st[2], 4), logZ: K.fmt(st[3], 4), value: K.fmt(b * st[3], 4),
                forward: "<b style='color:" + S.forward.text + "'>" + t("Forward penalty") + "</b>",
                fmin: K.fmt(fmin, 4), pColour: S.p.colour, rColour: S.reverse.colour, fColour: S.forward.colour,
                n: nA, top: K.fmt(st[0][best], 3), best: best, klShort: K.fmt(st[2], 3),
                rewardShort: K.fmt(st[1], 3) };
      out.innerHTML = "<p>" + t("β = <b>{beta}</b>, rewards '{preset}'.", v) + " " +
        t("{piStar}: E[r] = <b>{reward}</b>, D(π*‖π_ref) = <b>{kl}</b> nats (reverse KL, expectation under π*)," +
          " log Z = {logZ}, optimal value β log Z = {value}.", v) + "<br>" +
        t("{forward} optimum: smallest probability {fmin} (it never drops a response π_ref has).", v) + "</p>";
      svg.describe(t("Bars of the reference policy ({pColour}), the optimum π* of the reverse-KL penalty ({rColour})" +
        " and of the forward-KL penalty ({fColour}) over {n} responses, '{preset}' rewards, β = {beta}." +
        " π* puts {top} on response {best}; the forward-penalty optimum keeps at least {fmin} on every response." +
        " Right: the frontier of expected reward against D(π*‖π_ref), with a marker at D = {klShort} nats," +
        " E[r] = {rewardShort}.", v));
      root.setAttribute("data-values", JSON.stringify({ beta: b, pi_star: st[0], expected_reward: st[1],
                                                      kl: st[2], log_z: st[3], pi_forward: st[4] }));
    }
    update();
  };
})(window.klbookExplorers);
