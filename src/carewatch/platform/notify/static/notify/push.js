// Subscribes this browser to web push and hands the subscription to CareWatch.
// The page (notify/add_push.html) carries the VAPID public key, the CSRF token
// and the translated status sentences; the service worker is the site's /sw.js.
(function () {
  "use strict";
  const form = document.getElementById("push-form");
  if (!form) return;
  const button = document.getElementById("push-button");
  const status = document.getElementById("push-status");
  const say = (key) => { status.textContent = status.dataset[key] || ""; };

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function subscribe() {
    const registration = await navigator.serviceWorker.register("/sw.js");
    await navigator.serviceWorker.ready;
    const existing = await registration.pushManager.getSubscription();
    return existing || registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: keyBytes(form.dataset.publicKey),
    });
  }

  async function save(subscription) {
    const response = await fetch(form.action, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value,
      },
      body: JSON.stringify({ subscription: subscription.toJSON(), name: form.elements.name.value }),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(answer.error || "");
    return answer;
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  button.disabled = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    say("working");
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        say("denied");
        return;
      }
      const answer = await save(await subscribe());
      window.location.assign(answer.redirect);
    } catch (error) {
      status.textContent = (error && error.message) || status.dataset.failed;
    } finally {
      button.disabled = false;
    }
  });
})();
