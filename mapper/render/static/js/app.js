/* The application object: typed arrays over the blob, panes, basemap, overlays and areas. */
  // ---- the application -----------------------------------------------------------------------
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
    this.colors = this.cats.map(function (c) { return c.color; });
  }

  MapperApp.prototype.init = function () {
    var n = this.inc.length, self = this;
    this.mx = new Float64Array(n); this.my = new Float64Array(n);
    this.loc = new Int32Array(n); this.cat = new Int32Array(n);
    this.d0 = new Int32Array(n); this.d1 = new Int32Array(n);
    this.area = new Int32Array(n); this.uncertainDate = new Uint8Array(n);
    this.visible = new Uint8Array(n);
    var pointIdx = [], locKeys = new Map();
    for (var i = 0; i < n; i++) {
      var r = this.inc[i];
      this.cat[i] = r.cat; this.d0[i] = r.d0; this.d1[i] = r.d1;
      this.uncertainDate[i] = r.d1 > r.d0 ? 1 : 0;
      this.area[i] = r.area === undefined ? -1 : r.area;
      if (this.area[i] < 0 && r.lat !== undefined) {
        this.mx[i] = mercX(r.lon); this.my[i] = mercY(r.lat);
        var lk = r.lat + "," + r.lon, li = locKeys.get(lk);
        if (li === undefined) { li = locKeys.size; locKeys.set(lk, li); }
        this.loc[i] = li;
        pointIdx.push(i);
      }
    }
    this.pointIdx = pointIdx;
    this.catOn = this.cats.map(function () { return true; });
    this.claimOn = this.claimants.map(function () { return true; });
    this.outOn = this.outlets.map(function () { return true; });
    this.noneClaimOn = true; this.noneOutOn = true;
    this.t0 = data_days(this.data)[0]; this.t1 = data_days(this.data)[1];
    this.query = "";
    this.keys = null;  // search keys, built on first search

    this.areaBBox = this.areas.map(function (a) { return a.geom ? geomBBox(a.geom) : null; });
    this.readHash();

    var map = this.map;
    map.createPane("mapperBase").style.zIndex = 150;
    map.createPane("mapperAreas").style.zIndex = 410;
    map.createPane("mapperOverlays").style.zIndex = 420;
    map.createPane("mapperPoints").style.zIndex = 450;
    map.getPane("mapperPoints").style.pointerEvents = "none";
    this.buildBasemap();
    this.buildOverlays();
    this.buildAreas();
    this.points = new PointLayer(this);
    this.points.addTo(map);
    this.buildChrome();
    for (var h = 0; h < INIT_HOOKS.length; h++) INIT_HOOKS[h](this);
    this.fitView();
    this.apply(true);
    map.on("click", this.onClick, this);
    map.on("mousemove", this.onHover, this);
    map.on("moveend", function () { self.writeHash(); });
    return this;
  };

  function data_days(data) { return data.days || [0, 0]; }

  MapperApp.prototype.fitView = function () {
    if (this.hashView) { this.map.setView(this.hashView.center, this.hashView.zoom, {animate: false}); return; }
    var b = this.data.bounds;
    if (!b) return;
    // keep the data clear of the open filter panel, the title and the legend
    var panel = this.map.getContainer().querySelector(".mapper-panel");
    var right = panel && !panel.hidden ? panel.offsetWidth + 30 : 40;
    var head = this.map.getContainer().querySelector(".mapper-header");
    var top = head ? head.offsetHeight + 24 : 30;
    var size = this.map.getSize();
    if (right > size.x / 2) right = 40;
    var legend = this.map.getContainer().querySelector(".mapper-legend");
    var left = legend && legend.open && size.x - right - legend.offsetWidth > 420 ? legend.offsetWidth + 30 : 60;
    this.map.fitBounds([[b[1], b[0]], [b[3], b[2]]], {paddingTopLeft: [left, top],
      paddingBottomRight: [right, 40], maxZoom: 10, animate: false});
  };

  MapperApp.prototype.buildBasemap = function () {
    var base = this.data.basemap || {}, renderer = L.canvas({pane: "mapperBase", padding: 0.3});
    var group = L.layerGroup();
    if (base.countries) group.addLayer(L.geoJSON(base.countries, {renderer: renderer, interactive: false,
      style: {color: "#9a9a9a", weight: 1, fillColor: "#f3f1ec", fillOpacity: 1}}));
    if (base.admin1) group.addLayer(L.geoJSON(base.admin1, {renderer: renderer, interactive: false,
      style: {color: "#b9b4aa", weight: 0.7, dashArray: "3 3", fill: false}}));
    this.basemap = group;
    group.addTo(this.map);
    var pane = this.map.getPane("mapperBase");
    pane.style.background = "transparent";
  };

  MapperApp.prototype.buildOverlays = function () {
    var ov = this.data.overlays || {}, renderer = L.canvas({pane: "mapperOverlays", padding: 0.3});
    var specs = [
      {key: "admin", label: "Admin areas involved",
        style: {color: "#5b5b5b", weight: 1.4, dashArray: "5 4", fill: false}},
      {key: "borderZone", label: "Border zone",
        style: {color: "#d08c00", weight: 0.8, fillColor: "#f4b400", fillOpacity: 0.12}},
      {key: "borderLine", label: "Border line",
        style: {color: "#c0392b", weight: 2.2, fill: false}}
    ];
    this.overlays = [];
    for (var i = 0; i < specs.length; i++) {
      var s = specs[i];
      if (!ov[s.key] || !ov[s.key].features || !ov[s.key].features.length) continue;
      var layer = L.geoJSON(ov[s.key], {renderer: renderer, interactive: false, style: s.style});
      var on = !(this.hashHidden.ov || []).includes(s.key);
      this.overlays.push({key: s.key, label: s.label, layer: layer, on: on});
      if (on) layer.addTo(this.map);
    }
  };

  MapperApp.prototype.buildAreas = function () {
    var renderer = L.canvas({pane: "mapperAreas", padding: 0.3});
    this.areaLayers = this.areas.map(function (a) {
      return a.geom ? L.geoJSON(a.geom, {renderer: renderer, interactive: false}) : null;
    });
    this.areaGroup = L.layerGroup().addTo(this.map);
  };
