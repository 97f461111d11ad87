// « Signaler un problème »: too many screenshots are refused before they are sent (with the
// server's words, next to the field) rather than after a long upload. The server checks again.
(() => {
  document.querySelectorAll("input[type=file][data-max-files]").forEach((input) => {
    const max = Number(input.dataset.maxFiles);
    const field = input.closest(".field");
    const errorId = `${input.id}_error`;

    function tooMany() {
      return input.files.length > max;
    }

    function show() {
      // Invalid to the browser too, so that form-errors.js does not take the error for fixed.
      input.setCustomValidity(tooMany() ? input.dataset.maxFilesMessage : "");
      let list = document.getElementById(errorId);
      if (!tooMany()) {
        // Leave the server's errors alone; remove only this script's.
        if (list && list.dataset.fromScript) {
          list.remove();
          input.removeAttribute("aria-invalid");
          field.classList.remove("has-error");
        }
        return;
      }
      if (!list) {
        list = document.createElement("ul");
        list.className = "errorlist";
        list.id = errorId;
        list.dataset.fromScript = "true";
        input.after(list);
        const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (!described.includes(errorId)) described.push(errorId);
        input.setAttribute("aria-describedby", described.join(" "));
      }
      const item = document.createElement("li");
      item.textContent = input.dataset.maxFilesMessage;
      list.replaceChildren(item);
      input.setAttribute("aria-invalid", "true");
      field.classList.add("has-error");
    }

    input.addEventListener("change", show);
    input.form.addEventListener("submit", (event) => {
      if (!tooMany()) return;
      event.preventDefault();
      show();
      input.focus();
    });
  });
})();
