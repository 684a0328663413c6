// Facility-local time in the browser, whatever the browser's own zone is.
// Instants are epoch milliseconds; "days" are local calendar dates ("2026-03-02").

const partsCache = new Map();

function formatter(timeZone) {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit", weekday: "short",
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

// {year, month, day, hour, minute, weekday(0=Mon)} of an instant in the zone.
export function localParts(ms, timeZone) {
  const out = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) out[p.type] = p.value;
  return {
    year: +out.year, month: +out.month, day: +out.day, hour: +out.hour % 24,
    minute: +out.minute, second: +out.second,
    weekday: ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(out.weekday),
  };
}

function offsetAt(ms, timeZone) {
  const p = localParts(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

// The instant of wall time hh:mm on a local date; a time inside a spring-forward gap
// resolves forward, an ambiguous autumn time takes the first occurrence (as the server).
export function localInstant(dateStr, hh, mm, timeZone) {
  const [y, m, d] = dateStr.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  const before = offsetAt(wall - 43200000, timeZone);
  const after = offsetAt(wall + 43200000, timeZone);
  const valid = [wall - before, wall - after].filter((c) => offsetAt(c, timeZone) === wall - c);
  // Ambiguous: both are valid and the earlier wins; a gap: none is, so keep the old offset.
  return valid.length ? Math.min(...valid) : wall - before;
}

export function addDays(dateStr, n) {
  const [y, m, d] = dateStr.split("-").map(Number);
  const t = new Date(Date.UTC(y, m - 1, d + n));
  return t.toISOString().slice(0, 10);
}

export function weekday(dateStr) {
  const [y, m, d] = dateStr.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // 0 = Monday
}

export function localDate(ms, timeZone) {
  const p = localParts(ms, timeZone);
  return `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")}`;
}

export function pad(n) { return String(n).padStart(2, "0"); }

export function hhmm(ms, timeZone) {
  const p = localParts(ms, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

const DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export function dayLabel(dateStr, { long = false } = {}) {
  const [, m, d] = dateStr.split("-").map(Number);
  const wd = DAY_NAMES[weekday(dateStr)];
  return long ? `${wd} ${d} ${MONTHS[m - 1]}` : `${wd} ${d}`;
}

export function rangeLabel(days) {
  const first = days[0], last = days[days.length - 1];
  const [y1, m1, d1] = first.split("-").map(Number);
  const [y2, m2, d2] = last.split("-").map(Number);
  if (first === last) return `${dayLabel(first, { long: true })} ${y1}`;
  return `${d1} ${MONTHS[m1 - 1]}${y1 !== y2 ? " " + y1 : ""} – ${d2} ${MONTHS[m2 - 1]} ${y2}`;
}

// "Mon 2 Mar 10:00" in the facility's zone.
export function whenLabel(ms, timeZone) {
  return `${dayLabel(localDate(ms, timeZone), { long: true })} ${hhmm(ms, timeZone)}`;
}

export function spanLabel(startMs, endMs, timeZone) {
  const d1 = localDate(startMs, timeZone), d2 = localDate(endMs - 1, timeZone);
  if (d1 === d2) return `${dayLabel(d1, { long: true })} ${hhmm(startMs, timeZone)}–${hhmm(endMs, timeZone)}`;
  return `${whenLabel(startMs, timeZone)} – ${whenLabel(endMs, timeZone)}`;
}

// ISO 8601 with the facility's offset, as the API wants ("2026-03-02T09:00:00+00:00").
export function isoLocal(ms, timeZone) {
  const p = localParts(ms, timeZone);
  const off = Math.round(offsetAt(ms, timeZone) / 60000);
  const sign = off < 0 ? "-" : "+";
  const a = Math.abs(off);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

// Value for <input type="datetime-local"> in the facility's zone, and back.
export function toInputValue(ms, timeZone) {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

export function fromInputValue(value, timeZone) {
  const [date, time] = value.split("T");
  const [hh, mm] = (time || "00:00").split(":").map(Number);
  return localInstant(date, hh, mm, timeZone);
}

export function ordinal(n) {
  const s = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
  return `${n}${s}`;
}
