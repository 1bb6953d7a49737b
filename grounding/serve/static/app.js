// grounding web page: operator view (ask, cited answer, evidence, KG paths) and curator view.
// Every piece of data is put on the page with textContent / createTextNode, never as HTML:
// a report that contains "<script>" shows as text.
"use strict";

const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

// The token lives in its (password) field only, never in browser storage: the views switch by
// #hash on one page, so nothing is lost between them, and a reload asks for it again.
function token() {
  return $("token").value.trim();
}

function headers(json) {
  const h = {};
  if (json) h["Content-Type"] = "application/json";
  const t = token();
  if (t) h["Authorization"] = "Bearer " + t;
  return h;
}

async function errorText(resp) {
  try {
    const body = await resp.json();
    const d = body.detail;
    if (typeof d === "string") return d;
    if (Array.isArray(d)) return d.map((e) => (e.loc ? e.loc.join(".") + ": " : "") + e.msg).join("; ");
    return JSON.stringify(body);
  } catch (_) {
    return resp.statusText || "request failed";
  }
}

async function api(method, path, body) {
  const resp = await fetch(path, {
    method,
    headers: headers(body !== undefined),
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  if (!resp.ok) {
    const err = new Error(await errorText(resp));
    err.status = resp.status;
    throw err;
  }
  return resp.json();
}

function setStatus(node, text, kind) {
  node.textContent = text || "";
  node.className = "status" + (kind ? " " + kind : "");
}

// ---------------------------------------------------------------------------------------------
// Views
let defaultThreshold = 0.5;

function showView() {
  const curate = location.hash === "#curate";
  $("view-ask").hidden = curate;
  $("view-curate").hidden = !curate;
  $("tab-ask").classList.toggle("active", !curate);
  $("tab-curate").classList.toggle("active", curate);
  if (curate && !showView.loaded) {
    showView.loaded = true;
    loadReview();
  }
}

async function loadHealth() {
  try {
    const h = await api("GET", "/healthz");
    if (typeof h.threshold === "number") defaultThreshold = h.threshold;
    $("health").textContent = `${h.reports} reports · ${h.vectors} vectors · ${h.generator} · ${h.status}`;
  } catch (e) {
    $("health").textContent = "health: " + e.message;
  }
}

// ---------------------------------------------------------------------------------------------
// Operator view
let current = null; // the answer on show

function askBody() {
  const body = { question: $("question").value };
  const t = $("threshold").value.trim();
  if (t !== "") body.threshold = Number(t);
  const temp = $("temperature").value.trim();
  if (temp !== "") body.sampling = { temperature: Number(temp) };
  return body;
}

function resetResult() {
  $("result").hidden = true;
  $("draft").hidden = true;
  $("draft-text").textContent = "";
  $("report").hidden = true;
}

async function onAsk(ev) {
  ev.preventDefault();
  const body = askBody();
  if (!body.question.trim()) {
    setStatus($("status"), "Type a question first.", "error");
    return;
  }
  resetResult();
  $("ask-btn").disabled = true;
  setStatus($("status"), "Retrieving evidence…", "busy");
  try {
    const ans = $("stream").checked ? await askStreaming(body) : await api("POST", "/ask", body);
    if (ans) {
      renderAnswer(ans, body.threshold);
      setStatus($("status"), "");
    }
  } catch (e) {
    setStatus($("status"), (e.status ? e.status + ": " : "") + e.message, "error");
  } finally {
    $("ask-btn").disabled = false;
  }
}

async function askStreaming(body) {
  const resp = await fetch("/ask/stream", { method: "POST", headers: headers(true), body: JSON.stringify(body) });
  if (!resp.ok) {
    const err = new Error(await errorText(resp));
    err.status = resp.status;
    throw err;
  }
  const reader = resp.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  let final = null;
  const stageText = { retrieving: "Retrieving evidence…", generating: "Generating (draft, unchecked)…", checking: "Checking every sentence against the evidence…" };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
      }
      const payload = data.length ? JSON.parse(data.join("\n")) : {};
      if (event === "token") {
        $("draft").hidden = false;
        $("draft-text").append(document.createTextNode(payload.text));
      } else if (event === "stage") {
        setStatus($("status"), stageText[payload.stage] || payload.stage, "busy");
      } else if (event === "answer") {
        final = payload;
      } else if (event === "error") {
        const err = new Error(payload.detail);
        err.status = payload.status;
        throw err;
      }
    }
  }
  $("draft").hidden = true;
  if (!final) throw new Error("the stream ended without an answer");
  return final;
}

