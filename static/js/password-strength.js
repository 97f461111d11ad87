// « Indicateur de force du mot de passe »: the manual's rules (§4.2), checked as the user types.
// The server enforces the same rules whatever this script says; both go by Unicode categories
// (etickets/accounts/validators.py) and count characters, not UTF-16 units, so that they agree.
(() => {
  const length = (p) => [...p].length;
  const RULES = {
    length: (p) => length(p) >= 8,
    upper: (p) => /\p{Lu}/u.test(p),
    lower: (p) => /\p{Ll}/u.test(p),
    digit: (p) => /\p{Nd}/u.test(p),
    special: (p) => /[^\p{L}\p{N}\s]|_/u.test(p),
  };

  function level(password, met) {
    if (!password) return "empty";
    if (met < 4) return "weak";
    if (met < 5) return "medium";
    return length(password) >= 12 ? "very-strong" : "strong";
  }

  function attach(input) {
    const box = document.getElementById(input.dataset.passwordStrength);
    if (!box) return;
    const labels = box.querySelector("[data-strength-labels]").dataset;
    const text = box.querySelector("[data-strength-text]");
    const bar = box.querySelector("[data-strength-bar]");
    const rules = box.querySelectorAll("[data-rule]");
    rules.forEach((item) => {
      const state = document.createElement("span");
      state.className = "visually-hidden";
      item.append(" ", state);
    });
    box.hidden = false;

    function update() {
      const password = input.value;
      let met = 0;
      rules.forEach((item) => {
        const ok = RULES[item.dataset.rule](password);
        met += ok ? 1 : 0;
        item.classList.toggle("is-met", ok);
        item.lastElementChild.textContent = `(${ok ? labels.met : labels.unmet})`;
      });
      const current = level(password, met);
      box.dataset.level = current;
      text.textContent = labels[current.replace(/-(\w)/g, (_, c) => c.toUpperCase())];
      bar.style.width = `${current === "empty" ? 0 : Math.max(met, 1) * 20}%`;
    }

    input.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-password-strength]").forEach(attach);
})();
