/* A day's history: the track, and a slider (with Play) that moves a marker along it. */
(function () {
  "use strict";
  var data = CareMaps.readJSON("history-data");
  var map = CareMaps.create(document.getElementById("history-map"), data);
  var places = data.places.map(function (place) {
    return CareMaps.placeLayer(place, { fillOpacity: 0.06, weight: 1 }).addTo(map);
  });
  var points = data.track.map(function (p) { return [p[1], p[2]]; });
  if (!points.length) {
    CareMaps.fit(map, places);
    return;
  }
  var line = L.polyline(points, { color: "#b45309", weight: 4, opacity: 0.85 }).addTo(map);
  L.circleMarker(points[0], { radius: 6, color: "#00766c", fillOpacity: 1 }).addTo(map);
  var marker = L.marker(points[points.length - 1], {
    icon: CareMaps.childIcon(data.name, "online"), title: data.name, keyboard: false,
  }).addTo(map);
  CareMaps.fit(map, [line]);

  var slider = document.getElementById("playback");
  var output = document.getElementById("playback-time");
  var play = document.getElementById("playback-play");
  var timer = null;

  function show(index) {
    var p = data.track[index];
    marker.setLatLng([p[1], p[2]]);
    var label = CareMaps.timeLabel(p[0], data.tz);
    output.textContent = label;
    slider.setAttribute("aria-valuetext", label);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = play.dataset.play;
  }

  slider.addEventListener("input", function () { show(Number(slider.value)); });
  play.hidden = false;
  play.addEventListener("click", function () {
    if (timer) return stop();
    if (Number(slider.value) >= points.length - 1) slider.value = 0;
    play.textContent = play.dataset.pause;
    var step = Math.max(1, Math.round(points.length / 200));  // about 200 frames a day
    timer = setInterval(function () {
      var next = Math.min(points.length - 1, Number(slider.value) + step);
      slider.value = next;
      show(next);
      if (next >= points.length - 1) stop();
    }, 100);
  });
  show(Number(slider.value));
})();
