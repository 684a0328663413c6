// The board's only door to the server: the JSON API (/api/v1), on the login session.
// Field names of the API are mapped to the board's own shapes here and nowhere else.

function csrfToken() {
  try {
    return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
  } catch (e) {
    return "";
  }
}

export class ApiError extends Error {
  constructor(status, body) {
    super((body && body.message) || `The server answered ${status}`);
    this.status = status;
    this.code = (body && body.code) || "error";
    this.details = (body && body.details) || {};
  }
}

export function makeApi(base) {
  async function call(method, path, body) {
    const init = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    if (method !== "GET") init.headers["X-CSRFToken"] = csrfToken();
    let res;
    try {
      res = await fetch(base + path, init);
    } catch (e) {
      throw new ApiError(0, { code: "network", message: "The server could not be reached; nothing was changed. Try again." });
    }
    if (res.status === 204) return null;
    const data = await res.json().catch(() => null);
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }

  return {
    // One request per view change; `etag` makes the poll cheap (304 when nothing moved).
    async board(params, etag) {
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) qs.set(k, v);
      const headers = { Accept: "application/json" };
      if (etag) headers["If-None-Match"] = etag;
      const res = await fetch(`${base}/board?${qs}`, { credentials: "same-origin", headers, cache: "no-store" });
      if (res.status === 304) return { notModified: true, etag };
      const data = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError(res.status, data);
      return { data: normaliseBoard(data), etag: res.headers.get("ETag") };
    },
    createBooking: (body) => call("POST", "/bookings", body),
    getBooking: (id) => call("GET", `/bookings/${id}`),
    updateBooking: (id, body) => call("PATCH", `/bookings/${id}`, body),
    action: (id, verb, body) => call("POST", `/bookings/${id}/${verb}`, body === undefined ? {} : body),
    slots: (params) => call("GET", `/availability/slots?${new URLSearchParams(params)}`),
    check: (params) => call("GET", `/availability/check?${new URLSearchParams(params)}`),
  };
}

const ms = (v) => (v == null ? null : Date.parse(v));

function normaliseBoard(raw) {
  const resources = (raw.resources || []).map((r) => ({
    id: r.id, name: r.name, kind: r.kind, site: r.site, siteName: r.site_name || String(r.site),
    skills: r.skills || [], colour: r.colour, capacity: r.capacity,
    workingHours: r.working_hours || null, sortOrder: r.sort_order || 0,
    notices: r.notices || [],
  }));
  // Allocations come as rows of `allocation_fields`; jobs and owners once each, by id.
  const at = Object.fromEntries((raw.allocation_fields || []).map((name, i) => [name, i]));
  const jobs = raw.jobs || {};
  const owners = raw.owners || {};
  const allocations = (raw.allocations || []).map((row) => {
    const job = jobs[row[at.job]] || {};
    return {
      id: row[at.id], booking: row[at.booking], resource: row[at.resource],
      start: ms(row[at.start]), end: ms(row[at.end]), status: row[at.status],
      kind: row[at.kind] || "job", blocking: !!row[at.blocking], rank: row[at.hold_rank] || null,
      title: row[at.title] || "", job: row[at.job], jobNumber: job.number || "",
      client: job.client ?? null, clientName: job.client_name || "",
      clientColour: job.client_colour || null, production: job.production ?? null,
      productionTitle: job.production_title || "",
      challengeDeadline: ms(row[at.challenge_deadline]), owner: owners[row[at.owner]] || "",
    };
  });
  // What other apps draw above the rows (coordination's milestones), as the API gives it.
  const bands = raw.bands || [];
  return { start: ms(raw.start), end: ms(raw.end), timeZone: raw.time_zone, resources, allocations, bands };
}

// A refusal's plain words, with the clashing bookings when the API names them.
export function refusalText(err) {
  if (!(err instanceof ApiError)) return String(err && err.message ? err.message : err);
  return err.message;
}
