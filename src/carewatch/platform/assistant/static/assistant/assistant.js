// The help assistant's panel: posts the question with fetch and appends the answer, so
// the page stays where it is. Without this script the form posts to /assistant/ and the
// answer comes back as a page. Text is set with textContent only (no HTML parsing).
(function () {
  "use strict";

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function hidden(text) {
    return element("span", "visually-hidden", text);
  }

  function linkList(links) {
    const list = element("ul", "assistant-links");
    links.forEach((link) => {
      const item = element("li");
      const anchor = element("a", "", link.label);
      anchor.href = link.url;
      item.appendChild(anchor);
      list.appendChild(item);
    });
    return list;
  }

  function turn(data, labels) {
    const item = element("li", "assistant-turn");
    const question = element("p", "assistant-question");
    question.append(hidden(labels.asked + " "), document.createTextNode(data.question));
    const answer = element("div", "assistant-answer assistant-" + data.kind);
    if (data.kind === "emergency") answer.setAttribute("role", "alert");
    answer.append(hidden(labels.answer + " "), element("p", "", data.answer));
    if (data.links && data.links.length) answer.appendChild(linkList(data.links));
    item.append(question, answer);
    return item;
  }

  function labelsOf(form) {
    return {
      asked: form.dataset.asked || "You asked:",
      answer: form.dataset.answer || "Answer:",
    };
  }

  async function send(form, log) {
    const field = form.querySelector("input[name=question]");
    if (!field.value.trim()) return;
    const button = form.querySelector("button[type=submit]");
    button.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const data = await response.json();
      if (!response.ok) throw new Error(data.error || response.statusText);
      log.appendChild(turn(data, labelsOf(form)));
      field.value = "";
      field.focus();
    } catch (error) {
      form.submit(); // the plain form still works: let the server render the answer page
    } finally {
      button.removeAttribute("aria-busy");
    }
  }

  document.querySelectorAll("form[data-assistant-form]").forEach((form) => {
    const log = form.parentElement.querySelector(".assistant-log");
    if (!log) return;
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      send(form, log);
    });
  });
})();
