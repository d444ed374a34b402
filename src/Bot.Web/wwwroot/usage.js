// The usage panel: the visitor's own tokens today and this month, what is left and when it resets (GET /api/usage).
// Opened by the Usage button or by typing /usage; everything goes into text nodes.
"use strict";
window.BotUsage = (function () {
  const number = new Intl.NumberFormat();

  function line(label, value) {
    const row = document.createElement("div");
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    detail.textContent = value;
    row.append(term, detail);
    return row;
  }

  function describe(period) {
    const plural = (n, word) => `${number.format(n)} ${word}${n === 1 ? "" : "s"}`;
    let used = `${plural(period.tokens, "token")} in ${plural(period.turns, "turn")}`;
    if (period.estimatedCost !== null && period.estimatedCost !== undefined) used += `, ≈ $${period.estimatedCost}`;
    const left = period.remaining === null || period.remaining === undefined
      ? "no limit"
      : `${number.format(period.remaining)} of ${number.format(period.limit)} left, resets ${new Date(period.resetsAt).toLocaleString()}`;
    return [used, left];
  }

  // Fetches the numbers through `api` (the page's fetch wrapper) and shows them in `panel`; shows the error instead if any.
  async function show(panel, api) {
    panel.hidden = false;
    panel.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = "Your usage";
    const close = document.createElement("button");
    close.type = "button";
    close.className = "secondary";
    close.textContent = "Close";
    close.addEventListener("click", () => { panel.hidden = true; });
    panel.append(heading, close);
    try {
      const usage = await api("GET", "/api/usage");
      const [today, todayLeft] = describe(usage.today);
      const [month, monthLeft] = describe(usage.month);
      const list = document.createElement("dl");
      list.append(line("Today", today), line("Left today", todayLeft), line("This month", month), line("Left this month", monthLeft));
      panel.append(list);
    } catch (error) {
      const note = document.createElement("p");
      note.textContent = error.message;
      panel.append(note);
    }
  }

  return { show };
})();
