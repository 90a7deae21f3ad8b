// One turn of a conversation on the Ask page: the question, the answer, the citation chips.
// Every piece of text a user or a model wrote goes in with textContent (never innerHTML), so a
// quote or an answer holding markup shows as text. While the answer streams it is plain text;
// once the final answer arrives its [n] markers become buttons that open the cited passage,
// like the numbered chips under it.

import { t } from "./page.js";

const MARKER = /\[(\d{1,3})\]/g;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A new turn's elements, appended to `list`: {root, answer, chips}. */
export function addTurn(list, question) {
  const root = element("article", "turn");
  const asked = element("p", "turn-question");
  asked.append(element("span", "visually-hidden", t("js_you_asked") + " "), document.createTextNode(question));
  const answer = element("div", "turn-answer");
  answer.setAttribute("aria-label", t("js_answer"));
  const chips = element("ul", "chips");
  chips.setAttribute("aria-label", t("js_citations"));
  chips.hidden = true;
  root.append(asked, answer, chips);
  list.append(root);
  return { root, answer, chips };
}

/** The text streamed so far (one DOM change per delta). */
export function showStreaming(answer, text) {
  answer.classList.add("streaming");
  answer.textContent = text;
}

/** The final answer: [n] markers that name a citation become buttons, and the citations are
 * listed as chips. `onCite(citation, button)` runs when either is clicked. */
export function showAnswer(turn, text, citations, { documentNames = {}, onCite }) {
  const byNumber = new Map(citations.map((c) => [c.number, c]));
  const manyDocuments = new Set(citations.map((c) => c.document_id)).size > 1;
  const { answer, chips } = turn;
  answer.classList.remove("streaming");
  answer.replaceChildren();
  const paragraph = element("p");
  let at = 0;
  for (const match of text.matchAll(MARKER)) {
    const citation = byNumber.get(Number(match[1]));
    if (!citation) continue;
    paragraph.append(document.createTextNode(text.slice(at, match.index)));
    const marker = element("button", "marker", match[0]);
    marker.type = "button";
    marker.setAttribute("aria-label", describe(citation, documentNames, manyDocuments));
    marker.addEventListener("click", () => onCite(citation, marker));
    paragraph.append(marker);
    at = match.index + match[0].length;
  }
  paragraph.append(document.createTextNode(text.slice(at)));
  answer.append(paragraph);

  chips.replaceChildren();
  for (const citation of citations) {
    const item = element("li");
    const chip = element("button", "chip");
    chip.type = "button";
    chip.dataset.number = String(citation.number);
    chip.append(element("span", "chip-number", `[${citation.number}]`),
      document.createTextNode(" " + chipText(citation, documentNames, manyDocuments)));
    chip.setAttribute("aria-label", describe(citation, documentNames, manyDocuments));
    chip.addEventListener("click", () => onCite(citation, chip));
    item.append(chip);
    chips.append(item);
  }
  chips.hidden = citations.length === 0;
}

/** A turn that ended in an error: the message in plain words, in place of the answer. */
export function showFailure(turn, message) {
  turn.answer.classList.remove("streaming");
  turn.answer.replaceChildren(element("p", "turn-error", message));
  turn.root.classList.add("failed");
}

function chipText(citation, documentNames, manyDocuments) {
  const name = documentNames[citation.document_id];
  return manyDocuments && name ? `${citation.label} · ${name}` : citation.label;
}

function describe(citation, documentNames, manyDocuments) {
  return t("js_open_citation", { number: citation.number, label: chipText(citation, documentNames, manyDocuments) });
}
