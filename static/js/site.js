// Progressive enhancements; every page works without them.
document.documentElement.classList.add("js");

// A link to a question of the FAQ (/faq/#billets-nominatifs) opens that question.
function openTargetedDetails() {
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target instanceof HTMLDetailsElement) target.open = true;
}
window.addEventListener("hashchange", openTargetedDetails);

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
