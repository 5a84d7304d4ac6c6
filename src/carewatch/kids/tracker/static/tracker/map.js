/* The live map: draws the embedded data, then follows server-sent events.
   `position` moves a child's marker and extends today's track; `alert` adds a
   line to the page's aria-live region. EventSource reconnects by itself. */
(function () {
  "use strict";
  var data = CareMaps.readJSON("map-data");
  var words = CareMaps.readJSON("map-strings");
  var map = CareMaps.create(document.getElementById("family-map"), data);
  var places = data.places.map(function (place) { return CareMaps.placeLayer(place).addTo(map); });
  var devices = {};

  function popup(d) {
    var box = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = d.name;
    box.appendChild(name);
    [d.status_label,
     words.battery + ": " + (d.battery === null ? "–" : d.battery + " %"),
     words.last_seen + ": " + CareMaps.timeLabel(d.last_seen, data.tz),
     d.accuracy ? words.accuracy + ": " + Math.round(d.accuracy) : ""
    ].forEach(function (line) {
      if (!line) return;
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(line));
    });
    return box;
  }

  function updateList(d) {
    var item = document.querySelector('[data-device="' + d.id + '"]');
    if (!item) return;
    var swatch = item.querySelector('[data-field="swatch"]');
    if (swatch && devices[d.id]) {  // the colour of this child's track on the map
      swatch.style.backgroundColor = devices[d.id].colour;
      swatch.hidden = false;
    }
    var status = item.querySelector('[data-field="status"]');
    status.textContent = d.status_label;
    status.className = "status status-" + d.status;
    item.querySelector('[data-field="battery"]').textContent = d.battery === null ? "–" : d.battery + " %";
    var seen = item.querySelector('[data-field="last_seen"]');
    seen.textContent = CareMaps.timeLabel(d.last_seen, data.tz);
    seen.setAttribute("datetime", d.last_seen || "");
  }

  function update(d) {
    var known = devices[d.id];
    if (!known) {
      var colour = CareMaps.trackColour(Object.keys(devices).length);
      var track = L.polyline(data.tracks[d.id] || [], { color: colour, weight: 3, opacity: 0.8, className: "cw-track" }).addTo(map);
      known = devices[d.id] = { track: track, fix: d.fix_time, colour: colour };
    } else if (d.fix_time && d.fix_time !== known.fix && d.lat !== null) {
      known.track.addLatLng([d.lat, d.lon]);
      known.fix = d.fix_time;
    }
    updateList(d);
    if (d.lat === null || d.lon === null) return;
    var where = [d.lat, d.lon];
    if (!known.marker) {
      known.marker = L.marker(where, { icon: CareMaps.childIcon(d.name, d.status), title: d.name, keyboard: true }).addTo(map);
      known.circle = L.circle(where, { radius: d.accuracy || 0, color: known.colour, weight: 1, fillOpacity: 0.1, interactive: false }).addTo(map);
    }
    known.marker.setLatLng(where).setIcon(CareMaps.childIcon(d.name, d.status)).bindPopup(popup(d));
    known.circle.setLatLng(where).setRadius(d.accuracy || 0);
  }

  function showAlert(alert) {
    var region = document.getElementById("live-alerts");
    var empty = region.querySelector("[data-empty]");
    if (empty) empty.remove();
    var line = document.createElement("p");
    line.className = "live-alert event-" + alert.kind;
    line.textContent = CareMaps.timeLabel(alert.time, data.tz) + " · " + alert.text;
    region.insertBefore(line, region.firstChild);
  }

  data.devices.forEach(update);
  // Open on the children and today's tracks; with nobody located yet, on the places.
  var seen = [];
  Object.keys(devices).forEach(function (id) {
    if (devices[id].marker) seen.push(devices[id].marker);
    if (devices[id].track.getLatLngs().length) seen.push(devices[id].track);
  });
  CareMaps.fit(map, seen.length ? seen : places);

  document.querySelectorAll('[data-action="focus"]').forEach(function (button) {
    button.addEventListener("click", function () {
      var known = devices[button.closest("[data-device]").dataset.device];
      if (!known || !known.marker) return;
      map.setView(known.marker.getLatLng(), Math.max(map.getZoom(), 16));
      known.marker.openPopup();
      document.getElementById("family-map").scrollIntoView({ behavior: "smooth" });
    });
  });

  if (!window.EventSource) return;
  var status = document.getElementById("live-status");
  var source = new EventSource(data.live_url + "?after=" + data.after);
  source.addEventListener("open", function () { status.textContent = words.live_on; });
  source.addEventListener("position", function (e) { update(JSON.parse(e.data)); });
  source.addEventListener("alert", function (e) { showAlert(JSON.parse(e.data)); });
  source.addEventListener("error", function () {
    if (source.readyState === EventSource.CLOSED) status.textContent = words.live_lost;
  });
})();
