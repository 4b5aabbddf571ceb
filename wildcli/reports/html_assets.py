"""The stylesheet and scripts inlined into the HTML report (no CDN, no network, CSP-hashed)."""

from __future__ import annotations

CSS = """
:root{--ink:#1d2733;--muted:#5b6b7b;--line:#e3e8ee;--bg:#f4f6f9;--card:#fff;--accent:#2c6e8f;
--block:#b3261e;--review:#b86e00;--monitor:#2f6fab;--mark:#ffe08a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK SC",
"Helvetica Neue",Arial,sans-serif;color:var(--ink);background:var(--bg)}
header{background:#17324a;color:#fff;padding:22px 32px 18px}
header h1{margin:0 0 4px;font-size:21px;font-weight:600;letter-spacing:.2px}
header .meta{color:#b8c7d6;font-size:12.5px}
header .meta span+span:before{content:"\\00b7";margin:0 8px;color:#6f89a3}
main{max-width:1320px;margin:0 auto;padding:22px 32px 40px}
.kpis{display:grid;grid-template-columns:repeat(5,minmax(0,1fr));gap:14px;margin-bottom:18px}
.kpi,.card{background:var(--card);border:1px solid var(--line);border-radius:10px;
box-shadow:0 1px 2px rgba(16,34,51,.05)}
.kpi{padding:14px 16px}
.kpi .label{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.6px}
.kpi .value{font-size:26px;font-weight:650;margin-top:2px;font-variant-numeric:tabular-nums}
.kpi .sub{color:var(--muted);font-size:12px}
.kpi.block .value{color:var(--block)}.kpi.review .value{color:var(--review)}
.charts{display:grid;gap:14px;margin-bottom:14px}
.charts.two{grid-template-columns:repeat(2,minmax(0,1fr))}
.charts.three{grid-template-columns:repeat(3,minmax(0,1fr));margin-bottom:18px}
.card{padding:14px 16px}
.card h2{font-size:13.5px;margin:0 0 8px;font-weight:600}
.card h2 small{color:var(--muted);font-weight:400;margin-left:6px}
svg.chart{max-width:100%;height:auto;display:block}
svg.chart text{font-size:12px;fill:var(--ink)}
svg.chart text.value{fill:var(--muted);font-variant-numeric:tabular-nums}
svg.chart .bar{cursor:pointer}
svg.chart .bar:hover rect,svg.chart .bar:focus rect{opacity:.8}
svg.chart .bar:focus{outline:none}
svg.chart rect.track{fill:#eef2f6}
.more-note{color:var(--muted);font-size:12px;margin-top:4px}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:10px}
.filters input,.filters select,.filters button{font:inherit;border:1px solid #cfd8e1;border-radius:7px;
padding:7px 10px;background:#fff;color:var(--ink)}
.filters input{flex:1 1 280px;min-width:220px}
.filters button{cursor:pointer;background:#f7f9fb}
.filters button:hover{background:#eef2f6}
#shown-count{color:var(--muted);font-size:12.5px;margin:0 0 8px}
table{width:100%;border-collapse:collapse;table-layout:fixed}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top;
overflow-wrap:anywhere}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.5px;
background:#fafbfc;position:sticky;top:0}
tbody tr:hover{background:#f8fafc}
col.c-sev{width:100px}col.c-rec{width:150px}col.c-field{width:130px}col.c-concept{width:130px}
col.c-term{width:170px}col.c-method{width:110px}
td.field{overflow-wrap:break-word;word-break:normal}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:11.5px;font-weight:600;
color:#fff}
.badge.block{background:var(--block)}.badge.review{background:var(--review)}
.badge.monitor{background:var(--monitor)}
.sub{color:var(--muted);font-size:12px}
.evidence{font-size:13px}
mark{background:var(--mark);color:inherit;padding:0 2px;border-radius:3px;font-weight:600}
#more{margin-top:10px}
#js-errors{white-space:pre-wrap;background:#fdecea;color:#7a1c14;border:1px solid #f5c2bd;
border-radius:8px;padding:10px 14px;margin-bottom:14px}
footer{color:var(--muted);font-size:12px;text-align:center;padding:0 0 28px}
@media (max-width:1000px){.charts.two,.charts.three{grid-template-columns:1fr}
.kpis{grid-template-columns:repeat(2,minmax(0,1fr))}}
"""

