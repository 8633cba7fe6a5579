// The agentmock dashboard: polls the server once a second and swaps in fragments it renders
// (escaped there), and drives the admin API. No inline code, nothing from outside the server.
"use strict";

(() => {
  const ADMIN = "/__admin";
  const POLL_MS = 1000;
  const KEEP_ROWS = 200;
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  let revision = document.body.dataset.revision;
  let epoch = document.body.dataset.epoch;

  async function problem(response) {
    try {
      return (await response.json()).error;
    } catch {
      return `HTTP ${response.status}`;
    }
  }

  async function fetchOk(url, options) {
    const response = await fetch(url, options);
    if (!response.ok) throw new Error(await problem(response));
    return response;
  }

  function setLive(text, ok) {
    const live = $("#live");
    live.textContent = text;
    live.classList.toggle("down", !ok);
  }

  // -- journal -------------------------------------------------------------------------------

  function filterQuery(extra) {
    const query = new URLSearchParams();
    for (const [name, value] of new FormData($("#journal-filters"))) {
      if (value) query.set(name, value);
    }
    for (const [name, value] of Object.entries(extra)) query.set(name, value);
    return query;
  }

  function latestSeq() {
    const first = $("#journal-rows tr[data-seq]");
    return first ? first.dataset.seq : "0";
  }

  async function pollJournal(whole) {
    const rows = $("#journal-rows");
    const query = filterQuery(whole ? {} : { after: latestSeq() });
    const response = await fetchOk(`${ADMIN}/dashboard/journal?${query}`);
    const html = await response.text();
    if (response.headers.get("x-agentmock-instance") !== document.body.dataset.instance) {
      window.location.reload(); // the server was restarted: its journal and state are new
      return revision;
    }
    const freshEpoch = response.headers.get("x-agentmock-journal-epoch");
    if (whole || freshEpoch !== epoch) {
      // emptied since (a reset): read it afresh
      epoch = freshEpoch;
      if (!whole) return pollJournal(true);
      rows.innerHTML = html;
    } else if (html.trim()) {
      rows.insertAdjacentHTML("afterbegin", html);
      for (const old of $$("tr[data-seq]", rows).slice(KEEP_ROWS)) old.remove();
    }
    return response.headers.get("x-agentmock-revision");
  }

  // -- agents and faults ---------------------------------------------------------------------

  async function refreshAgents(section, page) {
    const opened = new Set($$("details[open][data-agent]", section).map((d) => d.dataset.agent));
    const wanted = page || $("table[data-page]", section).dataset.page;
    const vendor = encodeURIComponent(section.dataset.vendor);
    const response = await fetchOk(`${ADMIN}/dashboard/agents/${vendor}?page=${wanted}`);
    section.innerHTML = await response.text();
    for (const details of $$("details[data-agent]", section)) {
      if (opened.has(details.dataset.agent)) details.open = true;
    }
  }

  async function refreshFaults() {
    const response = await fetchOk(`${ADMIN}/dashboard/faults`);
    $("#fault-list").innerHTML = await response.text();
  }

  async function tick() {
    try {
      const fresh = await pollJournal(false);
      if (fresh !== revision) {
        revision = fresh;
        await Promise.all([...$$("section.agents").map((s) => refreshAgents(s)), refreshFaults()]);
      }
      setLive("live", true);
    } catch (error) {
      setLive(`disconnected: ${error.message}`, false);
    }
    setTimeout(tick, POLL_MS);
  }

  // -- actions -------------------------------------------------------------------------------

  function faultSpec(form) {
    const data = new FormData(form);
    const spec = {
      vendor: data.get("vendor"),
      operation: data.get("operation"),
      kind: data.get("kind"),
      times: Number(data.get("times") || 1),
    };
    if (spec.kind === "status") spec.status = Number(data.get("status"));
    if (spec.kind === "delay") spec.seconds = Number(data.get("seconds"));
    return spec;
  }

  function fitFaultForm() {
    const vendor = $("#fault-vendor").value;
    const operation = $("#fault-operation");
    for (const option of $$("option[data-vendor]", operation)) {
      option.hidden = option.dataset.vendor !== vendor;
    }
    const chosen = operation.selectedOptions[0];
    if (chosen && chosen.hidden) {
      // the same operation of this vendor, if it has one (values repeat across vendors)
      const same = $$("option", operation).find((o) => !o.hidden && o.value === chosen.value);
      (same || $("option[value='*']", operation)).selected = true;
    }
    const kind = $("#fault-kind").value;
    $("#fault-status").disabled = kind !== "status";
    $("#fault-seconds").disabled = kind !== "delay";
  }

  async function addFault(event) {
    event.preventDefault();
    const said = $("#fault-error");
    said.textContent = "";
    try {
      await fetchOk(`${ADMIN}/faults`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(faultSpec(event.target)),
      });
      await refreshFaults();
    } catch (error) {
      said.textContent = error.message;
    }
  }

  async function removeFault(event) {
    const button = event.target.closest("button[data-remove]");
    if (!button) return;
    try {
      await fetchOk(`${ADMIN}/faults/${button.dataset.remove}`, { method: "DELETE" });
    } catch (error) {
      $("#fault-error").textContent = error.message;
    }
    await refreshFaults();
  }

  async function reset() {
    const question =
      "Reset every vendor to its seed? Agents made since, queued faults and the journal go.";
    if (!window.confirm(question)) return;
    try {
      await fetchOk(`${ADMIN}/reset`, { method: "POST" });
      window.location.reload();
    } catch (error) {
      setLive(`reset failed: ${error.message}`, false);
    }
  }

  async function openEntry(event) {
    const details = event.target;
    if (!(details instanceof HTMLDetailsElement) || !details.open || !details.dataset.seq) return;
    if (details.dataset.loaded) return;
    details.dataset.loaded = "yes";
    const bodies = $(".bodies", details);
    try {
      const response = await fetchOk(`${ADMIN}/dashboard/entry/${details.dataset.seq}`);
      bodies.innerHTML = await response.text();
    } catch (error) {
      bodies.textContent = error.message;
    }
  }

  function turnPage(event) {
    const link = event.target.closest("a[data-page]");
    const section = link && link.closest("section.agents");
    if (!section) return;
    event.preventDefault();
    refreshAgents(section, link.dataset.page).catch((error) => setLive(error.message, false));
  }

  document.addEventListener("DOMContentLoaded", () => {
    $("#reset").addEventListener("click", reset);
    $("#fault-form").addEventListener("submit", addFault);
    $("#fault-vendor").addEventListener("change", fitFaultForm);
    $("#fault-kind").addEventListener("change", fitFaultForm);
    $("#fault-list").addEventListener("click", removeFault);
    $("#journal-filters").addEventListener("change", () => pollJournal(true).catch(() => {}));
    $("#journal-filters").addEventListener("submit", (event) => {
      event.preventDefault();
      pollJournal(true).catch(() => {});
    });
    document.addEventListener("toggle", openEntry, true); // toggle does not bubble
    document.addEventListener("click", turnPage);
    fitFaultForm();
    setTimeout(tick, POLL_MS);
  });
})();
