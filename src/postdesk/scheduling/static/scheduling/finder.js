// The availability finder: "these resources together, plus any one free colourist, this
// long, in these weeks". It asks the availability endpoint, lists the spans that work
// and marks them on the board; picking one opens the booking form filled in, so booking
// it is a second click.
//
// Pencils do not make time busy, but the finder never offers held time as plain "free":
// each span says how many pencils hold it ("free, 3 pencils"), and "Only time with no
// holds" leaves held time out altogether.

import * as T from "./time.js";
import { refusalText } from "./api.js";
import { openCreatePanel, closePanel } from "./panel.js";
import { makePicker } from "./picker.js";

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

export function heldText(holds) {
  return holds ? `free, ${holds} pencil${holds === 1 ? "" : "s"}` : "free";
}

// GET /availability/slots answers {"slots": [{"start", "end", "free_until", "holds",
// "candidates"?: [{"id", "name", "holds"}]}]}.
function slotsOf(res, named) {
  const list = Array.isArray(res) ? res : (res && res.slots) || [];
  return list.map((s, index) => {
    const candidates = s.candidates ? s.candidates.map((c) => ({ id: c.id, name: c.name, holds: c.holds || 0 })) : null;
    return {
      index, start: Date.parse(s.start), end: Date.parse(s.end), holds: s.holds || 0, named, candidates,
      resources: [...named, ...(candidates || []).map((c) => c.id)],
    };
  });
}

// N working days in a row: runs of daily slots on consecutive days, skipping days off
// (weekends, or any day none of the resources works), as one span each. A run holds as
// many pencils as its most held day, and "any one" must be the same person every day.
function dayRuns(daily, n, tz) {
  const byDay = new Map();
  for (const s of daily) {
    const d = T.localDate(s.start, tz);
    const known = byDay.get(d);
    if (!known || s.holds < known.holds) byDay.set(d, s);
  }
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
    if (!ok) continue;
    const parts = picked.map((d) => byDay.get(d));
    const first = parts[0], last = parts[n - 1];
    let candidates = null;
    if (first.candidates) {
      candidates = first.candidates
        .filter((c) => parts.every((p) => p.candidates.some((o) => o.id === c.id)))
        .map((c) => ({ ...c, holds: Math.max(...parts.map((p) => p.candidates.find((o) => o.id === c.id).holds)) }))
        .sort((a, b) => a.holds - b.holds);
      if (!candidates.length) continue;
    }
    runs.push({
      index: runs.length, start: first.start, end: last.end, named: first.named, candidates,
      holds: candidates ? candidates[0].holds : Math.max(...parts.map((p) => p.holds)),
      resources: [...first.named, ...(candidates || []).map((c) => c.id)], parts,
    });
  }
  return runs;
}

// The resources to book for a span: the named ones, and the chosen candidate (or the
// least held one) when "any one" was asked for.
export function bookingResources(slot, pick) {
  if (!slot.candidates) return slot.named;
  const chosen = slot.candidates.find((c) => c.id === pick) || slot.candidates[0];
  return [...slot.named, chosen.id];
}

function slotHtml(s, tz) {
  const when = esc(T.spanLabel(s.start, s.end, tz));
  if (!s.candidates) {
    return `<li><button type="button" data-slot="${s.index}" class="${s.holds ? "held" : ""}">${when} <span class="holds">· ${heldText(s.holds)}</span></button></li>`;
  }
  const picks = s.candidates.slice(0, 6).map((c) => `<button type="button" data-slot="${s.index}" data-pick="${c.id}" class="${c.holds ? "held" : ""}">${esc(c.name)} <span class="holds">· ${heldText(c.holds)}</span></button>`).join("");
  const more = s.candidates.length > 6 ? `<span class="muted">and ${s.candidates.length - 6} more</span>` : "";
  return `<li class="with-picks"><span class="when">${when}</span><span class="picks">${picks}${more}</span></li>`;
}

export function setupFinder(ctx) {
  const finder = document.getElementById("board-finder");
  const toggle = document.getElementById("board-find");
  const form = document.getElementById("finder-form");
  const results = document.getElementById("finder-results");
  const picker = makePicker(document.getElementById("finder-picker"), {
    id: "finder-resources", name: "resources", label: "Resources needed together", resources: ctx.allResources,
  });
  let slots = [];

  function openFinder() {
    closePanel();
    picker.set(picker.values()); // redraw the chips with the board's current names
    if (!form.elements.from.value) {
      form.elements.from.value = ctx.cfg.today;
      form.elements.to.value = T.addDays(ctx.cfg.today, 21);
    }
    finder.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    picker.focus();
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
    const resources = picker.values();
    const anyKind = form.elements.any_kind.value;
    const anySkill = form.elements.any_skill.value;
    if (!resources.length && !anyKind && !anySkill) {
      results.innerHTML = '<p class="error">Choose at least one resource, or any one of a kind or skill.</p>';
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
      pencils_block: form.elements.no_holds.checked ? "true" : "false",
      limit: byDays && working ? 100 : 20,
    };
    if (anyKind) params.any_kind = anyKind;
    if (anySkill) params.any_skill = anySkill;
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
    const held = slots.filter((s) => s.holds).length;
    results.innerHTML = `<p>${slots.length} span${slots.length === 1 ? "" : "s"} free${held ? `, ${held} of them held by pencils` : ""}; marked on the board. Pick one to book it:</p>
      <ul class="slots">${slots.slice(0, 50).map((s) => slotHtml(s, ctx.tz)).join("")}</ul>`;
  });

  results.addEventListener("click", (ev) => {
    const btn = ev.target.closest("[data-slot]");
    if (!btn) return;
    const slot = slots[+btn.dataset.slot];
    ctx.goTo(T.localDate(slot.start, ctx.tz));
    if (ctx.canEdit) {
      finder.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      openCreatePanel(ctx, { resources: bookingResources(slot, btn.dataset.pick ? +btn.dataset.pick : null), start: slot.start, end: slot.end });
    }
  });
}
