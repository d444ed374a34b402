// A small Markdown renderer for the assistant's answers. It builds DOM nodes and sets text only through
// textContent, so nothing in an answer can become markup or script; links are kept only for http(s).
// Nesting is bounded: quotes and lists deeper than maxDepth, and emphasis or links nested deeper than
// maxInlineDepth, are shown as plain text, so no answer can make the renderer recurse without end.
"use strict";
(function () {
  const maxDepth = 8;
  const maxInlineDepth = 8;
  const fence = /^\s{0,3}(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
  const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
  const rule = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
  const listItem = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
  const quote = /^\s{0,3}>\s?(.*)$/;
  const tableDivider = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

  function el(tag, className) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    return node;
  }

  function safeUrl(raw) {
    try {
      const url = new URL(raw);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  // Inline: `code`, **bold**, *italic*, _italic_, ~~strike~~, [text](url), <url>, bare http(s) URLs.
  const inlinePattern = new RegExp([
    "(`+)([\\s\\S]*?[^`])\\1(?!`)",
    "\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*",
    "(?<![\\w])__(?=\\S)([\\s\\S]*?\\S)__(?![\\w])",
    "~~(?=\\S)([\\s\\S]*?\\S)~~",
    "\\*(?=[^\\s*])([^*\\n]*?[^\\s*])\\*",
    "(?<![\\w])_(?=[^\\s_])([^_\\n]*?[^\\s_])_(?![\\w])",
    "!?\\[([^\\]\\n]+)\\]\\(\\s*([^)\\s]+)(?:\\s+\"[^\"\\n]*\")?\\s*\\)",
    "<(https?:\\/\\/[^>\\s]+)>",
    "(https?:\\/\\/[^\\s<>]*[^\\s<>.,:;\"')\\]!?])",
  ].join("|"), "g");

  function inline(text, parent, depth = 0) {
    if (depth >= maxInlineDepth) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    let last = 0;
    const pattern = new RegExp(inlinePattern.source, "g"); // its own position: inline() recurses for bold, links…
    for (let m; (m = pattern.exec(text)) !== null;) {
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      last = pattern.lastIndex;
      if (m[1] !== undefined) {
        const code = el("code");
        code.textContent = m[2].replace(/^ (.*) $/, "$1");
        parent.appendChild(code);
      } else if (m[3] !== undefined || m[4] !== undefined) {
        inline(m[3] ?? m[4], parent.appendChild(el("strong")), depth + 1);
      } else if (m[5] !== undefined) {
        inline(m[5], parent.appendChild(el("del")), depth + 1);
      } else if (m[6] !== undefined || m[7] !== undefined) {
        inline(m[6] ?? m[7], parent.appendChild(el("em")), depth + 1);
      } else if (m[8] !== undefined) {
        link(m[8], m[9], parent, false, depth + 1);
      } else {
        const url = m[10] ?? m[11];
        link(url, url, parent, true, depth + 1);
      }
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function link(label, target, parent, plainLabel, depth) {
    const href = safeUrl(target);
    if (href === null) {
      // Not a web link (javascript:, data:, sandbox:): keep only its label, as text.
      if (plainLabel) parent.appendChild(document.createTextNode(label));
      else inline(label, parent, depth);
      return;
    }
    const a = el("a");
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer nofollow";
    if (plainLabel) a.textContent = label;
    else inline(label, a, depth);
    parent.appendChild(a);
  }

  function splitRow(line) {
    let row = line.trim();
    if (row.startsWith("|")) row = row.slice(1);
    if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
    return row.split(/(?<!\\)\|/).map(cell => cell.trim().replace(/\\\|/g, "|"));
  }

  function table(lines, start, parent) {
    const head = splitRow(lines[start]);
    const aligns = splitRow(lines[start + 1]).map(c => c.endsWith(":") ? (c.startsWith(":") ? "center" : "right") : null);
    const tableEl = el("table");
    const tr = tableEl.appendChild(el("thead")).appendChild(el("tr"));
    head.forEach((cell, i) => { const th = tr.appendChild(el("th")); if (aligns[i]) th.style.textAlign = aligns[i]; inline(cell, th); });
    const body = tableEl.appendChild(el("tbody"));
    let i = start + 2;
    for (; i < lines.length && lines[i].includes("|") && lines[i].trim() !== ""; i++) {
      const row = body.appendChild(el("tr"));
      const cells = splitRow(lines[i]);
      head.forEach((_, c) => { const td = row.appendChild(el("td")); if (aligns[c]) td.style.textAlign = aligns[c]; inline(cells[c] ?? "", td); });
    }
    parent.appendChild(tableEl);
    return i;
  }

  function list(lines, start, parent, depth) {
    const first = listItem.exec(lines[start]);
    const indent = first[1].length;
    const ordered = /\d/.test(first[2]);
    const listEl = el(ordered ? "ol" : "ul");
    if (ordered && parseInt(first[2], 10) !== 1) listEl.start = parseInt(first[2], 10);
    let i = start;
    while (i < lines.length) {
      const m = listItem.exec(lines[i]);
      if (!m || m[1].length !== indent || /\d/.test(m[2]) !== ordered) break;
      const itemLines = [m[3]];
      i++;
      // Continuation: indented lines (nested lists, code), and blank lines followed by indented ones.
      while (i < lines.length) {
        const line = lines[i];
        const deeper = line.length - line.trimStart().length > indent;
        if (line.trim() !== "" && deeper) { itemLines.push(line.slice(Math.min(indent + 2, line.length - line.trimStart().length))); i++; continue; }
        if (line.trim() === "" && i + 1 < lines.length && lines[i + 1].length - lines[i + 1].trimStart().length > indent && lines[i + 1].trim() !== "") { itemLines.push(""); i++; continue; }
        break;
      }
      const li = listEl.appendChild(el("li"));
      blocks(itemLines, li, depth + 1);
      if (li.childNodes.length === 1 && li.firstChild.nodeName === "P") li.replaceChildren(...li.firstChild.childNodes);
      while (i < lines.length && lines[i].trim() === "" && i + 1 < lines.length && listItem.test(lines[i + 1]) &&
        listItem.exec(lines[i + 1])[1].length === indent) i++;
    }
    parent.appendChild(listEl);
    return i;
  }

  function startsBlock(lines, i) {
    const line = lines[i];
    return fence.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || listItem.test(line) ||
      (line.includes("|") && i + 1 < lines.length && tableDivider.test(lines[i + 1]));
  }

  // Lines past the nesting bound: shown as they were written, one text line each.
  function plainText(lines, parent) {
    const p = parent.appendChild(el("p"));
    lines.forEach((line, n) => {
      if (n > 0) p.appendChild(el("br"));
      p.appendChild(document.createTextNode(line));
    });
  }

  function blocks(lines, parent, depth = 0) {
    if (depth >= maxDepth) {
      plainText(lines.filter(line => line.trim() !== ""), parent);
      return;
    }
    let i = 0;
    while (i < lines.length) {
      const line = lines[i];
      let m;
      if (line.trim() === "") { i++; continue; }
      if ((m = fence.exec(line))) {
        const close = new RegExp("^\\s{0,3}" + m[1][0] + "{" + m[1].length + ",}\\s*$");
        const code = [];
        for (i++; i < lines.length && !close.test(lines[i]); i++) code.push(lines[i]);
        i++;
        const pre = el("pre");
        const codeEl = pre.appendChild(el("code"));
        if (m[2]) codeEl.dataset.lang = m[2];
        codeEl.textContent = code.join("\n");
        parent.appendChild(pre);
      } else if ((m = heading.exec(line))) {
        inline(m[2], parent.appendChild(el("h" + Math.min(6, m[1].length + 2))));
        i++;
      } else if (rule.test(line)) {
        parent.appendChild(el("hr"));
        i++;
      } else if (quote.test(line)) {
        const inner = [];
        for (; i < lines.length && (m = quote.exec(lines[i])); i++) inner.push(m[1]);
        blocks(inner, parent.appendChild(el("blockquote")), depth + 1);
      } else if (listItem.test(line)) {
        i = list(lines, i, parent, depth);
      } else if (line.includes("|") && i + 1 < lines.length && tableDivider.test(lines[i + 1])) {
        i = table(lines, i, parent);
      } else {
        const p = parent.appendChild(el("p"));
        const text = [line.trim()];
        for (i++; i < lines.length && lines[i].trim() !== "" && !startsBlock(lines, i); i++) text.push(lines[i].trim());
        text.forEach((t, n) => { if (n > 0) p.appendChild(el("br")); inline(t, p, 0); });
      }
    }
  }

  window.BotMarkdown = {
    /** Renders Markdown into a DocumentFragment made only of elements and text nodes. */
    render(text) {
      const fragment = document.createDocumentFragment();
      blocks(String(text ?? "").replace(/\r\n?/g, "\n").split("\n"), fragment);
      return fragment;
    },
    safeUrl,
  };
})();
