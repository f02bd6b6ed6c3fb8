// The /docs try-it forms: each sends its operation to this same server with fetch and shows
// the answer. Loaded by the docs page only; without it the forms stay disabled and the page
// still has every schema and curl line. The API key is read from its field when sending
// and never stored or logged.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.try-it")) {
    const fieldset = form.querySelector("fieldset");
    if (fieldset) fieldset.disabled = false;
    const notice = form.querySelector("[data-needs-script]");
    if (notice) notice.hidden = true;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form);
    });
  }
});

// The request the form describes: the path with its values, the query, headers and body.
function request(form) {
  let path = form.dataset.path;
  const query = new URLSearchParams();
  for (const input of form.querySelectorAll("[data-param]")) {
    const value = input.value.trim();
    if (input.dataset.param === "path") {
      path = path.replace("{" + input.dataset.name + "}", encodeURIComponent(value));
    } else if (value !== "") {
      query.append(input.dataset.name, value);
    }
  }
  const headers = new Headers();
  const token = form.querySelector("[data-token]");
  if (token && token.value !== "") headers.set("Authorization", "Bearer " + token.value);
  let body;
  const text = form.querySelector("[data-body]");
  const files = form.querySelectorAll("[data-file]");
  if (text) {
    headers.set("Content-Type", text.dataset.mediaType);
    body = text.value;
  } else if (files.length > 0) {
    body = new FormData();  // the browser sets the multipart boundary
    for (const input of files) {
      if (input.files.length > 0) body.append(input.dataset.file, input.files[0]);
    }
  }
  const search = query.toString();
  return { url: path + (search ? "?" + search : ""), init: { method: form.dataset.method, headers, body } };
}

async function send(form) {
  const answer = form.querySelector(".answer");
  const button = form.querySelector("button[type=submit]");
  const { url, init } = request(form);
  button.disabled = true;
  answer.replaceChildren(line("status", "Sending " + init.method + " " + url + " …"));
  try {
    const response = await fetch(url, init);
    const type = response.headers.get("Content-Type") || "";
    const text = await response.text();
    const shown = [
      line("status " + (response.ok ? "ok" : "failed"), response.status + " " + response.statusText),
      line("type", "Content-Type: " + (type || "none")),
    ];
    const json = parse(type, text);
    // problem+json (the API, the admin surface) and the Open Inference Protocol's {"error": …}.
    if (!response.ok && json && (json.detail || json.error)) {
      shown.push(line("problem", [json.title, json.detail || json.error].filter(Boolean).join(": ")));
      for (const field of Array.isArray(json.errors) ? json.errors : []) shown.push(line("problem", field.message));
    }
    const pre = document.createElement("pre");
    pre.tabIndex = 0;  // it scrolls: keyboard users can reach it
    const code = document.createElement("code");
    code.textContent = json === undefined ? text : JSON.stringify(json, null, 2);
    pre.append(code);
    shown.push(pre);
    answer.replaceChildren(...shown);
  } catch (error) {
    answer.replaceChildren(line("status failed", "No answer: " + error.message));
  } finally {
    button.disabled = false;
  }
}

// The body as JSON when the answer says it is JSON and it parses; else undefined (shown as text).
function parse(type, text) {
  if (!/json/i.test(type)) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

function line(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

// One key for every form of the page: typed into any key field, it fills the others. It lives
// in the fields only (the page's memory): never in the address, storage or a cookie.
for (const field of document.querySelectorAll("[data-token]")) {
  field.addEventListener("input", () => {
    for (const other of document.querySelectorAll("[data-token]")) {
      if (other !== field) other.value = field.value;
    }
  });
}
