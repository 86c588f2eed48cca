/* At-a-glance views: points (default), density, and regions (a choropleth of visible incidents
 * per admin1). Every view follows the time and layer filters: apply() recounts, these draw.
 */
  // sequential blues (ColorBrewer Blues, 5 classes): no category uses them as a fill
  var REGION_RAMP = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"];
  var VIEWS = [["points", "Points"], ["density", "Density"], ["regions", "Regions"]];

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

  MapperApp.prototype.styleRegions = function () {
    if (!this.regionLayers) {
      var renderer = L.canvas({pane: "mapperRegions", padding: 0.1});
      this.regionLayers = (((this.data.basemap || {}).admin1 || {}).features || []).map(function (f) {
        return L.geoJSON(f, {renderer: renderer, interactive: false});
      });
    }
    var counts = this.regionCount, max = 0, layers = this.regionLayers;
    for (var i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
    var breaks = regionBreaks(max), offset = REGION_RAMP.length - breaks.length;
    this.regionBreaks = breaks;
    this.regionMax = max;
    // restyle, add or remove only the regions whose class changed: each change repaints the
    // canvas under that region
    this._regionLook = this._regionLook || [];
    var shown = 0;
    for (var j = 0; j < layers.length; j++) {
      var look = counts[j] ? REGION_RAMP[regionClass(counts[j], breaks) + offset] : null;
      if (look) shown++;
      if (look === (this._regionLook[j] || null)) continue;
      this._regionLook[j] = look;
      if (!look) { this.regionGroup.removeLayer(layers[j]); continue; }
      layers[j].setStyle({color: "#2b3a4a", weight: 0.8, fillColor: look, fillOpacity: 0.78});
      if (!this.regionGroup.hasLayer(layers[j])) this.regionGroup.addLayer(layers[j]);
    }
    this.regionsShown = shown;
  };

  // the legend's view section: what the colours of the current view mean
  MapperApp.prototype.updateViewLegend = function () {
    var box = this.viewLegend;
    if (!box) return;
    box.textContent = "";
    if (this.view === "regions") {
      add(box, el("div", "mapper-legend-head", "Incidents per region"));
      var br = this.regionBreaks || [], offset = REGION_RAMP.length - br.length;
      for (var i = 0; i < br.length; i++) {
        var hi = i + 1 < br.length ? br[i + 1] - 1 : this.regionMax;
        var row = add(box, el("div", "mapper-legend-row"));
        var sw = add(row, el("span", "mapper-sym mapper-sym-box"));
        sw.style.background = REGION_RAMP[i + offset];
        add(row, el("span", null, hi > br[i] ? br[i] + "\u2013" + hi : String(br[i])));
      }
      if (!br.length) add(box, el("div", "mapper-muted", "No incident in a region with the current filters"));
      if (this.regionOutside) add(box, el("div", "mapper-muted mapper-region-outside",
        this.regionOutside + " shown incident" + (this.regionOutside > 1 ? "s are" : " is") +
        " country-wide, in a zone or outside the regions drawn"));
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
  };
