/* The point layer: every point incident on one canvas, grid clusters, spiderfied stacks, the
 * density view, hit testing.
 */
  var SPIDER_MAX = 60;        // a stack larger than this opens as a popup with Prev/Next instead

  var PointLayer = CanvasLayer.extend({
    initialize: function (app) {
      CanvasLayer.prototype.initialize.call(this, app, "mapperPoints", "mapper-points");
      this._groups = [];
      this._legs = [];
    },
    draw: function () {
      var app = this._app;
      if (!this._map) return;
      var f = this._frame(), ctx = this._context();
      this._groups = []; this._legs = [];
      if (app.view === "density") { this._drawDensity(ctx, f); return; }
      if (app.view === "regions") { app.drawn = {clusters: 0, points: 0, groups: 0, zoom: f.z}; return; }
      var list = this._group(app, f), mx = app.mx, my = app.my;
      var nClusters = 0, nPoints = 0, spider = null;
      for (var j = 0; j < list.length; j++) {
        var grp = list[j];
        grp.x = grp.sx / grp.n; grp.y = grp.sy / grp.n;
        grp.stack = !grp.locs;  // every member at the same place
        if (grp.n === 1 || grp.stack) {
          var first = grp.members[0];
          grp.x = mx[first] * f.scale - f.offX; grp.y = my[first] * f.scale - f.offY;
          grp.r = grp.n > 1 ? 8 : 6.5;
          nPoints += grp.n;
          if (grp.n > 1 && app.spider !== null && grp.loc0 === app.spider) { spider = grp; continue; }
          this._drawPoint(ctx, grp);
        } else {
          grp.r = 13 + 5 * Math.log10(grp.n);
          this._drawCluster(ctx, grp);
          nClusters++;
        }
      }
      this._groups = list;
      if (spider) this._drawSpider(ctx, spider);
      app.drawn = {clusters: nClusters, points: nPoints, groups: list.length, zoom: f.z,
        spider: spider ? spider.n : 0};
      if (window.mapperState) window.mapperState.drawn = app.drawn;
    },
    // Visible points in view, grouped by screen cell (clusters) or by place (street zooms), in
    // typed arrays: two passes over the points (slot per point, then members by counting sort)
    // and one object per group, none per point.
    _group: function (app, f) {
      var cluster = f.z < app.clusterMaxZoom, cell = CLUSTER_CELL;
      var pts = app.pointIdx, vis = app.visible, mx = app.mx, my = app.my, loc = app.loc, cat = app.cat;
      var cx0 = Math.floor((f.offX - cell) / cell), cy0 = Math.floor((f.offY - cell) / cell);
      var gw = Math.floor((f.offX + f.w + cell) / cell) - cx0 + 1;
      var gh = Math.floor((f.offY + f.h + cell) / cell) - cy0 + 1;
      var nKeys = cluster ? gw * gh : app.nLocs;
      if (!this._slotOf || this._slotOf.length < nKeys) this._slotOf = new Int32Array(Math.max(nKeys, 1024));
      var slotOf = this._slotOf, np = pts.length;
      slotOf.fill(-1, 0, nKeys);
      if (!this._pslot || this._pslot.length < np) this._pslot = new Int32Array(np);
      var pslot = this._pslot, keys = [], size = [], k, i, slot;
      for (k = 0; k < np; k++) {
        i = pts[k];
        pslot[k] = -1;
        if (!vis[i]) continue;
        var wx = mx[i] * f.scale, wy = my[i] * f.scale, x = wx - f.offX, y = wy - f.offY;
        if (x < -cell || y < -cell || x > f.w + cell || y > f.h + cell) continue;
        var key = cluster ? (Math.floor(wy / cell) - cy0) * gw + (Math.floor(wx / cell) - cx0) : loc[i];
        slot = slotOf[key];
        if (slot < 0) { slot = slotOf[key] = keys.length; keys.push(key); size.push(0); }
        size[slot]++;
        pslot[k] = slot;
      }
      var ng = keys.length, start = new Int32Array(ng + 1), fill = new Int32Array(ng);
      for (slot = 0; slot < ng; slot++) start[slot + 1] = start[slot] + size[slot];
      var members = new Int32Array(start[ng]), sx = new Float64Array(ng), sy = new Float64Array(ng);
      var mixed = new Uint8Array(ng), nCats = app.cats.length, catN = new Int32Array(ng * nCats);
      for (k = 0; k < np; k++) {
        slot = pslot[k];
        if (slot < 0) continue;
        i = pts[k];
        var at = start[slot] + fill[slot]++;
        members[at] = i;
        sx[slot] += mx[i] * f.scale - f.offX; sy[slot] += my[i] * f.scale - f.offY;
        catN[slot * nCats + cat[i]]++;
        if (loc[i] !== loc[members[start[slot]]]) mixed[slot] = 1;
      }
      var list = new Array(ng);
      for (slot = 0; slot < ng; slot++) {
        var cats = {};
        for (var c = 0; c < nCats; c++) if (catN[slot * nCats + c]) cats[c] = catN[slot * nCats + c];
        var mem = members.subarray(start[slot], start[slot + 1]);
        list[slot] = {sx: sx[slot], sy: sy[slot], n: mem.length, members: mem, cats: cats,
          locs: mixed[slot], loc0: loc[mem[0]]};
      }
      return list;
    },
    // co-located incidents spread on a circle (a spiral past 10) with legs to their place
    _drawSpider: function (ctx, g) {
      var app = this._app, n = g.members.length, legs = [];
      for (var k = 0; k < n; k++) {
        var ang, rad;
        if (n <= 10) { ang = -Math.PI / 2 + k * 2 * Math.PI / n; rad = 26 + 2 * n; }
        else { ang = 0.9 + k * 0.62; rad = 22 + 4.2 * k; }
        legs.push({x: g.x + rad * Math.cos(ang), y: g.y + rad * Math.sin(ang), i: g.members[k], r: 7});
      }
      ctx.lineWidth = 1.2; ctx.strokeStyle = "rgba(40,40,40,0.7)";
      legs.forEach(function (p) { ctx.beginPath(); ctx.moveTo(g.x, g.y); ctx.lineTo(p.x, p.y); ctx.stroke(); });
      ctx.beginPath(); ctx.arc(g.x, g.y, 3, 0, 2 * Math.PI); ctx.fillStyle = "#333"; ctx.fill();
      for (var m = 0; m < legs.length; m++) {
        var p = legs[m], cats = {};
        cats[app.cat[p.i]] = 1;
        this._drawPoint(ctx, {x: p.x, y: p.y, r: p.r, n: 1, members: [p.i], cats: cats});
      }
      this._legs = legs;
      g.spider = true;
    },
    _dominant: function (cats) {
      var best = -1, bestN = -1;
      for (var c in cats) if (cats[c] > bestN) { best = +c; bestN = cats[c]; }
      return best;
    },
    _drawPoint: function (ctx, g) {
      var app = this._app, i = g.members[0];
      var color = app.colors[this._dominant(g.cats)];
      // a dark rim outside the white one: every palette colour stands off the basemap
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r + 1.5, 0, 2 * Math.PI);
      ctx.fillStyle = "rgba(30,30,30,0.75)";
      ctx.fill();
      ctx.beginPath();
      ctx.arc(g.x, g.y, g.r, 0, 2 * Math.PI);
      if (app.uncertainDate[i] && g.n === 1) {
        // a date range or approximate date: a ring, not a filled dot
        ctx.fillStyle = "#ffffff";
        ctx.fill();
        ctx.beginPath();
        ctx.arc(g.x, g.y, g.r - 1.75, 0, 2 * Math.PI);
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
      if (g.n === 1 && app.inc[i].status === "draft") {
        ctx.beginPath();
        ctx.arc(g.x, g.y, g.r + 4, 0, 2 * Math.PI);
        ctx.setLineDash([3, 2]);
        ctx.lineWidth = 2;
        ctx.strokeStyle = DRAFT_COLOR;
        ctx.stroke();
        ctx.setLineDash([]);
      }
      if (g.n > 1) {
        ctx.font = "bold 10px sans-serif";
        ctx.textAlign = "center"; ctx.textBaseline = "middle";
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
      ctx.fillStyle = "rgba(255,255,255,0.94)";
      ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "rgba(30,30,30,0.6)"; ctx.stroke();
      ctx.lineWidth = 5;
      var cats = Object.keys(g.cats).sort(function (a, b) { return a - b; });
      for (var c = 0; c < cats.length; c++) {
        var share = g.cats[cats[c]] / g.n * 2 * Math.PI;
        ctx.beginPath();
        ctx.arc(g.x, g.y, g.r - 3, start, start + share);
        ctx.strokeStyle = app.colors[+cats[c]];
        ctx.stroke();
        start += share;
      }
      ctx.font = "bold 12px sans-serif";
      ctx.textAlign = "center"; ctx.textBaseline = "middle";
      ctx.fillStyle = "#1d1d1d";
      ctx.fillText(g.n >= 10000 ? Math.round(g.n / 1000) + "k" : String(g.n), g.x, g.y + 0.5);
    },
    // density: visible incidents (points, and areas at their label point) binned on a coarse grid,
    // blurred with three box passes (close to a Gaussian) and coloured on a light-to-dark ramp
    _drawDensity: function (ctx, f) {
      var app = this._app, cell = 6, gw = Math.ceil(f.w / cell), gh = Math.ceil(f.h / cell);
      var grid = new Float32Array(gw * gh), vis = app.visible, n = app.inc.length, total = 0;
      for (var i = 0; i < n; i++) {
        if (!vis[i] || !app.hasXY[i]) continue;
        var gx = Math.floor((app.mx[i] * f.scale - f.offX) / cell);
        var gy = Math.floor((app.my[i] * f.scale - f.offY) / cell);
        if (gx < 0 || gy < 0 || gx >= gw || gy >= gh) continue;
        grid[gy * gw + gx] += 1;
        total++;
      }
      var radius = Math.max(2, Math.round(24 / cell));
      grid = boxBlur(boxBlur(boxBlur(grid, gw, gh, radius), gw, gh, radius), gw, gh, radius);
      var max = 0;
      for (var k = 0; k < grid.length; k++) if (grid[k] > max) max = grid[k];
      app.drawn = {clusters: 0, points: 0, groups: 0, zoom: f.z, density: total, densityMax: max};
      if (!max) return;
      var img = ctx.createImageData(gw, gh), d = img.data;
      for (var p = 0; p < grid.length; p++) {
        var v = grid[p] / max;
        if (v < 0.02) continue;
        var c = DENSITY_RAMP[Math.min(DENSITY_RAMP.length - 1, Math.floor(Math.sqrt(v) * DENSITY_RAMP.length))];
        d[p * 4] = c[0]; d[p * 4 + 1] = c[1]; d[p * 4 + 2] = c[2];
        d[p * 4 + 3] = Math.round(90 + 150 * Math.sqrt(v));
      }
      var tmp = document.createElement("canvas");
      tmp.width = gw; tmp.height = gh;
      tmp.getContext("2d").putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(tmp, 0, 0, gw * cell, gh * cell);
    },
    hit: function (containerPoint) {
      if (!this._map) return null;
      var lp = this._map.containerPointToLayerPoint(containerPoint);
      var x = lp.x - this._topLeft.x, y = lp.y - this._topLeft.y, best = null, bestD = Infinity;
      for (var s = 0; s < this._legs.length; s++) {
        var p = this._legs[s], ddx = p.x - x, ddy = p.y - y;
        if (Math.sqrt(ddx * ddx + ddy * ddy) <= p.r + 4) return {n: 1, members: [p.i], leg: true, r: p.r};
      }
      for (var i = 0; i < this._groups.length; i++) {
        var g = this._groups[i], dx = g.x - x, dy = g.y - y, d = Math.sqrt(dx * dx + dy * dy);
        if (g.spider) continue;
        if (d <= g.r + 3 && d < bestD) { best = g; bestD = d; }
      }
      return best;
    }
  });

  // light yellow to dark red (ColorBrewer YlOrRd), readable for every common colour-vision type
  var DENSITY_RAMP = [[255, 255, 178], [254, 217, 118], [254, 178, 76], [253, 141, 60],
    [240, 59, 32], [189, 0, 38], [128, 0, 38]];

  function boxBlur(src, w, h, r) {
    var tmp = new Float32Array(src.length), out = new Float32Array(src.length), x, y, acc, span = 2 * r + 1;
    for (y = 0; y < h; y++) {
      acc = 0;
      for (x = -r; x <= r; x++) acc += x >= 0 && x < w ? src[y * w + x] : 0;
      for (x = 0; x < w; x++) {
        tmp[y * w + x] = acc / span;
        var add0 = x + r + 1, sub = x - r;
        if (add0 < w) acc += src[y * w + add0];
        if (sub >= 0) acc -= src[y * w + sub];
      }
    }
    for (x = 0; x < w; x++) {
      acc = 0;
      for (y = -r; y <= r; y++) acc += y >= 0 && y < h ? tmp[y * w + x] : 0;
      for (y = 0; y < h; y++) {
        out[y * w + x] = acc / span;
        var a2 = y + r + 1, s2 = y - r;
        if (a2 < h) acc += tmp[a2 * w + x];
        if (s2 >= 0) acc -= tmp[s2 * w + x];
      }
    }
    return out;
  }
