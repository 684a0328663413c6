// The side panel: a new booking's form, and a booking's details with its actions.
// Every action is one API call; the board then refreshes from the board endpoint.

import * as T from "./time.js";
import { ApiError, refusalText } from "./api.js";
import { makePicker } from "./picker.js";

const panel = () => document.getElementById("board-panel");
const body = () => document.getElementById("board-panel-body");
const title = () => document.getElementById("board-panel-title");
let returnFocus = null;

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// What the role may book (core/roles.py, via the page's config): which kinds, and for a
// role limited to some work types, the jobs offered. The server refuses the rest anyway;
// this only keeps the board from offering what would be refused.
export function mayBook(cfg, b) {
  if (!cfg.canEdit || !(cfg.bookKinds || []).includes(b.kind)) return false;
  return b.kind !== "job" || !cfg.jobsLimited || cfg.jobs.some((j) => j.id === b.job);
}

const KIND_OPTIONS = {
  job: "Job (client work)", maintenance: "Maintenance", leave: "Leave", internal: "Internal",
};

export function setupPanel(ctx) {
  document.getElementById("board-panel-close").addEventListener("click", closePanel);
}

function open(heading) {
  if (panel().hidden) returnFocus = document.activeElement;
  document.getElementById("board-finder").hidden = true;
  document.getElementById("board-find").setAttribute("aria-expanded", "false");
  title().textContent = heading;
  panel().hidden = false;
}

export function closePanel() {
  if (panel().hidden) return;
  panel().hidden = true;
  body().innerHTML = "";
  if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
  returnFocus = null;
}

// Field errors from a 422 go next to their fields; anything else above the buttons.
function showErrors(form, err) {
  for (const node of form.querySelectorAll(".errorlist")) node.textContent = "";
  const fields = (err instanceof ApiError && err.details && err.details.fields) || {};
  let placed = false;
  for (const [name, msgs] of Object.entries(fields)) {
    const slot = form.querySelector(`.errorlist[data-for="${name.split(".")[0]}"]`);
    if (slot) {
      slot.textContent = [].concat(msgs).join(" ");
      placed = true;
    }
  }
  const top = form.querySelector(".form-error");
  top.textContent = placed ? "Please correct the marked fields." : refusalText(err);
  top.hidden = false;
  top.focus();
}

