// The Library's live parts: drag-and-drop (or the file button) uploads with a byte progress bar
// each, the password prompt for protected files, processing progress and Ready/failed pushed over
// the WebSocket, delete with a confirmation dialog. Every text set here goes through textContent
// (never innerHTML), so a filename is always text. Rules (quotas, what counts) stay on the server:
// the documents count is read again from GET /api/v1/usage when a document changes.
import { apiFetch, problemOf } from "./api.js";
import { connectEvents } from "./events.js";
import { addRow, field, refreshCount, rowsFor, showState } from "./library_rows.js";
import { pageData, t, whatToDo } from "./page.js";
import { uploadFile } from "./upload.js";

const data = pageData();
const list = document.getElementById("documents");
const empty = document.getElementById("documents-empty");
const uploads = document.getElementById("uploads");
// the files uploaded from this page, by document id: a protected one that fails for want of its
// password is sent again with it, from here
const sentFiles = new Map();

// ---- uploads ----

function uploadLine(file) {
  const line = document.createElement("li");
  line.className = "upload";
  const name = document.createElement("span");
  name.className = "upload-name";
  name.textContent = file.name;
  const label = document.createElement("span");
  label.dataset.field = "status_label";
  label.className = "status status-pending";
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", file.name);
  const error = document.createElement("p");
  error.className = "error-message";
  error.dataset.field = "upload_error";
  error.hidden = true;
  line.append(name, label, bar, error);
  uploads.append(line);
  return { line, label, bar, error };
}

function showUploadError(parts, problem) {
  parts.label.className = "status status-failed";
  parts.label.textContent = t("js_upload_failed");
  parts.error.hidden = false;
  parts.error.textContent = [problem.detail, whatToDo(problem.code)].filter(Boolean).join(" ");
}

async function send(file, parts, password = null) {
  parts.label.textContent = t("js_uploading", { percent: 0 });
  let answer;
  try {
    answer = await uploadFile(file, {
      url: data.uploadUrl,
      password,
      onProgress(loaded, total) {
        const percent = Math.floor((loaded / total) * 100);
        parts.bar.value = percent;
        parts.label.textContent = t("js_uploading", { percent });
      },
    });
  } catch (error) {
    showUploadError(parts, { code: "network", detail: t("js_network_error") });
    return;
  }
  if (answer.status === 202) {
    const doc = JSON.parse(answer.text);
    parts.bar.value = 100;
    parts.error.hidden = true;
    const replaced = parts.line.dataset.documentId;
    if (replaced && replaced !== doc.id) {
      // the same bytes failed before (without their password): the server put this upload in its place
      for (const element of rowsFor(replaced)) {
        if (element !== parts.line) {
          element.remove();
        }
      }
      sentFiles.delete(replaced);
    }
    parts.line.dataset.documentId = doc.id;
    sentFiles.set(doc.id, { file, parts });
    addRow(doc, bindDelete);
    if (doc.duplicate) {
      parts.label.textContent = t("js_duplicate");
      parts.label.dataset.field = "";
    } else {
      showState(doc.id, { status: doc.status, done: doc.progress.done, total: doc.progress.total });
      if (doc.status === "pending") {
        parts.label.textContent = t("js_uploaded");
      }
      refreshCount();
    }
    return;
  }
  const problem = problemOf(answer.status, answer.text);
  if (problem.code === "password_required") {
    const again = await askPassword(file.name, password !== null);
    if (again !== null) {
      await send(file, parts, again);
      return;
    }
  }
  showUploadError(parts, problem);
}

function sendAll(files) {
  for (const file of files) {
    send(file, uploadLine(file));
  }
}

// The password dialog: resolves with the password, or null when cancelled.
function askPassword(name, wrongBefore) {
  const dialog = document.getElementById("password-dialog");
  const input = document.getElementById("file-password");
  document.getElementById("password-dialog-text").textContent =
    t(wrongBefore ? "js_password_wrong" : "js_password_text", { name });
  input.value = "";
  return new Promise((resolve) => {
    const cancel = document.getElementById("password-cancel");
    const onCancel = () => dialog.close("cancel");
    cancel.addEventListener("click", onCancel, { once: true });
    dialog.addEventListener("close", () => {
      cancel.removeEventListener("click", onCancel);
      const value = input.value;
      input.value = "";
      resolve(dialog.returnValue === "send" && value ? value : null);
    }, { once: true });
    dialog.returnValue = "";
    dialog.showModal();
    input.focus();
  });
}

function bindDropzone() {
  const zone = document.getElementById("dropzone");
  const input = document.getElementById("file-input");
  input.addEventListener("change", () => {
    sendAll(Array.from(input.files));
    input.value = "";
  });
  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  }
  for (const name of ["dragleave", "drop"]) {
    zone.addEventListener(name, () => zone.classList.remove("dragging"));
  }
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    sendAll(Array.from(event.dataTransfer.files));
  });
  // a file dropped beside the zone must not make the browser navigate away to it
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
}

// ---- delete ----

function bindDelete(link) {
  link.addEventListener("click", async (event) => {
    event.preventDefault();
    const row = link.closest("li.document");
    const id = row.dataset.documentId;
    const dialog = document.getElementById("delete-dialog");
    document.getElementById("delete-dialog-text").textContent =
      t("delete_confirm", { name: field(row, "filename").textContent });
    dialog.returnValue = "";
    dialog.showModal();
    dialog.addEventListener("close", async () => {
      if (dialog.returnValue !== "delete") {
        link.focus();
        return;
      }
      const response = await apiFetch(`/api/v1/documents/${encodeURIComponent(id)}`, { method: "DELETE" });
      if (response.status === 204 || response.status === 404) {
        for (const element of rowsFor(id)) {
          element.remove();
        }
        empty.hidden = list.children.length > 0;
        document.getElementById("documents-heading").focus();
        refreshCount();
      } else {
        const problem = problemOf(response.status, await response.text());
        liveState(`${t("js_delete_failed")} ${problem.detail} ${whatToDo(problem.code)}`);
      }
    }, { once: true });
  });
}

// ---- live events ----

function liveState(text) {
  document.getElementById("live-state").textContent = text;
}

function onEvent(event) {
  const id = event.document_id;
  if (event.type === "document.progress") {
    showState(id, { status: event.status, done: event.progress_done, total: event.progress_total });
  } else if (event.type === "document.completed") {
    showState(id, { status: "completed" });
    sentFiles.delete(id);
  } else if (event.type === "document.failed") {
    const error = event.error || {};
    const code = event.error_code || error.code;
    showState(id, { status: "failed", code, message: event.error_message || error.message });
    refreshCount();
    const sent = sentFiles.get(id);
    if (code === "password_required" && sent) {
      askPassword(sent.file.name, false).then((password) => {
        if (password !== null) {
          send(sent.file, sent.parts, password);
        }
      });
    }
  }
}

document.getElementById("documents-heading").tabIndex = -1;
bindDropzone();
document.querySelectorAll(".delete-link").forEach(bindDelete);
connectEvents({
  url: data.eventsUrl,
  onEvent,
  onState(online) {
    liveState(online ? t("js_live_online") : t("js_live_offline"));
  },
});
