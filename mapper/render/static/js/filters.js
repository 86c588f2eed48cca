/* Filtering (category, claimant, outlet, time, search), the visible state, the URL hash. */
  // ---- filtering -----------------------------------------------------------------------------
  // every filter except time and category (claimant, outlet, search): their verdicts are kept
  // per incident in ``pass``; the category is looked up per incident in apply(), so a category
  // toggle never rechecks these
  MapperApp.prototype.matchesOther = function (i) {
    var off = this.clOff, k, b;
    if (off && i + 1 < off.length) {  // flat typed arrays (listIndexes): no object reads per incident
      b = off[i + 1];
      if (b > off[i]) {
        for (k = off[i]; k < b; k++) if (this.claimOn[this.clIdx[k]]) break;
        if (k === b) return false;
      } else if (!this.noneClaimOn) return false;
      off = this.outOff; b = off[i + 1];
      if (b > off[i]) {
        for (k = off[i]; k < b; k++) if (this.outOn[this.outIdx[k]]) break;
        if (k === b) return false;
      } else if (!this.noneOutOn) return false;
    } else {
      var r = this.inc[i], any;
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
    }
    if (this.qKey && this.keys[i].indexOf(this.qKey) < 0) return false;
    return true;
  };

  // each incident's claimant and outlet indexes as offsets into two flat arrays
  MapperApp.prototype.listIndexes = function () {
    var n = this.inc.length, self = this;
    ["cl", "out"].forEach(function (key) {
      var off = new Int32Array(n + 1), total = 0, i;
      for (i = 0; i < n; i++) { off[i] = total; total += (self.inc[i][key] || []).length; }
      off[n] = total;
      var idx = new Int32Array(total);
      for (i = 0; i < n; i++) {
        var list = self.inc[i][key] || [];
        for (var k = 0; k < list.length; k++) idx[off[i] + k] = list[k];
      }
      self[key + "Off"] = off; self[key + "Idx"] = idx;
    });
  };

  MapperApp.prototype.matches = function (i) {
    return this.d1[i] >= this.t0 && this.d0[i] <= this.t1 && !!this.catOn[this.cat[i]] &&
      this.matchesOther(i);
  };

  MapperApp.prototype.buildKeys = function () {
    var self = this;
    this.keys = this.inc.map(function (r) {
      var parts = [r.place && r.place.name, r.place && r.place.en, r.place && r.place.admin1,
        r.place && self.forms[r.place.id], r.summary, r.id];
      (r.claims || []).forEach(function (c) { parts.push(c.by, c.statement); });
      (r.sources || []).forEach(function (s) { parts.push(s.outlet, s.title); });
      (r.tags || []).forEach(function (t) { parts.push(t); });
      parts.push(self.cats[r.cat] && self.cats[r.cat].label);
      return searchKey(parts.filter(Boolean).join(" | "));
    });
  };

  MapperApp.prototype.otherSignature = function () {
    return [this.claimOn.join(), this.outOn.join(), this.noneClaimOn, this.noneOutOn,
      this.query].join("|");
  };

  MapperApp.prototype.apply = function (first) {
    var t = performance.now(), n = this.inc.length, count = 0, points = 0;
    if (this.query && !this.keys) this.buildKeys();
    this.qKey = this.query ? searchKey(this.query).trim() : "";
    // the claimant, outlet and search filters are rechecked only when they changed: dragging the
    // time window, playing the timeline or toggling a category only compares small numbers
    var sig = this.otherSignature(), catSig = this.catOn.join();
    if (sig !== this._otherSig) {
      if (!this.pass) this.pass = new Uint8Array(n);
      for (var q = 0; q < n; q++) this.pass[q] = this.matchesOther(q) ? 1 : 0;
      this._otherSig = sig;
      this._catSig = null;
    }
    if (catSig !== this._catSig) {
      this._catSig = catSig;
      this.catFlags = Uint8Array.from(this.catOn, function (on) { return on ? 1 : 0; });
      if (this.timeline) this.timeline.recount();
    }
    var pass = this.pass, d0 = this.d0, d1 = this.d1, t0 = this.t0, t1 = this.t1;
    var cat = this.cat, catOn = this.catFlags, area = this.area, hasXY = this.hasXY;
    var vis = this.visible, nAreas = this.areas.length, nCats = this.cats.length;
    // visible incidents per area and category, in one flat array: no object per area
    var areaCats = new Int32Array(nAreas * nCats);
    var regionCount = this.regionCount, a1 = this.a1, outside = 0;
    regionCount.fill(0);
    var a2 = this.a2, region2Count = this.region2Count, outside2 = 0;
    if (region2Count) region2Count.fill(0);
    for (var i = 0; i < n; i++) {
      if (!(pass[i] && catOn[cat[i]] && d1[i] >= t0 && d0[i] <= t1)) { vis[i] = 0; continue; }
      vis[i] = 1;
      count++;
      if (a1[i] >= 0) regionCount[a1[i]]++; else outside++;
      if (region2Count) { if (a2[i] >= 0) region2Count[a2[i]]++; else outside2++; }
      var a = area[i];
      if (a >= 0) areaCats[a * nCats + cat[i]]++;
      else if (hasXY[i]) points++;
    }
    this.count = count;
    this.visiblePoints = points;
    this.regionOutside = outside;
    this.region2Outside = outside2;
    this.styleAreas(areaCats, nCats);
    if (this.view === "regions") this.styleRegions();
    this.points.draw();
    if (this.labels && this.labels._map) this.labels.draw();
    if (this.timeline) this.timeline.draw();
    this.updateCount();
    this.updateViewLegend();
    this.renderList();
    if (!first) this.scheduleHash();
    var st = this.state();
    st.lastFilterMs = performance.now() - t;
    this.lastFilterMs = st.lastFilterMs;
    window.mapperState = st;
    var c = this.map.getContainer();
    c.setAttribute("data-visible-incidents", String(count));
    c.setAttribute("data-visible-points", String(points));
    c.setAttribute("data-visible-areas", String(this.areasShown));
  };

  // areas: one translucent polygon per place, coloured by its most frequent visible category
  // (hidden in the region view, whose fill would mix with theirs). A polygon is restyled, added
  // or removed only when its look changes: re-adding a large outline repaints the whole canvas.
  MapperApp.prototype.styleAreas = function (areaCats, nCats) {
    var nAreas = this.areas.length, areaCount = new Int32Array(nAreas), shown = 0;
    this._areaLook = this._areaLook || [];
    for (var j = 0; j < nAreas; j++) {
      var best = -1, bestN = 0;
      for (var c = 0; c < nCats; c++) {
        var m = areaCats[j * nCats + c];
        areaCount[j] += m;
        if (m > bestN) { best = c; bestN = m; }
      }
      var layer = this.areaLayers[j];
      if (!layer || !areaCount[j]) { this._setAreaLook(j, null); continue; }
      shown++;
      this._setAreaLook(j, this.view === "regions" ? null : best + "|" + this.view);
    }
    this.areaCount = areaCount;
    this.areasShown = shown;
  };

  MapperApp.prototype._setAreaLook = function (j, look) {
    var layer = this.areaLayers[j], was = this._areaLook[j] || null;
    if (!layer || look === was) return;
    this._areaLook[j] = look;
    if (look === null) { this.areaGroup.removeLayer(layer); return; }
    var parts = look.split("|"), color = this.colors[+parts[0]];
    layer.setStyle({color: color, weight: 1.6, dashArray: "6 4", fillColor: color,
      fillOpacity: parts[1] === "density" ? 0.06 : 0.18});
    if (!this.areaGroup.hasLayer(layer)) this.areaGroup.addLayer(layer);
  };

  MapperApp.prototype.state = function () {
    var visibleIds = null;  // listed for tests and tools on small maps only: no 100,000-id array per filter
    if (this.count <= 5000) {
      visibleIds = [];
      for (var i = 0; i < this.inc.length; i++) if (this.visible[i]) visibleIds.push(this.inc[i].id);
    }
    return {
      ready: !!window.mapperReady, total: this.inc.length, visible: this.count,
      visiblePoints: this.visiblePoints, visibleAreas: this.areasShown,
      drawn: this.drawn, visibleIds: visibleIds,
      window: [dayIso(this.t0), dayIso(this.t1)], view: this.view, lastFilterMs: this.lastFilterMs
    };
  };

  // the URL hash follows the filters once they rest: history.replaceState costs several ms a
  // call, too much for every step of a drag or of the timeline's play
  MapperApp.prototype.scheduleHash = function () {
    var self = this;
    if (this._hashTimer) clearTimeout(this._hashTimer);
    this._hashTimer = setTimeout(function () { self._hashTimer = null; self.writeHash(); }, HASH_DELAY_MS);
  };

  MapperApp.prototype.schedule = function () {
    var self = this;
    if (this._pending) return;
    this._pending = true;
    requestAnimationFrame(function () { self._pending = false; self.apply(false); });
  };

  // ---- URL hash: filters and view survive a reload and can be shared ------------------------
  var HASH_DELAY_MS = 250;
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
    this.hashHidden.ovOn = p.getAll("ov");
    if (p.get("show")) this.hashShow = p.get("show");
    if (p.get("level") === "1" || p.get("level") === "2") this.hashLevel = p.get("level");
    if (LABEL_LANGUAGES.indexOf(p.get("labels")) >= 0) this.hashLabels = p.get("labels");
    // picture=1: a clean frame for `mapper map --png` (no buttons, panels or timeline)
    if (p.get("picture") === "1") this.pictureMode = true;
    var v = (p.get("view") || "").split("/").map(Number);
    if (v.length === 3 && v.every(isFinite)) {
      // a crafted link (#view=1e308/0/0) must not leave the map unusable: clamp to the world
      var clamp = function (x, lo, hi) { return Math.max(lo, Math.min(hi, x)); };
      this.hashView = {zoom: clamp(Math.round(v[0]), 0, 19),
                       center: [clamp(v[1], -85, 85), clamp(v[2], -180, 180)]};
    }
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
    (this.overlays || []).forEach(function (o) {
      if (o.on !== o.dflt) p.append(o.on ? "ov" : "xov", o.key);
    });
    if (!this.baseOn) p.append("xov", "basemap");
    if (this.view !== "points") p.set("show", this.view);
    if (this.regionMode && this.regionMode !== "auto") p.set("level", this.regionMode);
    var labelsDefault = (this.data.basemap || {}).labelLanguage || "both";
    if (this.labels && this.labels.language !== labelsDefault) p.set("labels", this.labels.language);
    var c = this.map.getCenter();
    p.set("view", this.map.getZoom() + "/" + c.lat.toFixed(4) + "/" + c.lng.toFixed(4));
    try { history.replaceState(null, "", "#" + p.toString()); } catch (e) { /* file:// in some browsers */ }
  };
