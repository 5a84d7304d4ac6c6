// Registers the service worker so the app can be installed and receive web push.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Not fatal: the site works without it, only offline use and push are lost.
    });
  });
}
