// The gate scanner (/controle/): camera or typed code → verdict, online through the API, and
// offline with the event's ticket list kept in IndexedDB and Ed25519 checked by WebCrypto.
// A typed ticket number (printed on the ticket) finds the holder's name; it lets in only
// once the steward confirms having seen their identity document.
(() => {
  const root = document.querySelector("[data-scanner]");
  if (!root) return;

  const texts = JSON.parse(document.getElementById("scanner-texts").textContent);
  const config = root.dataset;
  const eventId = Number(config.event);
  const gate = config.gate;
  const verdictBox = root.querySelector("[data-verdict]");
  const counter = root.querySelector("[data-counter]");
  const network = root.querySelector("[data-network]");
  const video = root.querySelector("[data-camera]");
  const canvas = root.querySelector("[data-frame]");
  const cameraStatus = root.querySelector("[data-camera-status]");
  const manualForm = root.querySelector("[data-manual-form]");
  const cameraBox = root.querySelector("[data-camera-box]");
  const codeInput = manualForm.querySelector('input[name="token"]');
  const VERDICT_MS = 2200;
  const SAME_CODE_PAUSE_MS = 3000;
  // The phone just let in is often still held up to the camera when the verdict goes: a code
  // this scanner let in is not read again for this long (it would say « DÉJÀ UTILISÉ »).
  const LET_IN_HERE_MS = 10000;
  const SYNC_BATCH = 1000; // scans a sync request carries (the server takes 5000 at most)

  let bundle = null; // {publicKey: CryptoKey, tickets: Map, stamp}
  let online = navigator.onLine;
  let busy = false;
  let lastCode = "";
  let lastCodeAt = 0;
  const letInHere = new Map(); // code → {at, ticket}: what this scanner let in lately
  let hideTimer = null;
  let identityPending = false; // a typed number waits for « Pièce d'identité vérifiée »
  let notice = ""; // the outcome of the last sync, shown until the next scan
  // « Entrées »: the server's count when the page was drawn (the same as without JavaScript),
  // plus the tickets let in since, online or offline.
  let entries = Number(counter.textContent) || 0;

  // Times of entry read as on the server (Django's "j F Y" and "H:i:s", Paris time), whatever
  // zone the phone is set to; en-GB so that English reads "26 November 2026" as the server does.
  const lang = document.documentElement.lang || "fr";
  const locale = lang === "en" ? "en-GB" : lang;
  const dateFormat = new Intl.DateTimeFormat(locale, {
    timeZone: texts.timeZone, day: "numeric", month: "long", year: "numeric",
  });
  const timeFormat = new Intl.DateTimeFormat(locale, {
    timeZone: texts.timeZone, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });

  // --- Small helpers -----------------------------------------------------------------------
  const csrfToken = () => (document.cookie.match(/(?:^|; )csrftoken=([^;]+)/) || [])[1] || "";
  const deviceId = (() => {
    let id = localStorage.getItem("jo-gate-device");
    if (!id) {
      id = crypto.randomUUID();
      localStorage.setItem("jo-gate-device", id);
    }
    return id;
  })();

  function fromBase64Url(text) {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  }
  // The printed number, as typed (any case, spaces or dashes): tickets.models.parse_number.
  function ticketNumber(code) {
    const number = code.replace(/[\s-]+/g, "").toUpperCase();
    return /^[0-9A-F]{12}$/.test(number) ? number : null;
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const uuid = (bytes) => {
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // --- IndexedDB: bundles, the queue of offline redemptions, tickets used on this device ---
  const database = new Promise((resolve, reject) => {
    const request = indexedDB.open("jo-gate", 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore("bundles");
      db.createObjectStore("queue", { autoIncrement: true });
      db.createObjectStore("used");
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

  async function store(name, mode, action) {
    const db = await database;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(name, mode);
      const result = action(transaction.objectStore(name));
      transaction.oncomplete = () => resolve(result && "result" in result ? result.result : undefined);
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const idbGet = (name, key) => store(name, "readonly", (s) => s.get(key));
  const idbPut = (name, value, key) => store(name, "readwrite", (s) => s.put(value, key));
  async function idbAll(name) {
    const db = await database;
    return new Promise((resolve, reject) => {
      const transaction = db.transaction(name, "readonly");
      const keys = transaction.objectStore(name).getAllKeys();
      const values = transaction.objectStore(name).getAll();
      transaction.oncomplete = () =>
        resolve(keys.result.map((key, index) => ({ key, value: values.result[index] })));
      transaction.onerror = () => reject(transaction.error);
    });
  }
  const idbDelete = (name, keys) => store(name, "readwrite", (s) => keys.forEach((k) => s.delete(k)));

  // --- Offline bundle ------------------------------------------------------------------------
  async function useBundle(data) {
    // A bundle kept from before rotating codes cannot check them, nor tell printed tickets:
    // as if there were none until the next one arrives.
    if (data.rotating_codes === undefined) return;
    const publicKey = await crypto.subtle.importKey(
      "raw", fromBase64Url(data.public_key), { name: "Ed25519" }, false, ["verify"],
    );
    const numbers = new Map(); // number → its ticket; null when two tickets share it
    data.tickets.forEach((t) => numbers.set(t.number, numbers.has(t.number) ? null : t));
    bundle = {
      publicKey, tickets: new Map(data.tickets.map((t) => [t.id, t])), numbers, stamp: data.stamp,
      rotating: Boolean(data.rotating_codes), clockOffset: data.clockOffset || 0,
    };
  }

  async function refreshBundle() {
    try {
      const response = await fetch(config.bundleUrl, { credentials: "same-origin" });
      const headersAt = Date.now(); // the server sent them just after served_at
      if (!response.ok) return;
      const data = await response.json();
      // The server's clock less this device's, kept with the bundle: rotating codes are dated
      // by the server's time, which the holder's phone follows too; so are offline entries.
      data.clockOffset = Date.parse(data.served_at) - headersAt;
      await idbPut("bundles", data, eventId);
      await useBundle(data);
      setOnline(true);
    } catch (error) {
      setOnline(false);
    }
  }

  // --- Network status and the offline queue --------------------------------------------------
  async function showNetwork() {
    const pending = (await idbAll("queue")).filter((e) => e.value.event === eventId).length;
    network.classList.toggle("is-offline", !online);
    network.textContent = online ? texts.online : texts.offline;
    if (pending) network.textContent += ` — ${pending} ${texts.pending}`;
    if (notice) network.textContent += ` — ${notice}`;
  }

  function countEntries(change) {
    entries = Math.max(0, entries + change);
    counter.textContent = String(entries);
  }

  function setOnline(value) {
    online = value;
    showNetwork();
  }

  // Each scan goes back with the stamp of the bundle that checked it: the server accepts times
  // from that bundle's making to now only.
  async function sync() {
    if (!navigator.onLine) return;
    const entries = (await idbAll("queue")).filter((e) => e.value.event === eventId);
    if (!entries.length) return;
    const batches = new Map();
    entries.forEach((e) => {
      const stamp = e.value.bundle || (bundle && bundle.stamp) || "";
      if (!batches.has(stamp)) batches.set(stamp, []);
      batches.get(stamp).push(e);
    });
    let conflicts = 0;
    let refused = 0;
    let numbersRefused = 0;
    try {
      for (const [stamp, queued] of batches) {
        for (let start = 0; start < queued.length; start += SYNC_BATCH) {
          const batch = queued.slice(start, start + SYNC_BATCH);
          const response = await post(config.syncUrl, {
            event_id: eventId,
            gate,
            device: deviceId,
            bundle: stamp,
            scans: batch.map((e) => ({
              token: e.value.token,
              scanned_at: e.value.scannedAt,
              identity_checked: Boolean(e.value.identityChecked),
            })),
          });
          if (!response.ok) return;
          const results = await response.json();
          await idbDelete("queue", batch.map((e) => e.key));
          conflicts += results.filter((r) => r.verdict === "conflict").length;
          refused += results.filter((r) => r.code).length;
          numbersRefused += results.filter((r) => r.verdict === "number_refused").length;
        }
      }
    } catch (error) {
      setOnline(false);
      return;
    } finally {
      // Counted when scanned, but another gate let them in first, their time was refused, or
      // the server would not enter so many by number.
      countEntries(-(conflicts + refused + numbersRefused));
    }
    notice = texts.synced;
    if (conflicts) notice += ` ${conflicts} ${texts.conflicts}`;
    if (refused) notice += ` ${refused} ${texts.refused}`;
    if (numbersRefused) notice += ` ${numbersRefused} ${texts.numberRefused}`;
    setOnline(true);
    refreshBundle();
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
  }

  // --- Verdicts -------------------------------------------------------------------------------
  const refuse = (reason, ticket) => ({ verdict: "invalid", reason, ticket: ticket || null });
  const shownTicket = (ticket) => ({
    number: ticket.number, holder: ticket.holder, kind: ticket.kind, persons: ticket.persons,
    qr_regenerated: ticket.qr_regenerated,
  });

  async function checkOffline(token, identityChecked) {
    if (!bundle) return { verdict: "invalid", reason: "", message: texts.noBundle, ticket: null };
    const number = ticketNumber(token);
    if (number) return checkNumberOffline(number, identityChecked);
    if (window.JoTicketCode.isRotating(token)) return checkRotatingOffline(token);
    let bytes;
    try {
      bytes = fromBase64Url(token.trim());
    } catch (error) {
      return refuse("malformed");
    }
    if (bytes.length !== 94 || bytes[0] !== 1) return refuse("malformed");
    const body = bytes.slice(0, 30);
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, bundle.publicKey, bytes.slice(30), body);
    if (!valid) return refuse("bad_signature");
    const id = uuid(body.slice(1, 17));
    const event = new DataView(body.buffer).getUint32(17);
    const digest = hex(body.slice(22, 30));
    const ticket = bundle.tickets.get(id);
    if (!ticket) return refuse("unknown_ticket");
    if (event !== eventId) return refuse("wrong_event", shownTicket(ticket));
    if (ticket.digest !== digest) return refuse("key_rotated", shownTicket(ticket));
    // A static code where the event's codes rotate is a printed ticket: identity first.
    return letInOffline(ticket, token, identityChecked, { printed: bundle.rotating });
  }

  // tickets.services.check_ticket's order for a rotating code, on the server's time.
  async function checkRotatingOffline(code) {
    const claims = await window.JoTicketCode.read(code, bundle.publicKey, Date.now() + bundle.clockOffset);
    if (claims.reason) return refuse(claims.reason);
    const ticket = bundle.tickets.get(claims.ticketId);
    if (!ticket) return refuse("unknown_ticket");
    if (claims.eventId !== eventId) return refuse("wrong_event", shownTicket(ticket));
    if (ticket.key_version !== claims.keyVersion) return refuse("key_rotated", shownTicket(ticket));
    return letInOffline(ticket, code, false);
  }

  // The bundle's tickets are this event's only, as the server's search by number.
  async function checkNumberOffline(number, identityChecked) {
    const ticket = bundle.numbers.get(number);
    if (ticket === undefined) return refuse("unknown_number");
    if (ticket === null) return refuse("ambiguous_number");
    return letInOffline(ticket, number, identityChecked, { byNumber: true });
  }

  // The states that refuse a ticket with their own reason (tickets.errors.REASONS).
  const REPLACED_OR_CANCELLED = ["cancelled", "listed", "transferred", "resold"];

  // The last checks (cancelled, listed, transferred or resold → already used) and the entry,
  // queued for the server; a number or a printed ticket stops at check_identity until the
  // steward has seen the identity document.
  async function letInOffline(ticket, code, identityChecked, { byNumber = false, printed = false } = {}) {
    const shown = shownTicket(ticket);
    if (REPLACED_OR_CANCELLED.includes(ticket.state)) return refuse(ticket.state, shown);
    const usedHere = await idbGet("used", ticket.id);
    if (ticket.used_at || usedHere) {
      const used = usedHere || { at: ticket.used_at, gate: ticket.used_gate };
      return { verdict: "already_used", reason: "already_used", ticket: shown, used_at: used.at, used_gate: used.gate };
    }
    if ((byNumber || printed) && !identityChecked) {
      const message = printed ? texts.printedToCheck : texts.identityToCheck;
      return { verdict: "check_identity", reason: "", message, ticket: shown, printed };
    }
    // The server's time, as the holder's phone showed its code by: the sync checks it then.
    const now = new Date(Date.now() + bundle.clockOffset).toISOString();
    await idbPut("used", { at: now, gate }, ticket.id);
    await idbPut("queue", {
      event: eventId, token: code, scannedAt: now, bundle: bundle.stamp, identityChecked,
    });
    let message = "";
    if (byNumber) message = texts.admittedByNumber;
    else if (printed) message = texts.admittedPrinted;
    return { verdict: "valid", reason: "", message, ticket: shown, printed };
  }

  async function check(token, identityChecked) {
    if (navigator.onLine) {
      try {
        const response = await post(config.scanUrl, {
          token, event_id: eventId, gate, identity_checked: identityChecked,
        });
        if (response.status === 401 || response.status === 403) {
          return { verdict: "invalid", reason: "", message: texts.sessionExpired, ticket: null };
        }
        if (response.ok) {
          setOnline(true);
          return await response.json();
        }
        if (response.status === 400 || response.status === 429) {
          // Refused unchecked (too many numbers typed): the server says why; the device's list
          // must not decide instead.
          setOnline(true);
          const refusal = await response.json();
          return { verdict: "unchecked", reason: "", message: refusal.message, ticket: null };
        }
      } catch (error) {
        // The network failed: the device's list decides, and the scan waits in the queue.
      }
    }
    setOnline(false);
    const verdict = await checkOffline(token, identityChecked);
    showNetwork();
    return verdict;
  }

  function feedback(verdict) {
    const patterns = {
      valid: [120], already_used: [80, 80, 80], invalid: [400], conflict: [400], number_refused: [400],
      check_identity: [60, 60, 60],
    };
    if (navigator.vibrate) navigator.vibrate(patterns[verdict] || [200]);
    try {
      const audio = feedback.audio || (feedback.audio = new AudioContext());
      const tones = {
        valid: [880], already_used: [523, 523], invalid: [196], conflict: [196], number_refused: [196],
        check_identity: [660, 880],
      };
      (tones[verdict] || [300]).forEach((frequency, index) => {
        const oscillator = audio.createOscillator();
        const gain = audio.createGain();
        oscillator.frequency.value = frequency;
        gain.gain.value = 0.2;
        oscillator.connect(gain).connect(audio.destination);
        const start = audio.currentTime + index * 0.18;
        oscillator.start(start);
        oscillator.stop(start + (verdict === "valid" ? 0.15 : 0.12));
      });
    } catch (error) {
      // No sound on this device: the colour and the words are enough.
    }
  }

  function line(text, className) {
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    return p;
  }

  // Only a ticket that enters says how many to let in; a refused one says what it was for.
  const pluralRules = new Intl.PluralRules(locale);
  function persons(verdict, count) {
    if (verdict === "valid") return `${texts.persons} ${count}`;
    const form = texts.personCount[pluralRules.select(count)] || texts.personCount.other;
    return form.replace("%(n)s", String(count));
  }

  function show(result) {
    clearTimeout(hideTimer);
    verdictBox.replaceChildren();
    verdictBox.className = `verdict is-visible verdict-${result.verdict}`;
    verdictBox.append(line(texts.labels[result.verdict] || result.verdict, "verdict-label"));
    const ticket = result.ticket;
    if (ticket) {
      verdictBox.append(line(ticket.holder, "verdict-holder"));
      verdictBox.append(line(`${ticket.kind} — ${persons(result.verdict, ticket.persons)}`, "verdict-detail"));
      if (ticket.event) verdictBox.append(line(ticket.event, "verdict-detail"));
    }
    if (result.reason === "already_used" && result.used_at) {
      const when = new Date(result.used_at);
      verdictBox.append(line(texts.usedAt
        .replace("%(date)s", dateFormat.format(when))
        .replace("%(time)s", timeFormat.format(when))
        .replace("%(gate)s", result.used_gate || ""), "verdict-detail"));
    } else if (result.reason) {
      verdictBox.append(line(texts.reasons[result.reason] || result.message || "", "verdict-detail"));
    } else if (result.message) {
      verdictBox.append(line(result.message, "verdict-detail"));
    }
    if (result.verdict === "check_identity" && !result.printed && ticket.qr_regenerated) {
      verdictBox.append(line(texts.qrRegenerated, "verdict-detail verdict-warning"));
    }
    if (result.verdict === "valid") countEntries(1);
    if (!["recent", "unchecked"].includes(result.verdict)) feedback(result.verdict); // else no alarm
    // A printed ticket comes back with its own code, a number with the number.
    if (result.verdict === "check_identity") askForIdentity(result.printed ? result.code : ticket.number);
    else hideTimer = setTimeout(hide, VERDICT_MS);
  }

  function button(text, className, action) {
    const element = document.createElement("button");
    element.type = "button";
    element.className = `button ${className}`;
    element.textContent = text;
    element.addEventListener("click", (event) => {
      event.stopPropagation(); // not a tap on the verdict, which closes it
      element.disabled = true; // one entry for a double tap
      action();
    });
    return element;
  }

  // The verdict stays until the steward has looked at the identity document: it lets in, or
  // not, by their choice only. The focus goes to it (its buttons next), out of the code field
  // whose keyboard would hide them on a phone; it comes back to the field afterwards.
  function askForIdentity(code) {
    identityPending = true;
    const actions = document.createElement("div");
    actions.className = "verdict-actions";
    actions.append(
      button(texts.identityChecked, "button-gold", async () => {
        await handle(code, { typed: true, identityChecked: true });
        codeInput.focus();
      }),
      button(texts.cancel, "button-secondary", () => {
        hide();
        codeInput.focus();
      }),
    );
    verdictBox.append(actions);
    verdictBox.tabIndex = -1;
    verdictBox.focus();
  }

  function hide() {
    verdictBox.className = "verdict";
    verdictBox.removeAttribute("tabindex");
    identityPending = false;
    busy = false;
  }

  // The entry of ``code`` by this scanner in the last LET_IN_HERE_MS, if any.
  function letInJustNow(code) {
    const now = Date.now();
    letInHere.forEach((entry, key) => { if (now - entry.at >= LET_IN_HERE_MS) letInHere.delete(key); });
    return letInHere.get(code);
  }

  async function handle(token, { typed = false, identityChecked = false } = {}) {
    const code = ticketNumber(token) || token;
    // A rotating code changes while the phone is still held up: known by its ticket's number,
    // once its signatures and step check out (a screenshot of it is not the phone let in).
    let recent = letInJustNow(code);
    const rotatingNumber = window.JoTicketCode.numberOf(code);
    if (!recent && rotatingNumber && letInJustNow(rotatingNumber) && bundle) {
      const claims = await window.JoTicketCode.read(code, bundle.publicKey, Date.now() + bundle.clockOffset);
      if (claims.ticketId) recent = letInJustNow(rotatingNumber);
    }
    if (recent && !typed) return; // still held up to the camera: nothing to say
    busy = true;
    identityPending = false;
    notice = "";
    lastCode = token;
    lastCodeAt = Date.now();
    // Typed again: say so, neutrally, rather than « DÉJÀ UTILISÉ » for the person just let in.
    const result = recent
      ? { verdict: "recent", reason: "", message: texts.letInJustNow, ticket: recent.ticket }
      : await check(code, identityChecked);
    result.code = code;
    if (result.verdict === "valid") {
      // Its QR code or its number, whichever comes next.
      const entry = { at: Date.now(), ticket: result.ticket };
      [code, result.ticket && result.ticket.number].forEach((key) => key && letInHere.set(key, entry));
    }
    show(result);
  }

  // --- Camera ---------------------------------------------------------------------------------
  // The camera may be refused, busy in another app or unplugged: the steward can try it again
  // (once allowed in the browser) without reloading the page and losing the verdict shown.
  const cameraRetry = root.querySelector("[data-camera-retry]");
  const cameraHelp = cameraStatus.textContent;
  let scanning = false;

  function cameraUnavailable() {
    cameraBox.classList.add("is-unavailable"); // no black picture to aim at: the help only
    cameraStatus.textContent = texts.cameraError;
  }

  async function startCamera() {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false,
      });
      stream.getVideoTracks().forEach((track) => track.addEventListener("ended", cameraUnavailable));
      video.srcObject = stream;
      await video.play();
    } catch (error) {
      cameraUnavailable();
      return;
    }
    cameraBox.classList.remove("is-unavailable");
    cameraStatus.textContent = cameraHelp;
    if (scanning) return; // the loop started by an earlier success reads the new stream
    scanning = true;
    let detector = null;
    if ("BarcodeDetector" in window) {
      const formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.includes("qr_code")) detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    }
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const scanFrame = async () => {
      if (!busy && video.videoWidth) {
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        context.drawImage(video, 0, 0);
        let code = null;
        if (detector) {
          const found = await detector.detect(canvas);
          code = found.length ? found[0].rawValue : null;
        } else if (window.jsQR) {
          const image = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
          code = found ? found.data : null;
        }
        if (code && (code !== lastCode || Date.now() - lastCodeAt > SAME_CODE_PAUSE_MS)) {
          await handle(code);
        }
      }
      setTimeout(scanFrame, 150);
    };
    scanFrame();
  }

  cameraRetry.addEventListener("click", () => {
    cameraStatus.textContent = cameraHelp;
    startCamera();
  });

  // --- Wiring ---------------------------------------------------------------------------------
  manualForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = codeInput.value.trim();
    if (!token) return;
    codeInput.value = "";
    await handle(token, { typed: true });
    // Ready for the next code, whether Enter or « Vérifier » sent this one.
    if (!identityPending) codeInput.focus();
  });
  verdictBox.addEventListener("click", () => { if (!identityPending) hide(); });
  window.addEventListener("online", () => { setOnline(true); sync(); });
  window.addEventListener("offline", () => setOnline(false));
  if (!verdictBox.classList.contains("is-visible")) verdictBox.className = "verdict";
  else if (verdictBox.classList.contains("verdict-check_identity")) identityPending = true;
  else hideTimer = setTimeout(hide, VERDICT_MS);

  (async () => {
    // Offline entries not sent yet are not in the server's count: before sync() sends them.
    countEntries((await idbAll("queue")).filter((e) => e.value.event === eventId).length);
    const saved = await idbGet("bundles", eventId);
    if (saved) await useBundle(saved);
    await refreshBundle();
    await sync();
    showNetwork();
  })();
  setInterval(() => { if (navigator.onLine) { sync(); refreshBundle(); } }, 60000);
  startCamera();
})();
