// Small behaviours that progressive enhancement needs; every form works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Elements with data-autosubmit submit their form when changed (filters, language).
  document.body.addEventListener("change", (event) => {
    const target = event.target;
    // A file over the limit is refused here, before it is uploaded; the server checks again.
    if (target instanceof HTMLInputElement && target.type === "file" && target.dataset.maxBytes) {
      const limit = Number(target.dataset.maxBytes);
      const large = Array.from(target.files || []).find((file) => file.size > limit);
      target.setCustomValidity(
        large ? (target.dataset.tooLarge || "").replace("%(name)s", large.name) : "",
      );
      if (large) target.reportValidity();
    }
    if (target instanceof HTMLElement && target.dataset.autosubmit !== undefined && target.form) {
      target.form.requestSubmit();
    }
  });
});
