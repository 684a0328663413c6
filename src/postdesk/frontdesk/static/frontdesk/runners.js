// The runner board, live: polls /api/v1/runner-tasks with If-None-Match (a 304 costs the
// server one aggregate query) and redraws when something changed; the buttons call the
// API's claim/start/finish/cancel/assign and redraw from the answer's next poll.

const root = document.getElementById("runner-board");
const list = document.getElementById("runner-tasks");
const fresh = document.getElementById("runner-fresh");
const errorBox = document.getElementById("runner-error");
const api = root.dataset.api;
const pollMs = Number(root.dataset.pollMs) || 2000;
let etag = root.dataset.etag || null;
let board = null;

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (e) {
    return "";
  }
}

function clock(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, action, task) {
  const b = el("button", { type: "button", "data-action": action }, label);
  b.addEventListener("click", () => act(task.id, action));
  return b;
}

function actionsFor(task) {
  const mine = task.runner_id === board.me;
  const out = [];
  if (board.can_run && task.status === "open") out.push(button("Claim", "claim", task));
  if (mine && task.status === "claimed") out.push(button("Start", "start", task));
  if (mine && (task.status === "claimed" || task.status === "started")) out.push(button("Done", "finish", task));
  const live = ["open", "claimed", "started"].includes(task.status);
  if (live && board.can_assign && task.status !== "started") out.push(button("Assign…", "assign", task));
  if (live && (task.posted_by_id === board.me || board.can_assign)) out.push(button("Cancel", "cancel", task));
  return out;
}

function render() {
  list.replaceChildren();
  if (!board.tasks.length) list.append(el("li", { class: "empty" }, "No tasks."));
  for (const task of board.tasks) {
    const li = el("li", { class: `task task-${task.status} prio-${task.priority}`, "data-id": task.id });
    li.append(el("strong", { class: "title" }, task.title));
    const meta = el("span", { class: "meta" });
    meta.append(el("span", { class: "place" }, task.place));
    meta.append(` · ${task.priority}`);
    if (task.due_at) meta.append(` · due ${clock(task.due_at)}`);
    meta.append(` · from ${task.posted_by}`);
    li.append(meta);
    if (task.details) li.append(el("span", { class: "meta" }, task.details));
    if (task.media) li.append(el("span", { class: "meta media-move" }, `Move ${task.media} to ${task.move_to}`));
    const state = el("span", { class: "meta" });
    state.append(el("span", { class: "status", "data-status": task.status }, task.status));
    if (task.runner) state.append(" · ", el("span", { class: "runner" }, task.runner));
    li.append(state);
    li.append(...actionsFor(task));
    list.append(li);
  }
}

function showFresh() {
  fresh.textContent = `Up to date as of ${new Date().toLocaleTimeString()}`;
}

async function poll() {
  const headers = { Accept: "application/json" };
  if (etag && board) headers["If-None-Match"] = etag;
  try {
    const res = await fetch(`${api}/runner-tasks`, { credentials: "same-origin", headers, cache: "no-store" });
    if (res.status === 200) {
      board = await res.json();
      etag = res.headers.get("ETag");
      render();
    }
    if (res.ok || res.status === 304) showFresh();
    else fresh.textContent = `Could not refresh (the server answered ${res.status}); retrying`;
  } catch (e) {
    fresh.textContent = "Offline: showing the last list received; retrying";
  }
}

async function act(id, action) {
  errorBox.hidden = true;
  let body = {};
  if (action === "assign") {
    const choice = document.getElementById("runner-select");
    const names = [...choice.options].map((o) => `${o.value}: ${o.textContent}`).join("\n");
    const picked = window.prompt(`Assign to which runner? Enter the number:\n${names}`);
    if (!picked) return;
    body = { runner: Number(picked) };
  }
  const res = await fetch(`${api}/runner-tasks/${id}/${action}`, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    const data = await res.json().catch(() => null);
    errorBox.textContent = (data && data.message) || `The server answered ${res.status}`;
    errorBox.hidden = false;
  }
  await poll();
}

board = null; // the first poll reads the full board so the buttons can be drawn
poll();
setInterval(poll, pollMs);
