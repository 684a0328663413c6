// The scan station: a USB keyboard-wedge scanner types a code and then Enter.
//
// Items scanned are held in a list; the first location or badge code scanned after them
// is the destination, and the whole list moves there in one POST to /api/v1/scan. Each
// scan is one request (GET /api/v1/scan?code=...) that says what the code is. A repeat of
// the same code within two seconds is a double read, not a second scan, and is ignored.
// Focus stays in the scan field: the station is used with the scanner and the keyboard.

const REPEAT_MS = 2000;

const root = document.getElementById("scan-station");
const field = document.getElementById("scan-code");
const pendingList = document.getElementById("scan-pending");
const status = document.getElementById("scan-status");
const offer = document.getElementById("scan-offer");
const log = document.getElementById("scan-log");
const api = root.dataset.api;
const registerUrl = root.dataset.registerUrl;
const csrf = root.dataset.csrf;

const pending = []; // [{code, label, url}]
let last = { code: "", at: 0 };
let lastDestination = null; // {code, kind}: where an unknown item would be registered
let unknownCode = null;
let audio = null;
let queue = Promise.resolve();

function beep(ok) {
  // WebAudio: no sound files; a short high tone for done, a low buzz for a problem.
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.type = ok ? "sine" : "square";
    osc.frequency.value = ok ? 1320 : 220;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + (ok ? 0.12 : 0.35));
  } catch (err) {
    // No audio device: the visible cue still shows.
  }
}

function say(message, tone) {
  status.textContent = message;
  status.className = `scan-status ${tone}`;
  root.dataset.state = tone;
  if (tone === "ok" || tone === "error") beep(tone === "ok");
}

function renderPending() {
  pendingList.replaceChildren(
    ...pending.map((entry) => {
      const li = document.createElement("li");
      li.textContent = `${entry.code} — ${entry.label}`;
      return li;
    }),
  );
  document.getElementById("scan-count").textContent = String(pending.length);
}

function showOffer(code) {
  // Roles that may not register see the code and whom to ask, with no link.
  unknownCode = code;
  const link = offer.querySelector("a");
  if (link) {
    const params = new URLSearchParams({ barcode: code });
    if (lastDestination && lastDestination.kind === "location") {
      params.set("location", lastDestination.id);
    }
    link.href = `${registerUrl}?${params}`;
  }
  offer.querySelector("code").textContent = code;
  offer.hidden = false;
}

function hideOffer() {
  unknownCode = null;
  offer.hidden = true;
}

function addLog(text) {
  const li = document.createElement("li");
  li.textContent = text;
  log.prepend(li);
  while (log.children.length > 20) log.lastChild.remove();
}

async function request(url, options = {}) {
  const response = await fetch(url, {
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    ...options,
  });
  const body = await response.json().catch(() => ({}));
  return { ok: response.ok, status: response.status, body };
}

async function moveTo(target) {
  const codes = [...pending.map((entry) => entry.code), target.code];
  const { ok, body } = await request(api, { method: "POST", body: JSON.stringify({ codes }) });
  if (!ok) {
    say(body.message || "The move was refused", "error");
    return;
  }
  pending.length = 0;
  renderPending();
  const { destination, moved, unchanged, refused } = body;
  for (const entry of moved) addLog(`${entry.code} → ${destination.label}`);
  for (const entry of unchanged) addLog(`${entry.code} already at ${destination.label}`);
  for (const entry of refused) addLog(`${entry.code} refused: ${entry.message}`);
  const count = moved.length + unchanged.length;
  const done = `${moved.length === 1 ? "Moved 1 item" : `Moved ${moved.length} items`} to ${destination.label}`;
  if (refused.length) {
    say(`${done}; ${refused.length} refused: ${refused.map((e) => e.message).join("; ")}`, "error");
  } else {
    say(count === moved.length ? done : `${done} (${unchanged.length} already there)`, "ok");
  }
}

async function scan(code) {
  const { ok, status: httpStatus, body } = await request(`${api}?${new URLSearchParams({ code })}`);
  if (!ok) {
    say(body.message || `Could not look up ${code} (${httpStatus})`, "error");
    return;
  }
  hideOffer();
  if (body.kind === "item") {
    if (body.destroyed) {
      say(`${code} was destroyed: it cannot move`, "error");
    } else if (pending.some((entry) => entry.code === body.code)) {
      say(`${code} is already in the list`, "info");
    } else {
      pending.push({ code: body.code, label: body.label });
      renderPending();
      say(`${body.code} ${body.label}: now scan where it goes`, "info");
    }
  } else if (body.kind === "location" || body.kind === "badge") {
    lastDestination = { code: body.code, kind: body.kind, id: body.id };
    if (pending.length === 0) {
      say(`${body.label}: scan the items first, then this again`, "info");
      return;
    }
    await moveTo(body);
  } else {
    say(`${code} is not known`, "error");
    showOffer(code);
  }
}

field.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    pending.length = 0;
    renderPending();
    hideOffer();
    say("List cleared", "info");
    return;
  }
  if (event.key !== "Enter") return;
  event.preventDefault();
  const code = field.value.trim();
  field.value = "";
  if (!code) {
    // Enter on an empty field takes up the offer to register an unknown code.
    const link = offer.querySelector("a");
    if (unknownCode && link) window.location.href = link.href;
    return;
  }
  const now = Date.now();
  if (code === last.code && now - last.at < REPEAT_MS) {
    // Said after the first read's answer, which would otherwise overwrite it.
    queue = queue.then(() => {
      status.textContent = `${code} read twice: ignored`;
    });
    return;
  }
  last = { code, at: now };
  // Scans are handled one after another in the order typed: a scanner is faster than the
  // look-ups, and a destination must not overtake the items scanned before it.
  queue = queue.then(() => scan(code)).catch((err) => say(`Not done: ${err.message}. Scan again.`, "error"));
});

// Focus stays in the field: a click elsewhere on the station, or a lost focus, returns it.
field.addEventListener("blur", () => setTimeout(() => {
  if (!document.activeElement || document.activeElement === document.body) field.focus();
}, 0));
root.addEventListener("click", (event) => {
  if (!event.target.closest("a, button")) field.focus();
});
field.focus();
root.dataset.ready = "1";
