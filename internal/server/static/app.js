// The page's script sends the weights to the server and places the numbers
// and chart points that come back. It does no arithmetic: every score,
// share, delta, rank and point is computed by the capscore engine.
"use strict";

(() => {
  const state = JSON.parse(document.getElementById("state").textContent);
  const errorBox = document.getElementById("error");
  const sliders = Array.from(document.querySelectorAll("input.slider"));
  let latest = 0; // only the newest response is shown

  function text(id, value) {
    const el = document.getElementById(id);
    if (el) el.textContent = value;
  }

  // row builds a table row; kinds gives each cell "th", "num" or "".
  function row(cells, kinds) {
    const tr = document.createElement("tr");
    cells.forEach((value, i) => {
      const cell = document.createElement(kinds[i] === "th" ? "th" : "td");
      cell.textContent = value;
      if (kinds[i] === "num") cell.className = "num";
      tr.appendChild(cell);
    });
    return tr;
  }

  function render(resp) {
    for (const w of resp.weights) {
      const slider = document.getElementById("w-" + w.id);
      if (slider && slider !== document.activeElement) {
        slider.max = w.max;
        slider.value = w.text;
      }
      text("v-" + w.id, w.text);
      text("s-" + w.id, w.share);
      text("o-" + w.id, w.origin);
    }
    for (const a of resp.assessments) {
      const overall = document.getElementById("overall-" + a.index);
      overall.textContent = a.overall;
      overall.dataset.value = a.value;
      text("tier-" + a.index, a.tier);
      text("coverage-" + a.index, a.coverage);
      a.pillars.forEach((s, p) => text("pillar-" + a.index + "-" + p, s));
      const polygon = document.getElementById("radar-s" + a.index);
      if (polygon) polygon.setAttribute("points", a.points);
    }
    document.getElementById("ranking").replaceChildren(
      ...resp.ranking.map((r) => row([String(r.rank), r.label, r.overall, r.tier], ["num", "", "num", ""])));
    document.getElementById("compare").replaceChildren(
      ...resp.compare.rows.map((r) => row([r.title, r.a, r.b, r.delta], ["th", "num", "num", "num"])));
    document.getElementById("compare-notes").replaceChildren(
      ...resp.compare.notes.map((n) => {
        const li = document.createElement("li");
        li.textContent = n;
        return li;
      }));
    for (const p of resp.panels || []) {
      const body = document.getElementById("panel-effect-" + p.index);
      if (body) body.replaceChildren(...p.rows.map((r) => row([r.show, r.label, r.overall, r.tier], ["th", "", "num", ""])));
    }
    // The layers that shaped the numbers, named by the server.
    text("weights-line", resp.weights_line);
    text("settings-line", resp.settings_line);
    document.getElementById("settings").hidden = resp.settings_line === "";
    text("command", resp.command);
    text("config", resp.config);
    document.getElementById("report-link").setAttribute("href", resp.report);
    errorBox.hidden = true;
  }

  // clear removes the messages a query's mistakes left beside controls
  // once those controls are changed, and marks the controls valid again.
  function clear(...ids) {
    for (const id of ids) {
      const msg = document.getElementById(id);
      if (!msg) continue;
      msg.remove();
      for (const el of document.querySelectorAll('[aria-describedby="' + id + '"]')) {
        el.removeAttribute("aria-invalid");
        el.removeAttribute("aria-describedby");
      }
    }
  }

  function clearWeights() {
    clear("weights-error", ...sliders.map((s) => "e-" + s.dataset.id));
  }

  async function update() {
    const mine = ++latest;
    document.body.classList.add("busy");
    try {
      const res = await fetch("api/score", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(state),
      });
      const body = await res.json();
      if (mine !== latest) return;
      if (!res.ok) {
        errorBox.textContent = body.error;
        errorBox.hidden = false;
        return;
      }
      render(body);
    } catch (err) {
      if (mine !== latest) return;
      errorBox.textContent = "The server did not answer: " + err.message;
      errorBox.hidden = false;
    } finally {
      if (mine === latest) document.body.classList.remove("busy");
    }
  }

  for (const slider of sliders) {
    slider.addEventListener("input", () => {
      state.weights[slider.dataset.id] = Number(slider.value);
      clear("weights-error", "e-" + slider.dataset.id);
      update();
    });
  }
  document.getElementById("profile").addEventListener("change", (e) => {
    state.profile = e.target.value;
    state.weights = {};
    clear("profile-error");
    clearWeights();
    update();
  });
  document.getElementById("reset").addEventListener("click", () => {
    state.weights = {};
    clearWeights();
    update();
  });
  for (const [k, id] of [[0, "compare-a"], [1, "compare-b"]]) {
    document.getElementById(id).addEventListener("change", (e) => {
      state.compare[k] = Number(e.target.value);
      clear("compare-error");
      update();
    });
  }
  const toggle = document.getElementById("show-flags");
  toggle.addEventListener("click", () => {
    const box = document.getElementById("reproduce");
    box.hidden = !box.hidden;
    toggle.setAttribute("aria-expanded", String(!box.hidden));
  });
})();
