// The queue page. Screen readers are told what changed in the buyer's place, and only that:
// the polls replace the place every few seconds, and its announcement (the state, the count
// in steps) is read when it differs from the last one. A poll that fails (a node restarting,
// « réessayez ») is tried again a little later rather than leaving the page frozen.
(() => {
  let last = null;
  const announcement = () =>
    document.querySelector("#queue-line [data-queue-announce]")?.textContent.trim() || null;
  document.addEventListener("DOMContentLoaded", () => {
    last = announcement();
  });
  document.addEventListener("htmx:afterSettle", () => {
    const announcer = document.getElementById("queue-announcer");
    const text = announcement();
    if (announcer && text && text !== last) {
      announcer.textContent = text;
    }
    last = text;
  });
  const retry = (event) => {
    const poll = event.detail.elt;
    if (poll?.matches?.("[data-queue-poll]")) {
      htmx.trigger(poll, "queue-retry");
    }
  };
  document.addEventListener("htmx:responseError", retry);
  document.addEventListener("htmx:sendError", retry);
})();