function citedText(text, onCite) {
  // "… trip [P1][K1]." -> text nodes and citation buttons.
  const frag = document.createDocumentFragment();
  const re = /\[((?:P|K)\d+)\]/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    if (m.index > last) frag.append(document.createTextNode(text.slice(last, m.index)));
    const key = m[1];
    frag.append(el("button", { type: "button", class: "cite", dataset: { key }, title: "show " + key, onclick: () => onCite(key) }, "[" + key + "]"));
    last = re.lastIndex;
  }
  if (last < text.length) frag.append(document.createTextNode(text.slice(last)));
  return frag;
}

function renderAnswer(ans, threshold) {
  current = ans;
  const th = typeof threshold === "number" ? threshold : defaultThreshold;
  $("result").hidden = false;
  const answerNode = $("answer");
  answerNode.replaceChildren();
  if (ans.abstained) {
    $("abstain").hidden = false;
    // A Korean question's abstention is explained in Korean (grounding/answer/frame.py).
    $("abstain-title").textContent = /[\uac00-\ud7a3]/.test(ans.question || "") ? "답변하지 않음." : "Declined to answer.";
    $("abstain-reason").textContent = ans.answer.replace(/^(?:Not enough evidence to answer:|근거가 부족하여 답하지 않습니다:)\s*/, "");
    answerNode.hidden = true;
  } else {
    $("abstain").hidden = true;
    answerNode.hidden = false;
    answerNode.append(citedText(ans.answer, highlight));
  }
  const pct = Math.max(0, Math.min(1, ans.confidence)) * 100;
  $("conf-fill").style.width = pct.toFixed(1) + "%";
  $("conf-fill").className = "fill " + (ans.confidence > th ? "ok" : "low");
  $("conf-threshold").style.left = (Math.max(0, Math.min(1, th)) * 100).toFixed(1) + "%";
  $("conf-label").textContent = `${ans.confidence.toFixed(2)} (threshold ${th.toFixed(2)})`;
  $("conf-bar").setAttribute("aria-valuenow", ans.confidence.toFixed(2));

  const list = $("passages");
  list.replaceChildren();
  const keys = Object.keys(ans.evidence || {}).filter((k) => k.startsWith("P"));
  for (const key of keys) {
    const p = ans.evidence[key];
    const where = [p.facility, p.date].filter(Boolean).join(" · ");
    list.append(
      el(
        "li",
        { id: "ev-" + key, class: "passage", dataset: { key } },
        el(
          "div",
          { class: "passage-head" },
          el("button", { type: "button", class: "cite", dataset: { key }, onclick: () => highlight(key) }, "[" + key + "]"),
          " ",
          el("a", { href: "#ask", class: "report-link", onclick: (e) => { e.preventDefault(); openReport(p.report_id, p.text); } }, p.report_id),
          where ? el("span", { class: "muted" }, " · " + where) : null,
          p.title ? el("div", { class: "title" }, p.title) : null
        ),
        el("blockquote", { class: "excerpt" }, p.text),
        el("div", { class: "muted small" }, `score ${Number(p.score).toFixed(3)}`)
      )
    );
  }
  if (!keys.length) list.append(el("li", { class: "muted" }, "no evidence was found"));

  drawPaths(ans);
  drawAggregate(ans);

  const dropped = ans.dropped_sentences || [];
  $("dropped-block").hidden = dropped.length === 0;
  $("dropped").replaceChildren(...dropped.map((s) => el("li", {}, el("span", { class: "dropped-text" }, s.text), el("span", { class: "muted" }, ` — ${s.status}: ${s.reason}`))));
  const t = ans.timings_ms || {};
  $("meta-line").textContent = `${ans.generator || ""} · ${Math.round(t.total || 0)} ms`;
}

