// The citation viewer: `showCitation(panel, citation)` shows a citation (the CitationOut JSON of an
// answer) where it stands in its original, inside `panel`: a PDF page as an image with a box over
// each line of the quoted words, a sheet range as a table with the cited cells marked, a Word
// section with the passage in <mark>, text lines with the cited ones marked, or an audio player
// starting at the cited moment. Where it points comes from the server (GET .../chunks/{n}/view):
// the script only draws it (pages here, the other kinds in viewer_parts.js). Every text from a
// document goes in with textContent, never innerHTML;
// styles are CSS classes (viewer.css), and element.style is set only for the boxes' positions.
// The panel is focusable and Escape (or the Close button) closes it, giving focus back.

import { apiFetch } from "./api.js";
import { t } from "./page.js";
import { problemMessage, readProblem } from "./problems.js";
import { element, renderLines, renderMedia, renderSection, renderSheet } from "./viewer_parts.js";

const IMAGE_STEP = 200; // page image widths are asked for in steps, so the browser's cache serves again
const MIN_WIDTH = 64;
const MAX_WIDTH = 2400;
const ZOOM = 2; // the zoomed page is this many times the panel's width
const opened = new WeakMap(); // panel -> {serial, opener}

function ensureStyles() {
  if (document.getElementById("viewer-css")) return;
  const link = document.createElement("link");
  link.id = "viewer-css";
  link.rel = "stylesheet";
  link.href = new URL("../css/viewer.css", import.meta.url).href;
  document.head.append(link);
}

/** The panel's state; the first time, its keyboard handling (Escape closes). */
function stateOf(panel) {
  let state = opened.get(panel);
  if (!state) {
    state = { serial: 0, opener: null };
    opened.set(panel, state);
    if (!panel.hasAttribute("tabindex")) panel.tabIndex = -1;
    panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closeViewer(panel);
      }
    });
  }
  return state;
}

/** Hide the panel and give focus back to what opened it. */
export function closeViewer(panel) {
  const state = stateOf(panel);
  state.serial += 1; // a view still loading is not shown
  panel.hidden = true;
  panel.replaceChildren();
  if (state.opener && state.opener.isConnected) state.opener.focus();
}

function header(panel, citation) {
  const head = element("div", "viewer-head");
  const title = element("h2", "viewer-title", `[${citation.number}] ${citation.label || ""}`.trim());
  title.id = `viewer-title-${citation.number}`;
  panel.setAttribute("aria-labelledby", title.id);
  const close = element("button", "viewer-close", t("js_viewer_close"));
  close.type = "button";
  close.addEventListener("click", () => closeViewer(panel));
  head.append(title, close);
  return head;
}

function quoteBlock(citation) {
  return citation.quote ? element("blockquote", "viewer-quote", citation.quote) : null;
}

/** Show `citation` in `panel`; resolves with the view (null when it could not be shown). */
export async function showCitation(panel, citation) {
  ensureStyles();
  const state = stateOf(panel);
  const serial = ++state.serial;
  const active = document.activeElement;
  if (active && active !== document.body && !panel.contains(active)) state.opener = active; // the chip clicked
  panel.classList.add("viewer");
  const status = element("p", "viewer-status", t("js_viewer_loading"));
  status.setAttribute("role", "status");
  const body = element("div", "viewer-body");
  panel.replaceChildren(header(panel, citation), ...[quoteBlock(citation)].filter(Boolean), status, body);
  panel.hidden = false;
  panel.focus({ preventScroll: true });
  const url = `/api/v1/documents/${encodeURIComponent(citation.document_id)}/chunks/`
    + `${encodeURIComponent(citation.chunk_ordinal)}/view?quote=${encodeURIComponent(citation.quote || "")}`;
  let response;
  try {
    response = await apiFetch(url);
  } catch {
    if (serial === state.serial) status.textContent = t("js_problem_network");
    return null;
  }
  if (serial !== state.serial) return null; // another citation was opened meanwhile
  if (!response.ok) {
    status.textContent = `${t("js_viewer_failed")} ${problemMessage(await readProblem(response))}`;
    return null;
  }
  const view = await response.json();
  if (serial !== state.serial) return null;
  status.textContent = "";
  status.hidden = true;
  const drawn = render(view, body);
  panel.dataset.viewType = view.view.type;
  if (drawn) drawn.then(() => scrollToFirst(body));
  else scrollToFirst(body);
  return view;
}

