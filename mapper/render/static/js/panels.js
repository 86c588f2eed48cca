/* Page chrome: title, filter panel, legend, incident list, full screen. */
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
