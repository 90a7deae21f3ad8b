// The History page: the first page of threads is rendered by the server; "More" reads the next
// page from GET /api/v1/threads?cursor= and fills a copy of the page's row <template> for each
// thread (titles go in with textContent); rename (PATCH) and delete (DELETE, after a confirm)
// call the same API with the CSRF header (api.js). Strings come from the page's JSON block.

import { apiFetch } from "./api.js";
import { pageData, t } from "./page.js";
import { problemMessage, readProblem } from "./problems.js";

const data = pageData();
const list = document.getElementById("thread-list");
const rowTemplate = document.getElementById("thread-row");
const more = document.getElementById("history-more");
const notice = document.getElementById("history-notice");
const empty = document.getElementById("history-empty");
let loading = false;

function say(message) {
  notice.textContent = message;
  notice.hidden = !message;
}

async function call(method, url, body) {
  const response = await apiFetch(url, {
    method, headers: { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw await readProblem(response);
  return response.status === 204 ? null : response.json();
}

function failed(problem) {
  say(problem && problem.status ? problemMessage(problem) : t("js_problem_network"));
}

/** A row for `thread` (the API's ThreadOut) from the page's template. */
function row(thread) {
  const item = rowTemplate.content.firstElementChild.cloneNode(true);
  item.dataset.threadId = thread.id;
  const title = item.querySelector(".thread-title");
  title.textContent = thread.title || t("js_untitled");
  title.href = `/history/${encodeURIComponent(thread.id)}`;
  item.querySelector(".thread-scope").textContent = t(`js_scope_${thread.scope}`);
  const time = item.querySelector("time");
  time.dateTime = thread.updated_at;
  time.textContent = `${thread.updated_at.slice(0, 16).replace("T", " ")} UTC`; // as the server writes it
  item.querySelector(".thread-continue").href = `/ask?thread=${encodeURIComponent(thread.id)}`;
  for (const link of item.querySelectorAll("a[data-format]")) {
    link.href = `/api/v1/threads/${encodeURIComponent(thread.id)}/export?format=${link.dataset.format}`;
  }
  return item;
}

async function loadMore() {
  if (loading) return;
  loading = true;
  const cursor = more.dataset.cursor;
  more.setAttribute("aria-busy", "true");
  try {
    const page = await call("GET", `/api/v1/threads?limit=${data.page_size}&cursor=${encodeURIComponent(cursor)}`);
    const rows = page.items.map(row);
    list.append(...rows);
    if (rows.length) rows[0].querySelector(".thread-title").focus();
    if (page.next_cursor) {
      more.dataset.cursor = page.next_cursor;
      more.href = `/history?cursor=${encodeURIComponent(page.next_cursor)}`;
    } else {
      more.hidden = true;
    }
  } catch (problem) {
    failed(problem);
  } finally {
    loading = false;
    more.removeAttribute("aria-busy");
  }
}

function startRename(item) {
  const form = item.querySelector(".rename-form");
  const input = form.querySelector("input[name=title]");
  input.value = item.querySelector(".thread-title").textContent;
  form.hidden = false;
  input.focus();
  input.select();
}

async function rename(item, form) {
  const title = form.querySelector("input[name=title]").value.trim();
  if (!title) return;
  try {
    const thread = await call("PATCH", `/api/v1/threads/${encodeURIComponent(item.dataset.threadId)}`, { title });
    item.querySelector(".thread-title").textContent = thread.title;
    form.hidden = true;
    say(t("js_thread_renamed", { title: thread.title }));
    item.querySelector(".rename").focus();
  } catch (problem) {
    failed(problem);
  }
}

async function remove(item) {
  const title = item.querySelector(".thread-title").textContent;
  if (!window.confirm(t("js_confirm_delete", { title }))) return;
  try {
    await call("DELETE", `/api/v1/threads/${encodeURIComponent(item.dataset.threadId)}`);
    const next = item.nextElementSibling || item.previousElementSibling;
    item.remove();
    say(t("js_thread_deleted", { title }));
    if (next) next.querySelector(".thread-title").focus();
    if (!list.children.length && (!more || more.hidden)) empty.hidden = false;
  } catch (problem) {
    failed(problem);
  }
}

list.addEventListener("click", (event) => {
  const item = event.target.closest(".thread-row");
  if (!item) return;
  if (event.target.closest(".rename")) startRename(item);
  else if (event.target.closest(".delete")) remove(item);
  else if (event.target.closest(".rename-cancel")) {
    item.querySelector(".rename-form").hidden = true;
    item.querySelector(".rename").focus();
  }
});

list.addEventListener("submit", (event) => {
  const item = event.target.closest(".thread-row");
  if (!item) return;
  event.preventDefault();
  rename(item, event.target);
});

list.addEventListener("keydown", (event) => {
  const form = event.target.closest(".rename-form");
  if (form && event.key === "Escape") {
    form.hidden = true;
    form.closest(".thread-row").querySelector(".rename").focus();
  }
});

// "More" is a link to the next page (it works without scripts); here it appends that page instead
if (more) {
  more.addEventListener("click", (event) => {
    event.preventDefault();
    loadMore();
  });
}
