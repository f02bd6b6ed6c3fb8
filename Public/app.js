// Progressive enhancement only: every page works without this file.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // Forms that take a while say so and cannot be sent twice.
  for (const form of document.querySelectorAll("form[data-busy]")) {
    form.addEventListener("submit", () => {
      const button = form.querySelector("button[type=submit]");
      if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
    });
  }
  // Destructive forms ask first.
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  // The results file with reasons: follow its progress until the download is ready.
  for (const section of document.querySelectorAll(".reasons-download[data-status]")) {
    if (section.dataset.state === "running" || section.dataset.state === "queued") followReasons(section);
  }
  enhanceResults();
  followView();
  openLinkedDetails();
  // The upload page: the template, sample and description follow the chosen model.
  const modelChoice = document.querySelector("form.upload select#model");
  if (modelChoice) {
    const follow = () => showModel(modelChoice);
    modelChoice.addEventListener("change", follow);
    follow();
  }
});

// What the results view's parts need from script, run on the page and again on each view
// swapped in by followView.
function enhanceResults() {
  // The results table's top reasons: the page computes none; they are asked for here.
  for (const table of document.querySelectorAll("table[data-reasons]")) fillTopReasons(table);
  for (const table of document.querySelectorAll("table#results")) addColumnGrips(table);
  // Filters apply as soon as a choice is made. From the keyboard, arrows only move through
  // the options (Chrome fires "change" on each): Enter or the form's button applies, so focus
  // stays where the user is.
  const moving = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
  for (const select of document.querySelectorAll(".filters select")) {
    select.addEventListener("keydown", (event) => {
      if (moving.has(event.key)) select.dataset.keyboard = "1";
      if (event.key === "Enter") { event.preventDefault(); select.form.requestSubmit(); }
    });
    select.addEventListener("pointerdown", () => { select.dataset.keyboard = ""; });
    select.addEventListener("change", () => { if (select.dataset.keyboard !== "1") select.form.requestSubmit(); });
  }
}

// Sorting, filtering, paging and choosing columns on a batch page fetch the next view and swap
// its parts ([data-view-region]) in place: no reload, no jump to the top, focus kept on the
// control used. The address bar follows (history.replaceState), so the URL is still the state,
// and without script every link and form works as a plain page load.
function followView() {
  if (!document.querySelector("[data-view-region]")) return;
  let inFlight = null;
  const load = async (url, focus) => {
    if (inFlight) inFlight.abort();
    inFlight = new AbortController();
    const busy = document.getElementById("view-results");
    if (busy) busy.setAttribute("aria-busy", "true");
    let next;
    try {
      // views.js may turn the request into a POST that carries the search in its body.
      const request = { url, options: { headers: { Accept: "text/html" } } };
      document.dispatchEvent(new CustomEvent("view:request", { detail: request }));
      const response = await fetch(url, { ...request.options, signal: inFlight.signal });
      if (!response.ok) throw new Error(String(response.status));
      next = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch (error) {
      if (error.name !== "AbortError") window.location.assign(url);  // the server's own page says what went wrong
      return;
    }
    const open = new Set([...document.querySelectorAll("[data-view-region] details[open][id]")].map((d) => d.id));
    document.dispatchEvent(new CustomEvent("view:before-swap"));
    for (const region of document.querySelectorAll("[data-view-region]")) {
      const fresh = next.getElementById(region.id);
      if (fresh) region.replaceWith(document.importNode(fresh, true));
    }
    document.dispatchEvent(new CustomEvent("view:swapped"));
    for (const id of open) { const details = document.getElementById(id); if (details) details.open = true; }
    const link = document.getElementById("results-download");
    const freshLink = next.getElementById("results-download");
    if (link && freshLink) { link.href = freshLink.getAttribute("href"); link.textContent = freshLink.textContent; }
    for (const id of ["results-xlsx", "results-as-uploaded"]) {
      const other = document.getElementById(id), fresh = next.getElementById(id);
      if (other && fresh) other.href = fresh.getAttribute("href");
    }
    document.title = next.title;
    window.history.replaceState(null, "", url);
    enhanceResults();
    const target = (focus && document.querySelector(focus)) || document.querySelector("#view-results h2");
    if (target) {
      if (!target.matches("a, button, input, select, textarea, [tabindex]")) target.tabIndex = -1;
      target.focus({ preventScroll: true });
    }
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!link.closest("[data-view-region]") || link.pathname !== window.location.pathname || link.hasAttribute("download")) return;
    event.preventDefault();
    load(link.href, focusSelector(link));
  });
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!form.matches("form[data-view]") || event.defaultPrevented) return;
    event.preventDefault();
    const url = new URL(window.location.pathname, window.location.href);
    // Never the search or the form's token: a search term may name an applicant (views.js posts it).
    for (const [name, value] of new FormData(form)) if (value !== "" && name !== "q" && name !== "csrf") url.searchParams.append(name, value);
    load(url.href, focusSelector(document.activeElement && form.contains(document.activeElement) ? document.activeElement : event.submitter));
  });
}

