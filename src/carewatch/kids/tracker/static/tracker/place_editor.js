/* The place editor: one circle or one area, drawn and dragged with Leaflet-Geoman.
   The form's fields follow the drawing (lat, lon, radius_m, hidden polygon), and
   typing in them moves the circle, so the form works the same with or without this. */
(function () {
  "use strict";
  var data = CareMaps.readJSON("place-editor-data");
  var field = function (name) { return document.getElementById("id_" + name); };
  var lat = field("lat"), lon = field("lon"), radius = field("radius_m"), polygon = field("polygon");
  var el = document.getElementById("place-map");
  var map = CareMaps.create(el, data);
  document.getElementById("place-map-help").hidden = false;
  var faint = { opacity: 0.5, fillOpacity: 0.04, weight: 1, dashArray: "4 4", interactive: false, pmIgnore: true };
  var others = data.others.map(function (place) { return CareMaps.placeLayer(place, faint).addTo(map); });
  var shape = null;

  map.pm.setLang("carewatch", CareMaps.readJSON("place-editor-strings"), "en");
  map.pm.setGlobalOptions({ allowSelfIntersection: false, snappable: false });
  map.pm.addControls({
    position: "topleft", drawCircle: true, drawPolygon: true, editMode: true, dragMode: true,
    removalMode: true, drawMarker: false, drawCircleMarker: false, drawPolyline: false,
    drawRectangle: false, drawText: false, cutPolygon: false, rotateMode: false,
  });

  var round = function (x) { return Math.round(x * 1e6) / 1e6; };

  function write() {
    if (!shape) return;
    if (shape instanceof L.Circle) {
      var c = shape.getLatLng();
      lat.value = round(c.lat);
      lon.value = round(c.lng);
      radius.value = Math.round(shape.getRadius());
      polygon.value = "";
      return;
    }
    var ring = shape.getLatLngs()[0].map(function (p) { return [round(p.lat), round(p.lng)]; });
    polygon.value = JSON.stringify(ring);
    var centre = shape.getBounds().getCenter();
    lat.value = round(centre.lat);
    lon.value = round(centre.lng);
    radius.value = "";
  }

  function use(layer) {
    if (shape && shape !== layer) map.removeLayer(shape);
    shape = layer;
    layer.on("pm:edit pm:update pm:dragend pm:markerdragend", write);
    write();
  }

  function fromFields() {
    var y = parseFloat(lat.value), x = parseFloat(lon.value), r = parseFloat(radius.value) || 150;
    if (isNaN(y) || isNaN(x) || Math.abs(y) > 90 || Math.abs(x) > 180) return;
    if (shape instanceof L.Circle) {
      shape.setLatLng([y, x]).setRadius(r);
    } else {
      polygon.value = "";  // typing a centre makes the place a circle again
      use(L.circle([y, x], { radius: r }).addTo(map));
    }
    map.panTo([y, x]);
  }

  map.on("pm:create", function (e) { use(e.layer); });
  map.on("pm:remove", function (e) {
    if (e.layer !== shape) return;
    shape = null;
    polygon.value = "";
  });
  map.on("click", function (e) {
    if (shape || map.pm.globalDrawModeEnabled()) return;
    use(L.circle(e.latlng, { radius: parseFloat(radius.value) || 150 }).addTo(map));
  });
  [lat, lon, radius].forEach(function (input) { input.addEventListener("change", fromFields); });

  var ring = [];
  try { ring = JSON.parse(polygon.value || "[]") || []; } catch (e) { ring = []; }
  if (ring.length >= 3) {
    shape = L.polygon(ring).addTo(map);
  } else if (lat.value && lon.value) {
    shape = L.circle([parseFloat(lat.value), parseFloat(lon.value)], { radius: parseFloat(radius.value) || 150 }).addTo(map);
  }
  if (shape) shape.on("pm:edit pm:update pm:dragend pm:markerdragend", write);
  if (shape || others.length || !data.near) CareMaps.fit(map, shape ? [shape] : others);
  else map.setView(data.near, 16);

  var locate = document.getElementById("place-map-locate");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (pos) {
        map.setView([pos.coords.latitude, pos.coords.longitude], 17);
      });
    });
  }
})();
