// CareWatch service worker: an offline page, and web push notifications.
const OFFLINE_URL = "/offline/";
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open("carewatch-v1").then((cache) => cache.add(OFFLINE_URL)));
  self.skipWaiting();
});
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  if (event.request.mode !== "navigate") return;
  event.respondWith(fetch(event.request).catch(() => caches.match(OFFLINE_URL)));
});
self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = { title: event.data.text() }; }
  const title = data.title || "CareWatch";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "", data: { url: data.url || "/home/" }, icon: "/static/img/logo.svg",
  }));
});
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data.url));
});
