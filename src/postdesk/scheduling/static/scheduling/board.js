// The booking board: a lean resource timeline in plain JS (no build step).
//
// Why not a library: measured on 150 resources x 2,000 bookings a week, @event-calendar
// drew in 1.6 s (no row virtualisation) and vis-timeline has no drag-select on a row.
// This board draws only the rows on screen (row virtualisation: ~30 row elements whatever
// the resource count), positions blocks absolutely, and uses pointer events for create,
// move and resize. All data comes from GET /api/v1/board, one request per view change.
//
// Live updates: every open board polls the board endpoint every ~1.5 s with
// If-None-Match. Unchanged data answers 304 with no body, so a poll costs one cheap
// request; a change by anyone shows within two seconds. Polling was chosen over
// server-sent events because the app runs under gunicorn sync workers: an SSE stream
// would pin one worker per open board, while a conditional GET holds none.

import { makeApi, refusalText } from "./api.js";
import * as T from "./time.js";
import { openCreatePanel, openBookingPanel, closePanel, setupPanel, mayBook } from "./panel.js";
import { setupFinder, bookingResources, heldText } from "./finder.js";
import { blockLabel } from "./labels.js";
import { drawBand } from "./band.js";

const cfg = JSON.parse(document.getElementById("board-config").textContent);
const tz = cfg.timeZone;
const api = makeApi(cfg.api);
const app = document.getElementById("board-app");
const canEdit = cfg.canEdit;

const ROW_H = 36;
const LANE_H = 15; // rows with three or more overlapping bookings grow, a lane each
const LABEL_W = 210;
const OVERSCAN = 6;
const KIND_ORDER = { room: 0, person: 1, equipment: 2 };
const KIND_LABEL = { room: "Rooms", person: "People", equipment: "Equipment" };

const el = (id) => document.getElementById(id);
const scrollEl = el("board-scroll");
const headEl = el("board-head");
const bandEl = el("board-band");
const innerEl = el("board-inner");
const colsEl = el("board-columns");
const rowsEl = el("board-rows");
const tipEl = el("board-tip");
const msgEl = el("board-message");

// A display choice: from the URL when it names one (a shared link), else as this browser
// last left it, else the default.
function displayChoice(param, yes, no, key, fallback) {
  const asked = new URL(location.href).searchParams.get(param);
  if (asked === yes || asked === no) return asked === yes;
  const kept = localStorage.getItem(key);
  return kept === null ? fallback : kept === "true";
}

const state = {
  view: cfg.view,
  date: cfg.date,
  days: [],
  cols: [], // per day: {date, x, w, midnight, lo, hi}: where it is drawn and the hours shown
  totalW: 0,
  windowEnd: 0,
  fullDay: displayChoice("hours", "24", "work", "board.fullDay", false),
  narrowWeekends: displayChoice("weekends", "narrow", "full", "board.narrowWeekends", true),
  data: null,
  etag: null,
  filters: {},
  collapsed: new Set(JSON.parse(localStorage.getItem("board.collapsed") || "[]")),
  rows: [],
  byResource: new Map(),
  byBooking: new Map(),
  resources: new Map(),
  rendered: new Map(),
  dragging: null,
  busy: 0,
  undo: null,
  highlights: [],
  search: "",
  requestSeq: 0,
  navStartedAt: null,
};

// Exposed for the benchmark and the browser tests: render count and timings.
const perf = (window.postdeskBoard = { renders: 0, firstDrawMs: null, lastSwitchMs: null, requests: 0 });

// ---- time window ----------------------------------------------------------------------

function windowDays(view, date) {
  if (view === "day") return [date];
  const monday = T.addDays(date, -T.weekday(date));
  const n = view === "week" ? 7 : 28;
  return Array.from({ length: n }, (_, i) => T.addDays(monday, i));
}

function snapMs() {
  return state.view === "day" ? 15 * 60000 : 60 * 60000;
}

// The working day the board draws (the facility's setting, e.g. 07:00-23:00), in minutes.
function clockMinutes(text, fallback) {
  const m = /^(\d\d?):(\d\d)/.exec(text || "");
  return m ? +m[1] * 60 + +m[2] : fallback;
}
const WORK_FROM = clockMinutes(cfg.dayStart, 7 * 60);
const WORK_TO = clockMinutes(cfg.dayEnd, 23 * 60);

function shownMinutes() {
  return state.fullDay ? [0, 1440] : [WORK_FROM, WORK_TO];
}

function atMinute(d, minutes) {
  return minutes >= 1440 ? T.localInstant(T.addDays(d, 1), 0, 0, tz) : T.localInstant(d, Math.floor(minutes / 60), minutes % 60, tz);
}

