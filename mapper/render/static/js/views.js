/* At-a-glance views: points (default), density, and regions (a choropleth of visible incidents
 * per admin1, or per district where the gazetteer has admin2 outlines: automatically from zoom
 * DISTRICT_ZOOM, or as the reader picks). Every view follows the time and layer filters:
 * apply() recounts, these draw.
 */
  // sequential blues (ColorBrewer Blues, 5 classes): no category uses them as a fill
  var REGION_RAMP = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var VIEWS = [["points", "Points"], ["density", "Density"], ["regions", "Regions"]];
  var DISTRICT_ZOOM = 8;  // from here a first-level region is too coarse to read counts from
  var LEVELS = [["auto", "By zoom"], ["1", "First level"], ["2", "Districts"]];

  // class breaks for counts 1..max: one class per count up to 5, else rounded geometric steps
  function regionBreaks(max) {
    if (max <= 0) return [];
    if (max <= REGION_RAMP.length) {
      var out = [];
      for (var k = 1; k <= max; k++) out.push(k);
      return out;
    }
    var br = [1], n = REGION_RAMP.length;
    for (var i = 1; i < n; i++) {
      var b = Math.max(br[br.length - 1] + 1, Math.round(Math.pow(max, i / n)));
      if (b > max) break;
      br.push(b);
    }
    return br;  // class i holds counts from br[i] up to br[i+1] - 1 (the last one up to max)
  }

  function regionClass(count, breaks) {
    for (var i = breaks.length - 1; i >= 0; i--) if (count >= breaks[i]) return i;
    return -1;
  }

  // the choropleth's level now: districts (admin2 outlines) when there are any and the reader
  // chose them, or zoomed in to DISTRICT_ZOOM with "By zoom"; else first-level regions
  MapperApp.prototype.regionLevel = function () {
    var one = this.regionLevels[0], two = this.regionLevels[1];
    if (!two.feats.length || this.regionMode === "1") return one;
    if (this.regionMode === "2") return two;
    return this.map.getZoom() >= DISTRICT_ZOOM ? two : one;
  };

  MapperApp.prototype.styleRegions = function () {
    var cur = this.regionLevel(), self = this;
    this.regionLevels.forEach(function (lv) { if (lv !== cur) self._styleLevel(lv, null); });
    var counts = cur.count, max = 0;
    for (var i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
    var breaks = regionBreaks(max);
    this.regionBreaks = breaks;
    this.regionMax = max;
    this.regionsShown = this._styleLevel(cur, breaks);
    this.regionLevelShown = cur.level;
    this.map.getContainer().setAttribute("data-region-level", String(cur.level));
  };

  // restyle, add or remove only the areas whose class changed: each change repaints the canvas
  // under that area; ``breaks`` null hides the level
  MapperApp.prototype._styleLevel = function (lv, breaks) {
    if (!lv.layers && !breaks) return 0;
    // an area's layer is made the first time it has incidents: most of the outlines drawn for
    // context never hold one
    lv.layers = lv.layers || [];
    var renderer = this.regionRenderer = this.regionRenderer || L.canvas({pane: "mapperRegions", padding: 0.1});
    var offset = breaks ? REGION_RAMP.length - breaks.length : 0, shown = 0;
    for (var j = 0; j < lv.feats.length; j++) {
      var look = breaks && lv.count[j] ? REGION_RAMP[regionClass(lv.count[j], breaks) + offset] : null;
      if (look) shown++;
      if (look === (lv.looks[j] || null)) continue;
      lv.looks[j] = look;
      if (!look) { this.regionGroup.removeLayer(lv.layers[j]); continue; }
      if (!lv.layers[j]) lv.layers[j] = L.geoJSON(lv.feats[j], {renderer: renderer, interactive: false});
      lv.layers[j].setStyle({color: "#2b3a4a", weight: lv.level === 2 ? 0.6 : 0.8, fillColor: look, fillOpacity: 0.78});
      if (!this.regionGroup.hasLayer(lv.layers[j])) this.regionGroup.addLayer(lv.layers[j]);
    }
    return shown;
  };

  // the legend's view section: what the colours of the current view mean
  MapperApp.prototype.updateViewLegend = function () {
    var box = this.viewLegend;
    if (!box) return;
    box.textContent = "";
    if (this.view === "regions") {
      var two = this.regionLevelShown === 2;
      add(box, el("div", "mapper-legend-head", two ? "Incidents per district" : "Incidents per region"));
      var br = this.regionBreaks || [], offset = REGION_RAMP.length - br.length;
      for (var i = 0; i < br.length; i++) {
        var hi = i + 1 < br.length ? br[i + 1] - 1 : this.regionMax;
        var row = add(box, el("div", "mapper-legend-row"));
        var sw = add(row, el("span", "mapper-sym mapper-sym-box"));
        sw.style.background = REGION_RAMP[i + offset];
        add(row, el("span", null, hi > br[i] ? br[i] + "\u2013" + hi : String(br[i])));
      }
      if (!br.length) add(box, el("div", "mapper-muted", "No incident in a region with the current filters"));
      var out = two ? this.region2Outside : this.regionOutside;
      if (out) add(box, el("div", "mapper-muted mapper-region-outside",
        out + " shown incident" + (out > 1 ? "s are" : " is") + (two ?
          " in no district drawn (a wider area, or a district without an outline)" :
          " country-wide, in a zone or outside the regions drawn")));
      if (two) add(box, el("div", "mapper-muted mapper-district-note",
        "Districts: second-level areas with an outline in the gazetteer; those known only as a " +
        "point are not drawn."));
      else if (this.regionLevels[1].feats.length && this.regionMode === "auto") add(box, el("div",
        "mapper-muted mapper-district-note", "Zoom in for counts per district."));
    } else if (this.view === "density") {
      add(box, el("div", "mapper-legend-head", "Incident density"));
      var ramp = add(box, el("div", "mapper-density-ramp"));
      ramp.style.background = "linear-gradient(to right, " + DENSITY_RAMP.map(function (c) {
        return "rgb(" + c.join(",") + ")"; }).join(", ") + ")";
      var ends = add(box, el("div", "mapper-density-ends"));
      add(ends, el("span", null, "fewer"));
      add(ends, el("span", null, "more"));
    }
    box.hidden = this.view === "points";
  };

  // the view switch: three radio buttons (keyboard: arrow keys move between them)
  MapperApp.prototype.buildViewSwitch = function (parent) {
    var self = this, fs = add(parent, el("fieldset", "mapper-views"));
    add(fs, el("legend", null, "View"));
    this.viewInputs = [];
    VIEWS.forEach(function (v) {
      var lab = add(fs, el("label", "mapper-view"));
      var inp = add(lab, el("input"));
      inp.type = "radio"; inp.name = "mapper-view-" + self.uid; inp.value = v[0];
      inp.checked = self.view === v[0];
      inp.setAttribute("data-view", v[0]);
      add(lab, el("span", null, v[1]));
      inp.addEventListener("change", function () { if (inp.checked) self.setView(v[0]); });
      self.viewInputs.push(inp);
    });
    if (!this.regionLevels[1].feats.length) return;
    // the choropleth's level, offered only where the gazetteer has district outlines
    var lv = add(parent, el("fieldset", "mapper-views mapper-levels"));
    add(lv, el("legend", null, "Regions view counts per"));
    LEVELS.forEach(function (v) {
      var lab = add(lv, el("label", "mapper-view"));
      var inp = add(lab, el("input"));
      inp.type = "radio"; inp.name = "mapper-level-" + self.uid; inp.value = v[0];
      inp.checked = self.regionMode === v[0];
      inp.setAttribute("data-level", v[0]);
      add(lab, el("span", null, v[1]));
      inp.addEventListener("change", function () {
        if (!inp.checked) return;
        self.regionMode = v[0];
        if (self.view !== "regions") self.setView("regions"); else self.schedule();
      });
    });
  };

  // "By zoom": crossing DISTRICT_ZOOM switches the choropleth between regions and districts
  onInit(function (app) {
    if (!app.regionLevels[1].feats.length) return;
    app.map.on("zoomend", function () {
      if (app.view === "regions" && app.regionLevel().level !== app.regionLevelShown) {
        app.styleRegions();
        app.updateViewLegend();
      }
    });
  });