export function openCreatePanel(ctx, { resources, start, end }) {
  if (!ctx.canEdit) return;
  open("New booking");
  const jobs = ctx.cfg.jobs.map((j) => `<option value="${j.id}">${esc(j.label)}</option>`).join("");
  body().innerHTML = `
  <form class="stack" id="create-form" novalidate>
    <p class="form-error error" role="alert" tabindex="-1" hidden></p>
    <label for="cf-kind">Kind</label>
    <select id="cf-kind" name="kind">
      ${(ctx.cfg.bookKinds || []).map((k) => `<option value="${k}">${KIND_OPTIONS[k] || esc(k)}</option>`).join("")}
    </select>
    <div class="job-field"${(ctx.cfg.bookKinds || [])[0] === "job" ? "" : " hidden"}>
      <label for="cf-job">Job</label>
      <select id="cf-job" name="job" required><option value="">Choose a job…</option>${jobs}</select>
      <ul class="errorlist" data-for="job"></ul>
    </div>
    <fieldset class="status"><legend>Status</legend>
      <label class="inline"><input type="radio" name="status" value="pencil" checked> Pencil (hold)</label>
      <label class="inline"><input type="radio" name="status" value="confirmed"> Confirmed</label>
    </fieldset>
    <ul class="errorlist" data-for="status"></ul>
    <div id="cf-resources-picker"></div>
    <ul class="errorlist" data-for="resources"></ul>
    <div class="row">
      <div><label for="cf-start">Start</label><input type="datetime-local" id="cf-start" name="start" step="900" value="${T.toInputValue(start, ctx.tz)}" required></div>
      <div><label for="cf-end">End</label><input type="datetime-local" id="cf-end" name="end" step="900" value="${T.toInputValue(end, ctx.tz)}" required></div>
    </div>
    <ul class="errorlist" data-for="start"></ul><ul class="errorlist" data-for="end"></ul>
    <label for="cf-title">Title <span class="hint">(optional)</span></label>
    <input id="cf-title" name="title" maxlength="200">
    <ul class="errorlist" data-for="title"></ul>
    <label for="cf-notes">Notes</label>
    <textarea id="cf-notes" name="notes" rows="2"></textarea>
    <div class="form-warning" id="cf-warnings" role="status" aria-live="polite" hidden></div>
    <div class="buttons"><button type="submit" class="primary">Book</button> <button type="button" data-close>Cancel</button></div>
  </form>`;
  const form = document.getElementById("create-form");
  const picker = makePicker(document.getElementById("cf-resources-picker"), {
    id: "cf-resources", name: "resources", label: "Resources", resources: ctx.allResources,
    chosen: resources, onChange: () => lookAhead(ctx, form),
  });
  const kindSel = form.elements.kind;
  const onKind = () => {
    form.querySelector(".job-field").hidden = kindSel.value !== "job";
    // Maintenance and leave are always confirmed (the API refuses them as pencils).
    if (["maintenance", "leave"].includes(kindSel.value)) form.elements.status.value = "confirmed";
  };
  kindSel.addEventListener("change", onKind);
  onKind();
  form.addEventListener("change", (ev) => { if (!ev.target.closest(".picker")) lookAhead(ctx, form); });
  lookAhead(ctx, form);
  form.querySelector("[data-close]").addEventListener("click", closePanel);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(form);
    const payload = {
      resources: data.getAll("resources").map(Number),
      start: T.isoLocal(T.fromInputValue(data.get("start"), ctx.tz), ctx.tz),
      end: T.isoLocal(T.fromInputValue(data.get("end"), ctx.tz), ctx.tz),
      status: data.get("status"),
      title: data.get("title") || "",
      notes: data.get("notes") || "",
    };
    if (data.get("kind") === "job") {
      if (!data.get("job")) return showErrors(form, new ApiError(422, { message: "Choose a job", details: { fields: { job: ["Choose the job this booking is for."] } } }));
      payload.job = Number(data.get("job"));
    } else {
      payload.kind = data.get("kind");
    }
    if (!payload.resources.length) return showErrors(form, new ApiError(422, { message: "Choose a resource", details: { fields: { resources: ["Choose at least one resource."] } } }));
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const booking = await ctx.api.createBooking(payload);
      ctx.showMessage(`Booked: ${payload.status === "pencil" ? "pencil" : "confirmed"} on ${payload.resources.map(ctx.resourceName).join(", ")}.`, "ok");
      closePanel();
      await ctx.refresh();
      if (booking && booking.id) document.querySelector(`.block[data-b="${booking.id}"]`)?.focus();
    } catch (err) {
      showErrors(form, err);
    } finally {
      button.disabled = false;
    }
  });
  (form.elements.job.options.length > 1 ? form.elements.job : kindSel).focus();
  return picker;
}

// Before saving, ask the API what stands in the way of this booking (GET
// /availability/check): a pencil behind a confirmed booking, or on time other pencils
// already hold, is warned of here; the coordinator may still book it.
let lookTimer = null;
let lookSeq = 0;
function lookAhead(ctx, form) {
  clearTimeout(lookTimer);
  lookTimer = setTimeout(async () => {
    const box = form.querySelector("#cf-warnings");
    if (!box || !document.contains(form)) return;
    const data = new FormData(form);
    const resources = data.getAll("resources").map(Number);
    const start = data.get("start") && T.fromInputValue(data.get("start"), ctx.tz);
    const end = data.get("end") && T.fromInputValue(data.get("end"), ctx.tz);
    const seq = ++lookSeq;
    if (!resources.length || !start || !end || !(end > start)) {
      box.hidden = true;
      return;
    }
    try {
      const outlook = await ctx.api.check({
        resources: resources.join(","), start: T.isoLocal(start, ctx.tz), end: T.isoLocal(end, ctx.tz),
        status: data.get("status") || "pencil",
      });
      if (seq !== lookSeq) return;
      const warnings = (outlook && outlook.warnings) || [];
      box.innerHTML = warnings.map((w) => `<p>${esc(w)}</p>`).join("");
      box.hidden = !warnings.length;
    } catch (err) {
      // The warning is advice: without it the booking can still be made (and refused
      // with reasons if it clashes).
      if (seq === lookSeq) box.hidden = true;
    }
  }, 200);
}

