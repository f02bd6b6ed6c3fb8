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
  // Filters apply as soon as a choice changes.
  for (const select of document.querySelectorAll(".filters select")) {
    select.addEventListener("change", () => select.form.submit());
  }
});

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
