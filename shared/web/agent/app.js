// The agent's customer card. It reads GET /v1/contacts/{contactId}/card with
// the agent key, pins and unpins with PUT/DELETE .../pins/{entity}/{id}, and
// refreshes itself while after-call jobs are queued or running. The key is
// kept in this tab's session storage only. Everything the API returns is put
// on the page as text, never as markup.
"use strict";

const KEY_SLOT = "crmflow.agentKey";
const FAST_REFRESH_MS = 2000; // while a job is queued or running
const SLOW_REFRESH_MS = 5000; // otherwise: new records and jobs appear after a search or ACW
const UNSETTLED = new Set(["queued", "running"]);

const $ = (id) => document.getElementById(id);
let contactId = "";
let timer = 0;
let busy = false;

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") n.className = v;
    else if (k.startsWith("data-")) n.setAttribute(k, v);
    else n[k] = v;
  }
  for (const c of children) {
    if (c !== null && c !== undefined) n.append(typeof c === "string" ? document.createTextNode(c) : c);
  }
  return n;
}

function status(msg, isError) {
  const s = $("status");
  s.textContent = msg;
  s.className = isError ? "error" : "";
}

function key() {
  return sessionStorage.getItem(KEY_SLOT) || "";
}

async function api(method, path) {
  const res = await fetch(path, {
    method,
    headers: { Authorization: "Bearer " + key(), Accept: "application/json" },
    cache: "no-store",
  });
  let body = null;
  try {
    body = await res.json();
  } catch (_) {
    body = null;
  }
  return { status: res.status, body };
}

function problem(r) {
  const e = r.body && r.body.error;
  if (r.status === 401) return "The agent key was refused: paste a valid agent key.";
  if (r.status === 403) return "This key may not read cards: it needs the agent role.";
  if (e && e.message) return e.message + (e.field ? " (" + e.field + ")" : "");
  if (r.body && r.body.message) return r.body.message;
  return "The service answered " + r.status + ".";
}

function display(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function safeURL(u) {
  try {
    const p = new URL(u);
    return p.protocol === "https:" || p.protocol === "http:" ? p.href : "";
  } catch (_) {
    return "";
  }
}

function recordPath(rec) {
  return "/v1/contacts/" + encodeURIComponent(contactId) + "/pins/" +
    encodeURIComponent(rec.entity) + "/" + encodeURIComponent(rec.id);
}

function recordItem(rec, pinnable) {
  const li = el("li", { class: "record" + (rec.pinned ? " pinned" : ""), "data-entity": rec.entity, "data-id": rec.id });
  const actions = el("span", { class: "actions" });
  const url = safeURL(rec.url || "");
  if (url) {
    actions.append(el("a", { href: url, target: "_blank", rel: "noopener noreferrer", class: "open" }, "Open in CRM"));
  }
  if (pinnable) {
    const b = el("button", { type: "button", class: rec.pinned ? "unpin secondary" : "pin" }, rec.pinned ? "Unpin" : "Pin");
    b.addEventListener("click", () => pin(rec, !rec.pinned, b));
    actions.append(b);
  }
  li.append(el("div", { class: "record-head" },
    el("span", { class: "record-name" }, rec.display || rec.id),
    el("span", { class: "entity" }, rec.entity),
    actions));
  const fields = (rec.fields || []).filter((f) => display(f.value) !== "");
  if (fields.length) {
    const dl = el("dl");
    for (const f of fields) dl.append(el("dt", {}, f.label || f.name), el("dd", { "data-field": f.name }, display(f.value)));
    li.append(dl);
  }
  if (rec.related && rec.related.length) {
    const ul = el("ul");
    for (const r of rec.related) ul.append(recordItem(r, false));
    li.append(el("div", { class: "open-cases" }, el("h3", {}, "Open cases"), ul));
  }
  return li;
}

function fillRecords(id, recs, emptyText) {
  const ul = $(id);
  ul.replaceChildren();
  if (!recs || recs.length === 0) {
    ul.append(el("li", { class: "empty" }, emptyText));
    return;
  }
  for (const r of recs) ul.append(recordItem(r, true));
}

function fillJobs(jobs) {
  const body = $("jobs").tBodies[0];
  body.replaceChildren();
  if (!jobs || jobs.length === 0) {
    body.append(el("tr", {}, el("td", { colSpan: 5, class: "empty" }, "No after-call jobs yet.")));
    return;
  }
  for (const j of jobs) {
    const refs = (j.crmRecordIds || []).map((r) => r.entity + " " + r.id).join(", ");
    body.append(el("tr", { "data-job": j.jobId },
      el("td", {}, j.jobId),
      el("td", {}, j.action),
      el("td", {}, el("span", { class: "job-status " + j.status, "data-status": j.status }, j.status)),
      el("td", {}, refs),
      el("td", {}, j.error || "")));
  }
}

function render(card) {
  $("card").hidden = false;
  fillRecords("current", card.current, "Nothing created or pinned yet: pin a related record to link the call to it.");
  fillRecords("related", card.related, "No related records.");
  fillJobs(card.jobs);
  document.body.dataset.loaded = "1";
}

function schedule(card) {
  clearTimeout(timer);
  const unsettled = card && (card.jobs || []).some((j) => UNSETTLED.has(j.status));
  document.body.dataset.settled = unsettled ? "0" : "1";
  timer = setTimeout(load, unsettled ? FAST_REFRESH_MS : SLOW_REFRESH_MS);
}

async function load() {
  if (!contactId || !key() || busy) return;
  busy = true;
  try {
    const r = await api("GET", "/v1/contacts/" + encodeURIComponent(contactId) + "/card");
    if (r.status === 200) {
      render(r.body);
      status("Card of contact " + contactId + ", updated " + new Date().toLocaleTimeString() + ".");
      schedule(r.body);
    } else if (r.status === 404) {
      $("card").hidden = true;
      status("No card for contact " + contactId + " yet: it appears once a search runs for the contact.");
      schedule(null);
    } else {
      status(problem(r), true);
      if (r.status >= 500 || r.status === 429) schedule(null); // try again later; a refused key waits for the agent
    }
  } catch (err) {
    status("The service could not be reached: " + err.message, true);
    schedule(null);
  } finally {
    busy = false;
  }
}

async function pin(rec, pinned, button) {
  button.disabled = true;
  try {
    const r = await api(pinned ? "PUT" : "DELETE", recordPath(rec));
    if (r.status === 200) {
      render(r.body);
      status((pinned ? "Pinned " : "Unpinned ") + (rec.display || rec.id) + ".");
      schedule(r.body);
    } else {
      status(problem(r), true);
      button.disabled = false;
    }
  } catch (err) {
    status("The service could not be reached: " + err.message, true);
    button.disabled = false;
  }
}

function start() {
  const q = new URLSearchParams(location.search);
  contactId = q.get("contactId") || "";
  $("contact").value = contactId;
  $("key").value = key() ? "••••••••" : "";
  $("open").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const k = $("key").value.trim();
    if (k && k !== "••••••••") sessionStorage.setItem(KEY_SLOT, k);
    contactId = $("contact").value.trim();
    const u = new URL(location.href);
    u.searchParams.set("contactId", contactId);
    history.replaceState(null, "", u.pathname + u.search);
    if (!key()) {
      status("Paste your agent key.", true);
      return;
    }
    load();
  });
  $("forget").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_SLOT);
    $("key").value = "";
    clearTimeout(timer);
    status("The key is gone from this tab.");
  });
  if (contactId && key()) load();
  else status(contactId ? "Paste your agent key to open the card." : "Paste your agent key and the contact id.");
}

start();
