// What a block on the board says: the client and the job in as much text as its size
// allows. A block tall enough gets two lines (client; job number and production), a
// short one one line; each line takes the longest wording that fits its width, down to
// a client's short name or the job's own number ("#12") in the four-week view, never a
// single clipped letter. Widths are measured with the block's own font, once per text.

import * as T from "./time.js";

const SKIP = new Set(["the", "a", "an", "and", "&", "ltd", "ltd.", "limited", "plc", "llp", "inc", "inc."]);

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// "Hollis & Partners Ltd" -> "Hollis"; "The Mill" -> "Mill": the word a coordinator says.
export function shortClient(name) {
  const words = String(name || "").split(/\s+/).filter((w) => w && !SKIP.has(w.toLowerCase()));
  const word = words[0] || String(name || "");
  return word.length > 10 ? `${word.slice(0, 9)}…` : word;
}

// "J-2026-00012" -> "#12": the job's own number within its year.
export function shortJob(number) {
  const m = /(\d+)$/.exec(number || "");
  return m ? `#${+m[1]}` : number || "";
}

let fonts = null;
const widths = new Map();
const canvas = document.createElement("canvas").getContext("2d");

// Block text is .75rem of the page's font, .68rem in the compact (four-week) view
// (board.css); the page's size and family are read once.
function font(weight, compact) {
  if (!fonts) {
    const root = parseFloat(getComputedStyle(document.documentElement).fontSize) || 15;
    const family = getComputedStyle(document.body).fontFamily || "sans-serif";
    const make = (size) => ({
      normal: `400 ${root * size}px ${family}`, bold: `600 ${root * size}px ${family}`, rank: `700 ${root * size * 0.93}px ${family}`,
    });
    fonts = { false: make(0.75), true: make(0.68) };
  }
  return fonts[compact][weight];
}

let compactText = false;

function textWidth(text, weight = "normal") {
  const key = `${compactText}|${weight}|${text}`;
  let w = widths.get(key);
  if (w === undefined) {
    canvas.font = font(weight, compactText);
    w = canvas.measureText(text).width;
    if (widths.size > 20000) widths.clear();
    widths.set(key, w);
  }
  return w;
}

// The first (longest) wording that fits `room` pixels, else the last (shortest).
function fit(wordings, room, weight) {
  const list = wordings.filter(Boolean);
  return list.find((t) => textWidth(t, weight) <= room) || list[list.length - 1] || "";
}

// The inner HTML of a block `width` x `height` px. `cut` says which ends lie outside the
// hours shown (those edges carry a mark, which takes some room); `compact` is the
// four-week view's smaller type.
export function blockLabel(a, { width, height, cut = {}, timeZone, compact = false }) {
  compactText = compact;
  const room = width - (compact ? 4 : 8) - (cut.start ? 9 : 0) - (cut.end ? 9 : 0);
  const two = height >= 26;
  if (a.kind !== "job") {
    const kind = a.kind[0].toUpperCase() + a.kind.slice(1);
    return `<span class="t l1">${esc(fit([a.title && `${kind}: ${a.title}`, a.title, kind], room, "bold"))}</span>`;
  }
  let lead = "";
  let leadW = 0;
  if (a.status === "pencil") {
    const rank = a.rank ? T.ordinal(a.rank) : "pencil";
    lead += `<b class="rank">${rank}</b> `;
    leadW += textWidth(rank, "rank") + 10;
  }
  if (a.challengeDeadline) {
    const flag = fit([`⚑ by ${T.whenLabel(a.challengeDeadline, timeZone)}`, "⚑"], two ? room - leadW : (room - leadW) / 2, "bold");
    lead += `<span class="flag">${esc(flag)}</span> `;
    leadW += textWidth(flag, "bold") + 4;
  }
  const client = a.clientName || a.title || "Booking";
  const short = shortClient(client);
  const prod = a.productionTitle;
  const num = a.jobNumber;
  const snum = shortJob(num);
  const titled = a.title && a.clientName ? `“${a.title}”` : "";
  if (two) {
    // A client name too long is cut with an ellipsis where that still shows its short
    // name ("Hollis & Partn…"); otherwise the short name stands ("Quiet" for "The
    // Quiet Company"). In a block too narrow for the rank beside it, the rank goes
    // down to the job's line.
    const rankBelow = leadW && textWidth(short, "bold") > room - leadW && !a.challengeDeadline;
    const top = rankBelow ? "" : lead;
    const fitsWhole = textWidth(client, "bold") <= room - (rankBelow ? 0 : leadW);
    const line1 = fitsWhole || client.startsWith(short.replace(/…$/, "")) ? client : short;
    const rest = [num, prod, titled].filter(Boolean);
    const line2 = fit([rest.join(" · "), [num, prod].filter(Boolean).join(" · "), num, prod, snum], room - (rankBelow ? leadW : 0));
    return `<span class="t l1">${top}${esc(line1)}</span><span class="t l2">${rankBelow ? lead : ""}${esc(line2)}</span>`;
  }
  const line = fit(
    [
      [`${client}${prod ? ` / ${prod}` : ""}`, num].filter(Boolean).join(" · "),
      [client, num].filter(Boolean).join(" · "),
      [short, num].filter(Boolean).join(" · "),
      [client, snum].filter(Boolean).join(" "),
      [short, snum].filter(Boolean).join(" "),
      client,
      num,
      short,
      snum,
    ],
    room - leadW,
    "bold",
  );
  return `<span class="t l1">${lead}${esc(line)}</span>`;
}
