// Small behaviours that progressive enhancement needs; every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Elements with data-autosubmit submit their form when changed (filters, language).
  document.body.addEventListener("change", (event) => {
    const target = event.target;
    if (target instanceof HTMLElement && target.dataset.autosubmit !== undefined && target.form) {
      target.form.requestSubmit();
    }
  });
});