const ACTIONS = [
  { verb: "confirm", label: "Confirm", when: (b) => b.status === "pencil", primary: true },
  { verb: "release", label: "Release", when: (b) => b.status === "pencil" },
  { verb: "challenge", label: "Challenge the hold above", when: (b) => b.status === "pencil" && b.rank > 1 },
  { verb: "split", label: "Split into days", when: (b) => ["pencil", "confirmed"].includes(b.status),
    ask: "Split this booking into one booking per day?" },
  { verb: "cancel", label: "Cancel booking", when: (b) => ["pencil", "confirmed"].includes(b.status), danger: true,
    ask: "Cancel this booking? It is kept in the history but frees the resources." },
];

// The booking as the board knows it, completed by GET /bookings/{id}.
function summarise(ctx, booking, allocs) {
  const first = allocs[0] || {};
  const resources = booking && booking.allocations
    ? booking.allocations.map((a) => ({ id: a.resource_id ?? a.resource, name: a.resource_name || ctx.resourceName(a.resource_id ?? a.resource), rank: a.hold_rank }))
    : allocs.map((a) => ({ id: a.resource, name: ctx.resourceName(a.resource), rank: a.rank }));
  const ranks = resources.map((r) => r.rank).filter(Boolean);
  return {
    id: booking ? booking.id : first.booking,
    job: booking ? booking.job : first.job,
    status: booking ? booking.status : first.status,
    kind: (booking && booking.kind) || first.kind || "job",
    title: booking ? booking.title : first.title,
    notes: booking ? booking.notes : "",
    start: booking ? Date.parse(booking.start) : first.start,
    end: booking ? Date.parse(booking.end) : first.end,
    challengeDeadline: booking && booking.challenge_deadline ? Date.parse(booking.challenge_deadline) : first.challengeDeadline,
    owner: first.owner || (booking && booking.owner_name) || "",
    clientName: first.clientName || (booking && booking.client_name) || "",
    productionTitle: first.productionTitle || (booking && booking.production_title) || "",
    jobNumber: first.jobNumber || (booking && booking.job_number) || "",
    resources,
    rank: ranks.length ? Math.max(...ranks) : null,
  };
}

export async function openBookingPanel(ctx, bookingId) {
  open("Booking");
  body().innerHTML = '<p class="muted">Loading…</p>';
  const allocs = ctx.state.byBooking.get(bookingId) || [];
  let booking = null;
  try {
    booking = await ctx.api.getBooking(bookingId);
  } catch (err) {
    if (!allocs.length) {
      body().innerHTML = `<p class="error" role="alert">${esc(refusalText(err))}</p>`;
      return;
    }
  }
  renderDetails(ctx, summarise(ctx, booking, allocs));
}

