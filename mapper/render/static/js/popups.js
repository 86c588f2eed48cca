/* Hover tips, clicks, spiderfy and popups. Popups fit the viewport (never wider than the map
 * less its side controls, scrolling inside) and open clear of every panel; on a phone, opening
 * one closes the bottom sheets.
 */
  MapperApp.prototype.onHover = function (e) {
    var g = this.view === "points" ? this.points.hit(e.containerPoint) : null;
    var areas = g ? [] : this.areasAt(e.latlng), region = -1;
    if (!g && !areas.length && this.view === "regions") region = this.regionAt(e.latlng);
    this.map.getContainer().style.cursor = g || areas.length ? "pointer" : "";
    var text = null;
    if (g) {
      var r = this.inc[g.members[0]];
      text = g.n === 1 ? ((r.place && r.place.name) || "") + " \u00b7 " + (r.date || "undated") :
        g.n + " incidents" + (g.stack ? " at " + ((r.place && r.place.name) || "this place") +
          " (click to spread them out)" : "");
    } else if (areas.length && this.view !== "regions") {
      var a = this.areas[areas[0]];
      text = a.name + ": " + this.areaCount[areas[0]] + " incident" + (this.areaCount[areas[0]] > 1 ? "s" : "");
    } else if (region >= 0) {
      var lv = this.regionLevel(), c = lv.count[region];
      text = (lv.names[region] || "") + ": " + c + " incident" + (c === 1 ? "" : "s");
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

  // the index of the choropleth's area (at its current level) under ``latlng``, -1 for none
  MapperApp.prototype.regionAt = function (latlng) {
    var lv = this.regionLevel(), feats = lv.feats;
    for (var j = 0; j < feats.length; j++) {
      if (lv.count[j] && geomContains(feats[j].geometry, latlng.lng, latlng.lat)) return j;
    }
    return -1;
  };

  MapperApp.prototype.onClick = function (e) {
    var g = this.view === "points" ? this.points.hit(e.containerPoint) : null;
    if (g) {
      var first = g.members[0];
      if (g.leg || g.n === 1) {
        var ll = g.leg ? this.map.containerPointToLatLng(e.containerPoint) : L.latLng(this.inc[first].lat, this.inc[first].lon);
        this.openPopup(ll, g.members);
        return;
      }
      if (g.stack) {
        if (g.n <= SPIDER_MAX) { this.spiderfy(this.loc[first]); return; }
        this.openPopup(L.latLng(this.inc[first].lat, this.inc[first].lon), g.members);
        return;
      }
      var bounds = L.latLngBounds(Array.from(g.members, function (i) {
        return [this.inc[i].lat, this.inc[i].lon];
      }, this));
      var target = this.map.getBoundsZoom(bounds.pad(0.2));
      if (target > this.map.getZoom()) this.map.fitBounds(bounds.pad(0.2));
      else this.openPopup(e.latlng, g.members);
      return;
    }
    if (this.spider !== null) { this.spiderfy(null); return; }
    var hits = this.areasAt(e.latlng), members = [];
    for (var h = 0; h < hits.length; h++)
      for (var i = 0; i < this.inc.length; i++) if (this.visible[i] && this.area[i] === hits[h]) members.push(i);
    if (!members.length && this.view === "regions") {
      var reg = this.regionAt(e.latlng), of = this.regionLevel().level === 2 ? this.a2 : this.a1;
      for (var k = 0; reg >= 0 && k < this.inc.length; k++) if (this.visible[k] && of[k] === reg) members.push(k);
    }
    if (members.length) this.openPopup(e.latlng, members);
  };

  // spread the incidents at one place (a location index; null closes the spider)
  MapperApp.prototype.spiderfy = function (loc) {
    this.spider = loc;
    this.map.closePopup();
    this.points.draw();
    if (this.labels && this.labels._map) this.labels.draw();
  };

  // the room the panels leave free, in container pixels from each edge
  MapperApp.prototype.clearArea = function () {
    var c = this.map.getContainer(), cr = c.getBoundingClientRect(), out = {top: 10, left: 10, right: 10, bottom: 10};
    var nodes = c.querySelectorAll(".mapper-header, .leaflet-top .leaflet-control, .mapper-panel:not([hidden])," +
      " .mapper-list:not([hidden]), .mapper-legend, .mapper-timeline, .leaflet-bottom .leaflet-control");
    for (var i = 0; i < nodes.length; i++) {
      var r = nodes[i].getBoundingClientRect();
      if (!r.width || !r.height) continue;
      var x0 = r.left - cr.left, x1 = r.right - cr.left, y0 = r.top - cr.top, y1 = r.bottom - cr.top;
      var W = cr.width, H = cr.height, wide = r.width > W * 0.5, tall = r.height > H * 0.5;
      var leftSide = x0 < W / 2, top = y1 < H / 2;
      // a box in a corner is kept clear on the side where that costs the map least
      var sideCost = (leftSide ? x1 : W - x0) / W, rowCost = (top ? y1 : H - y0) / H;
      if ((tall && !wide) || (!wide && sideCost < rowCost)) {
        if (leftSide) out.left = Math.max(out.left, x1 + 8); else out.right = Math.max(out.right, W - x0 + 8);
      } else if (top) {
        out.top = Math.max(out.top, y1 + 8);
      } else if (!tall) {
        out.bottom = Math.max(out.bottom, H - y0 + 8);
      }
    }
    return out;
  };

  MapperApp.prototype.openPopup = function (latlng, members) {
    var self = this, pos = 0;
    if (!this.recordsReady) { this.whenRecords(function () { self.openPopup(latlng, members); }); return; }
    if (this.isPhone()) this.closeSheets();
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
    var size = this.map.getSize(), pad = this.clearArea();
    // Leaflet adds ~45 px around the content (margins, close button); the rest is ours
    var room = size.x - pad.left - pad.right - 50;
    var maxW = Math.max(160, Math.min(this.embed ? 280 : 380, room));
    var maxH = Math.max(120, Math.min(420, size.y - pad.top - pad.bottom - 60));
    var popup = L.popup({maxWidth: maxW, minWidth: Math.min(200, maxW), maxHeight: maxH,
      autoPanPaddingTopLeft: [pad.left, pad.top], autoPanPaddingBottomRight: [pad.right, pad.bottom],
      className: "mapper-leaflet-popup"});
    popup.setLatLng(latlng).setContent(box).openOn(this.map);
  };

  MapperApp.prototype.openIncident = function (id) {
    for (var i = 0; i < this.inc.length; i++) {
      if (this.inc[i].id !== id) continue;
      var r = this.inc[i], ll = null;
      if (this.isPhone()) this.closeSheets();
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
