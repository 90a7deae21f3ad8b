// The Ask page: the first question starts a thread over the chosen scope (one document, several,
// or the whole library: POST /api/v1/threads), every question is asked in it with the answer
// streamed (POST /api/v1/threads/{id}/messages?stream=true, Server-Sent Events read from the
// fetch body), so a follow-up continues the conversation. "New conversation" is a link to the
// bare page. The page's data (the thread and its turns, document names) and strings come from
// the page's JSON block; no rule of the product lives here, only what to show.

import { apiFetch } from "./api.js";
import { addTurn, showAnswer, showFailure, showStreaming } from "./answer_view.js";
import { pageData, t } from "./page.js";
import { problemMessage, readProblem } from "./problems.js";
import { readEvents } from "./sse.js";

const data = pageData();
const form = document.getElementById("ask-form");
const question = document.getElementById("question");
const submit = document.getElementById("ask-submit");
const scope = document.getElementById("ask-scope"); // absent when continuing a thread
const notice = document.getElementById("ask-notice");
const conversation = document.getElementById("conversation");
const panel = document.getElementById("citation-panel");
let threadId = data.thread ? data.thread.id : null;
let busy = false;
let activeChip = null;

function say(message) {
  notice.textContent = message;
  notice.hidden = !message;
}

async function openCitation(citation, button) {
  if (activeChip) activeChip.removeAttribute("aria-current");
  activeChip = button;
  button.setAttribute("aria-current", "true");
  panel.hidden = false;
  try {
    const { showCitation } = await import("./viewer.js");
    await showCitation(panel, citation);
  } catch {
    // the viewer could not show it: the quoted passage, as text, is still worth showing
    const heading = document.createElement("h2");
    heading.textContent = `[${citation.number}] ${citation.label}`;
    const quote = document.createElement("blockquote");
    quote.textContent = citation.quote;
    panel.replaceChildren(heading, quote);
  }
}

const view = { documentNames: data.documents || {}, onCite: openCitation };

/** The chosen scope as the body of POST /api/v1/threads, or null (with a notice) when none is. */
function chosenScope() {
  if (scope.querySelector('input[name="scope"][value="library"]').checked) return { whole_library: true };
  const ids = [...scope.querySelectorAll('input[name="document"]:checked')].map((box) => box.value);
  if (!ids.length) {
    say(t("js_choose_documents"));
    return null;
  }
  return { document_ids: ids };
}

async function startThread(body) {
  const response = await apiFetch("/api/v1/threads", {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  if (!response.ok) {
    say(problemMessage(await readProblem(response)));
    return null;
  }
  const thread = await response.json();
  scope.disabled = true; // a thread keeps its scope: "New conversation" chooses another
  window.history.replaceState(null, "", `/ask?thread=${encodeURIComponent(thread.id)}`);
  return thread.id;
}

async function ask(text) {
  const turn = addTurn(conversation, text);
  turn.root.scrollIntoView({ block: "nearest" });
  let response;
  try {
    response = await apiFetch(`/api/v1/threads/${encodeURIComponent(threadId)}/messages?stream=true`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ question: text }),
    });
  } catch {
    showFailure(turn, t("js_problem_network"));
    return;
  }
  if (!response.ok) {
    showFailure(turn, problemMessage(await readProblem(response)));
    return;
  }
  let streamed = "";
  try {
    for await (const { event, data: payload } of readEvents(response.body)) {
      if (event === "delta") {
        streamed += payload.text;
        showStreaming(turn.answer, streamed);
      } else if (event === "answer") {
        showAnswer(turn, payload.answer, payload.citations, view);
        return;
      } else if (event === "error") {
        showFailure(turn, problemMessage(payload));
        return;
      }
    }
  } catch {
    // the connection broke mid-answer: said below
  }
  showFailure(turn, t("js_problem_interrupted"));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = question.value.trim();
  if (busy) return;
  if (!text) {
    say(t("js_empty_question"));
    question.focus();
    return;
  }
  say("");
  busy = true;
  submit.disabled = true;
  conversation.setAttribute("aria-busy", "true");
  try {
    if (!threadId) {
      const body = chosenScope();
      threadId = body ? await startThread(body) : null;
      if (!threadId) return;
    }
    question.value = "";
    await ask(text);
  } catch {
    say(t("js_problem_network"));
  } finally {
    busy = false;
    submit.disabled = false;
    conversation.setAttribute("aria-busy", "false");
    question.focus();
  }
});

// Enter sends, Shift+Enter starts a new line (not while an input method composes a word)
question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// choosing a document means asking about documents, not the whole library
if (scope) {
  scope.addEventListener("change", (event) => {
    if (event.target.name === "document" && event.target.checked) {
      scope.querySelector('input[name="scope"][value="documents"]').checked = true;
    }
  });
}

for (const turn of data.turns || []) {
  showAnswer(addTurn(conversation, turn.question), turn.answer, turn.citations, view);
}
