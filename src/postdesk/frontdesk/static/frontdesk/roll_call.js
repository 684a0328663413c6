// On site now and the fire roll call: polls /api/v1/frontdesk/roll-call with an ETag, so
// every marshal's phone shows the same ticks within seconds; says how fresh it is.

const root = document.getElementById("roll-call");
const api = "/api/v1/frontdesk";
const pollMs = Number(root.dataset.pollMs) || 3000;
const $ = (id) => document.getElementById(id);
let etag = null;
let data = null;

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (e) {
    return "";
  }
}

async function post(path, body) {
  const res = await fetch(`${api}/roll-call/${path}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body || {}),
  });
  if (!res.ok) {
    const answer = await res.json().catch(() => null);
    $("roll-error").textContent = (answer && answer.message) || `The server answered ${res.status}`;
    $("roll-error").hidden = false;
  } else {
    $("roll-error").hidden = true;
  }
  await poll();
}

function item(text, detail, buttonLabel, onClick) {
  const li = document.createElement("li");
  li.className = "task";
  const strong = document.createElement("strong");
  strong.className = "title";
  strong.textContent = text;
  li.append(strong);
  if (detail) {
    const span = document.createElement("span");
    span.className = "meta";
    span.textContent = detail;
    li.append(span);
  }
  if (buttonLabel) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = buttonLabel;
    b.addEventListener("click", onClick);
    li.append(b);
  }
  return li;
}

function render() {
  const open = data.roll_call !== null;
  $("roll-start").hidden = open;
  $("roll-close").hidden = !open;
  $("roll-state").textContent = open ? `Roll call running since ${new Date(data.started_at).toLocaleTimeString()}` : "";
  $("list-on-site").replaceChildren(
    ...data.on_site.map((p) => item(p.name, `${p.kind} · ${p.detail}`, open ? "Safe" : null, () => post("mark", { person: p.key, name: p.name }))),
  );
  $("list-safe").replaceChildren(
    ...data.safe.map((p) => item(p.name, `marked by ${p.marked_by}`, open ? "Undo" : null, () => post("unmark", { person: p.key }))),
  );
  $("list-expected").replaceChildren(...data.expected.map((p) => item(p.name, `${p.company} · host ${p.host}`)));
  $("count-on-site").textContent = `(${data.on_site.length})`;
  $("count-safe").textContent = `(${data.safe.length})`;
  $("count-expected").textContent = `(${data.expected.length})`;
}

async function poll() {
  const headers = { Accept: "application/json" };
  if (etag && data) headers["If-None-Match"] = etag;
  try {
    const res = await fetch(`${api}/roll-call`, { credentials: "same-origin", headers, cache: "no-store" });
    if (res.status === 200) {
      data = await res.json();
      etag = res.headers.get("ETag");
      render();
    }
    if (res.ok || res.status === 304) {
      $("roll-fresh").textContent = `Live: checked ${new Date().toLocaleTimeString()} (every ${pollMs / 1000} s); list as of ${new Date(data.as_of).toLocaleTimeString()}`;
    } else {
      $("roll-fresh").textContent = `NOT CURRENT: the server answered ${res.status}; retrying. Print the last copy if needed.`;
    }
  } catch (e) {
    const when = data ? new Date(data.as_of).toLocaleTimeString() : "never";
    $("roll-fresh").textContent = `OFFLINE: showing the list as of ${when}; retrying`;
  }
}

$("roll-start").addEventListener("click", () => post("start"));
$("roll-close").addEventListener("click", () => post("close"));
poll();
setInterval(poll, pollMs);
