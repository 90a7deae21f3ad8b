// What a refused question means, in the user's language. The API answers with problem documents
// (application/problem+json: status, code, detail and the error's own members, e.g. a rate
// limit's window, limit and reset_at); a stream that fails after it started sends the same code
// in an `error` event. The sentence comes from the page's catalog by code (`js_problem_<code>`);
// for a code without one, the API's own detail (what happened, written for people) is followed
// by the catalog's `error_<code>` (what to do next).

import { pageData, t, whatToDo } from "./page.js";

/** The whole problem document of a refused response, its members kept (a rate limit's
 * reset_at); a body that is not one still gives its status. */
export async function readProblem(response) {
  try {
    const body = await response.json();
    if (body && typeof body === "object") return { status: response.status, ...body };
  } catch {
    // not JSON: a proxy's error page, a cut connection
  }
  return { status: response.status, code: response.status >= 500 ? "service_unavailable" : "unknown", detail: "" };
}

/** The sentence for `problem` ({code, detail, ...members}). */
export function problemMessage(problem) {
  const strings = pageData().strings || {};
  const code = problem.code || "unknown";
  if (code === "rate_limited") {
    const key = `js_problem_rate_limited_${problem.window}`;
    return t(key in strings ? key : "js_problem_rate_limited",
      { limit: problem.limit ?? "", time: resetTime(problem.reset_at, pageData().lang) });
  }
  const key = `js_problem_${code}`;
  if (key in strings) return t(key, problem);
  return problem.detail ? `${problem.detail} ${whatToDo(code)}`.trim() : t("js_problem_unknown");
}

/** A window's reset time as the user's clock shows it (with the weekday when it is not today). */
export function resetTime(iso, locale) {
  const when = new Date(iso);
  if (Number.isNaN(when.getTime())) return "";
  const sameDay = when.toDateString() === new Date().toDateString();
  const options = sameDay ? { hour: "2-digit", minute: "2-digit" }
    : { weekday: "short", hour: "2-digit", minute: "2-digit" };
  return new Intl.DateTimeFormat(locale, options).format(when);
}
