// The behaviour of cyberkg's interactive network page (kg/draw/page.py): filters,
// search, node colours and the side panel. It runs as the body of a Bokeh CustomJS
// callback; `action` says why it runs ("update" when a control changes, "panel" when
// a node or an edge is tapped). Every text from the graph goes through esc() before it
// is written into HTML.

const esc = (text) => String(text).replace(/[&<>"']/g, (c) => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"})[c]);
const N = nodes.data, E = edges.data, V = evidence.data;
const nodeCount = N.id.length, edgeCount = E.source.length, rowCount = V.holder.length;
const has = (name) => controls[name] !== undefined;

// Which rows of evidence (statements, votes, treaty actions) pass the filters.
const stances = has("stance") ? new Set(controls.stance.value) : null;
const bases = has("basis") ? new Set(controls.basis.value) : null;
const occasion = has("occasion") ? controls.occasion.value : "";
const passes = new Array(rowCount);
for (let r = 0; r < rowCount; r++) {
  passes[r] = (!stances || stances.has(V.stance[r])) && (!bases || bases.has(V.basis[r])) &&
              (occasion === "" || V.occasion[r] === occasion);
}

function edgeShown(e) {
  if (rowCount > 0) return E.rows[e].some((r) => passes[r]);
  return !has("threshold") || E.weight[e] >= controls.threshold.value;
}

function rowHtml(r) {
  const when = [V.date[r], V.occasion[r]].filter((x) => x).map(esc).join(", ");
  let html = `<li><b>${esc(V.act[r])}</b>: ${esc(V.stance[r])}${when ? " (" + when + ")" : ""}`;
  if (V.quote[r]) html += `<blockquote>${esc(V.quote[r])}</blockquote>`;
  html += `<div class="source">${esc(V.sourceLabel[r] || "")}<br><code>${esc(V.source[r])}</code></div></li>`;
  return html;
}

function edgePanel(e) {
  let html = `<h3>${esc(E.source_label[e])} &#8212; ${esc(E.target_label[e])}</h3><p>${esc(E.summary[e])}</p>`;
  if (rowCount > 0) {
    const shown = E.rows[e].filter((r) => passes[r]);
    const limit = 40;
    html += `<p>${shown.length} of ${E.rows[e].length} statements, votes and acts pass the filters:</p><ol>`;
    html += shown.slice(0, limit).map(rowHtml).join("");
    html += "</ol>";
    if (shown.length > limit) html += `<p>and ${shown.length - limit} more (see the CSV export).</p>`;
  }
  return html;
}

function nodePanel(n) {
  let html = `<h3>${esc(N.label[n])}</h3><p>${esc(N.summary[n])}</p><code>${esc(N.id[n])}</code>`;
  const links = [];
  for (let e = 0; e < edgeCount; e++) {
    if (!edgeShown(e)) continue;
    if (E.source[e] === N.id[n]) links.push(`<li>${esc(E.target_label[e])}: ${esc(E.summary[e])}</li>`);
    else if (E.target[e] === N.id[n]) links.push(`<li>${esc(E.source_label[e])}: ${esc(E.summary[e])}</li>`);
  }
  html += `<p>${links.length} links shown:</p><ul>${links.slice(0, 60).join("")}</ul>`;
  return html;
}

function showPanel() {
  const n = nodes.selected.indices, e = edges.selected.indices;
  if (n.length > 0) panel.text = nodePanel(n[0]);
  else if (e.length > 0) panel.text = edgePanel(e[0]);
  else panel.text = help;
}

if (action === "panel") {
  showPanel();
} else {
  // Edges and nodes to show.
  const edgeIndices = [], degree = new Map();
  for (let e = 0; e < edgeCount; e++) {
    if (!edgeShown(e)) continue;
    edgeIndices.push(e);
    degree.set(E.source[e], (degree.get(E.source[e]) || 0) + 1);
    degree.set(E.target[e], (degree.get(E.target[e]) || 0) + 1);
  }
  const narrowed = edgeIndices.length < edgeCount;
  const nodeIndices = [];
  for (let n = 0; n < nodeCount; n++) {
    if (degree.has(N.id[n]) || (!narrowed && N.degree[n] === 0)) nodeIndices.push(n);
  }

  // Node colours: by kind, community, regional group, or by the net stance of the rows shown.
  const mode = controls.colour.value;
  if (mode === "stance") {
    const net = new Map();
    for (let r = 0; r < rowCount; r++) {
      if (passes[r]) net.set(V.holder[r], (net.get(V.holder[r]) || 0) + V.polarity[r]);
    }
    N.fill = N.id.map((id, n) => N.mode[n] !== "actor" ? N.colour_kind[n] :
      stanceColours[String(Math.sign(net.get(id) || 0))]);
  } else {
    N.fill = N["colour_" + mode].slice();
  }
  key.text = legends[mode];

  // Search: outline the nodes whose label holds the text, and bring them into view.
  const query = controls.search.value_input.trim().toLowerCase();
  const matches = query ? nodeIndices.filter((n) => N.label[n].toLowerCase().includes(query)) : [];
  N.line_width = N.base_line_width.map((w, n) => matches.includes(n) ? 3.5 : w);
  N.line_colour = N.base_line_colour.map((c, n) => matches.includes(n) ? "#111111" : c);

  node_filter.indices = nodeIndices;
  edge_filter.indices = edgeIndices;
  nodes.change.emit();
  edges.change.emit();

  // The view: zoomed on a search's matches (their bounding box, never closer than a third
  // of the nodes shown, so their neighbours stay in view), else fitted to the nodes shown.
  const span = (values) => values.length ? Math.max(...values) - Math.min(...values) : 0;
  const mid = (values) => values.length ? (Math.max(...values) + Math.min(...values)) / 2 : 0;
  const shownX = nodeIndices.map((n) => N.x[n]), shownY = nodeIndices.map((n) => N.y[n]);
  const focus = matches.length > 0 ? matches : nodeIndices;
  const fx = focus.map((n) => N.x[n]), fy = focus.map((n) => N.y[n]);
  const least = matches.length > 0 ? 3 : 1;
  const wx = 1.25 * Math.max(span(fx), span(shownX) / least, 0.2);
  const wy = 1.15 * Math.max(span(fy), span(shownY) / least, 0.2);
  const cx = mid(fx) + 0.04 * wx;  // captions run to the right of their nodes
  plot.x_range.setv({start: cx - wx / 2, end: cx + wx / 2});
  plot.y_range.setv({start: mid(fy) - wy / 2, end: mid(fy) + wy / 2});

  let text = `Showing ${nodeIndices.length} of ${nodeCount} nodes and ${edgeIndices.length} of ${edgeCount} edges.`;
  if (query) {
    text += ` ${matches.length} node${matches.length === 1 ? "" : "s"} match \u201c${esc(query)}\u201d.`;
    const shown = new Set(nodeIndices);
    const hidden = N.label.filter((label, n) => !shown.has(n) && label.toLowerCase().includes(query)).length;
    if (hidden > 0) text += ` ${hidden} more ${hidden === 1 ? "is" : "are"} hidden by the filters${has("basis") ? " (Basis adds votes and treaty actions)" : ""}.`;
  }
  status.text = `<p class="status" data-nodes="${nodeIndices.length}" data-edges="${edgeIndices.length}" data-matches="${matches.length}">${text}</p>`;
  if (matches.length === 1) panel.text = nodePanel(matches[0]);
  else showPanel();
}