// How to find the control that was used again in the view swapped in.
function focusSelector(element) {
  if (!element) return null;
  const header = element.closest("th[data-key]");
  if (header) return `th[data-key="${CSS.escape(header.dataset.key)}"] a`;
  if (element.id) return `#${CSS.escape(element.id)}`;
  if (element.matches("a[rel]")) return `a[rel="${CSS.escape(element.rel)}"]`;
  if (element.name) {
    const form = element.closest("form[id]");
    const scope = form ? `#${CSS.escape(form.id)} ` : "";
    const value = element.type === "checkbox" ? `[value="${CSS.escape(element.value)}"]` : "";
    return `${scope}[name="${CSS.escape(element.name)}"]${value}`;
  }
  return null;
}

// Each results column header gets a grip: drag it (or focus it and press ← / →) to make the
// column narrower or wider; a narrowed column clips its text and shows it whole on hover.
// Widths are remembered in this browser by column. Phones get cards instead, without grips.
function addColumnGrips(table) {
  const stored = "loanrisk.columnWidths";
  let widths = {};
  try { widths = JSON.parse(window.localStorage.getItem(stored) || "{}"); } catch (error) { widths = {}; }
  const wide = window.matchMedia("(min-width: 601px)");
  const setWidth = (header, px) => {
    const width = Math.min(800, Math.max(48, Math.round(px)));
    for (const row of table.rows) {
      const cell = row.cells[header.cellIndex];
      if (!cell || cell.colSpan > 1) continue;
      cell.style.width = cell.style.minWidth = cell.style.maxWidth = `${width}px`;
      cell.classList.add("clipped");
      if (cell.tagName === "TD" && !cell.title) cell.title = cell.textContent.trim();
    }
    return width;
  };
  const remember = (key, width) => {
    widths[key] = width;
    try { window.localStorage.setItem(stored, JSON.stringify(widths)); } catch (error) { /* private mode: not remembered */ }
  };
  for (const header of table.querySelectorAll("thead th[data-key]")) {
    const key = header.dataset.key;
    if (wide.matches && widths[key]) setWidth(header, widths[key]);
    const grip = document.createElement("span");
    grip.className = "col-grip";
    grip.tabIndex = 0;
    grip.setAttribute("role", "separator");
    grip.setAttribute("aria-orientation", "vertical");
    grip.setAttribute("aria-label", `Width of the column ${header.textContent.replace(/[▲▼]/g, "").trim()}`);
    grip.setAttribute("aria-valuemin", "48");
    grip.setAttribute("aria-valuemax", "800");
    grip.setAttribute("aria-valuenow", String(Math.round(header.getBoundingClientRect().width)));
    const apply = (px) => { const width = setWidth(header, px); grip.setAttribute("aria-valuenow", String(width)); remember(key, width); };
    grip.addEventListener("pointerdown", (event) => {
      event.preventDefault();
      const start = event.clientX;
      const from = header.getBoundingClientRect().width;
      grip.setPointerCapture(event.pointerId);
      const move = (e) => apply(from + e.clientX - start);
      const up = () => { grip.removeEventListener("pointermove", move); grip.removeEventListener("pointerup", up); };
      grip.addEventListener("pointermove", move);
      grip.addEventListener("pointerup", up);
    });
    grip.addEventListener("click", (event) => event.preventDefault());
    grip.addEventListener("keydown", (event) => {
      const step = event.key === "ArrowRight" ? 16 : event.key === "ArrowLeft" ? -16 : 0;
      if (step === 0) return;
      event.preventDefault();
      apply(header.getBoundingClientRect().width + step);
    });
    header.append(grip);
  }
}

