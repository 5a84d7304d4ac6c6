/* Shared by the tracker's maps: the base layer, places, markers and times.
   Tiles are drawn only when the server names a tile URL; without one the map is
   a plain background with a scale, and everything else still draws offline. */
window.CareMaps = (function () {
  "use strict";
  var COLOURS = { home: "#00766c", school: "#1d4ed8", other: "#7c3aed" };
  // One colour per child's track, told apart on a plain background and by colour-blind eyes.
  var TRACKS = ["#b45309", "#be185d", "#0369a1", "#4d7c0f", "#6d28d9", "#0f766e"];
  var INDIA = [22.0, 79.0];

  /* Without tiles: light graph paper that pans and zooms with the map, drawn locally. */
  var Grid = L.GridLayer.extend({
    createTile: function () {
      var size = this.getTileSize();
      var tile = document.createElement("canvas");
      tile.width = size.x;
      tile.height = size.y;
      var ctx = tile.getContext("2d");
      ctx.strokeStyle = "#c9d6d1";
      ctx.lineWidth = 1;
      ctx.beginPath();
      [0.5, size.x / 2 + 0.5].forEach(function (at) {
        ctx.moveTo(at, 0); ctx.lineTo(at, size.y);
        ctx.moveTo(0, at); ctx.lineTo(size.x, at);
      });
      ctx.stroke();
      return tile;
    },
  });

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function create(el, config) {
    el.hidden = false;
    var map = L.map(el, { minZoom: 2, maxZoom: 19, zoomSnap: 0.5 });
    var tiles = config.tiles || {};
    if (tiles.url) {
      L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(map);
    } else {
      el.classList.add("map-blank");
      map.attributionControl.setPrefix(false);
      new Grid({ className: "cw-grid", maxZoom: 19 }).addTo(map);
    }
    L.control.scale({ imperial: false }).addTo(map);
    return map;
  }

  function placeLayer(place, style) {
    var colour = COLOURS[place.kind] || COLOURS.other;
    var options = Object.assign({ color: colour, weight: 2, fillOpacity: 0.12 }, style || {});
    var layer = place.polygon && place.polygon.length >= 3
      ? L.polygon(place.polygon, options)
      : L.circle([place.lat, place.lon], Object.assign({ radius: place.radius_m || 0 }, options));
    // A permanent label: without tiles the name is the only way to tell places apart.
    // Given as a text node, so a name is never read as HTML.
    layer.bindTooltip(text(place.name), {
      permanent: true, direction: "center", className: "place-label", opacity: 0.9,
    });
    return layer;
  }

  /* Leaflet treats a string as HTML (tooltips, popups, icons): user text goes in as a
     text node inside an element, so a place called "<img onerror=...>" stays words. */
  function text(value) {
    var span = document.createElement("span");
    span.textContent = value == null ? "" : String(value);
    return span;
  }

  function trackColour(index) {
    return TRACKS[index % TRACKS.length];
  }

  /* A round pin with the child's initial; text goes in as text, never as HTML. */
  function childIcon(name, status) {
    var pin = document.createElement("span");
    pin.className = "kid-pin kid-" + (status || "unknown");
    pin.textContent = (name || "?").trim().charAt(0).toUpperCase();
    return L.divIcon({ html: pin, className: "kid-pin-box", iconSize: [40, 40], iconAnchor: [20, 20] });
  }

  function fit(map, layers) {
    var bounds = L.latLngBounds([]);
    layers.forEach(function (layer) {
      // A circle needs a map with a view for getBounds; this is called before there is one.
      if (layer instanceof L.Circle) bounds.extend(layer.getLatLng().toBounds(layer.getRadius() * 2));
      else if (layer.getBounds) bounds.extend(layer.getBounds());
      else if (layer.getLatLng) bounds.extend(layer.getLatLng());
    });
    if (bounds.isValid()) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 17 });
    else map.setView(INDIA, 4);
  }

  function timeLabel(iso, tz) {
    if (!iso) return "–";
    var lang = document.documentElement.lang || undefined;
    // 24-hour like the server's own labels ("H:i"), in the site's time zone.
    var options = { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: tz || undefined };
    try {
      return new Date(iso).toLocaleTimeString(lang, options);
    } catch (e) {
      return new Date(iso).toLocaleTimeString();
    }
  }

  return {
    readJSON: readJSON, text: text, create: create, placeLayer: placeLayer, childIcon: childIcon,
    fit: fit, timeLabel: timeLabel, trackColour: trackColour,
  };
})();
