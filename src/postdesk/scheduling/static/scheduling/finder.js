// The availability finder: "these resources together, this long, in these weeks".
// It asks the availability endpoint, lists the spans that work and marks them on the
// board; picking one opens the booking form filled in, so booking it is a second click.

import * as T from "./time.js";
import { refusalText } from "./api.js";
import { openCreatePanel, closePanel } from "./panel.js";

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// GET /availability/slots answers {"slots": [{"start", "end", "free_until"}, ...]}.
function slotsOf(res, resources) {
  const list = Array.isArray(res) ? res : (res && res.slots) || [];
  return list.map((s, index) => ({ index, start: Date.parse(s.start), end: Date.parse(s.end), resources }));
}

// N working days in a row: runs of daily slots on consecutive days, skipping days off
// (weekends, or any day none of the resources works), as one span each.
function dayRuns(daily, n, tz) {
  const byDay = new Map(daily.map((s) => [T.localDate(s.start, tz), s]));
  const days = [...byDay.keys()].sort();
  const runs = [];
  for (let i = 0; i + n <= days.length; i++) {
    const picked = days.slice(i, i + n);
    let ok = true;
    for (let k = 1; k < picked.length && ok; k++) {
      // Consecutive unless the gap is only a weekend.
      let d = T.addDays(picked[k - 1], 1);
      while (d !== picked[k] && T.weekday(d) >= 5) d = T.addDays(d, 1);
      ok = d === picked[k];
    }
    if (ok) {
      const first = byDay.get(picked[0]), last = byDay.get(picked[n - 1]);
      runs.push({ index: runs.length, start: first.start, end: last.end, resources: first.resources,
        parts: picked.map((d) => byDay.get(d)) });
    }
  }
  return runs;
}

export function setupFinder(ctx) {
  const finder = document.getElementById("board-finder");
  const toggle = document.getElementById("board-find");
  const form = document.getElementById("finder-form");
  const results = document.getElementById("finder-results");
  const select = document.getElementById("finder-resources");
  let slots = [];

  function openFinder() {
    closePanel();
    const chosen = new Set([...select.selectedOptions].map((o) => +o.value));
    select.innerHTML = ctx.allResources()
      .map((r) => `<option value="${r.id}"${chosen.has(r.id) ? " selected" : ""}>${esc(r.name)} · ${esc(r.kind)}${r.skills && r.skills.length ? " · " + esc(r.skills.map((s) => s.name || s).join(", ")) : ""}</option>`)
      .join("");
    if (!form.elements.from.value) {
      form.elements.from.value = ctx.cfg.today;
      form.elements.to.value = T.addDays(ctx.cfg.today, 21);
    }
    finder.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    select.focus();
  }

  function closeFinder() {
    finder.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    ctx.setHighlights([]);
    toggle.focus();
  }

  toggle.addEventListener("click", () => (finder.hidden ? openFinder() : closeFinder()));
  document.getElementById("board-finder-close").addEventListener("click", closeFinder);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const resources = [...select.selectedOptions].map((o) => +o.value);
    if (!resources.length) {
      results.innerHTML = '<p class="error">Choose at least one resource.</p>';
      return;
    }
    const amount = Math.max(1, +form.elements.amount.value || 1);
    const working = form.elements.working_hours.checked;
    const byDays = form.elements.unit.value === "days";
    // A booking day is 10 working hours (DOMAIN); inside working hours each day is its own
    // span, so N days are found as N daily slots in a row.
    const duration = !byDays ? `PT${amount}H` : working ? "PT10H" : `P${amount}D`;
    const params = {
      resources: resources.join(","), duration,
      from: T.isoLocal(T.localInstant(form.elements.from.value, 0, 0, ctx.tz), ctx.tz),
      to: T.isoLocal(T.localInstant(T.addDays(form.elements.to.value, 1), 0, 0, ctx.tz), ctx.tz),
      working_hours: working ? "true" : "false",
      limit: byDays && working ? 100 : 20,
    };
    results.innerHTML = '<p class="muted">Looking…</p>';
    try {
      slots = slotsOf(await ctx.api.slots(params), resources);
      if (byDays && working) slots = dayRuns(slots, amount, ctx.tz);
    } catch (err) {
      results.innerHTML = `<p class="error" role="alert">${esc(refusalText(err))}</p>`;
      return;
    }
    ctx.setHighlights(slots);
    if (!slots.length) {
      results.innerHTML = '<p class="empty">No span fits. Try a longer range, fewer resources or outside working hours.</p>';
      return;
    }
    results.innerHTML = `<p>${slots.length} span${slots.length === 1 ? "" : "s"} free, marked on the board. Pick one to book it:</p>
      <ul class="slots">${slots.slice(0, 50).map((s) => `<li><button type="button" data-slot="${s.index}">${esc(T.spanLabel(s.start, s.end, ctx.tz))}</button></li>`).join("")}</ul>`;
  });

  results.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-slot]");
    if (!btn) return;
    const slot = slots[+btn.dataset.slot];
    ctx.goTo(T.localDate(slot.start, ctx.tz));
    if (ctx.canEdit) {
      finder.hidden = true;
      openCreatePanel(ctx, { resources: slot.resources, start: slot.start, end: slot.end });
    }
  });
}
