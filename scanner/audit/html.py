"""The audit as one self-contained HTML page: inline CSS, script and SVG, no network (its
Content-Security-Policy forbids any fetch). Everything from the store is data: the page puts it
in the DOM with textContent, never as markup, so a hostile path or author name stays text."""

from __future__ import annotations

import json
from collections import Counter
from html import escape

SEVERITY_ORDER = ("critical", "high", "medium", "low", "info")
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")


def render_html(document: dict) -> str:
    """The page for one JSON report document (scanner.audit.reports.document)."""
    data = json.dumps(document, ensure_ascii=True)
    # Inside <script>, "</" could end the element early: escape every '<'.
    data = data.replace("<", "\\u003c")
    keys = document["keys"]
    repositories = document["repositories"]
    failed = len(document["failed"])
    summary = (f"{len(repositories)} repositories ({failed} failed), "
               f"{len(document['findings'])} findings, {len(keys)} unique keys")
    return _PAGE.format(csp=escape(CSP), summary=escape(summary),
                        timeline=timeline_svg([k["introduced"] for k in keys]),
                        data=data, script=_SCRIPT, style=_STYLE)


def timeline_svg(dates: list[str | None], width: int = 720, height: int = 180) -> str:
    """Bars of how many keys were introduced each month (by the introducing commit's date)."""
    months = Counter(date[:7] for date in dates if date)
    if not months:
        return (f'<svg id="timeline" role="img" width="{width}" height="40" '
                f'viewBox="0 0 {width} 40">'
                '<text x="8" y="24">No dated keys.</text></svg>')
    labels = sorted(months)
    top = max(months.values())
    slot = min(80.0, (width - 40) / len(labels))
    bars = []
    for index, month in enumerate(labels):
        bar = (height - 40) * months[month] / top
        x = 30 + index * slot
        bars.append(
            f'<g class="bar"><title>{escape(month)}: {months[month]} keys</title>'
            f'<rect x="{x + slot * 0.1:.1f}" y="{height - 20 - bar:.1f}" '
            f'width="{slot * 0.8:.1f}" height="{bar:.1f}"></rect>'
            f'<text x="{x + slot / 2:.1f}" y="{height - 5}" text-anchor="middle">'
            f'{escape(month)}</text></g>')
    return (f'<svg id="timeline" role="img" aria-label="Keys introduced per month" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
            f'<text x="4" y="14">{top}</text>'
            f'<line x1="28" y1="{height - 20}" x2="{width}" y2="{height - 20}"></line>'
            f'{"".join(bars)}</svg>')


_STYLE = """
body { font: 14px system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { border: 1px solid #ccc; padding: .25em .6em; text-align: left; vertical-align: top; }
th { background: #f2f2f2; cursor: pointer; user-select: none; }
td.n { text-align: right; }
tr.failed td { color: #a00; }
.critical { background: #fdd; } .high { background: #fed; }
#timeline rect { fill: #d9480f; } #timeline line { stroke: #888; }
#timeline text { font-size: 11px; fill: #444; }
.controls { margin: .5em 0; display: flex; gap: 1em; align-items: center; }
code { font-size: 12px; }
"""

