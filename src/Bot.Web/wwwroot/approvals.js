// Approval questions in the chat: the heading and the arguments as text, Approve and Deny until the question is decided,
// then its outcome. Everything shown comes from the model or a remote server, so it only ever goes into text nodes.
"use strict";
window.BotApprovals = (function () {
  const nodes = new Map();

  // Shows (or updates) one question; `answer(id, approve)` posts the click and resolves, or rejects with the reason.
  function show(approval, container, answer) {
    let node = nodes.get(approval.id);
    if (!node || !node.isConnected) {
      node = document.createElement("aside");
      node.className = "approval";
      node.dataset.approval = approval.id;
      const heading = document.createElement("p");
      heading.className = "heading";
      heading.textContent = approval.heading;
      const args = document.createElement("pre");
      args.textContent = approval.arguments;
      const actions = document.createElement("div");
      actions.className = "actions";
      for (const [label, approve] of [["Approve", true], ["Deny", false]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = label;
        if (!approve) button.className = "secondary";
        button.addEventListener("click", () => click(node, approval.id, approve, answer));
        actions.appendChild(button);
      }
      const note = document.createElement("p");
      note.className = "note";
      note.setAttribute("role", "status");
      node.append(heading, args, actions, note);
      container.querySelector(".empty")?.remove();
      container.appendChild(node);
      container.scrollTop = container.scrollHeight;
      nodes.set(approval.id, node);
    }
    if (approval.outcome) settle(node, approval.outcome);
  }

  async function click(node, id, approve, answer) {
    const buttons = node.querySelectorAll(".actions button");
    buttons.forEach(b => { b.disabled = true; });
    // The outcome may arrive on the event stream before the answer's own response: it is never overwritten.
    try {
      await answer(id, approve);
      if (!node.classList.contains("settled")) node.querySelector(".note").textContent = "";
    } catch (error) {
      if (node.classList.contains("settled")) return;
      node.querySelector(".note").textContent = error.message;
      buttons.forEach(b => { b.disabled = false; });
    }
  }

  function settle(node, outcome) {
    node.classList.add("settled");
    node.querySelector(".actions").replaceChildren();
    node.querySelector(".note").textContent = outcome;
  }

  return { show };
})();
