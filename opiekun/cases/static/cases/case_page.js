// The case page: properties that save as they change, tag suggestions, and drafts of the
// reply and the note kept in this browser until they are sent. Every form still works
// without this file (and without HTMX): it only makes them quicker.
(() => {
  "use strict";

  // Properties --------------------------------------------------------------------------

  const panel = () => document.getElementById("case-controls");
  const announcer = document.getElementById("case-announce");

  function announce(text) {
    if (announcer) announcer.textContent = text;
  }

  function stateOf(form) {
    const control = form.closest("[data-control]");
    return control ? control.querySelector("[data-control-state]") : null;
  }

  function labelOf(form) {
    const control = form.closest("[data-control]");
    const label = control && control.querySelector("label, .label");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }

  function showState(form, kind) {
    const state = stateOf(form);
    const box = panel();
    if (!state || !box) return;
    const text = kind === "saving" ? box.dataset.saving : box.dataset.failed;
    state.textContent = text || "";
    state.classList.remove("saved", "saving", "failed");
    state.classList.add(kind);
    if (kind === "failed") announce(`${labelOf(form)}: ${text}`);
  }

  // Arrowing through a closed <select> fires "change" at every step; save once, when the
  // agent leaves the field or presses Enter, instead of once per step.
  const STEPS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
  const held = new Map(); // select -> the request HTMX was asked to send

  document.addEventListener("keydown", (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.closest("form[data-autosave]")) return;
    if (STEPS.has(event.key) || event.key.length === 1) select.dataset.stepping = "1";
    if (event.key === "Enter") release(select);
  });
  document.addEventListener("focusout", (event) => {
    if (event.target instanceof HTMLSelectElement) release(event.target);
  });

  function release(select) {
    delete select.dataset.stepping;
    const send = held.get(select);
    held.delete(select);
    if (send) send();
  }

  document.addEventListener("htmx:confirm", (event) => {
    const trigger = event.detail.triggeringEvent;
    const select = trigger && trigger.target;
    if (
      trigger &&
      trigger.type === "change" &&
      select instanceof HTMLSelectElement &&
      select.dataset.stepping &&
      document.activeElement === select
    ) {
      event.preventDefault();
      held.set(select, event.detail.issueRequest);
    }
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.matches("[data-autosave]")) showState(form, "saving");
  });

  function failed(event) {
    const form = event.detail.elt;
    if (form instanceof HTMLFormElement && form.matches("[data-autosave]") && form.isConnected) {
      showState(form, "failed");
    }
  }
  document.addEventListener("htmx:responseError", failed);
  document.addEventListener("htmx:sendError", failed);

  document.addEventListener("htmx:afterSettle", (event) => {
    if (!(event.target instanceof HTMLElement) || event.target.id !== "case-controls") return;
    const saved = event.target.querySelector("[data-control-state].saved");
    const error = event.target.querySelector(".errorlist");
    if (saved) {
      const control = saved.closest("[data-control]");
      const label = control && control.querySelector("label, .label");
      const name = label ? label.textContent.replace(/:\s*$/, "").trim() : "";
      announce(name ? `${name}: ${saved.textContent.trim()}` : saved.textContent.trim());
    } else if (error) {
      announce(error.textContent.trim());
    }
  });

  // Tags: picking a suggestion (or typing a comma) adds the tag at once.
  document.addEventListener("input", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.form || !input.form.matches("[data-tag-add]")) return;
    const picked = !event.inputType || event.inputType === "insertReplacementText";
    const list = input.list;
    const known = list && Array.from(list.options).some((option) => option.value === input.value);
    if ((picked && known) || input.value.endsWith(",")) input.form.requestSubmit();
  });

  // Drafts ------------------------------------------------------------------------------
  // Kept per user and case ("opiekun.draft:<user>:<case>:reply"), in this browser only,
  // and dropped once sent or after DRAFT_DAYS.

  const PREFIX = "opiekun.draft:";
  const DRAFT_DAYS = 30;
  const timers = new Map();

  function storage() {
    try {
      return window.localStorage;
    } catch {
      return null;
    }
  }

  function keyOf(field) {
    return PREFIX + field.dataset.draft;
  }

  function save(field) {
    const store = storage();
    if (!store) return;
    try {
      if (field.value.trim()) {
        store.setItem(keyOf(field), JSON.stringify({ text: field.value, at: Date.now() }));
      } else {
        store.removeItem(keyOf(field));
      }
    } catch {
      // Storage full or refused: the draft is simply not kept.
    }
  }

  function load(field) {
    const store = storage();
    if (!store) return null;
    try {
      const draft = JSON.parse(store.getItem(keyOf(field)) || "null");
      return draft && typeof draft.text === "string" ? draft : null;
    } catch {
      return null;
    }
  }

  function notice(field) {
    const form = field.closest("form");
    return form ? form.querySelector("[data-draft-notice]") : null;
  }

  function restore(field) {
    const draft = load(field);
    if (!draft || field.value.trim()) return;
    field.value = draft.text;
    const line = notice(field);
    if (line) line.hidden = false;
    const details = field.closest("details");
    if (details) details.open = true;
  }

  function forget() {
    const store = storage();
    if (!store) return;
    const oldest = Date.now() - DRAFT_DAYS * 24 * 3600 * 1000;
    for (let i = store.length - 1; i >= 0; i -= 1) {
      const key = store.key(i);
      if (!key || !key.startsWith(PREFIX)) continue;
      try {
        const draft = JSON.parse(store.getItem(key) || "null");
        if (!draft || !(draft.at > oldest)) store.removeItem(key);
      } catch {
        store.removeItem(key);
      }
    }
  }

  function fields(root) {
    return Array.from(root.querySelectorAll("textarea[data-draft]"));
  }

  document.addEventListener("input", (event) => {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement) || !field.dataset.draft) return;
    window.clearTimeout(timers.get(field));
    timers.set(field, window.setTimeout(() => save(field), 300));
  });

  document.addEventListener("click", (event) => {
    const button = event.target instanceof Element && event.target.closest("[data-draft-discard]");
    if (!button) return;
    const form = button.closest("form");
    const field = form && form.querySelector("textarea[data-draft]");
    if (field) {
      field.value = "";
      save(field);
      field.focus();
    }
    const line = button.closest("[data-draft-notice]");
    if (line) line.hidden = true;
  });

  // Keep what is in the boxes when the agent leaves the page, even mid-pause.
  window.addEventListener("pagehide", () => fields(document).forEach(save));

  // After a reply or note is sent the server sends back an empty form: the draft goes too.
  // After a refusal the form comes back with the text, and after a macro with the macro
  // inserted: the draft follows what the box now holds.
  document.addEventListener("htmx:afterSettle", (event) => {
    const swapped = event.target;
    if (!(swapped instanceof HTMLElement)) return;
    if (swapped.id !== "compose" && swapped.id !== "note") return;
    fields(swapped).forEach((field) => {
      window.clearTimeout(timers.get(field));
      save(field);
    });
  });

  forget();
  fields(document).forEach(restore);
})();
