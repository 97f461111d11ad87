// The rotating QR code (docs/ARCHITECTURE.md, « Rotating QR codes »), as etickets/tickets/tokens.py
// writes and reads its version 2: the ticket page signs a time step with the ticket's private key,
// the gate checks it offline with the site's public key alone.
//
//   certificate (122) = version 2 ‖ ticket id (16) ‖ event id (4) ‖ persons (1) ‖ key version (4)
//                       ‖ ticket public key (32) ‖ the site's Ed25519 signature (64)
//   code (190)        = certificate ‖ time step (4) ‖ the ticket key's signature (64), as "JO:"
//                       and base45 (which may begin with a space: the prefix keeps it inside)
window.JoTicketCode = (() => {
  const VERSION = 2;
  const STEP_SECONDS = 15;
  const TOLERANCE_STEPS = 1;
  const BODY_SIZE = 58;
  const CERTIFICATE_SIZE = BODY_SIZE + 64;
  const SIGNED_SIZE = CERTIFICATE_SIZE + 4;
  const SIZE = SIGNED_SIZE + 64;
  const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";
  const PREFIX = "JO:";
  const LENGTH = PREFIX.length + (SIZE / 2) * 3; // base45 of an even number of bytes

  // RFC 9285: each two bytes as three characters, least significant first.
  function base45Encode(bytes) {
    let text = "";
    for (let i = 0; i + 1 < bytes.length; i += 2) {
      let value = bytes[i] * 256 + bytes[i + 1];
      for (let digit = 0; digit < 3; digit += 1) {
        text += ALPHABET[value % 45];
        value = Math.floor(value / 45);
      }
    }
    if (bytes.length % 2) {
      const last = bytes[bytes.length - 1];
      text += ALPHABET[last % 45] + ALPHABET[Math.floor(last / 45)];
    }
    return text;
  }

  // The bytes of an even-length code (rotating codes are), or null if it is not base45.
  function base45Decode(text) {
    if (text.length % 3) return null;
    const bytes = new Uint8Array((text.length / 3) * 2);
    for (let i = 0; i < text.length; i += 3) {
      const digits = [0, 1, 2].map((k) => ALPHABET.indexOf(text[i + k]));
      if (digits.includes(-1)) return null;
      const value = digits[0] + digits[1] * 45 + digits[2] * 2025;
      if (value > 0xffff) return null;
      bytes[(i / 3) * 2] = value >> 8;
      bytes[(i / 3) * 2 + 1] = value & 0xff;
    }
    return bytes;
  }

  const stepAt = (milliseconds) => Math.floor(milliseconds / 1000 / STEP_SECONDS);

  function withStep(certificate, step) {
    const signed = new Uint8Array(SIGNED_SIZE);
    signed.set(certificate);
    new DataView(signed.buffer).setUint32(CERTIFICATE_SIZE, step);
    return signed;
  }

  // The code to show during ``step``: the certificate and the step, signed by the ticket's key.
  async function sign(certificate, privateKey, step) {
    const signed = withStep(certificate, step);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, privateKey, signed));
    const code = new Uint8Array(SIZE);
    code.set(signed);
    code.set(signature, SIGNED_SIZE);
    return PREFIX + base45Encode(code);
  }

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const uuid = (bytes) => {
    const h = hex(bytes);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };

  // A rotating code shown at ``nowMs``, checked as the server checks it (tokens._read_rotating):
  // {reason} for malformed, bad_signature, expired_code or future_code, else its claims.
  const bytesOf = (code) => (code.length === LENGTH && code.startsWith(PREFIX) ? base45Decode(code.slice(PREFIX.length)) : null);

  async function read(code, sitePublicKey, nowMs) {
    const bytes = bytesOf(code);
    if (!bytes || bytes[0] !== VERSION) return { reason: "malformed" };
    const view = new DataView(bytes.buffer);
    const body = bytes.slice(0, BODY_SIZE);
    const signed = bytes.slice(0, SIGNED_SIZE);
    const Ed25519 = { name: "Ed25519" };
    if (!(await crypto.subtle.verify(Ed25519, sitePublicKey, bytes.slice(BODY_SIZE, CERTIFICATE_SIZE), body))) {
      return { reason: "bad_signature" };
    }
    try {
      const ticketKey = await crypto.subtle.importKey("raw", bytes.slice(26, BODY_SIZE), Ed25519, false, ["verify"]);
      if (!(await crypto.subtle.verify(Ed25519, ticketKey, bytes.slice(SIGNED_SIZE), signed))) {
        return { reason: "bad_signature" };
      }
    } catch (error) {
      return { reason: "bad_signature" }; // not a key: the site signed it, but check anyway
    }
    const step = view.getUint32(CERTIFICATE_SIZE);
    const now = stepAt(nowMs);
    if (step < now - TOLERANCE_STEPS) return { reason: "expired_code" };
    if (step > now + TOLERANCE_STEPS) return { reason: "future_code" };
    return {
      ticketId: uuid(bytes.slice(1, 17)),
      eventId: view.getUint32(17),
      persons: bytes[21],
      keyVersion: view.getUint32(22),
      step,
    };
  }

  // The printed number (tickets.models.Ticket.number) of the ticket a rotating code claims to
  // be, unchecked: enough for a scanner to know the phone it just let in, as its code changes.
  function numberOf(code) {
    const bytes = bytesOf(code);
    return bytes && bytes[0] === VERSION ? hex(bytes.slice(1, 7)).toUpperCase() : null;
  }

  const isRotating = (code) => code.startsWith(PREFIX);

  return { isRotating, STEP_SECONDS, stepAt, sign, read, numberOf, base45Encode, base45Decode };
})();
