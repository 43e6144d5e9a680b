// dyad dashboard: draws a dyad's series, the network of top dyads and an event table
// with highlighted evidence, from the server's JSON API. Plain JavaScript and SVG, no
// libraries. The page state lives in the URL: ?source=&target=&interval=&from=&to=
"use strict";

(function () {
  const SVG_NS = "http://www.w3.org/2000/svg";
  const QUADS = ["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"];
  const DAY_MS = 86400000;
  const EVENTS_PAGE = 50;

  const state = {
    source: null,
    target: null,
    interval: "month",
    from: "",
    to: "",
    // Date range of the event table when a bucket of the series is chosen.
    bucket: null,
    cursor: null,
  };

  const $ = (id) => document.getElementById(id);

  // ---- small helpers ------------------------------------------------------------------

  function svg(tag, attrs, parent) {
    const e = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (parent) parent.appendChild(e);
    return e;
  }

  function html(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function tooltip(parent, text) {
    svg("title", {}, parent).textContent = text;
  }

  function setStatus(message, isError) {
    const s = $("status");
    s.textContent = message || "";
    s.className = isError ? "error" : "";
  }

  async function api(path, params) {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) {
      if (v !== null && v !== undefined && v !== "") query.set(k, v);
    }
    const qs = query.toString();
    const reply = await fetch(qs ? path + "?" + qs : path, { headers: { Accept: "application/json" } });
    let body = null;
    try {
      body = await reply.json();
    } catch (_) {
      body = null;
    }
    if (!reply.ok) {
      throw new Error((body && body.error) || "HTTP " + reply.status + " for " + path);
    }
    return body;
  }

  // "YYYY-MM-DD" <-> days since 1970-01-01 (UTC).
  function dayNumber(iso) {
    const [y, m, d] = iso.split("-").map(Number);
    return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
  }

  function isoDate(days) {
    return new Date(days * DAY_MS).toISOString().slice(0, 10);
  }

  // First day after the bucket that starts on `start`.
  function bucketEnd(start, interval) {
    if (interval === "day") return start + 1;
    if (interval === "week") return start + 7;
    const d = new Date(start * DAY_MS);
    return Math.round(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS);
  }

  function fmt(x, digits) {
    return x === null || x === undefined ? "–" : Number(x).toFixed(digits);
  }

  function dyadLabel(s, t) {
    return s + " → " + t;
  }

  // ---- URL state ----------------------------------------------------------------------

  function readUrl() {
    const q = new URLSearchParams(window.location.search);
    state.source = (q.get("source") || "").toUpperCase() || null;
    state.target = (q.get("target") || "").toUpperCase() || null;
    const interval = q.get("interval");
    if (interval === "day" || interval === "week" || interval === "month") state.interval = interval;
    state.from = q.get("from") || "";
    state.to = q.get("to") || "";
  }

  function writeUrl() {
    const q = new URLSearchParams();
    if (state.source) q.set("source", state.source);
    if (state.target) q.set("target", state.target);
    q.set("interval", state.interval);
    if (state.from) q.set("from", state.from);
    if (state.to) q.set("to", state.to);
    window.history.replaceState(null, "", "?" + q.toString());
  }

  // ---- dyad choice --------------------------------------------------------------------

  async function loadDyadChoices() {
    const all = await api("/v1/dyads", { limit: 200 });
    const select = $("dyad");
    select.textContent = "";
    const dyads = all.dyads.slice();
    if (state.source && state.target && !dyads.some((d) => d.source === state.source && d.target === state.target)) {
      dyads.unshift({ source: state.source, target: state.target, events: null });
    }
    for (const d of dyads) {
      const label = dyadLabel(d.source, d.target) + (d.events === null ? "" : " (" + d.events + ")");
      const option = html("option", { value: d.source + "\t" + d.target }, label);
      select.appendChild(option);
    }
    if ((!state.source || !state.target) && dyads.length > 0) {
      state.source = dyads[0].source;
      state.target = dyads[0].target;
    }
    if (state.source && state.target) select.value = state.source + "\t" + state.target;
  }

  function chooseDyad(source, target) {
    state.source = source;
    state.target = target;
    state.bucket = null;
    const value = source + "\t" + target;
    const select = $("dyad");
    if (![...select.options].some((o) => o.value === value)) {
      select.insertBefore(html("option", { value }, dyadLabel(source, target)), select.firstChild);
    }
    select.value = value;
    writeUrl();
    return Promise.all([drawSeries(), drawEvents(false), drawNetwork()]);
  }

  // ---- series chart -------------------------------------------------------------------

  async function drawSeries() {
    const box = $("series");
    box.textContent = "";
    if (!state.source || !state.target) {
      $("series-title").textContent = "Series";
      $("series-note").textContent = "No events stored yet.";
      return;
    }
    const path = "/v1/dyads/" + encodeURIComponent(state.source) + "/" + encodeURIComponent(state.target) + "/series";
    const data = await api(path, { interval: state.interval, from: state.from, to: state.to });
    const buckets = data.buckets;
    $("series-title").textContent = "Series: " + dyadLabel(data.source, data.target) + ", by " + data.interval;
    const total = buckets.reduce((n, b) => n + b.events, 0);
    $("series-note").textContent = buckets.length === 0
      ? "No events for this dyad in the period."
      : buckets.length + " " + data.interval + (buckets.length === 1 ? "" : "s") + " with events, " + total +
        " events. Click a point to list that " + data.interval + "'s events.";

    const W = 620, H = 330, left = 46, right = 14, top = 14;
    const gH = 170, gap = 28, barH = H - top - gH - gap - 26;
    const chart = svg("svg", {
      id: "series-chart", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": "Goldstein and quad-class series of " + dyadLabel(data.source, data.target),
      "data-buckets": buckets.length,
    });
    if (buckets.length === 0) return;
    box.appendChild(chart);

    const starts = buckets.map((b) => dayNumber(b.start));
    const x0 = starts[0];
    const x1 = bucketEnd(starts[starts.length - 1], data.interval);
    const plotW = W - left - right;
    const xOf = (day) => left + ((day - x0) / Math.max(1, x1 - x0)) * plotW;
    const yG = (g) => top + ((10 - g) / 20) * gH;

    // Goldstein panel: axis, grid, zero line.
    for (const g of [-10, -5, 0, 5, 10]) {
      svg("line", { x1: left, x2: W - right, y1: yG(g), y2: yG(g), class: g === 0 ? "zero" : "grid" }, chart);
      svg("text", { x: left - 6, y: yG(g) + 4, class: "tick", "text-anchor": "end" }, chart).textContent = (g > 0 ? "+" : "") + g;
    }
    svg("text", { x: 4, y: top + gH / 2, class: "axis-label", transform: "rotate(-90 10 " + (top + gH / 2) + ")" }, chart)
      .textContent = "Goldstein";

    // Quad-class panel: stacked bars of event counts.
    const barTop = top + gH + gap;
    const maxEvents = Math.max(1, ...buckets.map((b) => b.quad.reduce((a, c) => a + c, 0)));
    svg("line", { x1: left, x2: W - right, y1: barTop + barH, y2: barTop + barH, class: "zero" }, chart);
    svg("text", { x: left - 6, y: barTop + 8, class: "tick", "text-anchor": "end" }, chart).textContent = String(maxEvents);
    svg("text", { x: left - 6, y: barTop + barH, class: "tick", "text-anchor": "end" }, chart).textContent = "0";
    const bars = svg("g", { class: "quad-bars" }, chart);
    buckets.forEach((b, i) => {
      const xa = xOf(starts[i]);
      const xb = xOf(bucketEnd(starts[i], data.interval));
      const w = Math.max(2, Math.min(40, (xb - xa) * 0.8));
      const cx = (xa + xb) / 2;
      let y = barTop + barH;
      b.quad.forEach((n, q) => {
        if (n === 0) return;
        const h = (n / maxEvents) * barH;
        y -= h;
        const r = svg("rect", { x: cx - w / 2, y, width: w, height: h, class: "bar q" + (q + 1), "data-quad": q + 1, "data-count": n }, bars);
        tooltip(r, b.start + ": " + n + " " + QUADS[q]);
      });
    });

    // Goldstein line and one point per bucket.
    const centre = (i) => (xOf(starts[i]) + xOf(bucketEnd(starts[i], data.interval))) / 2;
    const linePoints = buckets
      .map((b, i) => (b.goldstein_mean === null ? null : centre(i).toFixed(1) + "," + yG(b.goldstein_mean).toFixed(1)))
      .filter((p) => p !== null);
    if (linePoints.length > 1) svg("polyline", { points: linePoints.join(" "), class: "goldstein-line" }, chart);
    const points = svg("g", { class: "points" }, chart);
    buckets.forEach((b, i) => {
      const known = b.goldstein_mean !== null;
      const c = svg("circle", {
        cx: centre(i).toFixed(1), cy: yG(known ? b.goldstein_mean : 0).toFixed(1), r: 4.5,
        class: "series-point" + (known ? "" : " unknown"),
        "data-start": b.start, "data-events": b.events, "data-goldstein": known ? b.goldstein_mean.toFixed(2) : "",
        tabindex: 0,
      }, points);
      tooltip(c, b.start + ": " + b.events + " events, " + b.mentions + " mentions, mean Goldstein " +
        fmt(b.goldstein_mean, 2) + "; " + b.quad.map((n, q) => QUADS[q] + " " + n).join(", "));
      const pick = () => {
        state.bucket = { from: b.start, to: isoDate(bucketEnd(starts[i], data.interval) - 1) };
        drawEvents(false).catch(fail);
      };
      c.addEventListener("click", pick);
      c.addEventListener("keydown", (ev) => { if (ev.key === "Enter") pick(); });
    });

    // Dates under the bars: at most eight labels.
    const step = Math.max(1, Math.ceil(buckets.length / 8));
    buckets.forEach((b, i) => {
      if (i % step !== 0) return;
      const label = data.interval === "month" ? b.start.slice(0, 7) : b.start;
      svg("text", { x: centre(i), y: H - 6, class: "tick", "text-anchor": "middle" }, chart).textContent = label;
    });
  }

  // ---- network of top dyads -----------------------------------------------------------

  async function drawNetwork() {
    const box = $("network");
    box.textContent = "";
    const data = await api("/v1/dyads", { from: state.from, to: state.to, limit: 20 });
    const period = state.from || state.to ? (state.from || "…") + " to " + (state.to || "…") : "all time";
    $("network-title").textContent = "Top dyads, " + period;
    const W = 620, H = 520, cx = W / 2, cy = H / 2, R = Math.min(W, H) / 2 - 55;
    const chart = svg("svg", {
      id: "network-chart", viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img",
      "aria-label": "network of the top dyads", "data-edges": data.dyads.length,
    }, box);
    if (data.dyads.length === 0) {
      svg("text", { x: cx, y: cy, "text-anchor": "middle", class: "empty" }, chart).textContent = "No events in this period.";
      return;
    }
    const defs = svg("defs", {}, chart);
    for (const [id, cls] of [["arrow", "arrow"], ["arrow-on", "arrow on"]]) {
      const m = svg("marker", { id, viewBox: "0 0 10 10", refX: 9, refY: 5, markerUnits: "userSpaceOnUse", markerWidth: 14, markerHeight: 14, orient: "auto" }, defs);
      svg("path", { d: "M0,0 L10,5 L0,10 z", class: cls }, m);
    }
    // Nodes: actors by total events, placed on a circle (the busiest first, at the top).
    const weight = new Map();
    for (const d of data.dyads) {
      weight.set(d.source, (weight.get(d.source) || 0) + d.events);
      weight.set(d.target, (weight.get(d.target) || 0) + d.events);
    }
    const actors = [...weight.keys()].sort((a, b) => weight.get(b) - weight.get(a) || (a < b ? -1 : 1));
    const pos = new Map();
    actors.forEach((a, i) => {
      const angle = -Math.PI / 2 + (2 * Math.PI * i) / actors.length;
      pos.set(a, { x: cx + R * Math.cos(angle), y: cy + R * Math.sin(angle) });
    });
    const maxW = Math.max(...weight.values());
    const radius = (a) => 7 + 13 * Math.sqrt(weight.get(a) / maxW);
    const maxEvents = Math.max(...data.dyads.map((d) => d.events));

    const edges = svg("g", { class: "edges" }, chart);
    for (const d of data.dyads) {
      const a = pos.get(d.source), b = pos.get(d.target);
      const on = d.source === state.source && d.target === state.target;
      const width = 1 + 4 * (d.events / maxEvents);
      let path;
      if (d.source === d.target) {
        // An actor acting on itself: a loop outside the circle.
        const ux = (a.x - cx) / R, uy = (a.y - cy) / R, r0 = radius(d.source);
        const sx = a.x + ux * r0, sy = a.y + uy * r0;
        path = "M" + (sx - uy * 8) + "," + (sy + ux * 8) + " C" + (sx + ux * 45 - uy * 30) + "," + (sy + uy * 45 + ux * 30) +
          " " + (sx + ux * 45 + uy * 30) + "," + (sy + uy * 45 - ux * 30) + " " + (sx + uy * 8) + "," + (sy - ux * 8);
      } else {
        // A curve, so that A→B and B→A stay apart; it stops at the target's rim.
        const dx = b.x - a.x, dy = b.y - a.y, len = Math.hypot(dx, dy) || 1;
        const mx = (a.x + b.x) / 2 - (dy / len) * len * 0.15, my = (a.y + b.y) / 2 + (dx / len) * len * 0.15;
        const ex = b.x - mx, ey = b.y - my, el = Math.hypot(ex, ey) || 1;
        const tx = b.x - (ex / el) * (radius(d.target) + 2), ty = b.y - (ey / el) * (radius(d.target) + 2);
        path = "M" + a.x.toFixed(1) + "," + a.y.toFixed(1) + " Q" + mx.toFixed(1) + "," + my.toFixed(1) + " " + tx.toFixed(1) + "," + ty.toFixed(1);
      }
      const e = svg("path", {
        d: path, class: "edge" + (on ? " on" : ""), "stroke-width": width.toFixed(1),
        "marker-end": "url(#" + (on ? "arrow-on" : "arrow") + ")",
        "data-source": d.source, "data-target": d.target, "data-events": d.events,
      }, edges);
      tooltip(e, dyadLabel(d.source, d.target) + ": " + d.events + " events, " + d.mentions + " mentions");
      e.addEventListener("click", () => chooseDyad(d.source, d.target).catch(fail));
    }
    const nodes = svg("g", { class: "nodes" }, chart);
    for (const a of actors) {
      const p = pos.get(a);
      const g = svg("g", { class: "node", "data-actor": a }, nodes);
      svg("circle", { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: radius(a).toFixed(1) }, g);
      // The label sits outside the circle, in line with the node.
      const ux = (p.x - cx) / R, uy = (p.y - cy) / R, off = radius(a) + 5;
      const anchor = ux > 0.2 ? "start" : ux < -0.2 ? "end" : "middle";
      svg("text", {
        x: (p.x + ux * off).toFixed(1), y: (p.y + uy * off + 4 + (anchor === "middle" ? uy * 6 : 0)).toFixed(1),
        "text-anchor": anchor, class: "node-label",
      }, g).textContent = a;
      tooltip(g, a + ": " + weight.get(a) + " events in the top dyads");
    }
  }

  // ---- event table --------------------------------------------------------------------

  // The sentence with the source, verb and target spans (character offsets, counted in
  // Unicode scalar values as the API gives them) wrapped in <mark>s.
  function highlight(text, ev) {
    const chars = Array.from(text);
    const spans = [];
    for (const role of ["source", "verb", "target"]) {
      const part = ev[role];
      if (!part || !part.span) continue;
      const s = Math.max(0, Math.min(chars.length, part.span[0]));
      const e = Math.max(s, Math.min(chars.length, part.span[1]));
      if (e > s) spans.push({ role, s, e });
    }
    const cuts = new Set([0, chars.length]);
    for (const sp of spans) { cuts.add(sp.s); cuts.add(sp.e); }
    const points = [...cuts].sort((a, b) => a - b);
    const out = html("span", { class: "sentence" });
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i], b = points[i + 1];
      const piece = chars.slice(a, b).join("");
      const covering = spans.filter((sp) => sp.s <= a && b <= sp.e).map((sp) => sp.role);
      if (covering.length === 0) {
        out.appendChild(document.createTextNode(piece));
      } else {
        const m = html("mark", {
          class: covering.map((r) => "ev-" + r).join(" "),
          "data-role": covering.join(" "),
          title: covering.join(", "),
        }, piece);
        out.appendChild(m);
      }
    }
    return out;
  }

  function evidenceCell(ev) {
    const td = html("td", { class: "evidence" });
    if (!ev) {
      td.textContent = "–";
      return td;
    }
    td.appendChild(highlight(ev.text, ev));
    const cite = html("div", { class: "cite" });
    const title = ev.title || ev.article;
    if (/^https?:\/\//i.test(ev.url || "")) {
      cite.appendChild(html("a", { href: ev.url, rel: "noopener noreferrer" }, title));
    } else {
      cite.appendChild(html("span", { class: "title" }, title));
    }
    if (ev.outlet) cite.appendChild(document.createTextNode(" · " + ev.outlet));
    cite.appendChild(document.createTextNode(" · sentence " + (ev.sentence + 1)));
    if (ev.pattern) {
      const pat = html("span", { class: "pattern" }, " · pattern " + ev.pattern + (ev.pattern_entry ? " (" + ev.pattern_entry + ")" : ""));
      cite.appendChild(pat);
    }
    td.appendChild(cite);
    return td;
  }

  function eventRow(e) {
    const tr = html("tr", { "data-event": e.id, class: e.quad_class ? "q" + e.quad_class : "" });
    tr.appendChild(html("td", { class: "date" }, e.date || "unknown"));
    tr.appendChild(html("td", { class: "actor" }, e.source));
    const code = html("td", { class: "code" }, e.code);
    if (e.quad_class) code.setAttribute("title", QUADS[e.quad_class - 1]);
    tr.appendChild(code);
    tr.appendChild(html("td", { class: "actor" }, e.target));
    tr.appendChild(html("td", { class: "num" }, fmt(e.goldstein, 1)));
    tr.appendChild(html("td", { class: "num" }, e.mentions));
    tr.appendChild(evidenceCell(e.evidence));
    return tr;
  }

  async function drawEvents(more) {
    const body = $("events").tBodies[0];
    if (!more) {
      body.textContent = "";
      state.cursor = null;
    }
    if (!state.source || !state.target) {
      $("events-title").textContent = "Events";
      $("more").hidden = true;
      return;
    }
    const range = state.bucket || { from: state.from, to: state.to };
    const page = await api("/v1/events", {
      source: state.source, target: state.target, from: range.from, to: range.to,
      limit: EVENTS_PAGE, evidence: "true", cursor: more ? state.cursor : null,
    });
    for (const e of page.events) body.appendChild(eventRow(e));
    state.cursor = page.next_cursor;
    $("more").hidden = !page.next_cursor;
    $("events-title").textContent = "Events: " + dyadLabel(state.source, state.target) +
      (state.bucket ? ", " + state.bucket.from + " to " + state.bucket.to : "");
    $("events-note").textContent = "Actor codes starting with " + state.source + " and " + state.target +
      "; each row shows the first sentence that reported the event. " + body.rows.length + " shown.";
  }

  // ---- wiring -------------------------------------------------------------------------

  function fail(err) {
    document.documentElement.setAttribute("data-state", "error");
    setStatus(String(err && err.message ? err.message : err), true);
  }

  async function refreshAll() {
    state.bucket = null;
    writeUrl();
    await Promise.all([drawSeries(), drawNetwork(), drawEvents(false)]);
  }

  async function start() {
    readUrl();
    $("interval").value = state.interval;
    $("from").value = state.from;
    $("to").value = state.to;
    await loadDyadChoices();
    await refreshAll();
    document.documentElement.setAttribute("data-state", "ready");
    setStatus("");

    $("dyad").addEventListener("change", (ev) => {
      const [s, t] = ev.target.value.split("\t");
      chooseDyad(s, t).catch(fail);
    });
    $("interval").addEventListener("change", (ev) => {
      state.interval = ev.target.value;
      writeUrl();
      drawSeries().catch(fail);
    });
    for (const id of ["from", "to"]) {
      $(id).addEventListener("change", (ev) => {
        state[id] = ev.target.value;
        refreshAll().catch(fail);
      });
    }
    $("more").addEventListener("click", () => drawEvents(true).catch(fail));
  }

  document.documentElement.setAttribute("data-state", "loading");
  setStatus("loading…");
  start().catch(fail);
})();
