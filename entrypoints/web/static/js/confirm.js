// "Are you sure?" for links with data-confirm (revoke a key, ban a user): the link's address is a
// confirmation page without scripts; with them, a dialog asks and its form posts to that address
// (with the session's CSRF field, rendered by the server). Texts come from data- attributes the
// server filled from the catalog, set here with textContent only.

export function bindConfirms(root = document) {
  const dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") {
    return; // no dialog support: the links lead to the confirmation pages
  }
  const form = document.getElementById("confirm-form");
  document.getElementById("confirm-cancel").addEventListener("click", () => dialog.close());
  root.querySelectorAll("a[data-confirm]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      form.action = link.href;
      document.getElementById("confirm-dialog-text").textContent = link.dataset.confirm;
      document.getElementById("confirm-yes").textContent = link.dataset.confirmButton || link.textContent;
      dialog.showModal();
    });
  });
}
