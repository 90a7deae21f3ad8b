// The Library's document rows, as the scripts keep them up to date: a row copied from the page's
// <template> for a document uploaded here, a document's state shown on its row and its upload line,
// the documents count read again from GET /api/v1/usage. Text goes in with textContent only.
import { apiFetch } from "./api.js";
import { pageData, t, whatToDo } from "./page.js";

const data = pageData();
const list = document.getElementById("documents");
const empty = document.getElementById("documents-empty");
const rowTemplate = document.getElementById("document-row-template");

export function field(root, name) {
  return root.querySelector(`[data-field="${name}"]`);
}

function humanSize(size) {
  const units = ["size_bytes", "size_kb", "size_mb", "size_gb"];
  let value = size;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let number = unit === 0 || value >= 100 ? value.toFixed(0) : value.toFixed(1);
  if (data.lang === "ru") {
    number = number.replace(".", ",");
  }
  return t(units[unit], { n: number });
}

// ---- documents list ----

export function rowsFor(id) {
  return document.querySelectorAll(`[data-document-id="${CSS.escape(id)}"]`);
}

export function addRow(doc, bindDelete) {
  if (list.querySelector(`li.document[data-document-id="${CSS.escape(doc.id)}"]`)) {
    return;
  }
  const row = rowTemplate.content.firstElementChild.cloneNode(true);
  row.dataset.documentId = doc.id;
  const name = field(row, "filename");
  name.textContent = doc.filename;
  name.href = `/documents/${encodeURIComponent(doc.id)}`;
  field(row, "kind_label").textContent = t(`kind_${doc.kind}`);
  field(row, "size").textContent = humanSize(doc.size);
  const created = field(row, "created");
  created.dateTime = doc.created_at;
  created.textContent = doc.created_at.slice(0, 16).replace("T", " ");
  field(row, "ask").href = `/ask?document=${encodeURIComponent(doc.id)}`;
  field(row, "ask_name").textContent = ` ${doc.filename}`;
  field(row, "delete").href = `/documents/${encodeURIComponent(doc.id)}/delete`;
  field(row, "delete_name").textContent = ` ${doc.filename}`;
  field(row, "progress").setAttribute("aria-label", doc.filename);
  bindDelete(field(row, "delete"));
  list.prepend(row);
  empty.hidden = true;
  showState(doc.id, { status: doc.status, done: doc.progress.done, total: doc.progress.total });
}

// Show a document's state on its row and its upload line (whichever are on the page).
export function showState(id, { status, done = 0, total = 0, code = null, message = null }) {
  for (const element of rowsFor(id)) {
    element.dataset.status = status;
    const label = field(element, "status_label");
    if (label) {
      label.className = `status status-${status}`;
      label.textContent = status === "processing" && total > 0
        ? t("js_processing", { done, total }) : t(`status_${status}`);
    }
    const bar = field(element, "progress");
    if (bar) {
      bar.hidden = status !== "processing";
      bar.max = Math.max(total, 1);
      bar.value = Math.min(done, Math.max(total, 1));
    }
    const ask = field(element, "ask");
    if (ask) {
      ask.hidden = status !== "completed";
    }
    const error = field(element, "error");
    if (error) {
      error.hidden = status !== "failed";
      if (status === "failed") {
        field(error, "error_message").textContent = message || "";
        field(error, "what_to_do").textContent = whatToDo(code || "processing_error");
      }
    }
  }
}

export async function refreshCount() {
  const response = await apiFetch(data.usageUrl);
  if (!response.ok) {
    return;
  }
  const usage = await response.json();
  const { used, allowed } = usage.documents;
  document.getElementById("quota").textContent = allowed === null
    ? t("documents_used_unlimited", { used }) : t("documents_used", { used, allowed });
}