ERRORS_JS = """window.addEventListener("error",function(e){var box=document.getElementById("js-errors");
if(box){box.hidden=false;box.textContent+="Script error: "+e.message+"\\n";}});"""
"""Runs first, in its own element, so that even a syntax error in the main script is shown."""

APP_JS = r"""
(function () {
  "use strict";
  var $ = function (id) { return document.getElementById(id); };
  var data = JSON.parse($("wildcli-data").textContent);
  var col = {};
  data.columns.forEach(function (name, i) { col[name] = i; });
  var rows = data.rows, PAGE = 200, limit = PAGE, shown = [];
  var SEVERITIES = ["block", "review", "monitor"];
  var selects = {
    severity: $("f-severity"), concept: $("f-concept"), lang: $("f-lang"), field: $("f-field")
  };
  var search = $("search");
  var haystacks = rows.map(function (r) {
    return ["record", "source", "field", "concept", "term", "lang", "matched", "before", "after"]
      .map(function (k) { return String(r[col[k]] == null ? "" : r[col[k]]); }).join("\n").toLowerCase();
  });

  // The charts drawn by the report are in the page whenever there is a finding to draw: their
  // namespace is the one new bars need (and the page spells out no address).
  var chartNS = document.querySelector("svg.chart");
  var originals = {};
  data.charts.forEach(function (c) { originals[c.id] = $(c.id).cloneNode(true); });

  function fmt(n) { return Number(n).toLocaleString("en-US"); }
  function text(id, value) { $(id).textContent = value; }
  function plural(n, noun) { return fmt(n) + " " + noun + (n === 1 ? "" : "s"); }

  function filtering() {
    var picked = Object.keys(selects).some(function (n) { return selects[n].value; });
    return picked || Boolean(search.value.trim());
  }

  // The counts of the findings that pass the filters, in the shape of data.summary.
  function summarize(list) {
    var records = {}, concepts = {}, langs = {}, sev = { block: 0, review: 0, monitor: 0 };
    list.forEach(function (r) {
      records[[r[col.source], r[col.row], r[col.record]].join("\u0000")] = 1;
      concepts[r[col.concept]] = 1;
      langs[r[col.lang]] = 1;
      sev[r[col.severity]] += 1;
    });
    return {
      records: data.summary.records, records_with_findings: Object.keys(records).length,
      findings: list.length, concepts: Object.keys(concepts).length,
      languages: Object.keys(langs).length, by_severity: sev
    };
  }

  function kpis(s) {
    text("kpi-records", fmt(s.records));
    text("kpi-flagged", fmt(s.records_with_findings));
    var share = s.records ? (100 * s.records_with_findings / s.records).toFixed(1) + "% of records" : "";
    text("kpi-flagged-share", share);
    text("kpi-findings", fmt(s.findings));
    text("kpi-concepts", plural(s.concepts, "concept") + ", " + plural(s.languages, "language"));
    text("kpi-block", fmt(s.by_severity.block || 0));
    text("kpi-review", fmt(s.by_severity.review || 0));
    text("kpi-monitor", fmt(s.by_severity.monitor || 0) + " monitor");
    if (data.truncated) {
      text("truncated", "The table holds the " + fmt(rows.length) + " most severe of " +
        fmt(data.summary.findings) + " findings; " + (filtering()
          ? "with a filter, the counts and charts cover those in the table."
          : "the counts and charts cover them all."));
    }
  }

  // The bars of one chart: [label, count, value] sorted as the report sorts them.
  function items(list, key) {
    var counts = {}, values = {};
    list.forEach(function (r) {
      var label = key === "q" ? r[col.term] + " (" + r[col.lang] + ")" : String(r[col[key]] || "");
      counts[label] = (counts[label] || 0) + 1;
      values[label] = key === "q" ? r[col.term] : label;
    });
    var labels = Object.keys(counts);
    if (key === "severity") {
      labels = SEVERITIES.filter(function (k) { return counts[k]; });
    } else {
      labels.sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : a > b ? 1 : 0); });
    }
    return labels.map(function (label) { return [label, counts[label], values[label]]; });
  }

  function svg(tag, attrs, parent) {
    var el = document.createElementNS(chartNS.namespaceURI, tag);
    Object.keys(attrs).forEach(function (k) { el.setAttribute(k, String(attrs[k])); });
    if (parent) parent.appendChild(el);
    return el;
  }

  // Drawn as the report draws its charts (reports/html.py: _bars), listing text as text nodes.
  function bars(list, key, width) {
    if (!list.length) {
      var none = document.createElement("p");
      none.className = "sub";
      none.textContent = "No findings.";
      return none;
    }
    var labelW = width > 400 ? 170 : 120, rowH = 24, barW = width - labelW - 50;
    var chars = width > 400 ? 24 : 16, height = rowH * list.length + 4;
    var peak = Math.max.apply(null, list.map(function (item) { return item[1]; }));
    var chart = svg("svg", { "class": "chart", width: width, height: height,
      viewBox: "0 0 " + width + " " + height, role: "img", "aria-label": key + " chart" });
    list.forEach(function (item, i) {
      var label = item[0] || "(none)", n = item[1], y = i * rowH + 2;
      var color = key === "severity" ? data.colors.severity[label] : data.colors.accent;
      var g = svg("g", { "class": "bar", tabindex: 0, role: "button", "data-filter": key,
        "data-value": item[2] }, chart);
      svg("title", {}, g).textContent = label + ": " + fmt(n) + " findings";
      svg("text", { x: labelW - 8, y: y + 15, "text-anchor": "end" }, g).textContent =
        label.length <= chars ? label : label.slice(0, chars - 1) + "\u2026";
      svg("rect", { "class": "track", x: labelW, y: y + 3, width: barW, height: 16, rx: 3 }, g);
      svg("rect", { x: labelW, y: y + 3, width: Math.max(2, barW * n / peak).toFixed(1), height: 16, rx: 3,
        fill: color || data.colors.accent }, g);
      svg("text", { "class": "value", x: labelW + barW + 8, y: y + 15 }, g).textContent = fmt(n);
    });
    return chart;
  }

  // The cards and charts follow the filters; without one, they are the report's own, which
  // count every finding (the table may hold only the most severe).
  function charts(list) {
    data.charts.forEach(function (c) {
      var card = $(c.id);
      if (!filtering()) {
        card.parentNode.replaceChild(originals[c.id].cloneNode(true), card);
        return;
      }
      var all = items(list, c.key), shownBars = all.slice(0, data.bars);
      card.querySelector("h2 small").textContent = plural(list.length, "finding");
      var old = card.querySelector("svg.chart, p.sub");
      var fresh = bars(shownBars, c.key, c.width);
      if (old) card.replaceChild(fresh, old); else card.appendChild(fresh);
      var note = card.querySelector(".more-note");
      if (note) card.removeChild(note);
      if (all.length > shownBars.length) {
        span(card, "and " + (all.length - shownBars.length) + " more", "more-note", "div");
      }
    });
  }

  function fillSelect(name) {
    var counts = {};
    rows.forEach(function (r) { var v = r[col[name]] || ""; counts[v] = (counts[v] || 0) + 1; });
    var keys = name === "severity"
      ? SEVERITIES.filter(function (k) { return counts[k]; })
      : Object.keys(counts).sort();
    keys.forEach(function (v) {
      var o = document.createElement("option");
      o.value = v;
      o.textContent = (v || "(none)") + " (" + fmt(counts[v]) + ")";
      selects[name].appendChild(o);
    });
  }

  function apply() {
    var needle = search.value.trim().toLowerCase();
    shown = [];
    rows.forEach(function (r, i) {
      for (var name in selects) {
        if (selects[name].value && (r[col[name]] || "") !== selects[name].value) return;
      }
      if (!needle || haystacks[i].indexOf(needle) >= 0) shown.push(r);
    });
    limit = PAGE;
    render();
    kpis(filtering() ? summarize(shown) : data.summary);
    charts(shown);
    remember();
  }

  function cell(tr, cls) {
    var td = document.createElement("td");
    if (cls) td.className = cls;
    tr.appendChild(td);
    return td;
  }
  function span(parent, value, cls, tag) {
    var el = document.createElement(tag || "span");
    if (cls) el.className = cls;
    el.textContent = value == null ? "" : String(value);
    parent.appendChild(el);
    return el;
  }

  // A field name may break after its separators (user_description, seller.profile.about),
  // never inside a word.
  function field(td, name) {
    String(name == null ? "" : name).split(/(?<=[._\-\/])/).forEach(function (part, i) {
      if (i) td.appendChild(document.createElement("wbr"));
      td.appendChild(document.createTextNode(part));
    });
  }

  function render() {
    var body = $("rows"), frag = document.createDocumentFragment();
    body.textContent = "";
    shown.slice(0, limit).forEach(function (r) {
      var tr = document.createElement("tr");
      span(cell(tr), r[col.severity], "badge " + r[col.severity]);
      var rec = cell(tr);
      span(rec, r[col.record]);
      // One dump: the row number is enough; several: say which file too.
      var where = (data.sources > 1 ? r[col.source] + ":" : "row ") + (r[col.row] == null ? "?" : r[col.row]);
      span(rec, where, "sub", "div");
      field(cell(tr, "field"), r[col.field]);
      span(cell(tr), r[col.concept]);
      var term = cell(tr);
      span(term, r[col.term]);
      span(term, r[col.lang] + " \u00b7 " + r[col.kind], "sub", "div");
      var ev = cell(tr, "evidence");
      span(ev, r[col.before]);
      span(ev, r[col.matched], "", "mark");
      span(ev, r[col.after]);
      var m = cell(tr);
      span(m, r[col.method]);
      span(m, "score " + Number(r[col.score]).toFixed(2), "sub", "div");
      frag.appendChild(tr);
    });
    body.appendChild(frag);
    body.setAttribute("data-count", String(shown.length));
    text("shown-count", "Showing " + fmt(Math.min(limit, shown.length)) + " of " + fmt(shown.length) +
      " matching findings (" + fmt(rows.length) + " in the table)");
    $("more").hidden = shown.length <= limit;
    $("empty").hidden = shown.length > 0;
  }

  function remember() {
    var params = [];
    if (search.value) params.push("q=" + encodeURIComponent(search.value));
    for (var name in selects) {
      if (selects[name].value) params.push(name + "=" + encodeURIComponent(selects[name].value));
    }
    try {
      history.replaceState(null, "", params.length ? "#" + params.join("&") : location.pathname);
    } catch (e) { /* some browsers refuse it for file: URLs; the filter still applies */ }
  }

  function restore() {
    var hash = location.hash.replace(/^#/, "");
    hash.split("&").forEach(function (pair) {
      var i = pair.indexOf("="), key = pair.slice(0, i), value = decodeURIComponent(pair.slice(i + 1));
      if (i < 0) return;
      if (key === "q") search.value = value;
      else if (selects[key]) selects[key].value = value;
    });
  }

  kpis(data.summary);
  Object.keys(selects).forEach(fillSelect);
  restore();
  search.addEventListener("input", apply);
  Object.keys(selects).forEach(function (name) { selects[name].addEventListener("change", apply); });
  $("reset").addEventListener("click", function () {
    search.value = "";
    Object.keys(selects).forEach(function (name) { selects[name].value = ""; });
    apply();
  });
  $("more").addEventListener("click", function () { limit += PAGE * 5; render(); });
  // On the page, not on each bar: the charts are drawn again as the filters change.
  function pick(e) {
    var bar = e.target.closest ? e.target.closest("[data-filter]") : null;
    if (!bar) return false;
    var key = bar.getAttribute("data-filter"), value = bar.getAttribute("data-value");
    if (key === "q") search.value = value; else selects[key].value = value;
    apply();
    $("findings").scrollIntoView({ behavior: "smooth" });
    return true;
  }
  document.addEventListener("click", pick);
  document.addEventListener("keydown", function (e) {
    if ((e.key === "Enter" || e.key === " ") && e.target.closest && e.target.closest("[data-filter]")) {
      e.preventDefault();
      pick(e);
    }
  });
  search.dispatchEvent(new Event("input"));
  document.body.setAttribute("data-ready", "1");
})();
"""