function highlight(key) {
  if (!current) return;
  for (const li of document.querySelectorAll(".passage.active")) {
    li.classList.remove("active");
    const q = li.querySelector(".excerpt");
    q.replaceChildren(document.createTextNode(q.textContent));
  }
  for (const b of document.querySelectorAll(".cite.active")) b.classList.remove("active");
  for (const b of document.querySelectorAll(`.cite[data-key="${key}"]`)) b.classList.add("active");
  if (key.startsWith("K")) {
    const g = document.querySelector(`#kg [data-key="${key}"]`);
    if (g) {
      for (const x of document.querySelectorAll("#kg .active")) x.classList.remove("active");
      g.classList.add("active");
      g.scrollIntoView({ block: "nearest" });
    }
    return;
  }
  const li = $("ev-" + key);
  if (!li) return;
  li.classList.add("active");
  const quote = li.querySelector(".excerpt");
  const text = quote.textContent;
  quote.replaceChildren(el("mark", { class: "hl" }, text));
  li.scrollIntoView({ block: "nearest", behavior: "smooth" });
  const p = current.evidence[key];
  if (p && p.report_id) openReport(p.report_id, p.text);
}

function markSpans(text, sentences) {
  // Collapse whitespace runs to one space, remembering where each kept character came from.
  let flat = "";
  const origin = [];
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const ws = /\s/.test(text[i]);
    if (ws && space) continue;
    flat += ws ? " " : text[i];
    origin.push(i);
    space = ws;
  }
  const spans = [];
  for (const s of sentences) {
    const needle = s.replace(/\s+/g, " ").trim();
    if (!needle) continue;
    const at = flat.indexOf(needle);
    if (at >= 0) spans.push([origin[at], origin[at + needle.length - 1] + 1]);
  }
  spans.sort((a, b) => a[0] - b[0]);
  return spans;
}

function sentencesOf(text) {
  return text.split(/(?<=[.!?])\s+/).map((s) => s.trim()).filter((s) => s.length > 3);
}

async function openReport(id, excerpt) {
  const panel = $("report");
  panel.hidden = false;
  $("report-title").textContent = id;
  $("report-meta").replaceChildren();
  $("report-text").replaceChildren(el("span", { class: "muted" }, "loading…"));
  let rep;
  try {
    rep = await api("GET", "/reports/" + encodeURIComponent(id));
  } catch (e) {
    $("report-text").replaceChildren(el("span", { class: "error" }, e.message));
    return;
  }
  $("report-title").textContent = `${rep.id}${rep.title ? " — " + rep.title : ""}`;
  const meta = [["facility", rep.facility], ["date", rep.date], ["corpus", rep.corpus], ["source", rep.source]];
  for (const [k, v] of Object.entries(rep.metadata || {})) {
    if (v !== null && v !== "" && typeof v !== "object" && !(k === "facility" && v === rep.facility)) meta.push([k, v]);
  }
  $("report-meta").replaceChildren(...meta.filter(([, v]) => v).flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]));
  // The report text, with the excerpt's sentences marked (text nodes only). Matching ignores
  // differences in whitespace (the excerpt joins sentences that a line break separates).
  const text = rep.text || "";
  const spans = markSpans(text, sentencesOf(excerpt || ""));
  const box = $("report-text");
  box.replaceChildren();
  let pos = 0;
  for (const [a, b] of spans) {
    if (a < pos) continue;
    box.append(document.createTextNode(text.slice(pos, a)));
    box.append(el("mark", { class: "hl" }, text.slice(a, b)));
    pos = b;
  }
  box.append(document.createTextNode(text.slice(pos)));
  const first = box.querySelector("mark");
  if (first) first.scrollIntoView({ block: "nearest" });
}

