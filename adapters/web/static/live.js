// The live count and the reader's own time. The page is complete without this file.
"use strict";
(function () {
  var yours = document.getElementById("your-time");
  if (yours && window.Intl) {
    try {
      var reader = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (reader && reader !== yours.dataset.zone) {
        var when = new Intl.DateTimeFormat(yours.dataset.lang, {
          dateStyle: "full", timeStyle: "short", timeZone: reader
        }).format(new Date(yours.dataset.start));
        yours.textContent = " " + yours.dataset.template.replace("{when}", when + " (" + reader + ")");
        yours.hidden = false;
      }
    } catch (e) { /* an old browser: the gathering's own time is shown anyway */ }
  }
  var live = document.getElementById("live");
  if (!live || !live.dataset.live || !window.EventSource) { return; }
  var version = live.dataset.version;
  var source = new EventSource(live.dataset.live);
  source.onmessage = function (event) {
    var data = JSON.parse(event.data);
    if (String(data.version) !== version || data.status !== "open") {
      source.close();
      window.location.reload();  // the details changed: show them as they are now
      return;
    }
    document.getElementById("count").textContent = data.count;
    var bar = document.getElementById("progress");
    if (bar && data.target) {
      bar.value = Math.min(data.going, data.target);
      bar.textContent = data.count;
    }
    var list = document.getElementById("networks");
    list.replaceChildren.apply(list, data.networks.map(function (pair) {
      var item = document.createElement("li");
      item.textContent = pair[0] + ": " + pair[1];
      return item;
    }));
    document.getElementById("places").textContent = data.places;
    document.getElementById("on").textContent = data.on;
    live.dataset.going = data.going;
  };
})();
