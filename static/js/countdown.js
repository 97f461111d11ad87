// The hold countdown of the cart and payment pages; without script the end time is shown.
(() => {
  function start(box) {
    const clock = box.querySelector("[data-countdown-clock]");
    const wrapper = box.querySelector("[data-countdown-left]");
    const end = Date.now() + Number(box.dataset.secondsLeft) * 1000;
    wrapper.hidden = false;
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      clock.textContent = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, "0")}`;
      if (left === 0) {
        box.classList.add("is-expired");
        box.setAttribute("role", "alert");
        box.textContent = box.dataset.expiredText;
        return;
      }
      box.classList.toggle("is-ending", left <= 120);
      setTimeout(tick, 1000);
    };
    tick();
  }
  const boot = () => document.querySelectorAll("[data-countdown]:not([data-started])").forEach((box) => {
    box.dataset.started = "1";
    start(box);
  });
  document.addEventListener("DOMContentLoaded", boot);
  document.addEventListener("htmx:afterSettle", boot);
})();
