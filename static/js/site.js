// Progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

function linkTarget() {
  return location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
}

// A link to a question of the FAQ (/faq/#billets-nominatifs) opens that question.
function openTargetedDetails() {
  const target = linkTarget();
  if (target instanceof HTMLDetailsElement) target.open = true;
}
window.addEventListener("hashchange", openTargetedDetails);

// A link to a form (an offer's /offres/…/#ajouter) readies its first field, its value selected
// to be typed over; once loaded, as the browser's own move to the link's target blurs the page.
function focusTargetedForm() {
  const target = linkTarget();
  const field = target instanceof HTMLFormElement && target.querySelector("input:not([type=hidden])");
  if (!field) return;
  field.focus();
  field.select();
}
window.addEventListener("load", focusTargetedForm);
window.addEventListener("hashchange", focusTargetedForm);

document.addEventListener("DOMContentLoaded", () => {
  openTargetedDetails();
  // Mobile menu: the button is shown to script users only; without script the menu stays open.
  const toggle = document.querySelector(".menu-toggle");
  const menu = document.getElementById("site-menu");
  if (toggle && menu) {
    const setOpen = (open) => {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    };
    toggle.addEventListener("click", () => setOpen(toggle.getAttribute("aria-expanded") !== "true"));
    // Escape closes the open menu from anywhere in it, and gives the focus back to its button.
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" || toggle.getAttribute("aria-expanded") !== "true") return;
      setOpen(false);
      if (menu.contains(document.activeElement) || document.activeElement === toggle) toggle.focus();
    });
  }
});

// After htmx swaps a region, the keyboard stays where it was: on the same control (htmx finds
// it again by its id) or, when that control is now disabled (« − » at one ticket), on the
// field of its form.
let focusedId = "";
document.addEventListener("htmx:beforeRequest", () => {
  focusedId = document.activeElement ? document.activeElement.id : "";
});
document.addEventListener("htmx:afterSettle", () => {
  if (!focusedId || (document.activeElement && document.activeElement !== document.body)) return;
  const control = document.getElementById(focusedId);
  const target = control && control.disabled && control.form
    ? control.form.querySelector("input:not([type=hidden])")
    : control;
  if (target) target.focus();
});

// The question before an action that cannot be undone (« Vider le panier ? »…) comes from htmx
// as a <dialog>: shown as a modal (the keyboard stays in it, Escape closes it), removed once
// closed. Without script, its link opens the same question as a page.
document.addEventListener("htmx:load", (event) => {
  const dialog = event.detail.elt;
  if (!(dialog instanceof HTMLDialogElement)) return;
  dialog.addEventListener("close", () => dialog.remove());
  dialog.showModal();
});

// Logging out deletes the rotating QR codes' private keys kept on this device
// (rotating-code.js): whoever uses this browser next cannot sign with them.
document.addEventListener("submit", (event) => {
  if (event.target.matches(".logout-form")) indexedDB.deleteDatabase("jo-tickets");
});