function renderDetails(ctx, b) {
  const who = [b.clientName, b.productionTitle].filter(Boolean).join(" / ");
  title().textContent = who || b.title || "Booking";
  const rankText = b.status === "pencil" ? `${b.rank ? T.ordinal(b.rank) + " " : ""}pencil` : b.status;
  const canEdit = mayBook(ctx.cfg, b);
  const actions = canEdit ? ACTIONS.filter((a) => a.when(b)).map((a) =>
    `<button type="button" data-verb="${a.verb}" class="${a.primary ? "primary" : a.danger ? "danger" : ""}">${a.label}</button>`).join(" ") : "";
  const others = ctx.allResources().filter((r) => !b.resources.some((x) => x.id === r.id));
  body().innerHTML = `
  <dl class="facts">
    <dt>Status</dt><dd><span class="badge ${b.status === "confirmed" ? "ok" : "warn"}">${esc(rankText)}</span></dd>
    ${b.challengeDeadline ? `<dt>Challenged</dt><dd>confirm or release by ${esc(T.whenLabel(b.challengeDeadline, ctx.tz))}</dd>` : ""}
    ${b.jobNumber ? `<dt>Job</dt><dd>${esc(b.jobNumber)}</dd>` : ""}
    ${b.title ? `<dt>Title</dt><dd>${esc(b.title)}</dd>` : ""}
    <dt>When</dt><dd>${esc(T.spanLabel(b.start, b.end, ctx.tz))}</dd>
    <dt>Resources</dt><dd><ul class="plain">${b.resources.map((r) => `<li>${esc(r.name)}${r.rank ? ` · ${T.ordinal(r.rank)} pencil` : ""}</li>`).join("")}</ul></dd>
    ${b.owner ? `<dt>Booked by</dt><dd>${esc(b.owner)}</dd>` : ""}
    ${b.notes ? `<dt>Notes</dt><dd>${esc(b.notes)}</dd>` : ""}
  </dl>
  <p class="form-error error" role="alert" tabindex="-1" hidden></p>
  ${canEdit ? `<div class="actions">${actions}</div>
  ${["pencil", "confirmed"].includes(b.status) ? `
  <details class="edit"><summary>Edit</summary>
    <form class="stack" id="edit-form" novalidate>
      <div class="row">
        <div><label for="ef-start">Start</label><input type="datetime-local" id="ef-start" name="start" step="900" value="${T.toInputValue(b.start, ctx.tz)}" required></div>
        <div><label for="ef-end">End</label><input type="datetime-local" id="ef-end" name="end" step="900" value="${T.toInputValue(b.end, ctx.tz)}" required></div>
      </div>
      <ul class="errorlist" data-for="start"></ul><ul class="errorlist" data-for="end"></ul>
      <label for="ef-title">Title</label><input id="ef-title" name="title" maxlength="200" value="${esc(b.title)}">
      <ul class="errorlist" data-for="title"></ul>
      <label for="ef-notes">Notes</label><textarea id="ef-notes" name="notes" rows="2">${esc(b.notes)}</textarea>
      <p class="form-error error" role="alert" tabindex="-1" hidden></p>
      <button type="submit" class="primary">Save changes</button>
    </form>
  </details>
  <form class="stack add-resource" id="add-form">
    <label for="af-resource">Add a resource</label>
    <div class="row"><select id="af-resource" name="resource" required><option value="">Choose…</option>${others.map((r) => `<option value="${r.id}">${esc(r.name)}</option>`).join("")}</select>
    <button type="submit">Add</button></div>
    <ul class="errorlist" data-for="resources"></ul>
    <p class="form-error error" role="alert" tabindex="-1" hidden></p>
  </form>` : ""}` : ""}`;
  if (!canEdit) {
    title().focus();
    return;
  }
  const errorBox = body().querySelector(".form-error");
  for (const btn of body().querySelectorAll("[data-verb]")) {
    btn.addEventListener("click", async () => {
      const action = ACTIONS.find((a) => a.verb === btn.dataset.verb);
      if (action.ask && !window.confirm(action.ask)) return;
      btn.disabled = true;
      try {
        await ctx.api.action(b.id, action.verb);
        ctx.showMessage(`${action.label}: done.`, "ok");
        await ctx.refresh();
        if (["cancel", "release", "split"].includes(action.verb)) closePanel();
        else openBookingPanel(ctx, b.id);
      } catch (err) {
        errorBox.textContent = refusalText(err);
        errorBox.hidden = false;
        errorBox.focus();
        btn.disabled = false;
      }
    });
  }
  const edit = document.getElementById("edit-form");
  edit?.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const data = new FormData(edit);
    const change = {};
    const start = T.fromInputValue(data.get("start"), ctx.tz);
    const end = T.fromInputValue(data.get("end"), ctx.tz);
    if (start !== b.start) change.start = T.isoLocal(start, ctx.tz);
    if (end !== b.end) change.end = T.isoLocal(end, ctx.tz);
    if ((data.get("title") || "") !== (b.title || "")) change.title = data.get("title") || "";
    if ((data.get("notes") || "") !== (b.notes || "")) change.notes = data.get("notes") || "";
    if (!Object.keys(change).length) return;
    try {
      await ctx.api.updateBooking(b.id, change);
      if (change.start || change.end) {
        ctx.onUndoable({ booking: b.id, before: { start: b.start, end: b.end, resources: b.resources.map((r) => r.id) } });
      }
      ctx.showMessage("Saved.", "ok");
      await ctx.refresh();
      openBookingPanel(ctx, b.id);
    } catch (err) {
      showErrors(edit, err);
    }
  });
  const add = document.getElementById("add-form");
  add?.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const id = Number(add.elements.resource.value);
    if (!id) return;
    try {
      await ctx.api.updateBooking(b.id, { resources: [...b.resources.map((r) => r.id), id] });
      ctx.showMessage(`Added ${ctx.resourceName(id)}.`, "ok");
      await ctx.refresh();
      openBookingPanel(ctx, b.id);
    } catch (err) {
      showErrors(add, err);
    }
  });
  title().focus();
}
