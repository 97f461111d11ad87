// Card form comforts: the brand shown as the number is typed, digits grouped by four, and one
// « Payer » at a time (the server answers a repeated one with the same order anyway).
(() => {
  const form = document.querySelector("[data-card-form]");
  if (!form) return;
  const number = form.querySelector('input[name="number"]');
  const brandText = form.querySelector("[data-detected-brand]");
  const logos = document.querySelectorAll("[data-brand]");
  const pattern = brandText.dataset.pattern; // « Carte BRAND », translated

  function brandOf(digits) {
    if (/^4/.test(digits)) return "Visa";
    if (/^(5[1-5]|2(2[2-9]|[3-6]\d|7[01]|720))/.test(digits)) return "Mastercard";
    if (/^3[47]/.test(digits)) return "American Express";
    return null;
  }

  number.addEventListener("input", () => {
    const digits = number.value.replace(/\D/g, "").slice(0, 19);
    const brand = brandOf(digits);
    const groups = brand === "American Express"
      ? [digits.slice(0, 4), digits.slice(4, 10), digits.slice(10, 15)]
      : digits.match(/.{1,4}/g) || [];
    const formatted = groups.filter(Boolean).join(" ");
    if (formatted !== number.value) number.value = formatted;
    brandText.textContent = brand ? pattern.replace("BRAND", brand) : "";
    logos.forEach((logo) => logo.classList.toggle("is-dimmed", Boolean(brand) && logo.dataset.brand !== brand));
  });

  form.addEventListener("submit", () => {
    const button = form.querySelector("[data-pay-button]");
    // Disabled after the browser has collected the form, so the click still submits it.
    setTimeout(() => {
      button.disabled = true;
      button.textContent = button.dataset.busyText;
    }, 0);
  });
})();
