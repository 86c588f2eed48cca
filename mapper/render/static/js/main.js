/* Entry points called by the page. */
  // ---- entry points called by the page -------------------------------------------------------
  function startApp(map, data, options, t0, t1) {
    var app = new MapperApp(map, data, options || {}).init();
    // timings for the benchmark and for anyone profiling a big map
    window.mapperTimings = {start: t0, parse: t1 - t0, init: performance.now() - t1};
    window.mapperApp = app;
    requestAnimationFrame(function () {
      window.mapperReady = true;
      window.mapperReadyAt = performance.now();
      document.documentElement.setAttribute("data-mapper-ready", "1");
      window.mapperState = app.state();
    });
    return app;
  }

  // a deflated, base64-encoded element (big maps, see mapper/render/blob.py) as text
  function inflated(node) {
    var bin = atob(node.textContent), bytes = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"))).text();
  }

  // the data blob inside the page (one self-contained file)
  window.mapperInit = function (map, dataElementId, options) {
    var t0 = performance.now();
    var node = document.getElementById(dataElementId);
    if (node.getAttribute("data-encoding") !== "deflate-base64") {
      var app = startApp(map, JSON.parse(node.textContent), options, t0, performance.now());
      app.recordsReady = true;
      return app;
    }
    // a big map: draw from the core, then read the full records (cards, search text) behind it;
    // their element comes after this script (page.map_html), so wait for the parser to reach it
    var recordsId = node.getAttribute("data-records") || "";
    return inflated(node).then(function (text) {
      var app = startApp(map, JSON.parse(text), options, t0, performance.now());
      function readRecords() {
        var recordsNode = document.getElementById(recordsId), t = performance.now();
        if (!recordsNode) { app.attachRecords([]); return; }  // core only: cards show what it has
        inflated(recordsNode).then(function (recs) {
          app.attachRecords(JSON.parse(recs));
          window.mapperTimings.records = performance.now() - t;
          window.mapperRecordsAt = performance.now();
        });
      }
      if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", readRecords);
      else setTimeout(readRecords, 0);
      return app;
    });
  };

  // the data blob in a file beside the page (vector-tile maps: map.html and embed.html share it)
  window.mapperLoad = function (map, url, options) {
    var t0 = performance.now();
    return fetch(url).then(function (resp) {
      if (!resp.ok) throw new Error(url + ": HTTP " + resp.status);
      return resp.json();
    }).then(function (data) {
      return startApp(map, data, options, t0, performance.now());
    }).catch(function (err) {
      var box = el("div", "mapper-load-error",
        "The map data could not be loaded (" + err.message + "). Open this page through a web " +
        "server (mapper serve FOLDER), not as a file.");
      map.getContainer().appendChild(box);
    });
  };
