// The kiosk: search from three letters (expected visitors first), confirm the details,
// accept the production's NDA when asked, sign one a screening requires (typed name and
// ticked box) when asked, sign in through the API, open the badge.

const $ = (id) => document.getElementById(id);
const api = "/api/v1/frontdesk";
const csrf = document.body.dataset.csrf;
const form = $("step-details");
let chosen = {};
let nda = null;
let signNda = false;
let searchSeq = 0;

function show(step) {
  for (const id of ["step-search", "step-details", "step-done"]) $(id).hidden = id !== step;
}

function reset() {
  chosen = {};
  nda = null;
  signNda = false;
  form.reset();
  $("kiosk-nda").hidden = true;
  $("kiosk-sign-nda").hidden = true;
  $("kiosk-error").hidden = true;
  $("kiosk-name").value = "";
  $("kiosk-results").replaceChildren();
  show("step-search");
  $("kiosk-name").focus();
}

function pick(row) {
  chosen = { contact: row.contact || null, booking: row.booking || null, preregistration: row.preregistration || null };
  form.elements.name.value = row.name || "";
  form.elements.company.value = row.company || "";
  if (row.host_id) form.elements.host.value = String(row.host_id);
  show("step-details");
}

async function search() {
  const q = $("kiosk-name").value.trim();
  const seq = ++searchSeq;
  const list = $("kiosk-results");
  if (q.length < 3) {
    list.replaceChildren();
    return;
  }
  const res = await fetch(`${api}/search?${new URLSearchParams({ q })}`, { credentials: "same-origin" });
  if (seq !== searchSeq || !res.ok) return; // a later keystroke's answer wins
  const rows = await res.json();
  list.replaceChildren(
    ...rows.map((row) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = row.expected ? "expected" : "earlier";
      b.textContent = row.company ? `${row.name} · ${row.company}` : row.name;
      b.addEventListener("click", () => pick(row));
      li.append(b);
      return li;
    }),
  );
}

async function signIn(event) {
  event.preventDefault();
  const data = new FormData(form);
  const body = {
    name: data.get("name"),
    company: data.get("company") || "",
    car_registration: data.get("car_registration") || "",
    host: data.get("host") ? Number(data.get("host")) : null,
    ...chosen,
  };
  if (nda && data.get("accept_nda")) body.accept_nda_version = nda.version;
  if (signNda) {
    body.nda_signature = data.get("nda_signature") || "";
    body.nda_agreed = Boolean(data.get("nda_agreed"));
  }
  const res = await fetch(`${api}/visits`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => null);
  if (res.status === 201) {
    $("kiosk-welcome").textContent = `Welcome, ${answer.name}`;
    $("kiosk-badge").href = `${api}/visits/${answer.id}/badge.pdf`;
    show("step-done");
    return;
  }
  if (answer && answer.code === "nda_required") {
    nda = answer.details.nda;
    $("kiosk-nda-text").textContent = nda.text;
    $("kiosk-nda").hidden = false;
  }
  if (answer && answer.code === "nda_signature_required") {
    signNda = true;
    $("kiosk-sign-nda-reason").textContent = answer.details.nda.reason;
    $("kiosk-sign-nda-text").textContent = answer.details.nda.text;
    $("kiosk-sign-nda").hidden = false;
  }
  $("kiosk-error").textContent = (answer && answer.message) || `Something went wrong (${res.status})`;
  $("kiosk-error").hidden = false;
}

$("kiosk-name").addEventListener("input", search);
$("kiosk-walk-in").addEventListener("click", () => pick({ name: $("kiosk-name").value.trim() }));
$("kiosk-back").addEventListener("click", reset);
$("kiosk-again").addEventListener("click", reset);
form.addEventListener("submit", signIn);
reset();