// Shows the chosen model's description, points the template, sample and one-applicant links
// at it, and keeps the page's URL (?model=…) so a reload or a shared link keeps the choice.
function showModel(select) {
  const name = select.value;
  let chosen = null;
  for (const about of document.querySelectorAll(".model-about")) {
    about.hidden = about.dataset.model !== name;
    if (!about.hidden) chosen = about;
  }
  for (const link of document.querySelectorAll("a[data-model-href]")) {
    link.href = link.dataset.modelHref.replace("{model}", encodeURIComponent(name));
  }
  const title = chosen ? chosen.querySelector("h2").firstChild.textContent.trim() : name;
  for (const span of document.querySelectorAll("[data-model-title]")) span.textContent = title;
  const sample = document.getElementById("sample-item");
  if (sample && chosen) sample.hidden = chosen.dataset.hasSample !== "true";
  const url = new URL(window.location.href);
  if (url.searchParams.get("model") !== name) {
    url.searchParams.set("model", name);
    window.history.replaceState(null, "", url);
  }
}

// Polls the batch's reasons status (a small JSON document) once a second and updates the
// progress bar; shows the download link when the file is ready, the message if it failed.
function followReasons(section) {
  const bar = section.querySelector("progress");
  const text = section.querySelector(".progress-text");
  const progress = section.querySelector(".progress-block");
  const ready = section.querySelector(".ready-block");
  const failed = section.querySelector(".failed-block");
  const count = (n) => n.toLocaleString("en-US");
  const poll = async () => {
    let status;
    try {
      const response = await fetch(section.dataset.status, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      status = await response.json();
    } catch (error) {
      setTimeout(poll, 3000);  // the server may be restarting: try again, more slowly
      return;
    }
    section.dataset.state = status.state;
    if (status.state === "ready") {
      progress.hidden = true;
      ready.hidden = false;
      section.hidden = false;
      return;
    }
    if (status.state === "failed" || status.state === "none" || status.state === "unavailable") {
      progress.hidden = true;
      failed.textContent = status.message || "The file with reasons could not be made. Reload the page to try again.";
      failed.hidden = false;
      section.hidden = false;
      return;
    }
    bar.max = Math.max(status.total, 1);
    bar.value = status.done;
    text.textContent = `${count(status.done)} of ${count(status.total)} rows (${status.percent} %)`;
    setTimeout(poll, 1000);
  };
  setTimeout(poll, 500);
}

// Asks once for the top reasons of the rows on screen (the page is sent without them, so it
// never waits for explanations) and puts each in its cell. Rows whose features are still being
// written, a moment after an upload, are asked for again every 400 ms, about eight seconds at
// most. A cell that gets nothing keeps its "Why?" link to the row's page.
function fillTopReasons(table) {
  const cells = new Map();
  for (const cell of table.querySelectorAll("td.reason[data-row]")) {
    cells.set(cell.dataset.row, cell);
    cell.setAttribute("aria-busy", "true");
  }
  if (cells.size === 0) return;
  const settle = (cell) => cell.removeAttribute("aria-busy");
  const note = (text) => {
    let shown = document.getElementById("reasons-note");
    if (!shown) {
      shown = document.createElement("p");
      shown.id = "reasons-note";
      shown.className = "note";
      shown.setAttribute("role", "status");
      (table.closest(".table-wrap") || table).before(shown);
    }
    shown.textContent = text;
  };
  let tries = 0;
  const ask = async (rows) => {
    tries += 1;
    let answer;
    try {
      const url = `${table.dataset.reasons}?rows=${rows.join(",")}`;
      const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      answer = await response.json();
    } catch (error) {
      rows.forEach((row) => settle(cells.get(row)));  // the links stay: each row's page has its reasons
      return;
    }
    if (answer.note) {
      note(answer.note);
      for (const row of rows) { const cell = cells.get(row); cell.textContent = ""; settle(cell); }
      return;
    }
    const reasons = answer.reasons || {};
    const pending = (answer.pending || []).map(String).filter((row) => cells.has(row));
    for (const row of rows) {
      const cell = cells.get(row);
      if (Object.hasOwn(reasons, row)) { cell.textContent = reasons[row]; settle(cell); }
      else if (!pending.includes(row)) settle(cell);
    }
    if (pending.length === 0) return;
    if (tries >= 20) {
      note("Reasons are being prepared — reload in a moment.");
      pending.forEach((row) => settle(cells.get(row)));
      return;
    }
    setTimeout(() => ask(pending), 400);
  };
  ask([...cells.keys()]);
}

// A link to a closed <details> (the batch page's drift detail, "#drift") opens it, and so does
// arriving with its fragment; without script the link still scrolls to its summary line.
function openLinkedDetails() {
  const open = (hash) => {
    const target = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
    const details = target && target.closest("details");
    if (details && !details.open) details.open = true;
  };
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href^='#']");
    if (link) open(link.getAttribute("href"));
  });
  window.addEventListener("hashchange", () => open(window.location.hash));
  open(window.location.hash);
}
