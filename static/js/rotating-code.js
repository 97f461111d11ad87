// The rotating QR code of « Mes billets » and a ticket's page: the ticket's private key, asked
// once per device and key version, is kept in IndexedDB (non-extractable); every 15 s of the
// server's time (the phone's clock plus the offset measured at load) the page signs the new
// time step and draws it, offline too. A ring and the seconds say when it changes next.
(() => {
  const widgets = document.querySelectorAll("[data-rotating-code]");
  if (!widgets.length) return;
  const codes = window.JoTicketCode;
  const SVG = "http://www.w3.org/2000/svg";
  const QUIET_ZONE = 4;

  // When the page's response began to arrive, on the phone's clock: the server's time then is
  // the page's data-server-time.
  const navigation = performance.getEntriesByType("navigation")[0];
  const receivedAt = performance.timeOrigin + (navigation ? navigation.responseStart : 0);

  const database = new Promise((resolve, reject) => {
    const request = indexedDB.open("jo-tickets", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("keys");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  async function keys(mode, action) {
    const db = await database;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction("keys", mode);
      const request = action(transaction.objectStore("keys"));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
    });
  }

  const csrfToken = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // The key of this ticket's current version: kept on this device, else asked for (and kept).
  async function ticketKey(widget, clock) {
    const { ticket, keyVersion, keyUrl } = widget.dataset;
    let saved = null;
    try {
      saved = await keys("readonly", (store) => store.get(ticket));
    } catch (error) {
      // Private browsing may refuse IndexedDB: ask for the key on every load instead.
    }
    if (saved && String(saved.keyVersion) === keyVersion) return saved;
    const sentAt = Date.now();
    const response = await fetch(keyUrl, {
      method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() },
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.message || "");
    clock.offset = answer.server_time - (sentAt + Date.now()) / 2; // closer than the page's
    const key = {
      keyVersion: answer.key_version,
      certificate: fromBase64(answer.certificate),
      privateKey: await crypto.subtle.importKey(
        "pkcs8", fromBase64(answer.private_key), { name: "Ed25519" }, false, ["sign"],
      ),
    };
    try {
      await keys("readwrite", (store) => store.put(key, ticket));
    } catch (error) {
      // Not kept: asked again on the next load.
    }
    return key;
  }

  function draw(image, code) {
    const qr = window.qrcode(0, "M");
    qr.addData(code, "Alphanumeric");
    qr.make();
    const count = qr.getModuleCount();
    const size = count + 2 * QUIET_ZONE;
    let path = "";
    for (let row = 0; row < count; row += 1) {
      for (let col = 0; col < count; col += 1) {
        if (qr.isDark(row, col)) path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
      }
    }
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
    svg.setAttribute("shape-rendering", "crispEdges");
    svg.setAttribute("aria-hidden", "true");
    const background = document.createElementNS(SVG, "rect");
    background.setAttribute("width", size);
    background.setAttribute("height", size);
    background.setAttribute("fill", "#fff");
    const modules = document.createElementNS(SVG, "path");
    modules.setAttribute("d", path);
    modules.setAttribute("fill", "#000");
    svg.append(background, modules);
    image.dataset.code = code; // what the browser tests compare with the decoded picture
    image.replaceChildren(svg);
  }

  async function start(widget) {
    const image = widget.querySelector("[data-code-image]");
    const ring = widget.querySelector("[data-code-ring]");
    const text = widget.querySelector("[data-code-text]");
    const words = widget.dataset;
    const clock = { offset: Number(words.serverTime) - receivedAt };
    let key;
    try {
      key = await ticketKey(widget, clock);
    } catch (error) {
      widget.classList.add("is-unavailable");
      text.textContent = !("subtle" in crypto) || error.name === "NotSupportedError"
        ? words.unsupported
        : error.message || (navigator.onLine ? words.failed : words.offline);
      return;
    }
    let shownStep = null;
    let drawing = false;
    let lastSecond = null;
    const tick = async () => {
      const now = Date.now() + clock.offset;
      const step = codes.stepAt(now);
      const left = codes.STEP_SECONDS - ((now / 1000) % codes.STEP_SECONDS);
      ring.setAttribute("stroke-dasharray", `${((left / codes.STEP_SECONDS) * 100).toFixed(1)} 100`);
      const second = Math.ceil(left);
      if (second !== lastSecond) {
        lastSecond = second;
        text.textContent = words.next.replace("%(seconds)s", String(second));
      }
      if (step !== shownStep && !drawing) {
        drawing = true;
        try {
          draw(image, await codes.sign(key.certificate, key.privateKey, step));
          shownStep = step;
          widget.classList.add("is-ready");
        } finally {
          drawing = false;
        }
      }
    };
    await tick();
    setInterval(tick, 200);
  }

  widgets.forEach(start);
})();
