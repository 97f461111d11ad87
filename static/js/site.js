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
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-open", open);
    });
  }
});
