// Calls to the JSON API with the session cookie: unsafe methods carry the session's CSRF token in
// X-CSRF-Token (entrypoints/api/cookie_session.py), which the API checks for cookie requests; every
// call asks for the page's language (citation labels: "стр. 12" on a Russian page).
import { pageData } from "./page.js";

export const CSRF_HEADER = "X-CSRF-Token";

export async function apiFetch(url, options = {}) {
  const headers = new Headers(options.headers || {});
  const method = (options.method || "GET").toUpperCase();
  if (!["GET", "HEAD"].includes(method) && pageData().csrf) {
    headers.set(CSRF_HEADER, pageData().csrf);
  }
  headers.set("Accept", "application/json");
  headers.set("Accept-Language", pageLanguage());
  return fetch(url, { ...options, method, headers, credentials: "same-origin" });
}

export function pageLanguage() {
  return document.documentElement.lang || "en";
}

// The problem document of a failed answer ({code, detail}), or a stand-in when the body is not one.
export function problemOf(status, text) {
  try {
    const body = JSON.parse(text);
    if (body && typeof body === "object" && body.code) {
      return { code: String(body.code), detail: String(body.detail || "") };
    }
  } catch (error) {
    // not JSON: fall through
  }
  return { code: status >= 500 ? "service_unavailable" : "domain_error", detail: "" };
}