_SCRIPT = r"""
"use strict";
const data = JSON.parse(document.getElementById("audit-data").textContent);
const SEVERITIES = ["critical", "high", "medium", "low", "info"];

function cell(row, text, cls) {
  const td = document.createElement("td");
  td.textContent = text === null || text === undefined ? "" : String(text);
  if (cls) td.className = cls;
  row.appendChild(td);
  return td;
}

// Counts by severity for every repository.
const counts = {};
for (const f of data.findings) {
  const c = counts[f.repository] || (counts[f.repository] = {});
  c[f.severity] = (c[f.severity] || 0) + 1;
}
const repoRows = data.repositories.map(r => {
  const c = counts[r.repository] || {};
  const row = {repository: r.repository, status: r.status, error: r.error || ""};
  for (const s of SEVERITIES) row[s] = c[s] || 0;
  row.total = SEVERITIES.reduce((sum, s) => sum + row[s], 0);
  return row;
});

let sortKey = "total", sortDescending = true;

function renderRepos() {
  const text = document.getElementById("repo-filter").value.toLowerCase();
  const severity = document.getElementById("severity-filter").value;
  const body = document.querySelector("#repositories tbody");
  body.replaceChildren();
  const rows = repoRows.filter(r => r.repository.toLowerCase().includes(text)
                                 && (!severity || r[severity] > 0));
  rows.sort((a, b) => {
    const x = a[sortKey], y = b[sortKey];
    const order = typeof x === "number" ? x - y : String(x).localeCompare(String(y));
    return sortDescending ? -order : order;
  });
  for (const r of rows) {
    const tr = document.createElement("tr");
    if (r.status === "failed") tr.className = "failed";
    cell(tr, r.repository); cell(tr, r.status);
    for (const s of SEVERITIES) cell(tr, r[s], r[s] ? "n " + s : "n");
    cell(tr, r.total, "n"); cell(tr, r.error);
    body.appendChild(tr);
  }
  document.getElementById("repo-count").textContent =
    rows.length + " of " + repoRows.length + " repositories shown";
}

function renderKeys() {
  const body = document.querySelector("#keys tbody");
  for (const k of data.keys) {
    const tr = document.createElement("tr");
    cell(tr, k.secret_sha256.slice(0, 16)).className = "sha";
    cell(tr, k.preview); cell(tr, k.severity, k.severity);
    cell(tr, k.places.length, "n"); cell(tr, k.in_head ? "yes" : "no");
    cell(tr, k.introduced || "");
    const list = document.createElement("ul");
    for (const p of k.places) {
      const li = document.createElement("li");
      li.textContent = p.repository + " : " + p.path + ":" + p.line +
        (p.commit ? " (" + p.commit.slice(0, 12) + ")" : "");
      list.appendChild(li);
    }
    cell(tr, "").appendChild(list);
    body.appendChild(tr);
  }
}

for (const th of document.querySelectorAll("#repositories th[data-key]")) {
  th.addEventListener("click", () => {
    const key = th.dataset.key;
    sortDescending = key === sortKey ? !sortDescending : key !== "repository";
    sortKey = key;
    renderRepos();
  });
}
document.getElementById("repo-filter").addEventListener("input", renderRepos);
document.getElementById("severity-filter").addEventListener("change", renderRepos);
// A link may carry a filter: audit.html#filter=acme/api
const wanted = new URLSearchParams(location.hash.slice(1)).get("filter");
if (wanted) document.getElementById("repo-filter").value = wanted;
renderRepos();
renderKeys();
document.body.dataset.ready = "yes";
"""

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mistral-guard audit</title>
<style>{style}</style></head>
<body>
<h1>mistral-guard audit</h1>
<p id="summary">{summary}</p>
<h2>Keys introduced over time</h2>
{timeline}
<h2>Repositories</h2>
<div class="controls">
<label>Filter <input id="repo-filter" type="search" placeholder="repository"></label>
<label>With findings of severity <select id="severity-filter">
<option value="">any</option><option>critical</option><option>high</option>
<option>medium</option><option>low</option><option>info</option></select></label>
<span id="repo-count"></span></div>
<table id="repositories"><thead><tr>
<th data-key="repository">Repository</th><th data-key="status">Status</th>
<th data-key="critical">Critical</th><th data-key="high">High</th><th data-key="medium">Medium</th>
<th data-key="low">Low</th><th data-key="info">Info</th><th data-key="total">Total</th>
<th data-key="error">Error</th></tr></thead><tbody></tbody></table>
<h2>Unique keys to rotate</h2>
<table id="keys"><thead><tr><th>sha256</th><th>Preview</th><th>Severity</th><th>Places</th>
<th>At HEAD</th><th>Introduced</th><th>Where it lives</th></tr></thead><tbody></tbody></table>
<script id="audit-data" type="application/json">{data}</script>
<script>{script}</script>
</body></html>
"""
