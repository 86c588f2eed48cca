/* mapper map client: draws the incidents shipped once as a JSON blob.
 *
 * Safety: data never becomes markup. Every text goes through textContent or a DOM attribute
 * that cannot run code; links are kept only for http(s) and open with rel="noopener noreferrer".
 * Speed: points are drawn on one canvas (no DOM element per incident) and clustered on a grid in
 * world pixels; filters run over flat arrays and only rebuild the canvas and the area styles.
 */
(function () {
  "use strict";

  var DAY_MS = 86400000;
  var CLUSTER_CELL = 46;      // grid cell in screen pixels while clustering
  var LIST_LIMIT = 150;       // rows in the incident list (the list says how many more)

  // ---- small DOM helpers (text only) -------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    var u = url.trim();
    if (!/^https?:\/\//i.test(u)) return null;
    try { var parsed = new URL(u); } catch (e) { return null; }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.href;
  }
  function link(url, text) {
    var href = safeUrl(url);
    if (!href) return el("span", null, text);
    var a = el("a", null, text || href);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function buttonControl(barClass, buttonClass, path, title, label, onClick) {
    var Control = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var bar = el("div", "leaflet-bar " + barClass);
        var b = add(bar, el("a", buttonClass));
        b.appendChild(icon(path));
        b.href = "#"; b.setAttribute("role", "button"); b.title = title;
        b.setAttribute("aria-label", label);
        L.DomEvent.on(b, "click", function (ev) { L.DomEvent.preventDefault(ev); onClick(); });
        L.DomEvent.disableClickPropagation(bar);
        return bar;
      }
    });
    return new Control();
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "none"); p.setAttribute("stroke", "currentColor"); p.setAttribute("stroke-width", "1.8");
    svg.appendChild(p);
    return svg;
  }
  function dayIso(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  // ---- search key: same idea as mapper.normalize (case, diacritics, Cyrillic to Latin) -----
  var CYR = {"а":"a","б":"b","в":"v","г":"g","д":"d","е":"e","ё":"e","ж":"zh","з":"z","и":"i",
    "й":"y","к":"k","л":"l","м":"m","н":"n","о":"o","п":"p","р":"r","с":"s","т":"t","у":"u",
    "ф":"f","х":"kh","ц":"ts","ч":"ch","ш":"sh","щ":"shch","ъ":"","ы":"y","ь":"","э":"e",
    "ю":"yu","я":"ya","і":"i","ї":"i","є":"ie","ґ":"g"};
  function searchKey(text) {
    var s = String(text || "").toLowerCase();
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s[i];
      out += Object.prototype.hasOwnProperty.call(CYR, ch) ? CYR[ch] : ch;
    }
    out = out.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2018\u2019\u02bc`]/g, "");
    out = out.replace(/[^0-9a-z]+/g, " ");
    // Loose spelling: Tyotkino, Tetkino and Тёткино meet; Kharkiv/Harkiv; Oblast'/Oblast.
    out = out.replace(/y[oe]/g, "e").replace(/y([au])/g, "$1").replace(/kh/g, "h")
      .replace(/iy\b/g, "i");
    return " " + out.trim() + " ";
  }

  // ---- geometry helpers ---------------------------------------------------------------------
  function mercX(lon) { return 0.5 + lon / 360; }
  function mercY(lat) {
    var la = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI);
  }
  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function polyContains(rings, x, y) {
    if (!ringContains(rings[0], x, y)) return false;
    for (var k = 1; k < rings.length; k++) if (ringContains(rings[k], x, y)) return false;
    return true;
  }
  function geomContains(geom, lon, lat) {
    if (!geom) return false;
    if (geom.type === "Polygon") return polyContains(geom.coordinates, lon, lat);
    if (geom.type === "MultiPolygon") {
      for (var i = 0; i < geom.coordinates.length; i++)
        if (polyContains(geom.coordinates[i], lon, lat)) return true;
    }
    return false;
  }
  function geomBBox(geom) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(c) {
      if (typeof c[0] === "number") {
        if (c[0] < b[0]) b[0] = c[0]; if (c[1] < b[1]) b[1] = c[1];
        if (c[0] > b[2]) b[2] = c[0]; if (c[1] > b[3]) b[3] = c[1];
        return;
      }
      for (var i = 0; i < c.length; i++) walk(c[i]);
    })(geom.coordinates);
    return b;
  }

  // ---- the point layer: one canvas, grid clusters, hit testing -----------------------------
  var PointLayer = L.Layer.extend({
    initialize: function (app) { this._app = app; this._groups = []; },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "mapper-points leaflet-zoom-animated");
      this._canvas.setAttribute("aria-hidden", "true");
      map.getPane("mapperPoints").appendChild(this._canvas);
      map.on("moveend resize", this._reset, this);
      map.on("zoomanim", this._animateZoom, this);
      this._reset();
    },
    onRemove: function (map) {
      map.off("moveend resize", this._reset, this);
      map.off("zoomanim", this._animateZoom, this);
      L.DomUtil.remove(this._canvas);
    },
    _animateZoom: function (e) {
      var map = this._map;
      var scale = map.getZoomScale(e.zoom, map.getZoom());
      var offset = map._latLngToNewLayerPoint(this._topLeftLL, e.zoom, e.center);
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    _reset: function () {
      var map = this._map, size = map.getSize();
      var pad = size.multiplyBy(0.25).round();
      var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
      this._topLeft = topLeft;
      this._topLeftLL = map.layerPointToLatLng(topLeft);
      var w = size.x + 2 * pad.x, h = size.y + 2 * pad.y, dpr = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(this._canvas, topLeft);
      this._canvas.width = Math.round(w * dpr);
      this._canvas.height = Math.round(h * dpr);
      this._canvas.style.width = w + "px";
      this._canvas.style.height = h + "px";
      this._w = w; this._h = h; this._dpr = dpr;
      this.draw();
    },
    draw: function () {
      var app = this._app, map = this._map;
      if (!map) return;
      var z = map.getZoom(), scale = 256 * Math.pow(2, z);
      var origin = map.getPixelOrigin();
      var offX = origin.x + this._topLeft.x, offY = origin.y + this._topLeft.y;
      var w = this._w, h = this._h;
      var cluster = z < app.clusterMaxZoom;
      var cell = CLUSTER_CELL;
      var groups = new Map(), list = [];
      var pts = app.pointIdx, vis = app.visible, mx = app.mx, my = app.my, loc = app.loc;
      for (var k = 0; k < pts.length; k++) {
        var i = pts[k];
        if (!vis[i]) continue;
        var wx = mx[i] * scale, wy = my[i] * scale;
        var x = wx - offX, y = wy - offY;
        if (x < -cell || y < -cell || x > w + cell || y > h + cell) continue;
        var key = cluster ? Math.floor(wx / cell) * 67108864 + Math.floor(wy / cell) : loc[i];
        var g = groups.get(key);
        if (!g) {
          g = {sx: 0, sy: 0, n: 0, members: [], cats: {}, locs: 0, loc0: loc[i]};
          groups.set(key, g);
          list.push(g);
        }
        g.sx += x; g.sy += y; g.n++;
        g.members.push(i);
        g.cats[app.cat[i]] = (g.cats[app.cat[i]] || 0) + 1;
        if (loc[i] !== g.loc0) g.locs = 1;
      }
      var ctx = this._canvas.getContext("2d");
      ctx.setTransform(this._dpr, 0, 0, this._dpr, 0, 0);
      ctx.clearRect(0, 0, w, h);
      var nClusters = 0, nPoints = 0;
      for (var j = 0; j < list.length; j++) {
        var grp = list[j];
        grp.x = grp.sx / grp.n; grp.y = grp.sy / grp.n;
        grp.stack = !grp.locs;  // every member at the same place
        if (grp.n === 1 || grp.stack) {
          var first = grp.members[0];
          grp.x = mx[first] * scale - offX; grp.y = my[first] * scale - offY;
          grp.r = grp.n > 1 ? 8 : 6.5;
          this._drawPoint(ctx, grp);
          nPoints += grp.n;
        } else {
          grp.r = 13 + 5 * Math.log10(grp.n);
          this._drawCluster(ctx, grp);
          nClusters++;
        }
      }
      this._groups = list;
      app.drawn = {clusters: nClusters, points: nPoints, groups: list.length, zoom: z};
      if (window.mapperState) window.mapperState.drawn = app.drawn;
    },
    _dominant: function (cats) {
      var best = -1, bestN = -1;
      for (var c in cats) if (cats[c] > bestN) { best = +c; bestN = cats[c]; }
      return best;
    },
    _drawPoint: function (ctx, g) {
      var app = this._app, i = g.members[0];
      var color = app.colors[this._dominant(g.cats)];
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
      if (app.uncertainDate[i] && g.n === 1) {
        // a date range or approximate date: a ring, not a filled dot
        ctx.fillStyle = "rgba(255,255,255,0.85)";
        ctx.fill();
        ctx.lineWidth = 3.5;
        ctx.strokeStyle = color;
        ctx.stroke();
      } else {
        ctx.fillStyle = color;
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = "#ffffff";
        ctx.stroke();
      }
      if (g.n > 1) {
        ctx.font = "bold 10px sans-serif";
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
        ctx.fillStyle = "#222";
        ctx.beginPath();
        ctx.arc(g.x + 8, g.y - 8, 7, 0, 2 * Math.PI);
        ctx.fillStyle = "#ffffff"; ctx.fill();
        ctx.lineWidth = 1; ctx.strokeStyle = "#444"; ctx.stroke();
        ctx.fillStyle = "#222";
        ctx.fillText(g.n > 99 ? "99+" : String(g.n), g.x + 8, g.y - 7.5);
      }
    },
    _drawCluster: function (ctx, g) {
      var app = this._app, start = -Math.PI / 2;
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(255,255,255,0.92)";
      ctx.fill();
      ctx.lineWidth = 5;
      var cats = Object.keys(g.cats).sort(function (a, b) { return a - b; });
      for (var c = 0; c < cats.length; c++) {
        var share = g.cats[cats[c]] / g.n * 2 * Math.PI;
        ctx.beginPath();
        ctx.arc(g.x, g.y, g.r - 2.5, start, start + share);
        ctx.strokeStyle = app.colors[+cats[c]];
        ctx.stroke();
        start += share;
      }
      ctx.font = "bold 12px sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillStyle = "#1d1d1d";
      ctx.fillText(g.n >= 10000 ? Math.round(g.n / 1000) + "k" : String(g.n), g.x, g.y + 0.5);
    },
    hit: function (containerPoint) {
      if (!this._map) return null;
      var lp = this._map.containerPointToLayerPoint(containerPoint);
      var x = lp.x - this._topLeft.x, y = lp.y - this._topLeft.y, best = null, bestD = Infinity;
      for (var i = 0; i < this._groups.length; i++) {
        var g = this._groups[i], dx = g.x - x, dy = g.y - y, d = Math.sqrt(dx * dx + dy * dy);
        if (d <= g.r + 3 && d < bestD) { best = g; bestD = d; }
      }
      return best;
    }
  });

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

  // ---- filtering -----------------------------------------------------------------------------
  MapperApp.prototype.matches = function (i) {
    if (!this.catOn[this.cat[i]]) return false;
    if (this.d1[i] < this.t0 || this.d0[i] > this.t1) return false;
    var r = this.inc[i], k, any;
    if (r.cl && r.cl.length) {
      any = false;
      for (k = 0; k < r.cl.length; k++) if (this.claimOn[r.cl[k]]) { any = true; break; }
      if (!any) return false;
    } else if (!this.noneClaimOn) return false;
    if (r.out && r.out.length) {
      any = false;
      for (k = 0; k < r.out.length; k++) if (this.outOn[r.out[k]]) { any = true; break; }
      if (!any) return false;
    } else if (!this.noneOutOn) return false;
    if (this.qKey && this.keys[i].indexOf(this.qKey) < 0) return false;
    return true;
  };

  MapperApp.prototype.buildKeys = function () {
    var self = this;
    this.keys = this.inc.map(function (r) {
      var parts = [r.place && r.place.name, r.place && r.place.admin1, r.summary, r.id];
      (r.claims || []).forEach(function (c) { parts.push(c.by, c.statement); });
      (r.sources || []).forEach(function (s) { parts.push(s.outlet, s.title); });
      (r.tags || []).forEach(function (t) { parts.push(t); });
      parts.push(self.cats[r.cat] && self.cats[r.cat].label);
      return searchKey(parts.filter(Boolean).join(" | "));
    });
  };

  MapperApp.prototype.apply = function (first) {
    var t = performance.now(), n = this.inc.length, count = 0, points = 0;
    if (this.query && !this.keys) this.buildKeys();
    this.qKey = this.query ? searchKey(this.query).trim() : "";
    var areaCount = new Int32Array(this.areas.length);
    var areaCats = this.areas.map(function () { return {}; });
    for (var i = 0; i < n; i++) {
      var v = this.matches(i) ? 1 : 0;
      this.visible[i] = v;
      if (!v) continue;
      count++;
      var a = this.area[i];
      if (a >= 0) { areaCount[a]++; areaCats[a][this.cat[i]] = (areaCats[a][this.cat[i]] || 0) + 1; }
      else if (this.inc[i].lat !== undefined) points++;
    }
    this.count = count;
    this.visiblePoints = points;
    // areas: one translucent polygon per place, coloured by its most frequent visible category
    this.areaGroup.clearLayers();
    var areasShown = 0;
    for (var j = 0; j < this.areas.length; j++) {
      var layer = this.areaLayers[j];
      if (!layer || !areaCount[j]) continue;
      var color = this.colors[this.points._dominant(areaCats[j])];
      layer.setStyle({color: color, weight: 1.6, dashArray: "6 4", fillColor: color, fillOpacity: 0.18});
      this.areaGroup.addLayer(layer);
      areasShown++;
    }
    this.areaCount = areaCount;
    this.areasShown = areasShown;
    this.points.draw();
    this.updateCount();
    this.renderList();
    if (!first) this.writeHash();
    var st = this.state();
    st.lastFilterMs = performance.now() - t;
    window.mapperState = st;
    var c = this.map.getContainer();
    c.setAttribute("data-visible-incidents", String(count));
    c.setAttribute("data-visible-points", String(points));
    c.setAttribute("data-visible-areas", String(areasShown));
  };

  MapperApp.prototype.state = function () {
    var visibleIds = [];
    for (var i = 0; i < this.inc.length; i++) if (this.visible[i]) visibleIds.push(this.inc[i].id);
    return {
      ready: !!window.mapperReady, total: this.inc.length, visible: this.count,
      visiblePoints: this.visiblePoints, visibleAreas: this.areasShown,
      drawn: this.drawn, visibleIds: visibleIds.length <= 5000 ? visibleIds : null,
      window: [dayIso(this.t0), dayIso(this.t1)]
    };
  };

  MapperApp.prototype.schedule = function () {
    var self = this;
    if (this._pending) return;
    this._pending = true;
    requestAnimationFrame(function () { self._pending = false; self.apply(false); });
  };

  // ---- clicks and popups --------------------------------------------------------------------
  MapperApp.prototype.onHover = function (e) {
    var g = this.points.hit(e.containerPoint), areas = g ? [] : this.areasAt(e.latlng);
    this.map.getContainer().style.cursor = g || areas.length ? "pointer" : "";
    var text = null;
    if (g) {
      var r = this.inc[g.members[0]];
      text = g.n === 1 ? ((r.place && r.place.name) || "") + " \u00b7 " + (r.date || "undated") :
        g.n + " incidents" + (g.stack ? " at " + ((r.place && r.place.name) || "this place") : "");
    } else if (areas.length) {
      var a = this.areas[areas[0]];
      text = a.name + ": " + this.areaCount[areas[0]] + " incident" + (this.areaCount[areas[0]] > 1 ? "s" : "");
    }
    if (!text) { if (this.tip) this.map.closeTooltip(this.tip); return; }
    if (!this.tip) this.tip = L.tooltip({direction: "top", offset: [0, -8], className: "mapper-tip"});
    var node = el("span", null, text);  // text only, never markup
    this.tip.setContent(node).setLatLng(e.latlng);
    if (!this.map.hasLayer(this.tip)) this.map.openTooltip(this.tip);
  };

  MapperApp.prototype.areasAt = function (latlng) {
    var out = [], lon = latlng.lng, lat = latlng.lat;
    for (var j = this.areas.length - 1; j >= 0; j--) {  // areas come largest first: smallest wins
      var b = this.areaBBox[j];
      if (!b || !this.areaCount[j] || lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      if (geomContains(this.areas[j].geom, lon, lat)) out.push(j);
    }
    return out;
  };

  MapperApp.prototype.onClick = function (e) {
    var g = this.points.hit(e.containerPoint);
    if (g) {
      var first = g.members[0];
      if (g.n === 1 || g.stack) {
        this.openPopup(L.latLng(this.inc[first].lat, this.inc[first].lon), g.members);
        return;
      }
      var bounds = L.latLngBounds(g.members.map(function (i) {
        return [this.inc[i].lat, this.inc[i].lon];
      }, this));
      var target = this.map.getBoundsZoom(bounds.pad(0.2));
      if (target > this.map.getZoom()) this.map.fitBounds(bounds.pad(0.2));
      else this.openPopup(e.latlng, g.members);
      return;
    }
    var hits = this.areasAt(e.latlng), members = [];
    for (var h = 0; h < hits.length; h++)
      for (var i = 0; i < this.inc.length; i++) if (this.visible[i] && this.area[i] === hits[h]) members.push(i);
    if (members.length) this.openPopup(e.latlng, members);
  };

  MapperApp.prototype.openPopup = function (latlng, members) {
    var self = this, pos = 0;
    var box = el("div", "mapper-popup");
    box.setAttribute("data-incidents", String(members.length));
    var nav = null, body = add(box, el("div", "mapper-popup-body"));
    function show() {
      body.textContent = "";
      body.appendChild(self.card(members[pos]));
      if (nav) nav.label.textContent = (pos + 1) + " of " + members.length;
    }
    if (members.length > 1) {
      nav = el("div", "mapper-popup-nav");
      var prev = add(nav, el("button", null, "\u2039 Prev"));
      nav.label = add(nav, el("span", "mapper-popup-pos"));
      var next = add(nav, el("button", null, "Next \u203a"));
      prev.type = next.type = "button";
      prev.setAttribute("aria-label", "Previous incident here");
      next.setAttribute("aria-label", "Next incident here");
      prev.onclick = function () { pos = (pos + members.length - 1) % members.length; show(); };
      next.onclick = function () { pos = (pos + 1) % members.length; show(); };
      box.insertBefore(nav, body);
    }
    show();
    // keep the popup clear of the title bar and the open filter panel when panning to it
    var c = this.map.getContainer(), size = this.map.getSize();
    var head = c.querySelector(".mapper-header"), panel = c.querySelector(".mapper-panel");
    var top = head ? head.offsetTop + head.offsetHeight + 10 : 10;
    var right = panel && !panel.hidden && panel.offsetWidth < size.x / 2 ? panel.offsetWidth + 20 : 10;
    var maxH = Math.max(140, Math.min(380, size.y - top - 70));
    L.popup({maxWidth: this.embed ? 280 : 380, minWidth: 200, maxHeight: maxH,
      autoPanPaddingTopLeft: [10, top], autoPanPaddingBottomRight: [right, 10]})
      .setLatLng(latlng).setContent(box).openOn(this.map);
  };

  MapperApp.prototype.card = function (i) {
    var r = this.inc[i], cat = this.cats[r.cat] || {}, card = el("article", "mapper-card");
    card.setAttribute("data-incident-id", r.id);
    var head = add(card, el("div", "mapper-card-head"));
    var sw = add(head, el("span", "mapper-swatch"));
    sw.style.background = cat.color || "#777";
    add(head, el("strong", null, cat.label || ""));
    var date = r.date || "undated";
    if (r.date_end && r.date_end !== r.date) date += " \u2013 " + r.date_end;
    add(card, el("div", "mapper-when", date + " (" + (r.dp || "day") + (r.d1 > r.d0 ? ", range" : "") + ")"));
    var p = r.place || {};
    var where = add(card, el("div", "mapper-where"));
    add(where, el("span", "mapper-place", p.name || ""));
    var bits = [];
    if (p.admin1 && (p.name || "").indexOf(p.admin1) < 0) bits.push(p.admin1);
    if (p.country) bits.push(p.country);
    if (bits.length) add(where, el("span", "mapper-muted", ", " + bits.join(", ")));
    add(card, el("div", "mapper-muted mapper-precision",
      "Precision: " + (p.precision || "unknown") + (r.area >= 0 ? " (drawn as the whole area)" :
        (r.approx ? " (approximate point)" : (r.lat === undefined ? " (not on the map: place not resolved)" : "")))));
    if (p.resolution) add(card, el("div", "mapper-muted mapper-resolution", "Resolved: " + p.resolution));
    if (r.summary) add(card, el("p", "mapper-summary", r.summary));
    var ver = r.verification || {}, st = ver.status || "unverified";
    var vline = add(card, el("div", "mapper-status mapper-status-" + st.replace(/[^a-z]/g, ""),
      "Verification: " + st));
    if (ver.by && ver.by.length) vline.appendChild(document.createTextNode(" (" + ver.by.join(", ") + ")"));
    if (ver.note) add(card, el("div", "mapper-muted", ver.note));
    if (r.confidence !== undefined) add(card, el("div", "mapper-draft",
      "Draft from extraction, confidence " + r.confidence));
    if (r.claims && r.claims.length) {
      add(card, el("div", "mapper-h", "Claims"));
      var ul = add(card, el("ul", "mapper-claims"));
      r.claims.forEach(function (c) {
        var li = add(ul, el("li", "mapper-claim mapper-" + (c.stance === "denies" ? "denies" : "asserts")));
        add(li, el("strong", null, c.by || "unknown"));
        add(li, el("span", "mapper-stance", " " + (c.stance || "asserts") + (c.statement ? ": " : "")));
        if (c.statement) add(li, el("span", null, c.statement));
        if (c.figures) {
          var figs = Object.keys(c.figures).map(function (k) { return k + " " + c.figures[k]; });
          if (figs.length) add(li, el("div", "mapper-figures", "Figures: " + figs.join(", ")));
        }
        if (c.quote) add(li, el("blockquote", null, c.quote));
        if (c.url) { var sl = add(li, el("div", "mapper-muted")); sl.appendChild(link(c.url, "claim source")); }
      });
    }
    if (r.sources && r.sources.length) {
      add(card, el("div", "mapper-h", "Sources"));
      var sul = add(card, el("ul", "mapper-sources"));
      r.sources.forEach(function (s) {
        var li = add(sul, el("li", "mapper-source"));
        if (s.outlet) add(li, el("strong", null, s.outlet + (s.title || s.url ? ": " : "")));
        li.appendChild(link(s.url, s.title || s.url || ""));
        var meta = [];
        if (s.author) meta.push(s.author);
        if (s.published) meta.push(s.published);
        if (meta.length) add(li, el("span", "mapper-muted", " (" + meta.join(", ") + ")"));
        if (s.archive_url && safeUrl(s.archive_url)) {
          add(li, el("span", null, " "));
          li.appendChild(link(s.archive_url, "archived copy"));
        }
        if (s.quote) add(li, el("blockquote", null, s.quote));
      });
    }
    if (r.tags && r.tags.length) add(card, el("div", "mapper-muted", "Tags: " + r.tags.join(", ")));
    add(card, el("div", "mapper-muted mapper-id", "ID: " + r.id));
    return card;
  };

  MapperApp.prototype.openIncident = function (id) {
    for (var i = 0; i < this.inc.length; i++) {
      if (this.inc[i].id !== id) continue;
      var r = this.inc[i], ll = null;
      if (r.area >= 0) {
        var a = this.areas[r.area];
        ll = L.latLng(a.lat, a.lon);
        if (this.areaLayers[r.area]) this.map.fitBounds(this.areaLayers[r.area].getBounds(), {maxZoom: 9, animate: false});
      } else if (r.lat !== undefined) {
        ll = L.latLng(r.lat, r.lon);
        this.map.setView(ll, Math.max(this.map.getZoom(), this.clusterMaxZoom), {animate: false});
      }
      // an incident with no place still has its card: show it where the reader is looking
      this.openPopup(ll || this.map.getCenter(), [i]);
      return true;
    }
    return false;
  };

  // ---- chrome: title, panel, legend, list, fullscreen ----------------------------------------
  MapperApp.prototype.buildChrome = function () {
    var self = this, map = this.map, container = map.getContainer(), data = this.data;
    container.classList.add("mapper-map");
    if (this.embed) container.classList.add("mapper-embed");
    // title and note line
    if (data.title || data.note) {
      var head = add(container, el("div", "mapper-header"));
      L.DomEvent.disableClickPropagation(head);
      if (data.title) add(head, el("h1", "mapper-title", data.title));
      if (data.note) add(head, el("div", "mapper-note", data.note));
    }
    // fullscreen and list toggles: one-button Leaflet controls
    buttonControl("mapper-fullscreen-control", "mapper-fs-button", "M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4",
                  "Full screen", "Toggle full screen", function () { self.toggleFullscreen(); }).addTo(map);
    buttonControl("mapper-list-control", "mapper-list-button", "M2 4h12M2 8h12M2 12h12",
                  "Incident list", "Show the incident list", function () { self.toggleList(); }).addTo(map);
    this.buildPanel();
    this.buildLegend();
    this.buildList();
    if (data.attribution) data.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
  };

  MapperApp.prototype.toggleFullscreen = function () {
    var c = this.map.getContainer(), self = this;
    var doc = document;
    if (doc.fullscreenElement) { doc.exitFullscreen(); return; }
    if (c.requestFullscreen && !c.classList.contains("mapper-pseudo-full")) {
      c.requestFullscreen().then(function () { self.map.invalidateSize(); })
        .catch(function () { c.classList.toggle("mapper-pseudo-full"); self.map.invalidateSize(); });
    } else {
      c.classList.toggle("mapper-pseudo-full");
      this.map.invalidateSize();
    }
  };

  function checkboxRow(parent, label, checked, color, onchange, attrs) {
    var row = add(parent, el("label", "mapper-check"));
    var box = add(row, el("input"));
    box.type = "checkbox";
    box.checked = checked;
    for (var k in attrs || {}) box.setAttribute(k, attrs[k]);
    if (color) { var sw = add(row, el("span", "mapper-swatch")); sw.style.background = color; }
    add(row, el("span", "mapper-check-label", label));
    box.addEventListener("change", function () { onchange(box.checked); });
    return box;
  }

  MapperApp.prototype.buildGroup = function (panel, title, names, flags, noneLabel, noneKey, kind) {
    var self = this, det = add(panel, el("details", "mapper-group"));
    det.open = !this.embed && names.length <= 12;
    add(det, el("summary", null, title + " (" + names.length + ")"));
    var tools = add(det, el("div", "mapper-group-tools"));
    var boxes = [];
    var all = add(tools, el("button", null, "all")), none = add(tools, el("button", null, "none"));
    all.type = none.type = "button";
    names.forEach(function (name, i) {
      boxes.push(checkboxRow(det, name, flags[i], kind === "cat" ? self.cats[i].color : null, function (on) {
        flags[i] = on; self.schedule();
      }, {"data-layer": kind, "data-name": name}));
    });
    if (noneLabel) {
      boxes.push(checkboxRow(det, noneLabel, self[noneKey], null, function (on) {
        self[noneKey] = on; self.schedule();
      }, {"data-layer": kind, "data-name": ""}));
    }
    function setAll(on) {
      boxes.forEach(function (b) { b.checked = on; });
      for (var i = 0; i < flags.length; i++) flags[i] = on;
      if (noneKey) self[noneKey] = on;
      self.schedule();
    }
    all.onclick = function () { setAll(true); };
    none.onclick = function () { setAll(false); };
  };

  MapperApp.prototype.buildPanel = function () {
    var self = this, map = this.map, days = data_days(this.data);
    var Panel = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var wrap = el("div", "mapper-panel-wrap");
        var btn = add(wrap, el("button", "mapper-panel-toggle", "Filters"));
        btn.type = "button";
        btn.setAttribute("aria-expanded", "false");
        var panel = add(wrap, el("div", "mapper-panel"));
        panel.setAttribute("role", "region");
        panel.setAttribute("aria-label", "Filters and layers");
        var open = !self.embed && window.innerWidth >= 700;
        function setOpen(o) { panel.hidden = !o; btn.setAttribute("aria-expanded", String(o)); btn.classList.toggle("open", o); }
        setOpen(open);
        btn.onclick = function () { setOpen(panel.hidden); };
        self.countLine = add(panel, el("div", "mapper-count"));
        // search
        var search = add(panel, el("input", "mapper-search"));
        search.type = "search";
        search.placeholder = "Search place or text";
        search.setAttribute("aria-label", "Search incidents by place or text");
        search.value = self.query;
        search.addEventListener("input", function () { self.query = search.value; self.schedule(); });
        // time filter: two range inputs over day numbers
        var time = add(panel, el("fieldset", "mapper-time"));
        add(time, el("legend", null, "When"));
        var out = add(time, el("div", "mapper-time-out"));
        function rangeInput(label, value) {
          var row = add(time, el("label", "mapper-range"));
          add(row, el("span", null, label));
          var r = add(row, el("input"));
          r.type = "range"; r.min = days[0]; r.max = days[1]; r.step = 1; r.value = value;
          return r;
        }
        var from = rangeInput("From", self.t0), to = rangeInput("To", self.t1);
        from.className = "mapper-from"; to.className = "mapper-to";
        function sync(moved) {
          var a = +from.value, b = +to.value;
          if (a > b) { if (moved === from) to.value = a; else from.value = b; }
          self.t0 = +from.value; self.t1 = +to.value;
          out.textContent = dayIso(self.t0) + " \u2013 " + dayIso(self.t1);
        }
        from.addEventListener("input", function () { sync(from); self.schedule(); });
        to.addEventListener("input", function () { sync(to); self.schedule(); });
        sync(null);
        self.timeInputs = [from, to];
        if (days[0] === days[1]) { from.disabled = to.disabled = true; }
        self.buildGroup(panel, "Categories", self.cats.map(function (c) { return c.label; }), self.catOn, null, null, "cat");
        self.buildGroup(panel, "Claimed by", self.claimants, self.claimOn, "(no claim)", "noneClaimOn", "claimant");
        self.buildGroup(panel, "Source outlet", self.outlets, self.outOn, "(no outlet)", "noneOutOn", "outlet");
        var ovs = add(panel, el("details", "mapper-group"));
        ovs.open = !self.embed;
        add(ovs, el("summary", null, "Overlays"));
        self.overlays.forEach(function (o) {
          checkboxRow(ovs, o.label, o.on, null, function (on) {
            o.on = on;
            if (on) o.layer.addTo(map); else map.removeLayer(o.layer);
            self.writeHash();
          }, {"data-layer": "overlay", "data-name": o.key});
        });
        checkboxRow(ovs, "Outline basemap (offline)", true, null, function (on) {
          if (on) self.basemap.addTo(map); else map.removeLayer(self.basemap);
        }, {"data-layer": "overlay", "data-name": "basemap"});
        L.DomEvent.disableClickPropagation(wrap);
        L.DomEvent.disableScrollPropagation(wrap);
        return wrap;
      }
    });
    new Panel().addTo(map);
  };

  MapperApp.prototype.buildLegend = function () {
    var self = this;
    var Legend = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        var det = el("details", "mapper-legend");
        det.open = !self.embed;
        add(det, el("summary", null, "Legend"));
        var used = {};
        self.inc.forEach(function (r) { used[r.cat] = true; });
        self.cats.forEach(function (c, i) {
          if (!used[i]) return;
          var row = add(det, el("div", "mapper-legend-row"));
          var sw = add(row, el("span", "mapper-swatch")); sw.style.background = c.color;
          add(row, el("span", null, c.label));
          if (c.desc) row.title = c.desc;
        });
        var sym = [["mapper-sym-dot", "settlement or exact point, one day"],
          ["mapper-sym-ring", "date range or approximate date"],
          ["mapper-sym-area", "place known only as a region or zone"],
          ["mapper-sym-cluster", "cluster: several incidents, click to zoom"]];
        sym.forEach(function (s) {
          var row = add(det, el("div", "mapper-legend-row"));
          add(row, el("span", "mapper-sym " + s[0]));
          add(row, el("span", null, s[1]));
        });
        L.DomEvent.disableClickPropagation(det);
        return det;
      }
    });
    new Legend().addTo(this.map);
  };

  MapperApp.prototype.buildList = function () {
    var c = this.map.getContainer();
    var list = add(c, el("nav", "mapper-list"));
    list.setAttribute("aria-label", "Incidents shown on the map");
    list.hidden = true;
    add(list, el("div", "mapper-list-head", "Incidents"));
    this.listBody = add(list, el("ol", "mapper-list-body"));
    this.listMore = add(list, el("div", "mapper-muted mapper-list-more"));
    this.listEl = list;
    L.DomEvent.disableClickPropagation(list);
    L.DomEvent.disableScrollPropagation(list);
  };

  MapperApp.prototype.toggleList = function () {
    this.listEl.hidden = !this.listEl.hidden;
    if (!this.listEl.hidden) { var b = this.listBody.querySelector("button"); if (b) b.focus(); }
  };

  MapperApp.prototype.renderList = function () {
    if (!this.listBody) return;
    var self = this, shown = 0;
    this.listBody.textContent = "";
    for (var i = 0; i < this.inc.length && shown < LIST_LIMIT; i++) {
      if (!this.visible[i]) continue;
      var r = this.inc[i], li = add(this.listBody, el("li")), b = add(li, el("button", "mapper-list-item"));
      b.type = "button";
      b.setAttribute("data-incident-id", r.id);
      var sw = add(b, el("span", "mapper-swatch")); sw.style.background = this.colors[r.cat];
      add(b, el("span", "mapper-list-date", r.date || ""));
      add(b, el("span", "mapper-list-place", (r.place && r.place.name) || ""));
      add(b, el("span", "mapper-list-summary", (r.summary || "").slice(0, 120)));
      b.addEventListener("click", (function (id) {
        return function () {
          self.openIncident(id);
          // move keyboard and screen-reader focus into the card that just opened
          var cards = self.map.getContainer().querySelectorAll(".leaflet-popup-content .mapper-card");
          var card = cards[cards.length - 1];
          if (card) { card.setAttribute("tabindex", "-1"); card.focus({preventScroll: true}); }
        };
      })(r.id));
      shown++;
    }
    this.listMore.textContent = this.count > shown ? (this.count - shown) + " more: narrow the filters or search" : "";
  };

  MapperApp.prototype.updateCount = function () {
    if (!this.countLine) return;
    this.countLine.textContent = this.count + " of " + this.inc.length + " incidents shown" +
      (this.data.unmapped ? " (" + this.data.unmapped + " without a place, listed but not mapped)" : "");
  };

  // ---- URL hash: filters and view survive a reload and can be shared ------------------------
  MapperApp.prototype.readHash = function () {
    this.hashHidden = {};
    this.hashView = null;
    var h = location.hash.replace(/^#/, "");
    if (!h) return;
    var p;
    try { p = new URLSearchParams(h); } catch (e) { return; }
    var days = data_days(this.data), self = this;
    function day(v) { var t = Date.parse(v); return isNaN(t) ? null : Math.round(t / DAY_MS); }
    var f = day(p.get("from")), t = day(p.get("to"));
    if (f !== null) this.t0 = Math.max(days[0], Math.min(days[1], f));
    if (t !== null) this.t1 = Math.max(this.t0, Math.min(days[1], t));
    if (p.get("q")) this.query = p.get("q");
    function hide(param, names, flags, noneKey) {
      p.getAll(param).forEach(function (name) {
        if (name === "" && noneKey) { self[noneKey] = false; return; }
        var i = names.indexOf(name);
        if (i >= 0) flags[i] = false;
      });
    }
    hide("xcat", this.cats.map(function (c) { return c.label; }), this.catOn, null);
    hide("xclaim", this.claimants, this.claimOn, "noneClaimOn");
    hide("xout", this.outlets, this.outOn, "noneOutOn");
    this.hashHidden.ov = p.getAll("xov");
    var v = (p.get("view") || "").split("/").map(Number);
    if (v.length === 3 && v.every(isFinite)) this.hashView = {zoom: v[0], center: [v[1], v[2]]};
  };

  MapperApp.prototype.writeHash = function () {
    if (!window.history || !history.replaceState) return;
    var p = new URLSearchParams(), days = data_days(this.data), self = this;
    if (this.t0 !== days[0]) p.set("from", dayIso(this.t0));
    if (this.t1 !== days[1]) p.set("to", dayIso(this.t1));
    if (this.query) p.set("q", this.query);
    this.cats.forEach(function (c, i) { if (!self.catOn[i]) p.append("xcat", c.label); });
    this.claimants.forEach(function (c, i) { if (!self.claimOn[i]) p.append("xclaim", c); });
    if (!this.noneClaimOn) p.append("xclaim", "");
    this.outlets.forEach(function (c, i) { if (!self.outOn[i]) p.append("xout", c); });
    if (!this.noneOutOn) p.append("xout", "");
    (this.overlays || []).forEach(function (o) { if (!o.on) p.append("xov", o.key); });
    var c = this.map.getCenter();
    p.set("view", this.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
    try { history.replaceState(null, "", "#" + p.toString()); } catch (e) { /* file:// in some browsers */ }
  };

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
})();
