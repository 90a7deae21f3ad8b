// What the server handed this page: its language, the session's CSRF token, its strings and data
// (the <script type="application/json" id="page-data"> block). Scripts show no string of their own.

let cached = null;

export function pageData() {
  if (cached === null) {
    const block = document.getElementById("page-data");
    cached = block ? JSON.parse(block.textContent) : {};
  }
  return cached;
}

// A catalog string with its {placeholders} filled: t("js_uploading", {percent: 40}).
export function t(key, values = {}) {
  const text = (pageData().strings || {})[key];
  if (text === undefined) {
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

// The help line for an API error code ("what to do next"); a general line for other codes.
export function whatToDo(code) {
  const strings = pageData().strings || {};
  return strings[`error_${code}`] || strings.error_other || "";
}
