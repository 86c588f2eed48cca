/* Vector tiles: the incidents of a map of millions, read from a PMTiles archive (tippecanoe). */
  // ---- vector tiles -----------------------------------------------------------------------------
  // Written by mapper.render.tiles. Below the detail zoom the archive holds clusters with counts
  // per category and time step; from the detail zoom on, every incident with its full record.
  // The records of the tiles in view become app.inc, so the canvas layer, popups, filters and
  // list work as for a page with the blob inside; the clusters go on the same canvas.
  var TILE_CACHE = 192;  // decoded tiles kept (least recently used go first)

  function TileFeed(app, spec) {
    this.app = app;
    this.spec = spec;
    this.source = new protomapsL.PmtilesSource(spec.url, false);
    this.cache = new Map();
    this.seq = 0;
    this.mode = "clusters";
    this.zoom = -1;
    this.clusters = [];
    this.inView = 0;
  }

  TileFeed.prototype.coordsInView = function (z) {
    var b = this.app.map.getBounds(), n = 1 << z, out = [];
    function clamp(v) { return Math.max(0, Math.min(n - 1, v)); }
    var x0 = clamp(Math.floor(mercX(b.getWest()) * n)), x1 = clamp(Math.floor(mercX(b.getEast()) * n));
    var y0 = clamp(Math.floor(mercY(b.getNorth()) * n)), y1 = clamp(Math.floor(mercY(b.getSouth()) * n));
    for (var x = x0; x <= x1; x++) for (var y = y0; y <= y1; y++) out.push({z: z, x: x, y: y});
    return out;
  };

  // one tile, decoded once: {records: [...]} at the detail zoom, {clusters: [...]} below it
  TileFeed.prototype.tile = function (c) {
    var key = c.z + "/" + c.x + "/" + c.y, hit = this.cache.get(key), spec = this.spec;
    if (hit) { this.cache.delete(key); this.cache.set(key, hit); return hit; }
    var n = 1 << c.z;
    var promise = this.source.get(c, 256).then(function (layers) {
      var feats = layers.get(spec.layer) || [], records = [], clusters = [];
      for (var i = 0; i < feats.length; i++) {
        var p = feats[i].props, pt = feats[i].geom[0][0];
        // tippecanoe repeats features near an edge in the next tile (its buffer): keep each in
        // the tile it lies in, so nothing is counted or listed twice
        if (pt.x < 0 || pt.y < 0 || pt.x >= 256 || pt.y >= 256) continue;
        if (typeof p.r === "string") { records.push(JSON.parse(p.r)); continue; }
        var counts = [];
        for (var k in p) {
          var m = /^k(\d+)_(\d+|u)$/.exec(k);
          if (m) counts.push([+m[1], m[2] === "u" ? -1 : +m[2], +p[k]]);
        }
        clusters.push({mx: (c.x + pt.x / 256) / n, my: (c.y + pt.y / 256) / n, counts: counts});
      }
      return {records: records, clusters: clusters};
    });
    this.cache.set(key, promise);
    if (this.cache.size > TILE_CACHE) this.cache.delete(this.cache.keys().next().value);
    return promise;
  };

  TileFeed.prototype.update = function () {
    var self = this, app = this.app, dz = this.spec.detailZoom;
    var z = Math.max(0, Math.min(dz, Math.floor(app.map.getZoom())));
    var seq = ++this.seq, coords = this.coordsInView(z), box = app.map.getContainer();
    box.setAttribute("data-tiles-loading", "1");
    Promise.all(coords.map(function (c) { return self.tile(c); })).then(function (tiles) {
      if (seq !== self.seq) return;  // the view moved on meanwhile
      self.zoom = z;
      if (z >= dz) self.showRecords(tiles); else self.showClusters(tiles);
      box.setAttribute("data-tiles-loading", "0");
      box.setAttribute("data-tile-mode", self.mode);
      if (!window.mapperTilesReadyAt) window.mapperTilesReadyAt = performance.now();
    }).catch(function (err) {
      box.setAttribute("data-tiles-loading", "error");
      self.note("The incident tiles could not be loaded (" + err.message + "). Open this page " +
        "through a web server that answers range requests (mapper serve FOLDER).");
    });
  };

  TileFeed.prototype.showRecords = function (tiles) {
    var records = [];
    for (var t = 0; t < tiles.length; t++) records = records.concat(tiles[t].records);
    records.sort(function (a, b) { return a.d0 - b.d0 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0); });
    this.mode = "records";
    this.clusters = [];
    this.app.index(records);
    this.app.apply(false);
  };

  TileFeed.prototype.showClusters = function (tiles) {
    var list = [];
    for (var t = 0; t < tiles.length; t++) list = list.concat(tiles[t].clusters);
    this.mode = "clusters";
    this.clusters = list;
    this.app.index([]);
    this.app.apply(false);
  };

  // what the filters let through of a cluster: exact for categories, whole time steps for dates
  TileFeed.prototype.count = function (cluster, cats) {
    var app = this.app, s = this.spec, n = 0;
    for (var i = 0; i < cluster.counts.length; i++) {
      var c = cluster.counts[i];
      if (!app.catOn[c[0]]) continue;
      if (c[1] >= 0) {
        var first = s.firstDay + c[1] * s.stepDays, last = first + s.stepDays - 1;
        if (c[1] === s.steps - 1) last = Infinity;
        if (last < app.t0 || first > app.t1) continue;
      }
      n += c[2];
      cats[c[0]] = (cats[c[0]] || 0) + c[2];
    }
    return n;
  };

  TileFeed.prototype.drawClusters = function (layer) {
    var app = this.app, ctx = layer._canvas.getContext("2d"), f = layer._frame();
    var scale = f.scale, offX = f.offX, offY = f.offY, total = 0, drawn = 0;
    for (var i = 0; i < this.clusters.length; i++) {
      var cats = {}, n = this.count(this.clusters[i], cats);
      if (!n) continue;
      total += n;
      var g = {x: this.clusters[i].mx * scale - offX, y: this.clusters[i].my * scale - offY, n: n,
        cats: cats, members: [], tile: true, r: n > 1 ? 13 + 5 * Math.log10(n) : 6.5};
      if (n > 1) layer._drawCluster(ctx, g);
      else {
        ctx.beginPath();
        ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
        ctx.fillStyle = app.colors[layer._dominant(cats)];
        ctx.fill();
        ctx.lineWidth = 1.5; ctx.strokeStyle = "#ffffff"; ctx.stroke();
      }
      layer._groups.push(g);
      drawn++;
    }
    this.inView = total;
    app.drawn.clusters += drawn;
  };

  TileFeed.prototype.note = function (text) {
    if (this.noteBox) this.noteBox.textContent = text;
  };

  TileFeed.prototype.explain = function () {
    var s = this.spec;
    if (this.mode === "clusters") {
      this.note("At this zoom the map counts incidents by category and in " + s.stepDays +
        "-day steps of time; the claimant, outlet and search filters, exact dates and the list " +
        "apply once you zoom in (level " + s.detailZoom + ").");
    } else {
      this.note("Showing the incidents in view (the map holds " + s.total + "); filters and " +
        "the list apply to them.");
    }
  };

  // ---- hooks into the canvas layer, clicks, counts and state ------------------------------------
  var drawPoints = PointLayer.prototype.draw;
  PointLayer.prototype.draw = function () {
    drawPoints.call(this);
    var feed = this._app.tileFeed;
    // the density and region views draw the incidents of the detail zoom only
    if (feed && feed.clusters.length && this._map && this._app.view === "points")
      feed.drawClusters(this);
  };

  var hoverIncidents = MapperApp.prototype.onHover;
  MapperApp.prototype.onHover = function (e) {
    var g = this.tileFeed && this.view === "points" ? this.points.hit(e.containerPoint) : null;
    if (!g || !g.tile) { hoverIncidents.call(this, e); return; }
    this.map.getContainer().style.cursor = "pointer";
    if (!this.tip) this.tip = L.tooltip({direction: "top", offset: [0, -8], className: "mapper-tip"});
    this.tip.setContent(el("span", null, g.n + " incident" + (g.n > 1 ? "s" : "") + ": click to zoom in"))
      .setLatLng(e.latlng);
    if (!this.map.hasLayer(this.tip)) this.map.openTooltip(this.tip);
  };

  var clickIncidents = MapperApp.prototype.onClick;
  MapperApp.prototype.onClick = function (e) {
    var g = this.tileFeed && this.view === "points" ? this.points.hit(e.containerPoint) : null;
    if (!g || !g.tile) { clickIncidents.call(this, e); return; }
    var at = this.map.containerPointToLatLng(e.containerPoint);
    this.map.setView(at, Math.min(this.map.getZoom() + 2, this.tileFeed.spec.detailZoom));
  };

  var countIncidents = MapperApp.prototype.updateCount;
  MapperApp.prototype.updateCount = function () {
    var feed = this.tileFeed;
    if (!feed || !this.countLine) { countIncidents.call(this); return; }
    if (feed.mode === "clusters") {
      this.countLine.textContent = feed.inView + " of " + feed.spec.total + " incidents in view";
    } else {
      this.countLine.textContent = this.count + " of " + this.inc.length + " incidents in view shown (" +
        feed.spec.total + " in the map)";
    }
    feed.explain();
  };

  var listIncidents = MapperApp.prototype.renderList;
  MapperApp.prototype.renderList = function () {
    listIncidents.call(this);
    if (this.tileFeed && this.tileFeed.mode === "clusters" && this.listMore)
      this.listMore.textContent = "Zoom in to list the incidents.";
  };

  var stateOf = MapperApp.prototype.state;
  MapperApp.prototype.state = function () {
    var st = stateOf.call(this), feed = this.tileFeed;
    if (feed) st.tiles = {mode: feed.mode, zoom: feed.zoom, loaded: this.inc.length,
      clusters: feed.clusters.length, inView: feed.inView, total: feed.spec.total};
    return st;
  };

  onInit(function (app) {
    var spec = app.data.tiles;
    if (!spec) return;
    var feed = app.tileFeed = new TileFeed(app, spec);
    var panel = app.map.getContainer().querySelector(".mapper-panel");
    feed.noteBox = el("p", "mapper-tiles-note");
    feed.noteBox.setAttribute("role", "status");
    if (panel) panel.insertBefore(feed.noteBox, panel.firstChild);
    app.map.on("moveend", function () { feed.update(); });
    // after init has fitted the view (which may not move the map at all)
    setTimeout(function () { feed.update(); }, 0);
  });
