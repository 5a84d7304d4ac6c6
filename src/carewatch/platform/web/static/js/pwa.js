// Registers the service worker so the app can be installed and receive web push.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Not fatal: the site works without it, only offline use and push are lost.
    });
  });
}

// The inbox sends {"notify:unread": n} with htmx responses: keep the badge in step.
document.addEventListener("notify:unread", (event) => {
  const badge = document.getElementById("inbox-badge");
  if (!badge) return;
  const unread = Number(event.detail && event.detail.value !== undefined ? event.detail.value : event.detail);
  badge.textContent = String(unread);
  badge.hidden = !(unread > 0);
});

// A read-only field meant to be copied selects itself (no inline handlers: see csp.py).
document.addEventListener("focusin", (event) => {
  if (event.target.matches && event.target.matches("[data-select-on-focus]")) event.target.select();
});
