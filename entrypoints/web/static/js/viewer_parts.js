// The citation viewer's drawings of non-page originals (static/js/viewer.js shows them): a sheet
// range as a table with the cited cells marked, a Word section with the quoted passage in <mark>,
// text lines with the cited ones marked, a recording's player starting at the cited second. All
// document text goes in with textContent (or as text nodes), never as markup.

import { t } from "./page.js";

/** A new element with a class and its text (as text, never markup). */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function clock(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(total / 3600);
  const minutes = String(Math.floor((total % 3600) / 60)).padStart(hours ? 2 : 1, "0");
  const rest = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${minutes}:${rest}` : `${minutes}:${rest}`;
}

export function renderSheet(shown, body) {
  const table = element("table", "viewer-sheet");
  table.append(element("caption", null, t("js_viewer_sheet", { sheet: shown.sheet, cells: shown.cells })));
  const head = element("thead");
  const letters = element("tr");
  letters.append(element("th", "viewer-corner"));
  for (const column of shown.columns) {
    const th = element("th", null, column);
    th.scope = "col";
    letters.append(th);
  }
  head.append(letters);
  const rows = element("tbody");
  for (const row of shown.rows) {
    const tr = element("tr", row.header ? "viewer-header-row" : null);
    const number = element("th", "viewer-row-number", row.number);
    number.scope = "row";
    tr.append(number);
    for (const cell of row.cells) {
      const td = element("td", cell.cited ? "cited" : null);
      if (cell.cited) td.append(element("mark", null, cell.value));
      else td.textContent = cell.value;
      td.dataset.cell = `${cell.column}${row.number}`;
      tr.append(td);
    }
    rows.append(tr);
  }
  table.append(head, rows);
  const scroller = element("div", "viewer-scroll");
  scroller.append(table);
  body.append(scroller);
  if (shown.truncated) body.append(element("p", "viewer-note", t("js_viewer_truncated")));
}

/** `text` as nodes, the parts of `marks` ([start, end) offsets from `offset` on) in <mark>. */
function marked(text, marks, offset = 0) {
  const nodes = [];
  let at = 0;
  for (const [start, end] of marks) {
    const from = Math.max(at, start - offset);
    const to = Math.min(text.length, end - offset);
    if (to <= from) continue;
    if (from > at) nodes.push(document.createTextNode(text.slice(at, from)));
    nodes.push(element("mark", null, text.slice(from, to)));
    at = to;
  }
  if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
  return nodes;
}

export function renderSection(shown, body) {
  const article = element("article", "viewer-section");
  const first = shown.blocks[0];
  const titled = first && first.kind === "heading" && first.text === shown.section;
  if (shown.section && !titled) article.append(element("p", "viewer-section-title", shown.section));
  for (const block of shown.blocks) {
    let node;
    if (block.kind === "table") {
      node = element("table", "viewer-docx-table");
      let offset = 0;
      for (const row of block.rows) {
        const tr = element("tr");
        for (const cell of row) {
          const td = element("td");
          td.append(...marked(cell, block.marks, offset));
          tr.append(td);
          offset += cell.length + 1; // the tab or line end after it
        }
        node.append(tr);
      }
    } else {
      node = element("p", block.kind === "heading" ? `viewer-heading viewer-level-${block.level ?? 1}` : null);
      node.append(...marked(block.text, block.marks));
    }
    if (block.cited) node.classList.add("cited");
    article.append(node);
  }
  body.append(article);
  if (shown.truncated) body.append(element("p", "viewer-note", t("js_viewer_section_truncated")));
}

export function renderLines(shown, body) {
  const list = element("ol", "viewer-lines");
  for (const line of shown.lines) {
    const item = element("li", line.cited ? "cited" : null);
    item.value = line.number;
    if (line.cited) item.append(element("mark", null, line.text));
    else item.textContent = line.text;
    list.append(item);
  }
  body.append(list);
}

export function renderMedia(shown, body) {
  const audio = element("audio", "viewer-audio");
  audio.controls = true;
  audio.preload = "metadata";
  audio.src = `${shown.media_url}#t=${shown.start_seconds}`;
  audio.addEventListener("loadedmetadata", () => {
    if (Math.abs(audio.currentTime - shown.start_seconds) > 0.5) audio.currentTime = shown.start_seconds;
  }, { once: true });
  const when = shown.end_seconds == null ? t("js_viewer_media_from", { start: clock(shown.start_seconds) })
    : t("js_viewer_media", { start: clock(shown.start_seconds), end: clock(shown.end_seconds) });
  audio.setAttribute("aria-label", when);
  body.append(element("p", "viewer-caption", when), audio);
}
