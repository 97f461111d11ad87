// The error summary of a refused form (core/error_summary.html), as GOV.UK's: it takes the
// focus when the page opens, so that a phone shows it and a screen reader reads it; each of its
// links takes the focus to its field; and a field's error goes once the field is corrected.
// Without this script the summary is still at the top of the page, its links still lead to the
// fields, and the errors stay until the next submission.
(() => {
  const refused = new WeakMap(); // each control the server refused → the value it refused

  function valueOf(control) {
    return control.type === "checkbox" || control.type === "radio"
      ? String(control.checked)
      : control.value;
  }

  function prepare(root) {
    root.querySelectorAll("[aria-invalid='true']").forEach((control) => {
      refused.set(control, valueOf(control));
    });
    const summary = root.querySelector("[data-error-summary]");
    if (summary) summary.focus();
  }

  // An anchor would only scroll to the field: the link focuses it, with its label in view.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("[data-error-summary] a[href^='#']");
    const control = link && document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!control) return;
    event.preventDefault();
    (control.closest(".field") || control).scrollIntoView();
    control.focus({ preventScroll: true });
  });

  // The field's error messages are those its aria-describedby names: Django's list
  // (core/field.html) or a page's own paragraph (.field-error); its help text stays.
  function clearError(control) {
    const described = (control.getAttribute("aria-describedby") || "").split(/\s+/).filter((id) => {
      const element = id && document.getElementById(id);
      if (element && element.matches(".errorlist, .field-error")) {
        element.remove();
        return false;
      }
      return Boolean(id);
    });
    control.removeAttribute("aria-invalid");
    if (described.length) control.setAttribute("aria-describedby", described.join(" "));
    else control.removeAttribute("aria-describedby");
    const field = control.closest(".field");
    if (field) field.classList.remove("has-error");
    document.querySelectorAll(`[data-error-for="${CSS.escape(control.id)}"]`).forEach((item) => {
      const summary = item.closest("[data-error-summary]");
      item.remove();
      if (summary && !summary.querySelector("li")) summary.hidden = true;
    });
    refused.delete(control);
  }

  // Corrected: changed from what the server refused, and valid as far as the browser can tell
  // (required, type, length; other scripts' checks through setCustomValidity).
  function checkCorrected(event) {
    const control = event.target;
    if (!refused.has(control) || valueOf(control) === refused.get(control)) return;
    if (control.checkValidity()) clearError(control);
  }
  document.addEventListener("input", checkCorrected);
  document.addEventListener("change", checkCorrected);

  // Forms that htmx swaps in come with their summary and errors too.
  document.addEventListener("htmx:load", (event) => {
    if (event.detail.elt !== document.body) prepare(event.detail.elt);
  });

  prepare(document);
})();
