// The instances page (/): rename and remove frames through the JSON API, without a reload
// (issue 17). Without JavaScript the page is a read-only list: these controls stay hidden.
// POST /api/frames/<id>/rename {"name"} and DELETE /api/frames/<id>, with the key header.
(function () {
  "use strict";
  // The grid's theme toggle (issue 16): the link's `theme`, else the choice saved here.
  let theme = null;
  try {
    theme = new URLSearchParams(location.search).get("theme") || localStorage.getItem("dtale-lite-theme");
  } catch (e) { /* storage blocked */ }
  if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  const main = document.querySelector("[data-instances]");
  if (!main) return;
  const key = main.dataset.key || "";
  const root = main.dataset.root || "";
  const status = document.querySelector('[data-testid="instances-status"]');

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  async function call(method, path, body) {
    const headers = { "Content-Type": "application/json" };
    if (key) headers["X-Dtale-Lite-Key"] = key;
    const response = await fetch(root + path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    let payload = null;
    try { payload = await response.json(); } catch (_) { payload = null; }
    if (!response.ok || !payload || payload.ok !== true) {
      throw new Error((payload && payload.error) || `the server answered ${response.status}`);
    }
    return payload;
  }

  function showEmptyState() {
    if (main.querySelectorAll('[data-testid="frame-row"]').length) return;
    main.querySelector('[data-testid="frame-list"]').hidden = true;
    main.querySelector('[data-testid="no-frames"]').hidden = false;
  }

  for (const row of main.querySelectorAll('[data-testid="frame-row"]')) {
    const id = row.dataset.id;
    const link = row.querySelector('[data-testid="frame-open-name"]');
    for (const el of row.querySelectorAll("[data-js-only]")) el.hidden = false;

    row.querySelector('[data-testid="frame-rename"]').addEventListener("submit", async (event) => {
      event.preventDefault();
      const name = event.target.elements.name.value.trim();
      try {
        const answer = await call("POST", `/api/frames/${id}/rename`, { name });
        link.textContent = answer.name;
        say(`Frame #${id} is now "${answer.name}".`, false);
      } catch (error) {
        say(`Could not rename frame #${id}: ${error.message}`, true);
      }
    });

    row.querySelector('[data-testid="frame-remove"]').addEventListener("click", async () => {
      const label = link.textContent;
      try {
        await call("DELETE", `/api/frames/${id}`);
        row.remove();
        say(`Removed "${label}" (#${id}).`, false);
        showEmptyState();
      } catch (error) {
        say(`Could not remove "${label}": ${error.message}`, true);
      }
    });
  }
})();
