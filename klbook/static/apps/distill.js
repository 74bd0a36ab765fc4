/*
 * The "distill" explorer (klbook/_explore_distill.py): a rank-k student Q
 * (logits A B) fitted to a character bigram teacher softened to P_T, by
 * forward KL sum_c w_c D(P_T||Q), reverse KL sum_c w_c D(Q||P_T) or GKD's
 * JSD(beta), after a number of gradient steps. Left: next-character bars
 * after a space (log scale) with the implausibility threshold; right: the
 * student's mass on the teacher's head and tail. Computed by klbook at build
 * time; this file only looks states up and draws bars.
 */
(function (K) {
  "use strict";

  K.apps.distill = function (root, data, S) {
    var t = K.t;
    var controls = K.el("div", { "class": "kx-controls" }, root);
    var names = [t("forward KL D(P‖Q)"), t("reverse KL D(Q‖P)"), t("GKD's JSD(β)")];
    var objective = K.select(controls, t("objective"), names, update);
    var rank = K.slider(controls, t("rank k"), data.ranks, K.nearest(data.ranks, 4), 0, update);
    var temp = K.slider(controls, t("teacher T"), data.temperatures, 0, 0, update);
    var steps = K.slider(controls, t("gradient steps"), data.steps, data.steps.length - 1, 0, update);
    // Last: it only acts with the JSD objective (disabled otherwise).
    var mix = K.slider(controls, t("JSD β"), data.mixes, K.nearest(data.mixes, 0.5), 1, update);
    var roles = [S.forward, S.reverse, S.accent];
    K.legend(root, [{ style: S.p, dash: "", label: t("teacher P_T") },
                    { style: S.forward, dash: "", label: t("student Q (colour of its objective)") },
                    { style: S.muted, dash: "6 4", label: t("implausible below {p}", { p: data.implausible }) },
                    { style: S.muted, dash: "", label: t("teacher P (T = 1), right") }]);
    var svg = K.figure(root, 760, 270, t("Distilling a bigram teacher into a low-rank student"));
    var n = data.chars.length, w = 0.4, ymin = 1e-4;
    var axB = new K.Axes(svg, [56, 14, 440, 200], {
      x: [-0.7, n - 0.3], y: [ymin, 1], ylog: true, xticks: 0,
      xlabel: t("next character after a space (by teacher probability)"), ylabel: t("probability")
    });
    var axM = new K.Axes(svg, [580, 14, 160, 200], {
      x: [-0.5, 1.5], y: [0, 0.8], xticks: 0, ylabel: t("mass, averaged over contexts")
    });
    data.chars.forEach(function (ch, i) {
      K.svgEl("text", { x: axB.sx(i), y: axB.box[1] + axB.box[3] + 12, "text-anchor": "middle",
                        "font-size": "9" }, axB.top).textContent = ch === " " ? "␣" : ch;
    });
    [t("head (top {n})", { n: data.head_size }), t("tail (P < {p})", { p: data.implausible })].forEach(function (text, i) {
      K.svgEl("text", { x: axM.sx(i), y: axM.box[1] + axM.box[3] + 14, "text-anchor": "middle",
                        "font-size": "10" }, axM.top).textContent = text;
    });
    var thr = axB.hline(data.implausible, S.muted.color);
    thr.setAttribute("stroke-dasharray", "6 4");
    function rects(ax, count, color) {
      var out = [];
      for (var i = 0; i < count; i++) out.push(K.svgEl("rect", { fill: color }, ax.data));
      return out;
    }
    var tBars = rects(axB, n, S.p.color), qBars = rects(axB, n, S.forward.color);
    var mBars = [rects(axM, 2, S.muted.color), rects(axM, 2, S.p.color), rects(axM, 2, S.forward.color)];
    var mText = [0, 1, 2].map(function () {
      return [0, 1].map(function () {
        return K.svgEl("text", { "text-anchor": "middle", "font-size": "9" }, axM.top);
      });
    });
    var out = K.readout(root);

    function bar(ax, r, x, width, h) {
      var x0 = ax.sx(x - width / 2), x1 = ax.sx(x + width / 2);
      var y0 = ax.sy(ax.ylim[0]), y1 = ax.sy(Math.max(h, ax.ylog ? ymin / 10 : 0));
      r.setAttribute("x", x0.toFixed(1));
      r.setAttribute("width", (x1 - x0).toFixed(1));
      r.setAttribute("y", Math.max(ax.box[1], Math.min(y0, y1)).toFixed(1));
      r.setAttribute("height", Math.max(0, y0 - Math.max(ax.box[1], y1)).toFixed(1));
    }

    function update() {
      var io = +objective.value;
      mix.disabled = io !== 2;
      var iv = io === 2 ? 2 + (+mix.value) : io;
      var ir = +rank.value, it = +temp.value, is = +steps.value;
      var nv = data.variants.length, nt = data.temperatures.length, ns = data.steps.length;
      var st = data.states[((ir * nv + iv) * nt + it) * ns + is];
      var teacher = data.teacher[it], tm = data.teacher_masses[it];
      var role = roles[io];
      tBars.forEach(function (r, i) { bar(axB, r, i - w / 2, w, teacher[i]); });
      qBars.forEach(function (r, i) { r.setAttribute("fill", role.color); bar(axB, r, i + w / 2, w, st[0][i]); });
      var vals = [data.p_masses, tm, [st[3], st[4]]];
      mBars.forEach(function (rs, j) {
        rs.forEach(function (r, i) {
          if (j === 2) r.setAttribute("fill", role.color);
          bar(axM, r, i + (j - 1) * 0.27, 0.27, vals[j][i]);
          var text = mText[j][i];
          text.setAttribute("x", axM.sx(i + (j - 1) * 0.27).toFixed(1));
          text.setAttribute("y", (axM.sy(vals[j][i]) - 3).toFixed(1));
          text.textContent = K.fmt(vals[j][i], 2);
        });
      });
      var label = io === 2 ? t("GKD's JSD(β = {beta})", { beta: data.mixes[+mix.value] }) : names[io];
      var T = data.temperatures[it], k = data.ranks[ir], nSteps = data.steps[is];
      var v = { k: k, objective: "<b style='color:" + role.text + "'>" + label + "</b>", T: T, steps: nSteps,
                dpq: K.fmt(st[1], 4), dqp: K.fmt(st[2], 4), head: data.head_size, headMass: K.fmt(st[3], 3),
                teacherHead: K.fmt(tm[0], 3), implausible: data.implausible, tailMass: K.fmt(st[4], 3),
                teacherTail: K.fmt(tm[1], 3) };
      out.innerHTML = "<p>" + t("Rank-{k} student, {objective}, teacher at T = {T}, after {steps} gradient steps." +
        " D(P_T‖Q) = <b>{dpq}</b>, D(Q‖P_T) = <b>{dqp}</b> nats (averaged over the teacher's contexts).", v) + "<br>" +
        t("Mass on the teacher's top {head}: <b>{headMass}</b> (teacher at T: {teacherHead}); implausible samples" +
          " (T = 1 teacher probability &lt; {implausible}): <b>{tailMass}</b> (teacher at T: {teacherTail}).", v) +
        "</p>";
      v.objective = label;
      v.pColour = S.p.colour;
      v.colour = role.colour;
      v.char = data.chars[0];
      v.teacherFirst = K.fmt(teacher[0], 3);
      v.studentFirst = K.fmt(st[0][0], 3);
      svg.describe(t("Left: next-character probabilities after a space on a log scale, the teacher softened to" +
        " T = {T} ({pColour}) and the rank-{k} student fitted by {objective} after {steps} gradient steps" +
        " ({colour}); for '{char}' the teacher gives {teacherFirst} and the student {studentFirst}." +
        " Right: averaged over contexts, the student puts {headMass} on the teacher's top {head} characters" +
        " (teacher at T: {teacherHead}) and {tailMass} on characters the teacher gives less than {implausible}" +
        " (teacher at T: {teacherTail}).", v));
      root.setAttribute("data-values", JSON.stringify({ rank: k, variant: data.variants[iv], temperature: T,
                                                      steps: nSteps, forward_kl: st[1], reverse_kl: st[2],
                                                      head_mass: st[3], tail_mass: st[4] }));
    }
    update();
  };
})(window.klbookExplorers);
