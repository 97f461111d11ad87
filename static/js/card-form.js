// Card form comforts: the brand shown as the number is typed, digits grouped by four, the
// expiry written MM/AA from the digits a phone keypad types, and one « Payer » at a time (the
// server answers a repeated one with the same order anyway, and reads the expiry alike).
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

  const expiry = form.querySelector('input[name="expiry"]');
  function asMonthYear(value) {
    // « 1/28 », « 12 2028 » (autofill): a month and a year apart; else digits only, MMAA.
    const apart = value.match(/^\s*(\d{1,2})\s*[\/.\- ]\s*(\d{1,4})\s*$/);
    let digits = value.replace(/\D/g, "");
    if (apart) {
      const year = apart[2].length === 4 ? apart[2].slice(2) : apart[2].slice(0, 2);
      digits = apart[1].padStart(2, "0") + year;
    }
    digits = digits.slice(0, 4);
    return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
  }
  if (expiry.value) expiry.value = asMonthYear(expiry.value); // as typed before a refusal
  expiry.addEventListener("input", (event) => {
    if (event.inputType && event.inputType.startsWith("delete")) return; // let « / » be erased
    const formatted = asMonthYear(expiry.value);
    if (formatted !== expiry.value) expiry.value = formatted;
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
