/* The legend: categories in use, the symbols, and what the current view's colours mean.
 * Collapsed on phones and in the embed (a summary the reader opens).
 */
  MapperApp.prototype.buildLegend = function () {
    var self = this;
    var Legend = L.Control.extend({
      options: {position: "bottomleft"},
      onAdd: function () {
        var det = el("details", "mapper-legend");
        det.open = !self.embed && !self.isPhone();
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
        if (self.inc.some(function (r) { return r.status === "draft"; })) {
          sym.push(["mapper-sym-draft", DRAFT_LABEL + " (machine draft)"]);
        }
        sym.forEach(function (s) {
          var row = add(det, el("div", "mapper-legend-row"));
          add(row, el("span", "mapper-sym " + s[0]));
          add(row, el("span", null, s[1]));
        });
        self.viewLegend = add(det, el("div", "mapper-view-legend"));
        self.viewLegend.hidden = true;
        det.addEventListener("toggle", function () { self.layout(); });
        L.DomEvent.disableClickPropagation(det);
        L.DomEvent.disableScrollPropagation(det);
        self.legendEl = det;
        return det;
      }
    });
    new Legend().addTo(this.map);
  };
