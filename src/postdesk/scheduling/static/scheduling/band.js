// The band above the board's rows: what apps above scheduling pin to a day for the
// productions the board shows (coordination's milestones), one marker per item in its
// day's column, a lane per item sharing a day; slipped ones are flagged. Drawn from the
// board's JSON ("bands"), so it follows the same polls and the same ETag as the rows.

const LANE = 20;

export function drawBand(bandEl, items, cols, labelW, escapeHtml) {
  const byDate = new Map(cols.map((col) => [col.date, col]));
  const shown = items.filter((item) => byDate.has(item.date));
  bandEl.hidden = shown.length === 0;
  if (!shown.length) {
    bandEl.innerHTML = "";
    return;
  }
  const lanes = new Map();
  const parts = [];
  for (const item of shown) {
    const col = byDate.get(item.date);
    const lane = lanes.get(item.date) || 0;
    lanes.set(item.date, lane + 1);
    const flag = item.flag ? ` <strong class="band-flag">${escapeHtml(item.flag)}</strong>` : "";
    parts.push(
      `<span class="band-item${item.flag ? ` flagged ${escapeHtml(item.flag)}` : ""}" data-band="${escapeHtml(item.key)}" data-date="${item.date}" data-production="${item.production}" ` +
        `style="left:${labelW + col.x + 2}px;top:${2 + lane * LANE}px;max-width:${Math.max(col.w - 4, 24)}px" title="${escapeHtml(item.detail)}">` +
        `${escapeHtml(item.label)} · ${escapeHtml(item.production_title)}${flag}</span>`,
    );
  }
  const height = 4 + Math.max(...lanes.values()) * LANE;
  const width = labelW + cols.reduce((sum, col) => sum + col.w, 0);
  bandEl.style.width = `${width}px`;
  bandEl.style.height = `${height}px`;
  bandEl.innerHTML = `<div class="band-corner" style="width:${labelW}px;height:${height}px">Milestones</div>${parts.join("")}`;
}
