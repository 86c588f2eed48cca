/* Entry point called by the page. */
  // ---- entry point called by the page --------------------------------------------------------
  window.mapperInit = function (map, dataElementId, options) {
    var t0 = performance.now();
    var node = document.getElementById(dataElementId);
    var data = JSON.parse(node.textContent);
    var t1 = performance.now();
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
  };
