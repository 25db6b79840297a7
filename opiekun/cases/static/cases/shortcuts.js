// Keyboard shortcuts of the desk, listed in the "?" dialog (cases/partials/_shortcuts.html).
// Single keys never fire while the agent types in a field; Esc leaves the field. The case
// list remembers its order in sessionStorage so that j/k also move between cases on a case
// page. Everything here is an extra: each action is also a link, button or field.
(() => {
  "use strict";

  const ORDER = "opiekun.cases.order"; // {list: URL of the list, cases: [case page paths]}
  const SEARCH = "opiekun.cases.focusSearch"; // set before going to the list to search

  const dialog = document.getElementById("shortcuts");
  if (!(dialog instanceof HTMLDialogElement)) return;
  const announcer = document.getElementById("shortcuts-announce");

  function announce(text) {
    if (!announcer) return;
    announcer.textContent = "";
    // A fresh text node so that screen readers read the same message twice in a row.
    window.setTimeout(() => {
      announcer.textContent = text;
    }, 50);
    window.clearTimeout(announce.timer);
    announce.timer = window.setTimeout(() => {
      announcer.textContent = "";
    }, 5000);
  }

  function read(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(key) || "null");
    } catch {
      return null;
    }
  }

  function write(key, value) {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // Storage full or refused: the shortcuts that need it just do nothing.
    }
  }

  const NOT_TYPED = new Set(["checkbox", "radio", "button", "submit", "reset", "file", "image"]);

  function typing(element) {
    if (!(element instanceof HTMLElement)) return false;
    if (element instanceof HTMLInputElement) return !NOT_TYPED.has(element.type);
    return (
      element.isContentEditable ||
      element instanceof HTMLTextAreaElement ||
      element instanceof HTMLSelectElement
    );
  }

  // The case list: rows carry data-case-row and data-href (or, failing that, their first link).
  function listRows() {
    const table = document.getElementById("case-table");
    if (!table) return [];
    let rows = Array.from(table.querySelectorAll("[data-case-row]"));
    if (!rows.length) rows = Array.from(table.querySelectorAll("tbody tr"));
    return rows
      .map((row) => {
        const link = row.querySelector("a[href]");
        const href = row.dataset.href || (link ? link.getAttribute("href") : "");
        return { row, link, path: href ? new URL(href, window.location.href).pathname : "" };
      })
      .filter((item) => item.path);
  }

  function rememberList() {
    const rows = listRows();
    if (!rows.length) return;
    const before = read(ORDER);
    write(ORDER, {
      list: window.location.pathname + window.location.search,
      cases: rows.map((item) => item.path),
      last: before ? before.last : "",
    });
  }

  let current = -1; // the chosen row on the list page

  function choose(index) {
    const rows = listRows();
    if (!rows.length) return;
    current = Math.max(0, Math.min(index, rows.length - 1));
    rows.forEach((item, i) => item.row.classList.toggle("is-current", i === current));
    const chosen = rows[current];
    (chosen.link || chosen.row).focus();
    chosen.row.scrollIntoView({ block: "nearest" });
  }

  function chosenIndex(rows) {
    const focused = rows.findIndex((item) => item.row.contains(document.activeElement));
    if (focused >= 0) return focused;
    if (current >= 0) return current;
    const order = read(ORDER);
    return order && order.last ? rows.findIndex((item) => item.path === order.last) : -1;
  }

  function step(delta) {
    const rows = listRows();
    if (rows.length) {
      const index = chosenIndex(rows);
      choose(index < 0 ? 0 : index + delta);
      return;
    }
    const order = read(ORDER);
    const here = window.location.pathname;
    const index = order ? order.cases.indexOf(here) : -1;
    if (index < 0) {
      announce(dialog.dataset.noList || "");
      return;
    }
    const next = index + delta;
    if (next < 0) announce(dialog.dataset.first || "");
    else if (next >= order.cases.length) announce(dialog.dataset.last || "");
    else window.location.assign(order.cases[next]);
  }

  function openChosen() {
    const rows = listRows();
    const index = chosenIndex(rows);
    if (index >= 0) window.location.assign(rows[index].path);
  }

  function search() {
    const field = document.querySelector("form.filters input[name=q], input[type=search]");
    if (field instanceof HTMLInputElement) {
      field.focus();
      field.select();
      return;
    }
    write(SEARCH, true);
    window.location.assign(dialog.dataset.listUrl || "/");
  }

  function backToList() {
    const order = read(ORDER);
    window.location.assign((order && order.list) || dialog.dataset.listUrl || "/");
  }

  function focusField(selector) {
    const field = document.querySelector(selector);
    if (!(field instanceof HTMLElement)) return false;
    const details = field.closest("details");
    if (details) details.open = true;
    field.scrollIntoView({ block: "center" });
    field.focus();
    return true;
  }

  function assignToMe() {
    const button = document.querySelector("[data-shortcut=assign-me]");
    if (button instanceof HTMLButtonElement) button.click();
    else announce(dialog.dataset.noTake || "");
  }

  function showHelp() {
    if (!dialog.open) dialog.showModal();
  }

  const KEYS = {
    "?": showHelp,
    "/": search,
    j: () => step(1),
    k: () => step(-1),
    o: openChosen,
    u: backToList,
    r: () => focusField("#compose textarea[name=body]"),
    n: () => focusField("#note textarea"),
    a: assignToMe,
    s: () => focusField("#case-controls select[name=status]"),
    t: () => focusField("[data-shortcut=tags]"),
  };

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.isComposing) return;
    const target = event.target;
    if (event.key === "Escape") {
      if (typing(target) && !dialog.open) target.blur();
      return;
    }
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && typing(target)) {
      // Ctrl+Enter sends what is being written (the form's first "send" button).
      const send = target.form && target.form.querySelector("[data-send]");
      if (send instanceof HTMLButtonElement) {
        event.preventDefault();
        target.form.requestSubmit(send);
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || typing(target) || dialog.open) return;
    const action = KEYS[event.key];
    if (!action) return;
    // Enter on a focused link opens it; "o" does so for the chosen row of a list.
    if (event.key === "o" && !listRows().length) return;
    event.preventDefault();
    action();
  });

  dialog.addEventListener("click", (event) => {
    // A click on the backdrop (the dialog itself, outside its content) or on Close.
    const target = event.target;
    if (target === dialog || (target instanceof Element && target.closest("[data-shortcuts-close]"))) {
      dialog.close();
    }
  });
  for (const opener of document.querySelectorAll("[data-shortcuts-open]")) {
    opener.hidden = false;
    opener.addEventListener("click", showHelp);
  }

  function onPage() {
    rememberList();
    const order = read(ORDER);
    const here = window.location.pathname;
    if (order && order.cases.includes(here)) write(ORDER, { ...order, last: here });
    if (read(SEARCH)) {
      window.sessionStorage.removeItem(SEARCH);
      const field = document.querySelector("form.filters input[name=q], input[type=search]");
      if (field instanceof HTMLElement) field.focus();
    }
  }

  onPage();
  // The list is swapped by the filters and pages (HTMX): remember its new order.
  document.body.addEventListener("htmx:afterSettle", (event) => {
    const swapped = event.target;
    if (!(swapped instanceof Element)) return;
    if (swapped.id !== "case-table" && !swapped.querySelector("#case-table")) return;
    current = -1;
    rememberList();
  });
})();