// An aggregate / distribution answer (docs/aggregates.md): the query, a table of the numbers, the chart of a
// trend, the SQL and the ids of every counted report.
function drawAggregate(ans) {
  const agg = ans.aggregate;
  $("agg-block").hidden = !agg || !agg.result;
  if (!agg || !agg.result) return;
  $("agg-query").textContent = agg.readable || "";
  const chart = $("agg-chart");
  chart.hidden = !agg.chart_png;
  if (agg.chart_png) chart.src = agg.chart_png;
  const res = agg.result;
  const table = $("agg-table");
  table.replaceChildren();
  let rows = [];
  let head = ["", "value"];
  if (res.series) {
    head = ["year", "count"];
    rows = Object.entries(res.series);
  } else if (res.rows && agg.kind === "distribution") {
    head = [agg.category || "concept", "reports", "examples"];
    rows = res.rows.map((r) => [r.label, r.reports, (r.cited || []).map((k) => "[" + k + "]").join(" ")]);
  } else if (res.rows) {
    head = [(agg.query && agg.query.group_by) || "group", "value"];
    rows = res.rows.map((r) => [r.group, r.value]);
  } else if (res.part !== undefined) {
    head = ["", "value"];
    rows = [["part", res.part], ["total", res.total], ["share", (100 * res.share).toFixed(1) + "%"]];
  } else {
    rows = [["value", res.value], ["reports", res.reports]];
    if (res.recorded !== undefined) rows.push(["reports recording it", res.recorded]);
  }
  table.append(el("tr", {}, ...head.map((h) => el("th", {}, String(h)))));
  for (const r of rows) table.append(el("tr", {}, ...r.map((c) => el("td", {}, String(c)))));
  $("agg-sql").textContent = (agg.sql || []).map((q, i) => q + "\n-- " + JSON.stringify((agg.params || [])[i] || {})).join("\n\n");
  const ids = agg.report_ids || [];
  $("agg-ids").textContent = ids.length ? `${ids.length} counted report(s): ` + ids.slice(0, 30).join(", ") + (ids.length > 30 ? " …" : "") : "";
}

function drawPaths(ans) {
  const paths = Object.entries(ans.evidence || {}).filter(([k]) => k.startsWith("K"));
  const host = $("kg");
  host.replaceChildren();
  $("kg-block").hidden = paths.length === 0;
  if (!paths.length) return;
  // One row per path: concept boxes joined by labelled arrows. Concepts shared by several
  // paths keep one colour, so the rows read as one small graph.
  const colW = 280, rowH = 64, boxW = 150, boxH = 30, pad = 10;
  const maxHops = Math.max(...paths.map(([, p]) => Math.floor((p.path || []).length / 2)));
  const width = pad * 2 + (maxHops + 1) * colW;
  const height = pad * 2 + paths.length * rowH;
  const root = svg("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": "knowledge-graph paths" });
  const defs = svg("defs");
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" });
  marker.append(svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }));
  defs.append(marker);
  root.append(defs);
  const palette = ["#dbeafe", "#dcfce7", "#fef3c7", "#fce7f3", "#ede9fe", "#e0f2fe"];
  const colour = new Map();
  paths.forEach(([key, p], row) => {
    const g = svg("g", { class: "kg-path", "data-key": key });
    const y = pad + row * rowH + 8;
    g.append(svg("text", { x: 0, y: y - 2, class: "kg-key" }, key));
    const items = p.path || [];
    for (let i = 0; i < items.length; i += 2) {
      const col = i / 2;
      const x = pad + col * colW + 14;
      const label = String(items[i]);
      if (!colour.has(label)) colour.set(label, palette[colour.size % palette.length]);
      const title = svg("title", {}, label);
      const rect = svg("rect", { x, y, rx: 6, width: boxW, height: boxH, fill: colour.get(label), class: "kg-node" });
      rect.append(title);
      g.append(rect);
      const shown = label.length > 22 ? label.slice(0, 21) + "…" : label;
      g.append(svg("text", { x: x + boxW / 2, y: y + boxH / 2 + 4, "text-anchor": "middle", class: "kg-label" }, shown));
      if (i + 2 < items.length) {
        const rel = String(items[i + 1]);
        const inverse = rel.startsWith("inverse of ");
        const x1 = x + boxW, x2 = x + colW;
        g.append(svg("line", { x1: inverse ? x2 : x1, y1: y + boxH / 2, x2: inverse ? x1 : x2, y2: y + boxH / 2, class: "kg-edge", "marker-end": "url(#arrow)" }));
        const relShown = inverse ? rel.slice(11) : rel;
        g.append(svg("text", { x: (x1 + x2) / 2, y: y + boxH / 2 - 6, "text-anchor": "middle", class: "kg-rel" }, relShown.length > 22 ? relShown.slice(0, 21) + "…" : relShown));
      }
    }
    root.append(g);
  });
  host.append(root);
  host.append(el("ul", { class: "kg-text" }, ...paths.map(([k, p]) => el("li", {}, el("b", {}, k + " "), p.text))));
}

