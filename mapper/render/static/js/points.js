/* The point layer: every point incident on one canvas, grid clusters, hit testing. */
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
