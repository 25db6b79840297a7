// The case list's toolbar; the list and every bulk change work without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Show only the value field of the chosen bulk action.
  const showBulkFields = (root) => {
    const action = root.querySelector("#bulk-form select[name=action]");
    if (!action) return;
    root.querySelectorAll("#bulk-form [data-bulk-for]").forEach((field) => {
      field.hidden = !field.dataset.bulkFor.split(" ").includes(action.value);
    });
  };
  showBulkFields(document);
  document.body.addEventListener("change", (event) => {
    const target = event.target;
    if (!(target instanceof HTMLInputElement || target instanceof HTMLSelectElement)) return;
    const form = target.closest("#bulk-form");
    if (!form) return;
    if (target.name === "action") showBulkFields(document);
    if (target.dataset.selectAll !== undefined && target instanceof HTMLInputElement) {
      form.querySelectorAll("input[name=case]").forEach((box) => {
        box.checked = target.checked;
      });
    }
  });
  // A refreshed table (filters, "show them") gets the same treatment.
  document.body.addEventListener("htmx:afterSwap", () => showBulkFields(document));
});