// The day (index into state.cols) an instant falls in, clamped to the window.
function colIndexAt(t) {
  const c = state.cols;
  let lo = 0, hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (c[mid].midnight <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// Each day is drawn from its first shown hour to its last; time outside them (the night,
// when only the working day is shown) is drawn at the nearer edge of the day.
function xOf(t) {
  const c = state.cols;
  if (t <= c[0].midnight) return 0;
  if (t >= state.windowEnd) return state.totalW;
  const col = c[colIndexAt(t)];
  const f = Math.min(1, Math.max(0, (t - col.lo) / (col.hi - col.lo)));
  return col.x + f * col.w;
}

function tOf(x) {
  const c = state.cols;
  const at = Math.max(0, Math.min(state.totalW - 1e-6, x));
  let i = c.findIndex((col) => at < col.x + col.w);
  if (i < 0) i = c.length - 1;
  const col = c[i];
  return col.lo + ((at - col.x) / col.w) * (col.hi - col.lo);
}

// Whether an allocation's start (or end) lies outside the hours shown on its day, so that
// the block is drawn cut at the edge and must say so.
function outsideShown(t, isEnd) {
  if (state.fullDay || t < state.cols[0].midnight || t > state.windowEnd) return false;
  const col = state.cols[colIndexAt(isEnd ? t - 1 : t)];
  return isEnd ? t > col.hi || t < col.lo : t < col.lo || t > col.hi;
}

function snap(t) {
  const s = snapMs();
  return Math.round(t / s) * s;
}

// ---- data ---------------------------------------------------------------------------

function indexData() {
  state.byResource = new Map();
  state.byBooking = new Map();
  state.resources = new Map();
  for (const r of state.data.resources) state.resources.set(r.id, r);
  const q = state.search;
  const matchesResource = (r) => !q || `${r.name} ${(r.skills || []).join(" ")}`.toLowerCase().includes(q);
  for (const a of state.data.allocations) {
    // Every allocation of a booking is known whatever is shown: a move sends them all.
    if (!state.byBooking.has(a.booking)) state.byBooking.set(a.booking, []);
    state.byBooking.get(a.booking).push(a);
    // The search box filters in the page, at once and without a request: a resource
    // whose name matches keeps all its bookings; elsewhere only matching bookings show.
    if (q && !matchesResource(state.resources.get(a.resource) || { name: "" })
      && !`${a.clientName} ${a.productionTitle} ${a.jobNumber} ${a.title}`.toLowerCase().includes(q)) continue;
    if (!state.byResource.has(a.resource)) state.byResource.set(a.resource, []);
    state.byResource.get(a.resource).push(a);
  }
  for (const list of state.byResource.values()) {
    list.sort((a, b) => a.start - b.start || (b.blocking - a.blocking) || (a.rank || 0) - (b.rank || 0));
    const laneEnds = [];
    for (const a of list) {
      let lane = laneEnds.findIndex((end) => end <= a.start);
      if (lane < 0) lane = laneEnds.length;
      laneEnds[lane] = a.end;
      a.lane = lane;
    }
    list.lanes = Math.max(1, laneEnds.length);
  }
  buildRows();
}

function buildRows() {
  const groups = new Map();
  const sorted = [...state.data.resources].sort(
    (a, b) => a.siteName.localeCompare(b.siteName) || (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9)
      || a.sortOrder - b.sortOrder || a.name.localeCompare(b.name),
  );
  const q = state.search;
  for (const r of sorted) {
    if (q && !state.byResource.has(r.id) && !`${r.name} ${(r.skills || []).join(" ")}`.toLowerCase().includes(q)) continue;
    const key = `${r.site}:${r.kind}`;
    if (!groups.has(key)) groups.set(key, { key, label: `${r.siteName} · ${KIND_LABEL[r.kind] || r.kind}`, items: [] });
    groups.get(key).items.push(r);
  }
  const rows = [];
  for (const g of groups.values()) {
    const collapsed = state.collapsed.has(g.key);
    rows.push({ type: "group", key: g.key, label: g.label, count: g.items.length, collapsed });
    if (!collapsed) for (const r of g.items) rows.push({ type: "res", resource: r });
  }
  // Rows differ in height (stacked pencils need room for their rank), so keep each
  // row's top: virtualisation and hit-testing search these.
  const tops = [0];
  for (const row of rows) {
    const lanes = row.type === "res" ? (state.byResource.get(row.resource.id) || { lanes: 1 }).lanes : 1;
    row.height = lanes > 2 ? lanes * LANE_H + 6 : ROW_H;
    tops.push(tops[tops.length - 1] + row.height);
  }
  state.rows = rows;
  state.tops = tops;
}

function paramsFor(days) {
  const first = T.localInstant(days[0], 0, 0, tz);
  const end = T.localInstant(T.addDays(days[days.length - 1], 1), 0, 0, tz);
  return { start: T.isoLocal(first, tz), end: T.isoLocal(end, tz), ...state.filters };
}

function params() {
  return paramsFor(state.days);
}

// Windows already fetched, with their ETags: a view change draws from here at once and
// then revalidates with one conditional request (a 304 when nothing moved). After each
// draw the next window is fetched ahead while the coordinator reads this one, so "next
// week" costs no waiting on the server's query.
const windows = new Map();
const cacheKey = (p) => new URLSearchParams(p).toString();

function remember(p, data, etag) {
  const key = cacheKey(p);
  windows.delete(key);
  windows.set(key, { data, etag });
  while (windows.size > 8) windows.delete(windows.keys().next().value);
}

let prefetchTimer = null;
function prefetchNext() {
  clearTimeout(prefetchTimer);
  prefetchTimer = setTimeout(async () => {
    const step = { day: 1, week: 7, "4week": 28 }[state.view];
    const p = paramsFor(windowDays(state.view, T.addDays(state.date, step)));
    if (windows.has(cacheKey(p))) return;
    try {
      const res = await api.board(p, null);
      if (res.data) remember(p, res.data, res.etag);
    } catch (err) {
      // A failed look-ahead costs nothing: the view change will fetch as usual.
    }
  }, 250);
}

async function load({ quiet = false, force = false } = {}) {
  if (quiet && !force && state.loading) return;
  const seq = ++state.requestSeq;
  perf.requests++;
  state.loading = true;
  try {
    const asked = performance.now();
    const res = await api.board(params(), quiet ? state.etag : null);
    if (!quiet) perf.lastFetchMs = performance.now() - asked;
    if (seq !== state.requestSeq) return;
    if (res.notModified) return;
    state.etag = res.etag;
    remember(params(), res.data, res.etag);
    if (state.dragging) {
      state.pending = res.data; // applied when the drag ends, so a block never jumps under the pointer
      return;
    }
    const drawing = performance.now();
    state.data = res.data;
    perf.allocations = res.data.allocations.length;
    indexData();
    render();
    if (!quiet) perf.lastRenderMs = performance.now() - drawing;
    if (!quiet) prefetchNext();
  } catch (err) {
    if (seq === state.requestSeq && !quiet) showMessage(refusalText(err));
  } finally {
    if (seq === state.requestSeq) state.loading = false;
  }
}

// ---- drawing -------------------------------------------------------------------------

// The width the timeline may fill: the board's body, whatever side panel is open. (Measured
// on the scroll box instead, a view change made with a panel open kept the timeline that
// narrow after the panel closed, leaving a blank strip on the right.)
function trackSpace() {
  const body = scrollEl.closest(".board-body") || scrollEl;
  const scrollbar = scrollEl.offsetWidth - scrollEl.clientWidth;
  return body.clientWidth - scrollbar;
}

function setWindow() {
  state.days = windowDays(state.view, state.date);
  const n = state.days.length;
  const [from, to] = shownMinutes();
  // Narrowed weekends take a third of a weekday's width (not in the day view).
  const weight = (d) => (state.narrowWeekends && state.view !== "day" && T.weekday(d) >= 5 ? 1 / 3 : 1);
  const total = state.days.reduce((sum, d) => sum + weight(d), 0);
  const avail = Math.max(300, trackSpace() - LABEL_W - 2);
  const min = { day: 960, week: 110, "4week": 34 }[state.view];
  const unit = Math.max(min, avail / total);
  let x = 0;
  state.cols = state.days.map((d) => {
    const w = Math.floor(unit * weight(d));
    const col = { date: d, x, w, midnight: T.localInstant(d, 0, 0, tz), lo: atMinute(d, from), hi: atMinute(d, to) };
    x += w;
    return col;
  });
  state.totalW = x;
  state.windowEnd = T.localInstant(T.addDays(state.days[n - 1], 1), 0, 0, tz);
  const url = new URL(location.href);
  url.searchParams.set("view", state.view);
  url.searchParams.set("date", state.date);
  url.searchParams.set("hours", state.fullDay ? "24" : "work");
  url.searchParams.set("weekends", state.narrowWeekends ? "narrow" : "full");
  history.replaceState(null, "", url);
  for (const b of app.querySelectorAll("[data-view]")) b.setAttribute("aria-pressed", String(b.dataset.view === state.view));
  el("board-fullday")?.setAttribute("aria-pressed", String(state.fullDay));
  el("board-weekends")?.setAttribute("aria-pressed", String(state.narrowWeekends));
  app.classList.toggle("four-weeks", state.view === "4week");
  app.dataset.hours = state.fullDay ? "00:00-24:00" : `${cfg.dayStart}-${cfg.dayEnd}`;
  el("board-range").textContent = T.rangeLabel(state.days);
  el("board-date").value = state.date;
}

// Hour marks of a day: every 1, 2, 3, 4, 6 or 12 hours, as far apart as a label needs;
// none on a day too narrow for even that, nor in the four-week view.
function hourMarks(col) {
  const [from, to] = shownMinutes();
  const hourW = (col.w * 60) / (to - from);
  const step = [1, 2, 3, 4, 6, 12].find((h) => h * hourW >= 30);
  if (!step || state.view === "4week") return [];
  const marks = [];
  for (let h = Math.ceil(from / 60 / step) * step; h * 60 < to; h += step) {
    if (h * 60 > from || state.view === "day") marks.push(h);
  }
  return marks;
}

function drawHead() {
  const w = state.totalW;
  innerEl.style.width = headEl.style.width = `${LABEL_W + w}px`;
  // The corner says whose clock the columns follow and which hours each day shows.
  const hours = state.fullDay ? "whole days" : `${cfg.dayStart}–${cfg.dayEnd}`;
  const parts = [`<div class="corner" style="width:${LABEL_W}px"><span>Times in ${escapeHtml(tz.replace("_", " "))}</span><span id="board-tz">Days shown: ${hours}</span></div>`];
  state.cols.forEach((col) => {
    const d = col.date;
    const hol = cfg.holidays[d];
    const cls = ["day", T.weekday(d) >= 5 ? "weekend" : "", hol ? "holiday" : "", d === cfg.today ? "today" : ""].join(" ");
    const day = +d.slice(8);
    let label;
    if (state.view !== "4week") label = col.w < 80 ? T.dayLabel(d) : T.dayLabel(d, { long: true });
    else label = col.w < 24 ? `${day}` : `${T.dayLabel(d).slice(0, col.w < 40 ? 2 : 3)} ${day}`;
    let ticks = "";
    for (const h of hourMarks(col)) {
      const x = xOf(T.localInstant(d, h, 0, tz)) - col.x;
      ticks += `<span class="tick" style="left:${x}px">${T.pad(h)}</span>`;
    }
    parts.push(`<div class="${cls}" data-date="${d}" style="left:${LABEL_W + col.x}px;width:${col.w}px" title="${hol ? escapeHtml(hol) : ""}">
      <span class="dl">${label}${hol && state.view !== "4week" ? ` · ${escapeHtml(hol)}` : ""}</span>${ticks}</div>`);
  });
  headEl.innerHTML = parts.join("");
  headEl.classList.toggle("compact", state.view === "4week");
}

function drawColumns() {
  const parts = [];
  state.cols.forEach((col) => {
    const d = col.date;
    const cls = ["col", T.weekday(d) >= 5 ? "weekend" : "", cfg.holidays[d] ? "holiday" : "", d === cfg.today ? "today" : ""].join(" ");
    const lines = hourMarks(col).map((h) => `<i class="hl" style="left:${xOf(T.localInstant(d, h, 0, tz)) - col.x}px"></i>`).join("");
    parts.push(`<div class="${cls}" style="left:${col.x}px;width:${col.w}px">${lines}</div>`);
  });
  const now = Date.now();
  if (now >= state.cols[0].midnight && now < state.windowEnd && !outsideShown(now, false)) {
    parts.push(`<div class="now" style="left:${xOf(now)}px" title="Now"></div>`);
  }
  colsEl.style.left = `${LABEL_W}px`;
  colsEl.style.width = `${state.totalW}px`;
  colsEl.innerHTML = parts.join("");
}

const gradientCache = new Map();

// Outside working hours, dimmed: one CSS gradient per distinct weekly pattern and view.
function workingGradient(hours) {
  if (!hours) return "";
  const key = JSON.stringify(hours);
  if (gradientCache.has(key)) return gradientCache.get(key);
  const names = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const dim = [];
  let cursor = 0;
  state.days.forEach((d) => {
    for (const [from, to] of hours[names[T.weekday(d)]] || []) {
      const [h1, m1] = from.split(":").map(Number);
      const [h2, m2] = to.split(":").map(Number);
      const x1 = xOf(T.localInstant(d, h1, m1, tz));
      const x2 = h2 === 24 || (h2 === 0 && m2 === 0) ? xOf(T.localInstant(T.addDays(d, 1), 0, 0, tz)) : xOf(T.localInstant(d, h2, m2, tz));
      if (x1 > cursor) dim.push([cursor, x1]);
      cursor = Math.max(cursor, x2);
    }
  });
  const total = state.totalW;
  if (cursor < total) dim.push([cursor, total]);
  const c = "var(--offhours)";
  const stops = ["transparent 0px"];
  for (const [a, b] of dim) stops.push(`transparent ${a}px`, `${c} ${a}px`, `${c} ${b}px`, `transparent ${b}px`);
  const g = dim.length ? `linear-gradient(to right, ${stops.join(", ")})` : "";
  gradientCache.set(key, g);
  return g;
}

function escapeHtml(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

function textColour(hex) {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex || "");
  if (!m) return "#fff";
  const n = parseInt(m[1], 16);
  const lum = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  return lum > 0.6 ? "#111" : "#fff";
}

export function describe(a) {
  const r = state.resources.get(a.resource);
  const who = a.kind === "job" ? [a.clientName, a.productionTitle].filter(Boolean).join(" / ") : (a.kind[0].toUpperCase() + a.kind.slice(1));
  const status = a.kind !== "job" ? "" : a.status === "pencil" ? `${a.rank ? T.ordinal(a.rank) + " " : ""}pencil` : a.status;
  const bits = [status, who || a.title || "Booking", a.jobNumber, a.title && who ? `“${a.title}”` : ""];
  let text = `${bits.filter(Boolean).join(" · ")} — ${r ? r.name + ", " : ""}${T.spanLabel(a.start, a.end, tz)}`;
  if (outsideShown(a.start, false) || outsideShown(a.end, true)) text += " (partly outside the hours shown)";
  if (a.challengeDeadline) text += ` — challenged: confirm or release by ${T.whenLabel(a.challengeDeadline, tz)}`;
  return text;
}

function blockHtml(a, lanes, rowHeight) {
  const x1 = xOf(a.start), x2 = xOf(a.end);
  const h = (rowHeight - 6) / lanes;
  const top = 3 + a.lane * h;
  const colour = a.clientColour || "#3b6ea5";
  // Work outside the hours shown is drawn cut at the day's edge, and the cut edge marked.
  // (Leave or maintenance for whole days, midnight to midnight, is not "cut".)
  const wholeDays = a.kind !== "job" && T.hhmm(a.start, tz) === "00:00" && T.hhmm(a.end, tz) === "00:00";
  const cut = wholeDays ? {} : { start: outsideShown(a.start, false), end: outsideShown(a.end, true) };
  const width = Math.max(cut.start || cut.end ? 10 : 3, x2 - x1 - 1);
  let cls = `block ${a.status}${cut.start ? " cut-start" : ""}${cut.end ? " cut-end" : ""}`;
  let style = `left:${x1}px;width:${width}px;top:${top}px;height:${h - 1}px;`;
  if (a.kind === "maintenance" || a.kind === "leave" || a.kind === "internal") {
    cls += ` grey ${a.kind}`;
  } else if (a.status === "pencil") {
    cls += a.challengeDeadline ? " challenged" : "";
    style += `--c:${colour};`;
  } else {
    style += `background:${colour};color:${textColour(colour)};`;
  }
  if (state.flash && state.flash.booking === a.booking) cls += " refused";
  const handles = canEdit ? '<span class="h h-start" aria-hidden="true"></span><span class="h h-end" aria-hidden="true"></span>' : "";
  const marks = (cut.start ? '<span class="cut s" aria-hidden="true">◂</span>' : "") + (cut.end ? '<span class="cut e" aria-hidden="true">▸</span>' : "");
  const label = blockLabel(a, { width, height: h - 1, cut, timeZone: tz, compact: state.view === "4week" });
  return `<div class="${cls}" style="${style}" role="button" tabindex="0" data-a="${a.id}" data-b="${a.booking}" aria-label="${escapeHtml(describe(a))}">${marks}${label}${handles}</div>`;
}

function rowHtml(row, i) {
  const top = state.tops[i];
  if (row.type === "group") {
    return `<div class="row group" style="top:${top}px" data-row="${i}"><button type="button" class="group-toggle" data-group="${row.key}" aria-expanded="${!row.collapsed}" style="width:${LABEL_W}px">${row.collapsed ? "▸" : "▾"} ${escapeHtml(row.label)} <span class="muted">(${row.count})</span></button></div>`;
  }
  const r = row.resource;
  const list = state.byResource.get(r.id) || [];
  const blocks = list.map((a) => blockHtml(a, list.lanes, row.height)).join("");
  const marks = state.highlights.filter((h) => h.resources.includes(r.id)).flatMap((h) => (h.parts || [h]).map((p) => {
    const x1 = xOf(p.start), x2 = xOf(p.end);
    const fit = h.candidates ? h.candidates.find((c) => c.id === r.id) : null;
    const holds = fit ? fit.holds : h.holds || 0;
    const words = `${heldText(holds)[0].toUpperCase()}${heldText(holds).slice(1)}: ${T.spanLabel(h.start, h.end, tz)}`;
    return `<div class="highlight${holds ? " held" : ""}" style="left:${x1}px;width:${Math.max(3, x2 - x1)}px" data-slot="${h.index}" title="${escapeHtml(words)}"></div>`;
  })).join("");
  const bg = workingGradient(r.workingHours);
  const url = cfg.resourceUrl.replace("{id}", r.id);
  const skills = r.skills && r.skills.length ? `<span class="skills">${escapeHtml(r.skills.map((s) => s.name || s).join(", "))}</span>` : "";
  // Notices other apps pin to the row (engineering's "room down"): a banner on the label.
  const notices = r.notices && r.notices.length ? `<span class="row-notice" role="status">${escapeHtml(r.notices.join(" · "))}</span>` : "";
  return `<div class="row res${notices ? " noticed" : ""}" style="top:${top}px;height:${row.height}px" data-row="${i}" data-resource="${r.id}"><div class="label" style="width:${LABEL_W}px"><a href="${url}">${escapeHtml(r.name)}</a>${notices}${skills}</div><div class="track" style="left:${LABEL_W}px;width:${state.totalW}px;${bg ? `background-image:${bg}` : ""}">${marks}${blocks}</div></div>`;
}

// Index of the row at vertical offset y inside the board (binary search over tops).
function rowIndexAt(y) {
  const tops = state.tops;
  let lo = 0, hi = state.rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (tops[mid] <= y) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function visibleRange() {
  const top = scrollEl.scrollTop;
  const h = scrollEl.clientHeight;
  const first = Math.max(0, rowIndexAt(top) - OVERSCAN);
  const last = Math.min(state.rows.length - 1, rowIndexAt(top + h) + OVERSCAN);
  return [first, last];
}

function syncRows(force = false) {
  if (!state.data) return;
  const [first, last] = visibleRange();
  if (force) {
    rowsEl.textContent = "";
    state.rendered.clear();
  }
  for (const [i, node] of state.rendered) {
    if (i < first || i > last) {
      node.remove();
      state.rendered.delete(i);
    }
  }
  let html = "";
  const added = [];
  for (let i = first; i <= last; i++) {
    if (!state.rendered.has(i)) {
      html += rowHtml(state.rows[i], i);
      added.push(i);
    }
  }
  if (html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html;
    for (const node of tpl.content.children) state.rendered.set(+node.dataset.row, node);
    rowsEl.append(tpl.content);
  }
}

function render() {
  const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.b : null;
  innerEl.style.height = `${state.tops[state.rows.length]}px`;
  drawColumns();
  drawBand(bandEl, state.data.bands, state.cols, LABEL_W, escapeHtml);
  syncRows(true);
  if (!state.data.resources.length) {
    rowsEl.innerHTML = '<p class="empty board-empty">No resources match these filters.</p>';
  }
  if (focused) {
    const again = rowsEl.querySelector(`.block[data-b="${focused}"]`);
    if (again) again.focus({ preventScroll: true });
  }
  perf.renders++;
  app.dataset.renders = String(perf.renders);
  const navStarted = state.navStartedAt;
  requestAnimationFrame(() => {
    const now = performance.now();
    if (perf.firstDrawMs === null) perf.firstDrawMs = now;
    else if (navStarted !== null) perf.lastSwitchMs = now - navStarted;
    state.navStartedAt = null;
    app.dataset.drawn = String(perf.renders);
  });
}

function navigate(change) {
  Object.assign(state, change);
  // A message is about the view it was shown on: an error left over from last week's
  // refused move must not sit over next week.
  hideMessage();
  state.navStartedAt = performance.now();
  state.etag = null;
  gradientCache.clear();
  setWindow();
  drawHead();
  const known = windows.get(cacheKey(params()));
  if (known) {
    state.data = known.data;
    state.etag = known.etag;
    indexData();
    render();
    prefetchNext();
    load({ quiet: true, force: true });
  } else {
    load();
  }
}

// ---- messages ------------------------------------------------------------------------

let msgTimer = null;
export function showMessage(text, kind = "error") {
  msgEl.textContent = text;
  msgEl.className = `board-message ${kind}`;
  msgEl.hidden = false;
  clearTimeout(msgTimer);
  msgTimer = setTimeout(hideMessage, kind === "error" ? 12000 : 5000);
}

function hideMessage() {
  clearTimeout(msgTimer);
  msgEl.hidden = true;
}

// ---- drag: create, move, resize ---------------------------------------------------------

function rowAtClientY(y) {
  const rect = innerEl.getBoundingClientRect();
  const offset = y - rect.top;
  if (offset < 0 || offset >= state.tops[state.rows.length]) return null;
  const i = rowIndexAt(offset);
  return state.rows[i] && state.rows[i].type === "res" ? { index: i, resource: state.rows[i].resource } : null;
}

function trackX(clientX) {
  return clientX - innerEl.getBoundingClientRect().left - LABEL_W;
}

function allocationById(id) {
  return state.data.allocations.find((a) => a.id === id);
}

function onPointerDown(ev) {
  if (!canEdit || ev.button !== 0 || !state.data) return;
  const blockEl = ev.target.closest(".block");
  const trackEl = ev.target.closest(".track");
  if (!trackEl) return;
  const rowEl = trackEl.parentElement;
  const x0 = trackX(ev.clientX);
  if (blockEl) {
    const a = allocationById(+blockEl.dataset.a);
    if (!a || !mayBook(cfg, a)) return;
    const mode = ev.target.classList.contains("h-start") ? "start" : ev.target.classList.contains("h-end") ? "end" : "move";
    state.dragging = { mode, a, el: blockEl, x0, y0: ev.clientY, t0: tOf(x0), moved: false, row: +rowEl.dataset.row };
  } else if (!ev.target.closest(".highlight")) {
    const resource = state.resources.get(+rowEl.dataset.resource);
    const ghost = document.createElement("div");
    ghost.className = "ghost";
    trackEl.append(ghost);
    state.dragging = { mode: "create", resource, trackEl, ghost, x0, y0: ev.clientY, t0: snap(tOf(x0)), moved: false };
  } else {
    return;
  }
  ev.preventDefault();
  document.addEventListener("pointermove", onPointerMove);
  document.addEventListener("pointerup", onPointerUp, { once: true });
  hideTip();
}

function dragTimes(d, x) {
  const dt = snap(tOf(x) - d.t0 + d.a.start) - d.a.start;
  if (d.mode === "move") return { start: d.a.start + dt, end: d.a.end + dt };
  if (d.mode === "start") return { start: Math.min(d.a.start + dt, d.a.end - snapMs()), end: d.a.end };
  return { start: d.a.start, end: Math.max(d.a.end + dt, d.a.start + snapMs()) };
}

function onPointerMove(ev) {
  const d = state.dragging;
  if (!d) return;
  const x = trackX(ev.clientX);
  if (!d.moved && Math.abs(x - d.x0) < 4 && Math.abs(ev.clientY - d.y0) < 4) return;
  d.moved = true;
  if (d.mode === "create") {
    const t1 = snap(tOf(x));
    const [s, e] = t1 >= d.t0 ? [d.t0, Math.max(t1, d.t0 + snapMs())] : [t1, d.t0];
    d.start = s;
    d.end = e;
    d.ghost.style.left = `${xOf(s)}px`;
    d.ghost.style.width = `${xOf(e) - xOf(s)}px`;
    d.ghost.textContent = `${T.hhmm(s, tz)}–${T.hhmm(e, tz)}`;
    return;
  }
  const { start, end } = dragTimes(d, x);
  d.start = start;
  d.end = end;
  d.el.classList.add("dragging");
  const target = d.mode === "move" ? rowAtClientY(ev.clientY) : null;
  d.target = target ? target.resource : state.resources.get(d.a.resource);
  const dy = target ? state.tops[target.index] - state.tops[d.row] : 0;
  const left = xOf(start), width = xOf(end) - left;
  d.el.style.left = `${left}px`;
  d.el.style.width = `${Math.max(3, width - 1)}px`;
  d.el.style.transform = `translateY(${dy}px)`;
  showTip(d.el, `${d.target ? d.target.name + ": " : ""}${T.spanLabel(start, end, tz)}`);
}

function onPointerUp(ev) {
  document.removeEventListener("pointermove", onPointerMove);
  const d = state.dragging;
  state.dragging = null;
  hideTip();
  if (!d) return;
  if (d.mode === "create") {
    d.ghost.remove();
    if (d.moved && d.end > d.start) openCreatePanel(ctx, { resources: [d.resource.id], start: d.start, end: d.end });
  } else if (!d.moved) {
    openBookingPanel(ctx, d.a.booking);
  } else {
    const newResource = d.target ? d.target.id : d.a.resource;
    moveBooking(d.a, { start: d.start, end: d.end, resource: newResource });
  }
  if (state.pending) {
    state.data = state.pending;
    state.pending = null;
    indexData();
    render();
  }
}

// Move or resize one booking through the API; on refusal put everything back and say why.
async function moveBooking(a, { start, end, resource }, { recordUndo = true } = {}) {
  const siblings = state.byBooking.get(a.booking) || [a];
  const before = {
    start: siblings[0].start, end: siblings[0].end,
    resources: [...new Set(siblings.map((s) => s.resource))],
  };
  const body = {};
  const origResource = a.resource;
  // Every allocation of a booking shares its span: a move shifts the booking, an edge resizes it.
  const newStart = start !== a.start ? before.start + (start - a.start) : before.start;
  const newEnd = end !== a.end ? before.end + (end - a.end) : before.end;
  if (newStart !== before.start) body.start = T.isoLocal(newStart, tz);
  if (newEnd !== before.end) body.end = T.isoLocal(newEnd, tz);
  if (resource !== a.resource) body.resources = before.resources.map((id) => (id === a.resource ? resource : id));
  if (!Object.keys(body).length) return render();
  // Optimistic: show the block where it was dropped while the server decides.
  for (const s of siblings) {
    s.start = newStart;
    s.end = newEnd;
    if (s.id === a.id) s.resource = resource;
  }
  indexData();
  render();
  state.busy++;
  try {
    await api.updateBooking(a.booking, body);
    if (recordUndo) {
      state.undo = { booking: a.booking, before };
      el("board-undo")?.removeAttribute("disabled");
    }
    showMessage("Moved.", "ok");
  } catch (err) {
    for (const s of siblings) {
      s.start = before.start;
      s.end = before.end;
    }
    a.resource = origResource;
    state.flash = { booking: a.booking };
    indexData();
    render();
    setTimeout(() => { state.flash = null; }, 1500);
    showMessage(refusalText(err));
  } finally {
    state.busy--;
    refresh();
  }
}

async function undo() {
  const u = state.undo;
  if (!u) return;
  state.undo = null;
  el("board-undo")?.setAttribute("disabled", "");
  try {
    await api.updateBooking(u.booking, {
      start: T.isoLocal(u.before.start, tz), end: T.isoLocal(u.before.end, tz), resources: u.before.resources,
    });
    showMessage("Move undone.", "ok");
  } catch (err) {
    showMessage(refusalText(err));
  }
  refresh();
}

export function refresh() {
  state.etag = null;
  return load({ quiet: true, force: true });
}

// ---- keyboard -------------------------------------------------------------------------

function onKeyDown(ev) {
  const blockEl = ev.target.closest && ev.target.closest(".block");
  if (blockEl && (ev.key === "Enter" || ev.key === " ")) {
    ev.preventDefault();
    openBookingPanel(ctx, +blockEl.dataset.b);
    return;
  }
  if (blockEl && canEdit && ev.altKey && ev.key.startsWith("Arrow")) {
    ev.preventDefault();
    const a = allocationById(+blockEl.dataset.a);
    if (!a || !mayBook(cfg, a)) return;
    const step = snapMs();
    if (ev.key === "ArrowLeft" || ev.key === "ArrowRight") {
      const sign = ev.key === "ArrowLeft" ? -1 : 1;
      if (ev.shiftKey) moveBooking(a, { start: a.start, end: Math.max(a.start + step, a.end + sign * step), resource: a.resource });
      else moveBooking(a, { start: a.start + sign * step, end: a.end + sign * step, resource: a.resource });
    } else {
      const i = state.rows.findIndex((r) => r.type === "res" && r.resource.id === a.resource);
      const dir = ev.key === "ArrowUp" ? -1 : 1;
      let j = i + dir;
      while (state.rows[j] && state.rows[j].type !== "res") j += dir;
      if (state.rows[j]) moveBooking(a, { start: a.start, end: a.end, resource: state.rows[j].resource.id });
    }
  }
}

// ---- tooltip -------------------------------------------------------------------------

function showTip(target, text) {
  tipEl.textContent = text;
  tipEl.hidden = false;
  const r = target.getBoundingClientRect();
  const appRect = app.getBoundingClientRect();
  tipEl.style.left = `${Math.min(r.left - appRect.left, appRect.width - 320)}px`;
  tipEl.style.top = `${r.bottom - appRect.top + 4}px`;
}

function hideTip() {
  tipEl.hidden = true;
}

// ---- wiring --------------------------------------------------------------------------

const ctx = {
  api, tz, cfg, canEdit, state, refresh, showMessage, describe,
  resourceName: (id) => (state.resources.get(id) || { name: `#${id}` }).name,
  // Every resource the board has (folded groups and the search box notwithstanding).
  allResources: () => (state.data ? state.data.resources : []),
  setHighlights(list) {
    state.highlights = list;
    syncRows(true);
  },
  goTo(dateStr) {
    if (!state.days.includes(dateStr)) navigate({ date: dateStr });
  },
  onUndoable(u) {
    state.undo = u;
    el("board-undo")?.removeAttribute("disabled");
  },
};

function init() {
  setupPanel(ctx);
  setupFinder(ctx);
  for (const b of app.querySelectorAll("[data-view]")) b.addEventListener("click", () => navigate({ view: b.dataset.view }));
  const stepDays = () => ({ day: 1, week: 7, "4week": 28 })[state.view];
  el("board-prev").addEventListener("click", () => navigate({ date: T.addDays(state.date, -stepDays()) }));
  el("board-next").addEventListener("click", () => navigate({ date: T.addDays(state.date, stepDays()) }));
  el("board-today").addEventListener("click", () => navigate({ date: cfg.today }));
  el("board-date").addEventListener("change", (e) => e.target.value && navigate({ date: e.target.value }));
  el("board-new")?.addEventListener("click", () => {
    const start = T.localInstant(state.days.includes(cfg.today) ? cfg.today : state.days[0], 9, 0, tz);
    openCreatePanel(ctx, { resources: [], start, end: start + 10 * 3600000 });
  });
  el("board-undo")?.addEventListener("click", undo);
  // Display choices are kept in this browser (and in the URL, for a shared link).
  el("board-fullday")?.addEventListener("click", () => {
    localStorage.setItem("board.fullDay", String(!state.fullDay));
    navigate({ fullDay: !state.fullDay });
  });
  el("board-weekends")?.addEventListener("click", () => {
    localStorage.setItem("board.narrowWeekends", String(!state.narrowWeekends));
    navigate({ narrowWeekends: !state.narrowWeekends });
  });
  const filters = el("board-filters");
  let debounce = null;
  const applySearch = () => {
    state.search = el("board-q").value.trim().toLowerCase();
    if (!state.data) return;
    indexData();
    render();
  };
  const applyFilters = () => {
    state.filters = Object.fromEntries([...new FormData(filters)].filter(([k, v]) => v !== "" && k !== "q"));
    navigate({});
  };
  filters.addEventListener("change", (e) => { if (e.target.name !== "q") applyFilters(); });
  filters.addEventListener("input", (e) => {
    if (e.target.name !== "q") return;
    clearTimeout(debounce);
    debounce = setTimeout(applySearch, 120);
  });
  filters.addEventListener("reset", () => setTimeout(() => { applySearch(); applyFilters(); }, 0));
  filters.addEventListener("submit", (e) => { e.preventDefault(); applyFilters(); });
  let ticking = false;
  scrollEl.addEventListener("scroll", () => {
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => { ticking = false; syncRows(); });
  }, { passive: true });
  rowsEl.addEventListener("pointerdown", onPointerDown);
  rowsEl.addEventListener("click", (ev) => {
    const t = ev.target.closest(".group-toggle");
    if (t) {
      const key = t.dataset.group;
      if (state.collapsed.has(key)) state.collapsed.delete(key);
      else state.collapsed.add(key);
      localStorage.setItem("board.collapsed", JSON.stringify([...state.collapsed]));
      buildRows();
      render();
      rowsEl.querySelector(`.group-toggle[data-group="${key}"]`)?.focus();
      return;
    }
    const h = ev.target.closest(".highlight");
    if (h && canEdit) {
      const slot = state.highlights[+h.dataset.slot];
      const row = +h.closest(".row").dataset.resource;
      openCreatePanel(ctx, { resources: bookingResources(slot, row), start: slot.start, end: slot.end });
    }
    if (!canEdit) {
      const b = ev.target.closest(".block");
      if (b) openBookingPanel(ctx, +b.dataset.b);
    }
  });
  rowsEl.addEventListener("keydown", onKeyDown);
  document.addEventListener("keydown", (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === "z" && !ev.target.closest("input, textarea, select") && state.undo) {
      ev.preventDefault();
      undo();
    }
    if (ev.key === "Escape") closePanel();
  });
  rowsEl.addEventListener("pointerover", (ev) => {
    if (state.dragging) return;
    const b = ev.target.closest(".block");
    if (b) showTip(b, b.getAttribute("aria-label"));
  });
  rowsEl.addEventListener("pointerout", (ev) => {
    if (!state.dragging && ev.target.closest(".block")) hideTip();
  });
  rowsEl.addEventListener("focusin", (ev) => {
    const b = ev.target.closest(".block");
    if (b) showTip(b, b.getAttribute("aria-label"));
  });
  rowsEl.addEventListener("focusout", hideTip);
  let resizeTimer = null;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => { gradientCache.clear(); setWindow(); drawHead(); if (state.data) render(); }, 150);
  });
  setInterval(() => {
    if (!document.hidden && !state.dragging && !state.busy) load({ quiet: true });
  }, cfg.pollMs);
  navigate({});
}

init();
