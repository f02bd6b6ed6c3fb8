// The batch page's search as you type and its saved views. Progressive enhancement only: without
// this file the search form posts and the saved views' forms post, and both work.
//
// A search term may be an applicant's id or name, so it never goes into an address: it lives in
// the search box alone (the page's state), and whenever a view is fetched with one, the request
// is a POST that carries it in its body (app.js's followView asks through "view:request").
"use strict";
(() => {
  const searchBox = () => document.querySelector("#filters input[name=q]");
  const term = () => { const box = searchBox(); return box ? box.value.trim() : ""; };
  const csrf = () => { const field = document.querySelector("input[name=csrf]"); return field ? field.value : ""; };

  let applied = "";
  let timer = null;

  // A view fetched while a search is on: POST, the term and the form's token in the body.
  document.addEventListener("view:request", (event) => {
    const q = term();
    applied = q;
    clearTimeout(timer);
    if (!q) return;
    event.detail.options.method = "POST";
    event.detail.options.body = new URLSearchParams({ q, csrf: csrf() });
  });

  // The search box being typed in survives the view swapped in around it: its value, caret and
  // listeners stay, and no key pressed while the view was on its way is lost.
  let live = null;
  document.addEventListener("view:before-swap", () => { live = searchBox(); });
  document.addEventListener("view:swapped", () => {
    const fresh = searchBox();
    if (live && fresh && fresh !== live) fresh.replaceWith(live);
    live = null;
    followSearch();
  });

  // Typing applies the search ~250 ms after the last key, like the other filters apply on change.
  function followSearch() {
    const box = searchBox();
    if (!box || box.dataset.follows) return;
    box.dataset.follows = "1";
    applied = box.value.trim();
    box.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (box.value.trim() === applied || !box.form) return;
        applied = box.value.trim();
        box.form.requestSubmit();
      }, 250);
    });
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (!link) return;
    // Clearing the filters clears the search; a saved view holds none, so opening one does too.
    if (link.closest(".summary-scope") || link.closest("#saved-view-list")) {
      const box = searchBox();
      if (box) { box.value = ""; applied = ""; }
      return;
    }
    // The download of a searched view: posted, so the term stays out of its address.
    if (link.id === "results-download" && term() && event.button === 0) {
      event.preventDefault();
      const form = document.createElement("form");
      form.method = "post";
      form.action = link.href;
      form.hidden = true;
      for (const [name, value] of [["q", term()], ["csrf", csrf()]]) {
        const input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = value;
        form.append(input);
      }
      document.body.append(form);
      form.submit();
      form.remove();
    }
  }, true);

  // Saving a view: posted in the background, added to the list, its message shown in place.
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.id === "save-view") {
      event.preventDefault();
      const message = document.getElementById("save-view-message");
      const answer = await send(form);
      if (!answer.ok) { message.textContent = answer.error; message.hidden = false; return; }
      message.hidden = true;
      form.querySelector("input[name=name]").value = "";
      addToList(answer.view);
      return;
    }
    if (form.matches("form[data-delete-view]")) {
      event.preventDefault();
      if (!window.confirm(`Delete the view “${form.dataset.deleteView}” for everyone?`)) return;
      const answer = await send(form);
      if (answer.ok || answer.status === 404) form.closest("li").remove();
      const empty = document.getElementById("saved-views-empty");
      if (empty && document.querySelector("#saved-view-list li")) empty.hidden = true;
    }
  });

  async function send(form) {
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { Accept: "application/json" },
        body: new URLSearchParams(new FormData(form)),
      });
      const body = await response.json();
      return response.ok ? { ok: true, view: body } : { ok: false, status: response.status, error: body.error || `The server answered ${response.status}.` };
    } catch (error) {
      return { ok: false, status: 0, error: "The view could not be saved: the server did not answer. Try again in a moment." };
    }
  }

  function addToList(view) {
    const list = document.getElementById("saved-view-list");
    if (!list) return;
    const item = document.createElement("li");
    item.dataset.viewId = view.id;
    const link = document.createElement("a");
    link.href = view.link;
    link.textContent = view.name;
    const hint = document.createElement("span");
    hint.className = "hint";
    hint.textContent = view.description;
    const remove = document.createElement("form");
    remove.className = "inline delete-view";
    remove.method = "post";
    remove.action = `/views/${encodeURIComponent(view.id)}/delete`;
    remove.dataset.deleteView = view.name;
    remove.innerHTML = '<input type="hidden" name="csrf"><button type="submit" class="secondary">Delete</button>';
    remove.querySelector("input").value = csrf();
    remove.querySelector("button").setAttribute("aria-label", `Delete the view ${view.name}`);
    item.append(link, " ", hint, " ", remove);
    const after = [...list.children].find((li) => li.querySelector("a").textContent.toLowerCase() > view.name.toLowerCase());
    list.insertBefore(item, after || null);
    const empty = document.getElementById("saved-views-empty");
    if (empty) empty.hidden = true;
    const summary = document.querySelector("#saved-views summary");
    if (summary) summary.textContent = `Saved views · ${list.children.length} saved`;
  }

  document.addEventListener("DOMContentLoaded", followSearch);
})();
