/* The application object: typed arrays over the blob, panes, basemap, labels, overlays, areas
 * and the region (choropleth) layer.
 */
  function MapperApp(map, data, options) {
    this.map = map;
    this.data = data;
    this.embed = !!(options && options.embed);
    this.clusterMaxZoom = data.clusterMaxZoom || 12;
    this.inc = data.incidents || [];
    this.cats = data.categories || [];
    this.claimants = data.claimants || [];
    this.outlets = data.outlets || [];
    this.areas = data.areas || [];
    this.forms = data.forms || {};  // place id -> case forms the search also finds ("Белгорода")
    this.regions = data.regions || [];
    this.colors = this.cats.map(function (c) { return c.color; });
    this.recordsReady = data.split ? false : true;
    this.uid = MapperApp.count = (MapperApp.count || 0) + 1;  // names ids when a page has several maps
  }

  MapperApp.prototype.init = function () {
    var self = this;
    this.index(this.inc);
    this.catOn = this.cats.map(function () { return true; });
    this.claimOn = this.claimants.map(function () { return true; });
    this.outOn = this.outlets.map(function () { return true; });
    this.noneClaimOn = true; this.noneOutOn = true;
    this.days = data_days(this.data);
    this.t0 = this.days[0]; this.t1 = this.days[1];
    this.query = "";
    this.keys = null;  // search keys, built on first search
    this.view = "points";  // or "density", "regions"
    this.spider = null;    // location index of the stack spread out, if any

    this.areaBBox = this.areas.map(function (a) { return a.geom ? geomBBox(a.geom) : null; });
    this.readHash();

    var map = this.map;
    this.booting = true;
    map.createPane("mapperBase").style.zIndex = 150;
    map.createPane("mapperRegions").style.zIndex = 400;
    map.createPane("mapperAreas").style.zIndex = 410;
    map.createPane("mapperOverlays").style.zIndex = 420;
    map.createPane("mapperLabels").style.zIndex = 440;
    map.createPane("mapperPoints").style.zIndex = 450;
    map.getPane("mapperPoints").style.pointerEvents = "none";
    map.getPane("mapperLabels").style.pointerEvents = "none";
    this.buildBasemap();
    this.buildRegions();
    this.buildOverlays();
    this.buildAreas();
    this.points = new PointLayer(this);
    var labels = (this.data.basemap || {}).labels || [];
    this.labels = new LabelLayer(this, labels, this.hashLabels || (this.data.basemap || {}).labelLanguage);
    this.buildChrome();
    if (this.pictureMode) {
      map.getContainer().classList.add("mapper-picture-mode");
      this.setPanelOpen(false);
      this.legendEl.open = true;
    }
    for (var h = 0; h < INIT_HOOKS.length; h++) INIT_HOOKS[h](this);
    this.layout();
    if (this.hashShow) this.setView(this.hashShow, true);
    this.fitView();
    // layers join the map once the view is final: each is drawn once, not before and after the fit
    if (this.baseOn) this.basemap.addTo(map);
    this.overlays.forEach(function (o) { if (o.on) o.layer.addTo(map); });
    this.points.addTo(map);
    if (labels.length && this.baseOn) this.labels.addTo(map);
    this.booting = false;
    this.apply(true);
    map.on("click", this.onClick, this);
    map.on("mousemove", this.onHover, this);
    map.on("zoomstart", function () { if (self.spider !== null) { self.spider = null; } });
    map.on("moveend", function () { self.scheduleHash(); });
    return this;
  };

  function data_days(data) { return data.days || [0, 0]; }

  // A big map's full records (cards, claims, sources) arrive after the first frame
  // (mapper/render/blob.py); until then cards wait for them and search matches the core only.
  MapperApp.prototype.attachRecords = function (records) {
    for (var i = 0; i < this.inc.length && i < records.length; i++) {
      var r = records[i], target = this.inc[i];
      for (var k in r) if (Object.prototype.hasOwnProperty.call(r, k)) target[k] = r[k];
    }
    this.recordsReady = true;
    this.keys = null;
    this._otherSig = null;  // a search typed meanwhile is matched again, on the full text
    var waiting = this._waiting || [];
    this._waiting = [];
    this.apply(false);
    waiting.forEach(function (fn) { fn(); });
  };

  MapperApp.prototype.whenRecords = function (fn) {
    if (this.recordsReady !== false) { fn(); return; }
    (this._waiting = this._waiting || []).push(fn);
  };

  // Typed arrays over the incident records: at start-up, and again whenever the set changes
  // (the vector-tile part, tiles.js, swaps in the incidents of the tiles in view).
  MapperApp.prototype.index = function (records) {
    var n = records.length;
    this.inc = records;
    this.keys = null;  // search keys, built on first search
    this.pass = null; this._otherSig = null;  // the non-time filters' verdicts, per incident
    this.mx = new Float64Array(n); this.my = new Float64Array(n);
    this.loc = new Int32Array(n); this.cat = new Int32Array(n);
    this.d0 = new Int32Array(n); this.d1 = new Int32Array(n);
    this.area = new Int32Array(n); this.uncertainDate = new Uint8Array(n);
    this.a1 = new Int32Array(n); this.a2 = new Int32Array(n); this.hasXY = new Uint8Array(n);
    this.visible = new Uint8Array(n);
    var pointIdx = [], locKeys = new Map();
    for (var i = 0; i < n; i++) {
      var r = records[i];
      this.cat[i] = r.cat; this.d0[i] = r.d0; this.d1[i] = r.d1;
      this.uncertainDate[i] = r.d1 > r.d0 ? 1 : 0;
      this.area[i] = r.area === undefined ? -1 : r.area;
      this.a1[i] = r.a1 === undefined ? -1 : r.a1;
      this.a2[i] = r.a2 === undefined ? -1 : r.a2;
      if (this.area[i] < 0 && r.lat !== undefined) {
        this.mx[i] = mercX(r.lon); this.my[i] = mercY(r.lat); this.hasXY[i] = 1;
        var lk = r.lat + "," + r.lon, li = locKeys.get(lk);
        if (li === undefined) { li = locKeys.size; locKeys.set(lk, li); }
        this.loc[i] = li;
        pointIdx.push(i);
      } else if (this.area[i] >= 0) {  // the density view counts an area at its label point
        var a = this.areas[this.area[i]];
        this.mx[i] = mercX(a.lon); this.my[i] = mercY(a.lat); this.hasXY[i] = 1;
        this.loc[i] = -1;
      }
    }
    this.pointIdx = pointIdx;
    this.nLocs = locKeys.size;
    this.listIndexes();
  };

  MapperApp.prototype.fitView = function () {
    if (this.hashView) { this.map.setView(this.hashView.center, this.hashView.zoom, {animate: false}); return; }
    var b = this.data.bounds;
    if (!b) return;
    // keep the data clear of the panels, the title, the legend and the timeline
    var pad = this.clearArea();
    this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {paddingTopLeft: [pad.left + 20, pad.top + 10],
      paddingBottomRight: [pad.right + 20, pad.bottom + 10], maxZoom: 10, animate: false});
  };

  MapperApp.prototype.buildBasemap = function () {
    var base = this.data.basemap || {}, renderer = L.canvas({pane: "mapperBase", padding: 0.3});
    var group = L.layerGroup();
    // land on a water-coloured page: the sea and the coast read at once
    if (base.countries) group.addLayer(L.geoJSON(base.countries, {renderer: renderer, interactive: false,
      style: function (f) {
        return {stroke: f.properties.edge !== false, color: "#8fa3b3", weight: 0.9, fillColor: "#f3f1ec",
          fillOpacity: 1};
      }}));
    // lakes and reservoirs near the data, in the colour of the sea
    if (base.lakes) group.addLayer(L.geoJSON(base.lakes, {renderer: renderer, interactive: false,
      style: {color: "#9fb6c8", weight: 0.6, fillColor: "#cfdde8", fillOpacity: 1}}));
    // coast and borders of the countries near the data, drawn apart from their fills without
    // the clip box's sides: no seam between the fine and the coarse outlines
    if (base.countries && base.box) group.addLayer(L.geoJSON(seamlessEdges(base.countries, base.box),
      {renderer: renderer, interactive: false, style: {color: "#8fa3b3", weight: 0.9, fill: false}}));
    if (base.admin1) group.addLayer(L.geoJSON(base.admin1Box ? seamlessEdges(base.admin1, base.admin1Box, true) :
      base.admin1, {renderer: renderer, interactive: false,
      style: {color: "#a8a297", weight: 0.7, dashArray: "3 3", fill: false}}));
    this.basemap = group;
    this.baseOn = !(this.hashHidden.ov || []).includes("basemap");
    this.map.getPane("mapperBase").style.background = "transparent";
  };

  MapperApp.prototype.setBasemap = function (on) {
    this.baseOn = on;
    var map = this.map;
    [this.basemap, this.labels].forEach(function (layer) {
      if (!layer) return;
      if (on) layer.addTo(map); else map.removeLayer(layer);
    });
  };

  // Reference overlays in neutral slate greys (no category colour, no fill strong enough to
  // tint an incident area); border zones and lines start hidden unless an incident is in a zone.
  MapperApp.prototype.buildOverlays = function () {
    var ov = this.data.overlays || {}, renderer = L.canvas({pane: "mapperOverlays", padding: 0.3});
    var zoneIncidents = this.inc.some(function (r) { return r.place && /^zone:/.test(r.place.id || ""); });
    var specs = [
      {key: "admin", label: "Regions involved", on: true,
        style: {color: "#56636f", weight: 1.3, dashArray: "5 4", fill: false}},
      {key: "borderZone", label: "Border zone", on: zoneIncidents,
        style: {color: "#56636f", weight: 0.8, dashArray: "1 3", fillColor: "#56636f", fillOpacity: 0.05}},
      {key: "borderLine", label: "Border line", on: zoneIncidents,
        style: {color: "#3d4650", weight: 1.8, dashArray: "8 3 2 3", fill: false}}
    ];
    this.overlays = [];
    var hidden = this.hashHidden.ov || [], shown = this.hashHidden.ovOn || [];
    for (var i = 0; i < specs.length; i++) {
      var s = specs[i];
      if (!ov[s.key] || !ov[s.key].features || !ov[s.key].features.length) continue;
      var layer = L.geoJSON(ov[s.key], {renderer: renderer, interactive: false, style: s.style});
      var on = hidden.includes(s.key) ? false : (shown.includes(s.key) ? true : s.on);
      this.overlays.push({key: s.key, label: s.label, layer: layer, on: on, dflt: s.on, style: s.style});
    }
  };

  MapperApp.prototype.buildAreas = function () {
    var renderer = L.canvas({pane: "mapperAreas", padding: 0.1});
    this.areaLayers = this.areas.map(function (a) {
      return a.geom ? L.geoJSON(a.geom, {renderer: renderer, interactive: false}) : null;
    });
    this.areaGroup = L.layerGroup().addTo(this.map);
  };

  // the choropleth: the basemap's admin1 outlines, or the districts (admin2 outlines the
  // gazetteer has, data.districts) at closer zooms, filled by visible incidents per area
  MapperApp.prototype.buildRegions = function () {
    var a1 = ((this.data.basemap || {}).admin1 || {}).features || [];
    var a2 = (this.data.districts || {}).features || [];
    this.regionGroup = L.layerGroup();
    // layers are built when the view is first shown: most readers never ask
    this.regionLevels = [
      {level: 1, feats: a1, names: this.regions, count: new Int32Array(a1.length), layers: null, looks: []},
      {level: 2, feats: a2, names: a2.map(function (f) { return f.properties.name; }),
        count: new Int32Array(a2.length), layers: null, looks: []}];
    this.regionCount = this.regionLevels[0].count;
    this.region2Count = a2.length ? this.regionLevels[1].count : null;
    this.regionMode = this.hashLevel || "auto";
  };

  MapperApp.prototype.setView = function (view, quiet) {
    if (view !== "density" && view !== "regions") view = "points";
    this.view = view;
    this.spider = null;
    if (view === "regions") this.regionGroup.addTo(this.map); else this.map.removeLayer(this.regionGroup);
    var c = this.map.getContainer();
    c.setAttribute("data-view", view);
    if (this.viewInputs) this.viewInputs.forEach(function (inp) { inp.checked = inp.value === view; });
    this.map.closePopup();
    if (!quiet) this.schedule();
  };

  function seamlessEdges(fc, box, every) {
    var e = 0.0006, lines = [];
    function side(a, b) {
      for (var k = 0; k < 4; k++) {
        var v = box[k], c = k % 2;  // west, south, east, north: x, y, x, y
        if (Math.abs(a[c] - v) < e && Math.abs(b[c] - v) < e) return true;
      }
      return false;
    }
    function ring(r) {
      var cur = [];
      for (var k = 0; k + 1 < r.length; k++) {
        if (side(r[k], r[k + 1])) { if (cur.length > 1) lines.push(cur); cur = []; continue; }
        if (!cur.length) cur.push(r[k]);
        cur.push(r[k + 1]);
      }
      if (cur.length > 1) lines.push(cur);
    }
    fc.features.forEach(function (f) {
      if (!every && f.properties.edge !== false) return;
      var g = f.geometry, polys = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      polys.forEach(function (p) { p.forEach(ring); });
    });
    return {type: "MultiLineString", coordinates: lines};
  }
