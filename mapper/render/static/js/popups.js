/* Hover tips, clicks and popups: every card is built from DOM text nodes. */
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
