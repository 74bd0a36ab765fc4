/*
 * Mean-field explorer (klbook/_explore_meanfield.py): a correlated 2-D Normal P
 * and its factorized fits, forward (min D(P||Q)) and reverse (min D(Q||P)).
 * Looks the fits up on the lattice; draws covariance ellipses (closed form).
 */
(function (K) {
  "use strict";

  // Points of the k-sd ellipse of N(0, [[a, b], [b, c]]): x = k L (cos t, sin t), L = Cholesky factor.
  function ellipse(a, b, c, k) {
    var l11 = Math.sqrt(a), l21 = b / l11, l22 = Math.sqrt(Math.max(c - l21 * l21, 0));
    var xs = [], ys = [];
    for (var i = 0; i <= 120; i++) {
      var t = 2 * Math.PI * i / 120, u = Math.cos(t), v = Math.sin(t);
      xs.push(k * l11 * u);
      ys.push(k * (l21 * u + l22 * v));
    }
    return [xs, ys];
  }

  K.apps.meanfield = function (root, data, S) {
    var fmt = K.fmt, t = K.t, n = data.s.length;
    var controls = K.el("div", { "class": "kx-controls" }, root);
    var rho = K.slider(controls, t("correlation ρ"), data.rho, K.nearest(data.rho, 0.8), 2, update);
    var s1 = K.slider(controls, t("sd s₁ of x₁"), data.s, K.nearest(data.s, 1.5), 2, update);
    var s2 = K.slider(controls, t("sd s₂ of x₂"), data.s, K.nearest(data.s, 1.0), 2, update);
    K.legend(root, [{ style: S.p, label: t("P (target)") }, { style: S.forward, label: t("forward fit: min D(P‖Q)") },
                    { style: S.reverse, label: t("reverse fit: min D(Q‖P)") }]);
    var svg = K.figure(root, 420, 420, t("A correlated 2-D Normal P and its factorized forward and reverse fits"));
    var L = data.lim;
    var ax = new K.Axes(svg, [52, 12, 356, 356], { x: [-L, L], y: [-L, L], xlabel: "x₁", ylabel: "x₂",
                                                   xticks: 9, yticks: 9 });
    ax.hline(0, S.muted.color);
    var lines = {};
    ["p", "forward", "reverse"].forEach(function (role) {
      lines[role] = [ax.line(S[role]), ax.line(S[role], { "stroke-width": 1.1 })];
    });
    var out = K.readout(root);

    function draw(role, a, b, c) {
      [1, 2].forEach(function (k, j) {
        var e = ellipse(a, b, c, k);
        ax.setLine(lines[role][j], e[0], e[1]);
      });
    }

    function update() {
      var r = rho.current(), a = s1.current(), b = s2.current();
      var st = data.states[(+rho.value * n + (+s1.value)) * n + (+s2.value)];
      var bound = data.bound[+rho.value];
      draw("p", a * a, r * a * b, b * b);
      draw("forward", st[0], 0, st[1]);
      draw("reverse", st[2], 0, st[3]);
      var v = { rho: fmt(r, 2), pv1: fmt(a * a), pv2: fmt(b * b), s1: fmt(a, 2), s2: fmt(b, 2),
                fv1: fmt(st[0]), fv2: fmt(st[1]), rv1: fmt(st[2]), rv2: fmt(st[3]), dpq: fmt(st[4]),
                dqp: fmt(st[5]), bound: fmt(bound), pStyle: S.p.words, fStyle: S.forward.words,
                rStyle: S.reverse.words };
      out.innerHTML = "<p>" + t("P: correlation ρ = {rho}, variances {pv1} and {pv2}.", v) + "<br>" +
        t("<b>Forward fit</b> (marginal variances): {fv1} and {fv2}; D(P‖Q) = <b>{dpq}</b> nats.", v) + "<br>" +
        t("<b>Reverse fit</b> (1/Λᵢᵢ = sᵢ²(1 − ρ²)): {rv1} and {rv2}; D(Q‖P) = <b>{dqp}</b> nats.", v) + "<br>" +
        t("−½ log(1 − ρ²) = {bound} nats: in two dimensions both minimised divergences equal it.", v) + "</p>";
      svg.describe(t("Ellipses at 1 and 2 standard deviations (thick and thin) of the target P with correlation" +
        " {rho} and sds {s1}, {s2} ({pStyle}, tilted); of the forward fit, axis-aligned with variances {fv1} and" +
        " {fv2} ({fStyle}); and of the reverse fit, axis-aligned with variances {rv1} and {rv2} ({rStyle})." +
        " Minimised divergences: D(P‖Q) = {dpq} nats forward, D(Q‖P) = {dqp} nats reverse.", v));
    }
    update();
  };
})(window.klbookExplorers);
