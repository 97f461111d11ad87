// The queue page: tell screen readers what changed in the buyer's place, and only that (the
// polls replace the place every few seconds; an unchanged sentence is not read again).
(() => {
  let last = null;
  const headline = () => document.querySelector("#queue-line [data-queue-announce]");
  document.addEventListener("DOMContentLoaded", () => {
    last = headline()?.textContent.trim() ?? null;
  });
  document.addEventListener("htmx:afterSettle", () => {
    const announcer = document.getElementById("queue-announcer");
    const text = headline()?.textContent.trim() ?? null;
    if (announcer && text && text !== last) {
      announcer.textContent = text;
    }
    last = text;
  });
})();
