// The Sluice dashboard: polls the server's JSON API once a second and redraws. No libraries.
"use strict";

const POLL_MS = 1000;
const SVG = "http://www.w3.org/2000/svg";
let token = sessionStorage.getItem("sluice-token") || "";
let lastOk = 0;

function $(id) { return document.getElementById(id); }

function fmt(n) {
  if (n === null || n === undefined) return "–";
  if (typeof n !== "number") return String(n);
  if (Math.abs(n) >= 100 || Number.isInteger(n)) return Math.round(n).toLocaleString("en-US");
  return n.toFixed(1);
}

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return e;
}

function time(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  return d.toLocaleTimeString("en-GB", { hour12: false });
}

async function get(path) {
  const headers = token ? { Authorization: "Bearer " + token } : {};
  const r = await fetch(path, { headers, cache: "no-store" });
  if (r.status === 401) { $("login").hidden = false; throw new Error("a token is needed to read"); }
  if (!r.ok) {
    let msg = r.status + "";
    try { msg += ": " + (await r.json()).message; } catch (e) { /* not JSON */ }
    throw new Error(path + " answered " + msg);
  }
  return r.json();
}

// A small area chart of a series (nulls are gaps), with its latest value's scale on the right.
function spark(values, kind) {
  const w = 220, plot = 160, h = 32, pad = 2;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("class", "spark " + kind);
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  const vs = (values || []).map(v => (v === null ? null : Number(v)));
  const present = vs.filter(v => v !== null);
  const max = Math.max(1, ...present);
  const n = vs.length;
  const pts = [];
  vs.forEach((v, i) => {
    if (v === null) return;
    const x = n <= 1 ? plot : (i / (n - 1)) * plot;
    const y = h - pad - (v / max) * (h - 2 * pad);
    pts.push([x.toFixed(1), y.toFixed(1)]);
  });
  if (pts.length > 0) {
    const line = document.createElementNS(SVG, "polyline");
    line.setAttribute("points", pts.map(p => p.join(",")).join(" "));
    const area = document.createElementNS(SVG, "polygon");
    area.setAttribute("points", `${pts[0][0]},${h} ` + pts.map(p => p.join(",")).join(" ") + ` ${pts[pts.length - 1][0]},${h}`);
    svg.append(area, line);
  }
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", plot + 4);
  label.setAttribute("y", 10);
  label.textContent = "max " + fmt(max);
  svg.append(label);
  return svg;
}

function fill(tableId, rows, emptyText, columns) {
  const body = $(tableId).tBodies[0];
  const fresh = document.createElement("tbody");
  if (rows.length === 0) {
    fresh.append(el("tr", {}, el("td", { class: "empty", colspan: columns }, emptyText)));
  }
  rows.forEach(r => fresh.append(r));
  body.replaceWith(fresh);
}

function render(status, history, windows, dead) {
  $("store").textContent = status.store.url;
  const up = status.uptimeSeconds;
  $("uptime").textContent = "up " + (up >= 3600 ? Math.floor(up / 3600) + " h " : "") + Math.floor((up % 3600) / 60) + " min " + (up % 60) + " s";

  fill("streams", status.streams.map(s => {
    const series = (history.streams[s.name] || {}).rate || [];
    return el("tr", { "data-stream": s.name },
      el("td", { class: "mono" }, s.name),
      el("td", { class: "num records" }, fmt(s.records)),
      el("td", { class: "num rate" }, fmt(s.appendRate)),
      el("td", {}, spark(series, "rate")),
      el("td", { class: "num dead" }, fmt(s.deadLetters)));
  }), "no streams yet", 5);

  fill("groups", status.groups.map(g => {
    const key = g.stream + "/" + g.group;
    const series = (history.groups[key] || {}).lag || [];
    return el("tr", { "data-group": key },
      el("td", { class: "mono" }, key),
      el("td", { class: "num committed" }, fmt(g.committed)),
      el("td", { class: "num lag" }, fmt(g.lag)),
      el("td", {}, spark(series, "lag")),
      el("td", { class: "num" }, fmt(g.consumeRate)),
      el("td", { class: "num" }, fmt(g.windowsDone)),
      el("td", { class: "num" }, fmt(g.windowsFailed)));
  }), "no consumer groups yet", 7);

  fill("jobs", status.jobs.map(j =>
    el("tr", { "data-job": j.name },
      el("td", { class: "mono" }, j.name),
      el("td", {}, j.kind),
      el("td", {}, el("span", { class: "badge state " + j.state, title: j.failure || "" }, j.state)),
      el("td", { class: "num done" }, fmt(j.windowsDone ?? j.appended)),
      el("td", { class: "num" }, fmt(j.windowsPerSecond)),
      el("td", { class: "num" }, fmt(j.windowsFailed)),
      el("td", { class: "num" }, fmt(j.recordsProcessed)),
      el("td", { class: "num" }, fmt(j.recordsDeadLettered)))), "no jobs run in this app", 8);

  fill("windows", windows.map(w =>
    el("tr", { "data-window": w.id },
      el("td", {}, time(w.finished)),
      el("td", { class: "mono" }, w.job),
      el("td", { class: "mono", title: `offsets ${w.firstOffset}..${w.lastOffset}, attempt ${w.attempt}` }, w.id),
      el("td", { class: "num" }, fmt(w.size)),
      el("td", { class: "num" }, fmt(w.durationMillis)),
      el("td", {}, el("span", { class: "badge " + w.outcome, title: w.error || "" }, w.outcome)))), "no windows handled yet", 6);

  fill("dead", dead.map(d => {
    const l = d.letter || {};
    return el("tr", {},
      el("td", {}, time(d.timestamp)),
      el("td", { class: "mono nowrap" }, (l.stream || d.deadLetterStream) + " @" + fmt(l.offset)),
      el("td", { class: "mono" }, l.window || "–"),
      el("td", { class: "error" }, (l.errorClass || l.error || "") + (l.message ? ": " + l.message : "")));
  }), "no dead letters", 4);
}

async function poll() {
  try {
    const [status, history, windows, dead] = await Promise.all([
      get("/status"), get("/history"), get("/windows?max=10"), get("/dead-letters?max=8")]);
    render(status, history, windows, dead);
    lastOk = Date.now();
    $("problem").hidden = true;
    $("live").textContent = "live · " + new Date().toLocaleTimeString("en-GB", { hour12: false });
    $("live").classList.remove("stale");
  } catch (e) {
    $("problem").textContent = e.message;
    $("problem").hidden = false;
    if (Date.now() - lastOk > 3 * POLL_MS) $("live").classList.add("stale");
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("login").addEventListener("submit", ev => {
    ev.preventDefault();
    token = $("token").value.trim();
    sessionStorage.setItem("sluice-token", token);
    $("login").hidden = true;
  });
  poll();
});
