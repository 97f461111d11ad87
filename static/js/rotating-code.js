// The rotating QR code of « Mes billets » and a ticket's page: the ticket's private key, asked
// for once per device and certificate, is kept in IndexedDB (non-extractable; deleted at
// logout by site.js); every 15 s of the server's time (the phone's clock plus the offset
// measured at load) the page signs the new time step and draws it, offline too while the page
// stays open. A ring and the seconds say when it changes next.
(() => {
  const widgets = document.querySelectorAll("[data-rotating-code]");
  if (!widgets.length) return;
  const codes = window.JoTicketCode;
  const SVG = "http://www.w3.org/2000/svg";
  const QUIET_ZONE = 4;

  // When the page's response began to arrive, on the phone's clock: the server's time then is
  // the page's data-server-time.
  const navigation = performance.getEntriesByType("navigation")[0];
  const receivedAt = Date.now() - (navigation ? performance.now() - navigation.responseStart : 0);

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

  // Why the code cannot show, as the holder reads it (the widget's data-* words).
  class Unavailable extends Error {}

  async function ed25519Signs() {
    try {
      await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
      return true;
    } catch (error) {
      return false;
    }
  }

  const csrfToken = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const fromBase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

  // The key of the page's certificate: kept on this device, else asked for (and kept). A new
  // certificate (« Régénérer le QR code », a new signing key) asks again.
  async function ticketKey(widget, clock) {
    const { ticket, certificate, keyUrl } = widget.dataset;
    let saved = null;
    try {
      saved = await keys("readonly", (store) => store.get(ticket));
    } catch (error) {
      // Private browsing may refuse IndexedDB: ask for the key on every load instead.
    }
    if (saved && saved.certificateText === certificate) return saved;
    if (!(await ed25519Signs())) throw new Unavailable(widget.dataset.unsupported);
    const sentAt = Date.now();
    let response;
    try {
      response = await fetch(keyUrl, {
        method: "POST", credentials: "same-origin", redirect: "manual",
        headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
      });
    } catch (error) {
      throw new Unavailable(widget.dataset.offline); // no network
    }
    const words = widget.dataset;
    // Logged out meanwhile: the login page's redirect, or the CSRF check's refusal.
    if (response.type === "opaqueredirect" || response.status === 403) throw new Unavailable(words.session);
    const answer = await response.json().catch(() => null);
    if (!answer) throw new Unavailable(words.failed);
    if (!response.ok) throw new Unavailable(answer.message || words.failed);
    clock.offset = answer.server_time - (sentAt + Date.now()) / 2; // closer than the page's
    const key = {
      certificateText: answer.certificate,
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
    const status = widget.querySelector("[data-code-status]");
    const words = widget.dataset;
    const clock = { offset: Number(words.serverTime) - receivedAt };
    const unavailable = (message) => {
      widget.classList.add("is-unavailable");
      image.replaceChildren(); // never an old code that looks alive
      delete image.dataset.code;
      status.setAttribute("role", "alert");
      text.textContent = message;
    };
    let key;
    try {
      key = await ticketKey(widget, clock);
    } catch (error) {
      unavailable(error instanceof Unavailable ? error.message : words.failed);
      return;
    }
    let shownStep = null;
    let drawing = false;
    let lastSecond = null;
    let timer = null;
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
        } catch (error) {
          clearInterval(timer);
          unavailable(words.failed);
        } finally {
          drawing = false;
        }
      }
    };
    timer = setInterval(tick, 200);
    tick();
  }

  // The screen stays on while a code shows (the holder queues with it in hand), where the
  // browser allows it; taken again when the page comes back to the front.
  async function keepScreenOn() {
    try {
      if ("wakeLock" in navigator && document.visibilityState === "visible") {
        await navigator.wakeLock.request("screen");
      }
    } catch (error) {
      // Refused (battery saver): the screen dims as usual.
    }
  }
  document.addEventListener("visibilitychange", keepScreenOn);
  keepScreenOn();

  widgets.forEach(start);
})();
