// Live crisis board: appends new timeline entries sent by the server (server-sent events).
// The browser's EventSource reconnects by itself and sends Last-Event-ID, so nothing is lost;
// without JavaScript the page shows the same entries after a reload.
(function () {
  "use strict";
  var list = document.getElementById("timeline");
  if (!list || !window.EventSource) { return; }
  var url = list.getAttribute("data-events") + "?after=" + encodeURIComponent(list.getAttribute("data-last") || "0");
  var source = new EventSource(url);
  source.addEventListener("entry", function (ev) {
    if (document.getElementById("entry-" + ev.lastEventId)) { return; }
    list.insertAdjacentHTML("beforeend", ev.data);
    list.setAttribute("data-last", ev.lastEventId);
  });
})();
