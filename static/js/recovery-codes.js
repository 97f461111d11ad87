// « Copier » and « Imprimer » on the recovery codes page. Without script they stay hidden: the
// codes can still be selected, downloaded, or printed from the browser's menu.
document.addEventListener("DOMContentLoaded", () => {
  const copy = document.querySelector("[data-copy-codes]");
  const status = document.querySelector("[data-copy-status]");
  // The Clipboard API exists on secure pages only (HTTPS, or this machine).
  if (copy && status && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", async () => {
      const codes = [...document.querySelectorAll(".recovery-codes code")].map((code) => code.textContent.trim());
      // Emptied first, so that a second click is announced again.
      status.textContent = "";
      try {
        await navigator.clipboard.writeText(codes.join("\n") + "\n");
        status.textContent = copy.dataset.copied;
      } catch {
        status.textContent = copy.dataset.failed;
      }
    });
  }
  const print = document.querySelector("[data-print-codes]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
});