// ---------------------------------------------------------------------------------------------
// Curator view
async function loadReview() {
  const status = $("review-status").value;
  const tbody = $("review").querySelector("tbody");
  tbody.replaceChildren(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "loading…")));
  try {
    const data = await api("GET", "/ontology/review?status=" + encodeURIComponent(status));
    const counts = Object.entries(data.counts || {}).map(([k, v]) => `${v} ${k}`).join(" · ");
    $("review-counts").textContent = counts ? `queue: ${counts}` : "";
    tbody.replaceChildren();
    if (!data.items.length) tbody.append(el("tr", {}, el("td", { colspan: 7, class: "muted" }, "nothing " + status)));
    for (const item of data.items) {
      const id = item.id;
      const actions = el("td", { class: "actions" });
      if (item.status === "pending") {
        actions.append(
          el("button", { type: "button", class: "accept", dataset: { id }, onclick: () => decide(id, "accept") }, "Accept"),
          el("button", { type: "button", class: "reject", dataset: { id }, onclick: () => decide(id, "reject") }, "Reject")
        );
      }
      const examples = (item.examples || []).slice(0, 3);
      tbody.append(
        el(
          "tr",
          { id: "review-" + id, dataset: { id } },
          el("td", {}, String(id)),
          el("td", {}, item.kind),
          el(
            "td",
            { class: "proposal" },
            el("div", {}, item.summary),
            item.context ? el("div", { class: "muted small" }, item.context) : null,
            examples.length
              ? el("div", { class: "small" }, "e.g. ", ...examples.flatMap((rid, i) => [i ? ", " : "", el("a", { href: "#ask", onclick: (e) => { e.preventDefault(); location.hash = "#ask"; openReport(rid, ""); } }, rid)]))
              : null
          ),
          el("td", {}, String(item.reports)),
          el("td", {}, item.source || ""),
          el("td", { class: "status-cell" }, item.status + (item.decided_by ? ` (${item.decided_by})` : "")),
          actions
        )
      );
    }
  } catch (e) {
    tbody.replaceChildren(el("tr", {}, el("td", { colspan: 7, class: "error" }, (e.status ? e.status + ": " : "") + e.message)));
  }
}

async function decide(id, action) {
  const status = $("curate-status");
  if (!token()) {
    setStatus(status, "Enter the curator token first.", "error");
    $("token").focus();
    return;
  }
  setStatus(status, `${action === "accept" ? "Accepting" : "Rejecting"} #${id}…`, "busy");
  try {
    const res = await api("POST", `/ontology/review/${encodeURIComponent(id)}/${action}`, { reviewer: "web curator", note: "" });
    const what = action === "accept" ? `accepted: written to ${res.file} as <${res.iri}>` : "rejected";
    setStatus(status, `#${id} ${what}.`, "ok");
    const row = $("review-" + id);
    if (row) {
      row.querySelector(".status-cell").textContent = res.status + (res.decided_by ? ` (${res.decided_by})` : "");
      row.querySelector(".actions").replaceChildren();
    }
  } catch (e) {
    setStatus(status, (e.status ? e.status + ": " : "") + e.message, "error");
  }
}

async function loadAudit() {
  const table = $("audit");
  const tbody = table.querySelector("tbody");
  $("audit-summary").textContent = "";
  tbody.replaceChildren(el("tr", {}, el("td", { class: "muted" }, "computing the audit (embeds every concept label)…")));
  try {
    const a = await api("GET", "/ontology/audit");
    const counts = Object.entries(a.counts || {}).map(([k, v]) => `${v} ${k}`).join(", ");
    $("audit-summary").textContent =
      `${a.concepts} concepts, ${a.pairs} pairs · Spearman ${a.spearman.toFixed(3)} (similarity vs taxonomic distance; ` +
      `strongly negative = aligned) · separated pairs above ${a.threshold}: ${counts || "none"}`;
    const cols = ["label_a", "label_b", "similarity", "distance", "relation"];
    table.querySelector("thead").replaceChildren(el("tr", {}, ...["concept", "concept", "similarity", "hops", "ontology says"].map((c) => el("th", {}, c))));
    tbody.replaceChildren(
      ...a.misaligned.map((p) =>
        el(
          "tr",
          {},
          ...cols.map((c) => {
            if (c === "label_a" || c === "label_b") {
              const iri = c === "label_a" ? p.a : p.b;
              return el("td", {}, el("a", { href: "#curate", title: iri, onclick: (e) => { e.preventDefault(); showConcept(iri); } }, p[c]));
            }
            return el("td", { class: c === "relation" ? "rel-" + p.relation : "" }, typeof p[c] === "number" && !Number.isInteger(p[c]) ? p[c].toFixed(3) : String(p[c]));
          })
        )
      )
    );
    if (!a.misaligned.length) tbody.append(el("tr", {}, el("td", { colspan: 5, class: "muted" }, "no misaligned pairs")));
  } catch (e) {
    tbody.replaceChildren(el("tr", {}, el("td", { class: "error" }, (e.status ? e.status + ": " : "") + e.message)));
  }
}