function render(view, body) {
  const shown = view.view;
  if (shown.type === "pages") return renderPages(view, shown, body);
  if (shown.type === "sheet") renderSheet(shown, body);
  else if (shown.type === "section") renderSection(shown, body);
  else if (shown.type === "lines") renderLines(shown, body);
  else if (shown.type === "media") renderMedia(shown, body);
  return null;
}

function scrollToFirst(body) {
  const first = body.querySelector(".viewer-box, mark, .cited");
  if (first) first.scrollIntoView({ block: "center", inline: "nearest" });
}

function renderPages(view, shown, body) {
  if (view.kind === "image") body.append(element("p", "viewer-note", t("js_viewer_ocr")));
  else if (view.quote && !shown.pages.some((page) => page.found)) {
    body.append(element("p", "viewer-note", t("js_viewer_not_found")));
  }
  const ratio = window.devicePixelRatio || 1;
  const widthFor = (scale) => Math.min(MAX_WIDTH, Math.max(MIN_WIDTH,
    Math.ceil(((body.clientWidth || 600) * ratio * scale) / IMAGE_STEP) * IMAGE_STEP));
  const width = widthFor(1);
  const pages = element("div", "viewer-pages");
  const zoom = element("button", "viewer-zoom", t("js_viewer_zoom_in"));
  zoom.type = "button";
  zoom.setAttribute("aria-pressed", "false");
  zoom.addEventListener("click", () => {
    const zoomed = pages.classList.toggle("zoomed");
    zoom.setAttribute("aria-pressed", String(zoomed));
    zoom.textContent = t(zoomed ? "js_viewer_zoom_out" : "js_viewer_zoom_in");
    for (const image of pages.querySelectorAll(".viewer-image")) {
      if (zoomed && !image.dataset.large) { // drawn again at the zoomed width, once
        image.dataset.large = "1";
        image.src = `${image.dataset.url}?width=${widthFor(ZOOM)}`;
      }
    }
    scrollToFirst(pages);
  });
  body.append(zoom, pages);
  const loads = shown.pages.map((page) => {
    const figure = element("figure", "viewer-page");
    const frame = element("div", "viewer-frame");
    const image = element("img", "viewer-image");
    image.alt = t("js_viewer_page_image", { page: page.page, count: shown.page_count });
    image.width = width;
    image.height = Math.round((width * page.height) / page.width);
    const loaded = new Promise((resolve) => {
      image.addEventListener("load", resolve, { once: true });
      image.addEventListener("error", resolve, { once: true });
    });
    image.dataset.url = page.image_url;
    image.src = `${page.image_url}?width=${width}`;
    frame.append(image);
    for (const box of page.boxes) {
      const mark = element("div", "viewer-box");
      mark.setAttribute("aria-hidden", "true");
      // positions only, as parts of the page: the boxes scale with the image
      mark.style.left = `${box.x0 * 100}%`;
      mark.style.top = `${box.y0 * 100}%`;
      mark.style.width = `${(box.x1 - box.x0) * 100}%`;
      mark.style.height = `${(box.y1 - box.y0) * 100}%`;
      frame.append(mark);
    }
    figure.append(frame, element("figcaption", "viewer-caption",
      t("js_viewer_page", { page: page.page, count: shown.page_count })));
    pages.append(figure);
    return loaded;
  });
  return Promise.all(loads);
}
