// The Settings page: the confirmation dialog for revoking a key, and the copy button of a new key
// (shown only here, since copying needs a script; without one the key is selectable text).
import { bindConfirms } from "./confirm.js";
import { t } from "./page.js";

bindConfirms();

document.querySelectorAll("button[data-copy]").forEach((button) => {
  const field = document.getElementById(button.dataset.copy);
  const state = document.getElementById("copy-state");
  button.hidden = false;
  button.addEventListener("click", async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      state.textContent = t("js_copied");
    } catch (error) {
      state.textContent = t("js_copy_failed");
    }
  });
});