async function searchConcepts(ev) {
  ev.preventDefault();
  const q = $("concept-q").value.trim();
  const list = $("concepts");
  if (!q) return;
  list.replaceChildren(el("li", { class: "muted" }, "searching…"));
  try {
    const data = await api("GET", "/ontology/concepts?q=" + encodeURIComponent(q));
    list.replaceChildren(
      ...data.hits.map((h) =>
        el("li", {}, el("a", { href: "#curate", class: "concept-link", onclick: (e) => { e.preventDefault(); showConcept(h.iri); } }, h.label), el("span", { class: "muted small" }, ` ${h.matched && h.matched !== h.label ? "(" + h.matched + ") " : ""}${h.score.toFixed(2)}`))
      )
    );
    if (!data.hits.length) list.append(el("li", { class: "muted" }, "no concept matches"));
  } catch (e) {
    list.replaceChildren(el("li", { class: "error" }, e.message));
  }
}

async function showConcept(iri) {
  const box = $("concept-detail");
  box.replaceChildren(el("p", { class: "muted" }, "loading…"));
  try {
    const c = await api("GET", "/ontology/concepts/" + encodeURIComponent(iri));
    const labels = Object.entries(c.labels || {}).map(([lang, ts]) => `${ts.join(", ")}${lang ? " @" + lang : ""}`);
    const alts = Object.entries(c.alt_labels || {}).map(([lang, ts]) => `${ts.join(", ")}${lang ? " @" + lang : ""}`);
    box.replaceChildren(
      el("h3", {}, c.label),
      el("div", { class: "muted small" }, c.iri),
      c.definition ? el("p", {}, c.definition) : null,
      el("dl", {}, el("dt", {}, "labels"), el("dd", {}, labels.join("; ") || "—"), el("dt", {}, "synonyms"), el("dd", {}, alts.join("; ") || "—")),
      el("h4", {}, "Relations"),
      el(
        "ul",
        {},
        ...(c.relations || []).map((r) =>
          el("li", {}, r.direction === "out" ? `${c.label} —${r.label}→ ` : "", el("a", { href: "#curate", onclick: (e) => { e.preventDefault(); showConcept(r.other); } }, r.other_label), r.direction === "in" ? ` —${r.label}→ ${c.label}` : "")
        )
      ),
      el("h4", {}, `Linked reports (${c.linked_total})`),
      el("ul", {}, ...(c.linked_reports || []).map((r) => el("li", {}, el("a", { href: "#ask", onclick: (e) => { e.preventDefault(); location.hash = "#ask"; openReport(r.report_id, ""); } }, r.report_id), ` ${[r.facility, r.date].filter(Boolean).join(" · ")} — ${r.title} ×${r.mentions}`)))
    );
  } catch (e) {
    box.replaceChildren(el("p", { class: "error" }, e.message));
  }
}

// ---------------------------------------------------------------------------------------------
function init() {
  $("ask-form").addEventListener("submit", onAsk);
  $("question").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) $("ask-form").requestSubmit();
  });
  $("report-close").addEventListener("click", () => ($("report").hidden = true));
  $("review-refresh").addEventListener("click", loadReview);
  $("review-status").addEventListener("change", loadReview);
  $("audit-load").addEventListener("click", loadAudit);
  $("concept-form").addEventListener("submit", searchConcepts);
  window.addEventListener("hashchange", showView);
  showView();
  loadHealth();
}

document.addEventListener("DOMContentLoaded", init);
