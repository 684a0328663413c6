// A type-ahead picker for several resources: a text box that filters a list as you type
// (ARIA combobox with a listbox), the chosen ones shown as chips. Arrow keys move through
// the list, Enter chooses, Escape closes the list, Backspace in the empty box takes the
// last chip off. Each chosen resource is also a hidden input named `name`, so the form's
// FormData carries them as a multiple select did.
//
// Why not a <select multiple>: with 80-odd resources, Ctrl-clicking through a list
// whose options look alike was the slowest part of booking.

function esc(s) {
  return String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

const MAX_SHOWN = 12;
const KIND_LABEL = { room: "Room", person: "Person", equipment: "Equipment" };

// What a resource is found by: its name, kind, site and skills.
function haystack(r) {
  return `${r.name} ${KIND_LABEL[r.kind] || r.kind || ""} ${r.siteName || ""} ${(r.skills || []).map((s) => s.name || s).join(" ")}`.toLowerCase();
}

function hint(r) {
  const skills = (r.skills || []).map((s) => s.name || s).join(", ");
  return [KIND_LABEL[r.kind] || r.kind, r.siteName, skills].filter(Boolean).join(" · ");
}

// makePicker(host, {id, name, label, resources: () => [...], chosen: [ids], onChange})
// renders into `host` and returns {values(), set(ids), focus()}.
export function makePicker(host, { id, name, label, resources, chosen = [], onChange = () => {} }) {
  let values = [...chosen];
  let matches = [];
  let active = -1;
  const listId = `${id}-list`;
  host.classList.add("picker");
  host.innerHTML = `
    <label for="${id}">${esc(label)}</label>
    <ul class="chips" aria-label="Chosen"></ul>
    <div class="picker-box">
      <input id="${id}" type="text" role="combobox" autocomplete="off" spellcheck="false"
        aria-autocomplete="list" aria-expanded="false" aria-controls="${listId}"
        placeholder="Type a name, kind or skill…">
      <ul id="${listId}" role="listbox" class="picker-list" aria-label="${esc(label)}" hidden></ul>
    </div>
    <p class="visually-hidden" aria-live="polite" data-status></p>`;
  const input = host.querySelector("input");
  const list = host.querySelector("[role=listbox]");
  const chips = host.querySelector(".chips");
  const status = host.querySelector("[data-status]");
  const byId = () => new Map(resources().map((r) => [r.id, r]));

  function drawChips() {
    const known = byId();
    chips.innerHTML = values.map((v) => {
      const r = known.get(v) || { name: `#${v}` };
      return `<li class="chip" data-id="${v}">${esc(r.name)}<button type="button" class="chip-x" aria-label="Remove ${esc(r.name)}">×</button><input type="hidden" name="${esc(name)}" value="${v}"></li>`;
    }).join("");
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function setActive(i) {
    active = i;
    for (const [k, node] of [...list.children].entries()) node.setAttribute("aria-selected", String(k === i));
    if (i >= 0 && list.children[i]) {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function open() {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    const taken = new Set(values);
    matches = resources().filter((r) => !taken.has(r.id) && words.every((w) => haystack(r).includes(w)));
    const shown = matches.slice(0, MAX_SHOWN);
    list.innerHTML = shown.length
      ? shown.map((r, i) => `<li role="option" id="${id}-opt-${r.id}" data-id="${r.id}" aria-selected="false"><span class="name">${esc(r.name)}</span> <span class="hint">${esc(hint(r))}</span></li>`).join("")
        + (matches.length > shown.length ? `<li class="more" aria-disabled="true">${matches.length - shown.length} more: type more of the name</li>` : "")
      : '<li class="more" aria-disabled="true">No resource matches</li>';
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    setActive(shown.length ? 0 : -1);
    status.textContent = `${matches.length} resource${matches.length === 1 ? "" : "s"} found`;
  }

  function choose(resourceId) {
    if (!values.includes(resourceId)) values.push(resourceId);
    const r = byId().get(resourceId);
    drawChips();
    input.value = "";
    close();
    status.textContent = `${r ? r.name : "Resource"} added`;
    onChange(values);
  }

  function remove(resourceId) {
    values = values.filter((v) => v !== resourceId);
    drawChips();
    status.textContent = "Removed";
    onChange(values);
  }

  input.addEventListener("input", open);
  input.addEventListener("focus", () => { if (input.value) open(); });
  input.addEventListener("blur", () => setTimeout(close, 120));
  input.addEventListener("keydown", (ev) => {
    const options = [...list.querySelectorAll("[role=option]")];
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (list.hidden) return open();
      if (!options.length) return;
      const step = ev.key === "ArrowDown" ? 1 : -1;
      setActive((active + step + options.length) % options.length);
    } else if (ev.key === "Enter") {
      // Enter chooses from an open list; with the list closed it submits the form.
      if (!list.hidden && active >= 0 && options[active]) {
        ev.preventDefault();
        choose(+options[active].dataset.id);
      } else if (!list.hidden) {
        ev.preventDefault();
      }
    } else if (ev.key === "Escape") {
      // The first Escape closes the list, the next clears the text; only then does it
      // reach the page (which closes the panel).
      if (!list.hidden) {
        ev.preventDefault();
        ev.stopPropagation();
        close();
      } else if (input.value) {
        ev.preventDefault();
        ev.stopPropagation();
        input.value = "";
      }
    } else if (ev.key === "Backspace" && !input.value && values.length) {
      remove(values[values.length - 1]);
    }
  });
  // mousedown, not click: choosing must not blur the box first (which closes the list).
  list.addEventListener("mousedown", (ev) => {
    const option = ev.target.closest("[role=option]");
    ev.preventDefault();
    if (option) choose(+option.dataset.id);
  });
  chips.addEventListener("click", (ev) => {
    const x = ev.target.closest(".chip-x");
    if (!x) return;
    remove(+x.closest(".chip").dataset.id);
    input.focus();
  });
  drawChips();
  return {
    values: () => [...values],
    set(ids) {
      values = [...ids];
      drawChips();
    },
    focus: () => input.focus(),
  };
}
