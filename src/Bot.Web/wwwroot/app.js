// The chat page: talks to /api, renders the thread from server-sent events, and never puts model text
// into HTML (messages are built by BotMarkdown from text nodes).
"use strict";
(function () {
  const $ = id => document.getElementById(id);
  const ui = {
    title: $("title"), thread: $("thread"), messages: $("messages"), status: $("status"), error: $("error"),
    composer: $("composer"), input: $("input"), send: $("send"), stop: $("stop"), newButton: $("new"),
    fileInput: $("file-input"), files: $("files"), drop: $("drop"), keyForm: $("key-form"), key: $("key"),
    usage: $("usage"), usageButton: $("usage-button"),
  };
  const headers = { "X-Bot-Web": "1" };
  const imageTypes = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
  const state = { thread: null, events: null, running: false, status: null, pending: [], nodes: new Map(), sending: false };

  function showError(text) {
    ui.error.textContent = text || "";
    ui.error.hidden = !text;
  }

  async function api(method, path, body) {
    const response = await fetch(path, { method, headers, body, credentials: "same-origin" });
    let data = null;
    try { data = await response.json(); } catch { data = null; }
    if (!response.ok) {
      const error = new Error((data && data.error) || `The bot answered ${response.status}.`);
      error.status = response.status;
      error.code = data && data.code;
      throw error;
    }
    return data;
  }

  // --- rendering -------------------------------------------------------------------------------

  function fileUrl(file) {
    return `/api/threads/${state.thread}/files/${encodeURIComponent(file.id)}`;
  }

  function renderFiles(message, node, stickToBottom) {
    if (!message.files || message.files.length === 0) return;
    const list = document.createElement("div");
    list.className = "attachments";
    for (const file of message.files) {
      if (file.id && imageTypes.has(file.mediaType)) {
        const a = document.createElement("a");
        a.href = fileUrl(file);
        a.target = "_blank";
        a.rel = "noopener";
        const img = document.createElement("img");
        img.className = "output";
        img.src = fileUrl(file);
        img.alt = file.name;
        img.addEventListener("load", () => { if (stickToBottom) ui.messages.scrollTop = ui.messages.scrollHeight; });
        a.appendChild(img);
        node.appendChild(a);
      } else if (file.id) {
        const a = document.createElement("a");
        a.className = "file";
        a.href = fileUrl(file);
        a.download = file.name;
        a.textContent = "↓ " + file.name;
        list.appendChild(a);
      } else {
        const span = document.createElement("span");
        span.className = "file";
        span.textContent = file.name;
        list.appendChild(span);
      }
    }
    if (list.childNodes.length > 0) node.appendChild(list);
  }

  // The latest partial image of a picture being drawn; the final image (a generated file) takes its place.
  function renderPreview(message, node, stickToBottom) {
    if (!message.preview || !message.preview.id || !imageTypes.has(message.preview.mediaType)) return;
    const img = document.createElement("img");
    img.className = "output preview";
    img.src = fileUrl(message.preview);
    img.alt = "Drawing…";
    img.addEventListener("load", () => { if (stickToBottom) ui.messages.scrollTop = ui.messages.scrollHeight; });
    node.appendChild(img);
  }

  // The sources a reply cites, numbered like the [n] markers in its text: a file by name, a web page as a link.
  function renderCitations(message, node) {
    if (!message.citations || message.citations.length === 0) return;
    const list = document.createElement("ol");
    list.className = "sources";
    for (const citation of message.citations) {
      const li = document.createElement("li");
      li.value = citation.number;
      if (citation.url && /^https?:\/\//i.test(citation.url)) {
        const a = document.createElement("a");
        a.href = citation.url;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        a.textContent = citation.title;
        li.appendChild(a);
      } else {
        li.textContent = citation.title;
      }
      if (citation.quote) li.title = citation.quote;
      list.appendChild(li);
    }
    node.appendChild(list);
  }

  function render(message) {
    let node = state.nodes.get(message.id);
    if (!node) {
      node = document.createElement("article");
      node.dataset.id = message.id;
      ui.messages.querySelector(".empty")?.remove();
      ui.messages.appendChild(node);
      state.nodes.set(message.id, node);
    }
    const nearBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 80;
    node.className = "msg " + (message.role === "user" ? "user" : "assistant");
    node.setAttribute("aria-label", message.role === "user" ? "You" : "Assistant");
    node.replaceChildren();
    if (message.role === "user") {
      node.appendChild(document.createTextNode(message.text));
    } else {
      node.appendChild(window.BotMarkdown.render(message.text));
      renderCitations(message, node);
    }
    renderPreview(message, node, nearBottom);
    renderFiles(message, node, nearBottom);
    markStreaming();
    if (nearBottom) ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function markStreaming() {
    const last = ui.messages.lastElementChild;
    ui.messages.querySelectorAll(".streaming").forEach(n => n !== last && n.classList.remove("streaming"));
    if (last && last.classList.contains("assistant")) last.classList.toggle("streaming", state.running);
  }

  function renderAll(messages) {
    state.nodes.clear();
    ui.messages.replaceChildren();
    if (messages.length === 0) {
      const empty = document.createElement("p");
      empty.className = "empty";
      empty.textContent = "Ask anything, or attach a file (CSV, Excel, PDF, Word, images).";
      ui.messages.appendChild(empty);
    }
    messages.forEach(render);
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function setRunning(running, status) {
    state.running = running;
    state.status = status ?? null;
    ui.send.hidden = running;
    ui.stop.hidden = !running;
    ui.stop.disabled = false;
    ui.status.textContent = running ? (state.status || "Thinking…") : "";
    markStreaming();
  }

  // --- the thread's event stream -----------------------------------------------------------------

  function connect(thread) {
    if (state.events) state.events.close();
    state.thread = thread;
    ui.thread.textContent = thread.slice(0, 8);
    ui.thread.title = "Conversation " + thread;
    const events = new EventSource(`/api/threads/${thread}/events`);
    state.events = events;
    const on = (type, handler) => events.addEventListener(type, e => handler(JSON.parse(e.data)));
    on("sync", data => {
      showError("");
      renderAll(data.messages);
      (data.approvals || []).forEach(showApproval);
      setRunning(data.running, data.status);
    });
    on("message", render);
    on("approval", showApproval);
    on("status", data => setRunning(state.running, data.text));
    on("state", data => setRunning(data.running, data.status));
    on("done", data => {
      setRunning(data.running, null);
      if (data.status === "Failed") showError("The assistant could not finish this answer. You can ask again.");
    });
    on("reset", data => connect(data.thread));
    on("closed", () => {
      // The same visitor opened the chat in more tabs than the bot follows at once; this one stops following.
      events.close();
      if (state.events === events) state.events = null;
      showError("This conversation is open in too many tabs, so this one stopped following it. Reload the page to follow it here.");
    });
    events.onerror = () => {
      if (events.readyState === EventSource.CLOSED) {
        showError("Lost the connection to the bot. Reload the page to reconnect.");
      } else {
        ui.status.textContent = "Reconnecting…";
      }
    };
  }

  // An approval question with Approve / Deny; the click is answered by the API (a refusal's sentence shows under it).
  function showApproval(approval) {
    window.BotApprovals.show(approval, ui.messages, (id, approve) =>
      api("POST", `/api/threads/${state.thread}/approvals/${encodeURIComponent(id)}`, JSON.stringify({ approve })));
  }

  // --- sending ---------------------------------------------------------------------------------

  function renderPending() {
    ui.files.replaceChildren();
    state.pending.forEach((file, index) => {
      const li = document.createElement("li");
      li.appendChild(document.createTextNode(file.name));
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", "Remove " + file.name);
      remove.addEventListener("click", () => { state.pending.splice(index, 1); renderPending(); ui.input.focus(); });
      li.appendChild(remove);
      ui.files.appendChild(li);
    });
  }

  function addFiles(list) {
    for (const file of list) state.pending.push(file);
    renderPending();
  }

  async function send() {
    const text = ui.input.value;
    if (text.trim().toLowerCase() === "/usage" && state.pending.length === 0) {
      ui.input.value = ""; // a command for the page, not a message for the assistant
      resize();
      window.BotUsage.show(ui.usage, api);
      return;
    }
    if (state.sending || state.running || (text.trim() === "" && state.pending.length === 0)) return;
    const form = new FormData();
    form.append("text", text);
    state.pending.forEach(file => form.append("files", file, file.name));
    state.sending = true;
    ui.send.disabled = true;
    showError("");
    try {
      await api("POST", `/api/threads/${state.thread}/messages`, form);
      ui.input.value = "";
      state.pending = [];
      renderPending();
      resize(); // running/done come from the event stream, which may already have told the whole turn
    } catch (error) {
      showError(error.message); // the text and files stay, so the visitor can fix and resend
    } finally {
      state.sending = false;
      ui.send.disabled = false;
    }
  }

  async function stop() {
    ui.stop.disabled = true;
    try {
      await api("POST", `/api/threads/${state.thread}/stop`);
    } catch (error) {
      showError(error.message);
      ui.stop.disabled = false;
    }
  }

  async function newConversation() {
    ui.newButton.disabled = true;
    try {
      const data = await api("POST", `/api/threads/${state.thread}/reset`);
      showError("");
      connect(data.thread);
      ui.input.focus();
    } catch (error) {
      showError(error.message);
    } finally {
      ui.newButton.disabled = false;
    }
  }

  function resize() {
    ui.input.style.height = "auto";
    ui.input.style.height = Math.min(ui.input.scrollHeight + 2, window.innerHeight * 0.4) + "px";
  }

  // --- start -----------------------------------------------------------------------------------

  async function start() {
    try {
      const session = await api("GET", "/api/session");
      ui.keyForm.hidden = true;
      ui.composer.hidden = false;
      ui.title.textContent = session.title;
      document.title = session.title;
      connect(session.thread);
      ui.input.focus();
    } catch (error) {
      showError(error.message);
      if (error.code === "access_key") {
        ui.keyForm.hidden = false;
        ui.composer.hidden = true;
        ui.key.focus();
      }
    }
  }

  ui.keyForm.addEventListener("submit", async e => {
    e.preventDefault();
    try {
      await api("POST", "/api/access", new URLSearchParams({ key: ui.key.value }));
      ui.key.value = "";
      showError("");
      await start();
    } catch (error) {
      showError(error.message);
    }
  });
  ui.composer.addEventListener("submit", e => { e.preventDefault(); send(); });
  ui.input.addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
  });
  ui.input.addEventListener("input", resize);
  document.addEventListener("keydown", e => { if (e.key === "Escape" && state.running) stop(); });
  ui.stop.addEventListener("click", stop);
  ui.newButton.addEventListener("click", newConversation);
  ui.usageButton.addEventListener("click", () => window.BotUsage.show(ui.usage, api));
  ui.fileInput.addEventListener("change", () => { addFiles(ui.fileInput.files); ui.fileInput.value = ""; ui.input.focus(); });

  let dragDepth = 0;
  const hasFiles = e => e.dataTransfer && Array.from(e.dataTransfer.types).includes("Files");
  document.addEventListener("dragenter", e => { if (hasFiles(e)) { dragDepth++; ui.drop.hidden = false; e.preventDefault(); } });
  document.addEventListener("dragover", e => { if (hasFiles(e)) e.preventDefault(); });
  document.addEventListener("dragleave", () => { dragDepth = Math.max(0, dragDepth - 1); if (dragDepth === 0) ui.drop.hidden = true; });
  document.addEventListener("drop", e => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    dragDepth = 0;
    ui.drop.hidden = true;
    addFiles(e.dataTransfer.files);
    ui.input.focus();
  });

  start();
})();
