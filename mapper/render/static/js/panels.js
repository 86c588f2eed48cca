/* Page chrome: title, buttons, the filter panel (a side panel on wide screens, a bottom sheet
 * below 700 px) and its groups. The legend and the list are in legend.js and list.js; where
 * everything goes is decided in layout.js.
 */
  MapperApp.prototype.buildChrome = function () {
    var self = this, map = this.map, container = map.getContainer(), data = this.data;
    container.classList.add("mapper-map");
    if (this.embed) container.classList.add("mapper-embed");
    if (data.title || data.note) {
      var head = add(container, el("div", "mapper-header"));
      L.DomEvent.disableClickPropagation(head);
      if (data.title) add(head, el("h1", "mapper-title", data.title));
      if (data.note) add(head, el("div", "mapper-note", data.note));
    }
    buttonControl("mapper-fullscreen-control", "mapper-fs-button", "M2 6V2h4M10 2h4v4M14 10v4h-4M6 14H2v-4",
                  "Full screen", "Toggle full screen", function () { self.toggleFullscreen(); }).addTo(map);
    buttonControl("mapper-list-control", "mapper-list-button", "M2 4h12M2 8h12M2 12h12",
                  "Incident list", "Show the incident list", function () { self.toggleList(); }).addTo(map);
    buttonControl("mapper-png-control", "mapper-png-button", "M2 5h3l1.5-2h3L11 5h3v8H2zM8 7a2.5 2.5 0 1 0 0 5a2.5 2.5 0 1 0 0-5",
                  "Download PNG", "Download the map as a PNG picture", function () { self.downloadPng(); }).addTo(map);
    this.buildPanel();
    this.buildLegend();
    this.buildList();
    if (data.attribution) data.attribution.forEach(function (a) { map.attributionControl.addAttribution(a); });
    map.on("resize", function () {
      self.layout();
      if (self.pictureMode) self.fitView();  // the browser may size the frame after the first fit
    });
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
    all.setAttribute("aria-label", "Show all: " + title);
    none.setAttribute("aria-label", "Hide all: " + title);
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
    var self = this, map = this.map, days = this.days;
    var Toggle = L.Control.extend({
      options: {position: "topright"},
      onAdd: function () {
        var wrap = el("div", "mapper-panel-wrap");
        var btn = add(wrap, el("button", "mapper-panel-toggle", "Filters"));
        btn.type = "button";
        btn.setAttribute("aria-expanded", "false");
        self.panelButton = btn;
        btn.onclick = function () { self.setPanelOpen(self.panelEl.hidden); };
        L.DomEvent.disableClickPropagation(wrap);
        return wrap;
      }
    });
    new Toggle().addTo(map);
    var panel = add(map.getContainer(), el("div", "mapper-panel mapper-sheet"));
    panel.id = "mapper-panel-" + this.uid;
    this.panelButton.setAttribute("aria-controls", panel.id);
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Filters and layers");
    this.panelEl = panel;
    self.countLine = add(panel, el("div", "mapper-count"));
    self.countLine.setAttribute("aria-live", "polite");
    this.buildViewSwitch(panel);
    var search = add(panel, el("input", "mapper-search"));
    search.type = "search";
    search.placeholder = "Search place or text";
    search.setAttribute("aria-label", "Search incidents by place or text");
    search.value = self.query;
    search.addEventListener("input", function () { self.query = search.value; self.schedule(); });
    // time filter: two range inputs over day numbers (the timeline strip's keyboard twin)
    var time = add(panel, el("fieldset", "mapper-time"));
    add(time, el("legend", null, "When"));
    var out = self.timeOut = add(time, el("div", "mapper-time-out"));
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
      from.setAttribute("aria-valuetext", dayIso(self.t0));
      to.setAttribute("aria-valuetext", dayIso(self.t1));
    }
    from.addEventListener("input", function () { sync(from); self.schedule(); });
    to.addEventListener("input", function () { sync(to); self.schedule(); });
    sync(null);
    self.timeInputs = [from, to];
    if (days[0] === days[1]) { from.disabled = to.disabled = true; }
    self.buildGroup(panel, "Categories", self.cats.map(function (c) { return c.label; }), self.catOn, null, null, "cat");
    self.buildGroup(panel, "Claimed by", self.claimants, self.claimOn, "(no claim)", "noneClaimOn", "claimant");
    self.buildGroup(panel, "Source outlet", self.outlets, self.outOn, "(no outlet)", "noneOutOn", "outlet");
    var ovs = add(panel, el("details", "mapper-group mapper-layers"));
    ovs.open = !self.embed;
    add(ovs, el("summary", null, "Layers"));
    self.overlays.forEach(function (o) {
      checkboxRow(ovs, o.label, o.on, null, function (on) {
        o.on = on;
        if (on) o.layer.addTo(map); else map.removeLayer(o.layer);
        self.writeHash();
      }, {"data-layer": "overlay", "data-name": o.key});
    });
    checkboxRow(ovs, "Outline basemap and place names (offline)", self.baseOn, null, function (on) {
      self.setBasemap(on);
      self.writeHash();
    }, {"data-layer": "overlay", "data-name": "basemap"});
    if (self.labels && self.labels._rows.some(function (r) { return r.local; })) {
      // place names in English, in the local script (Cyrillic), or both (two lines)
      var row = add(ovs, el("label", "mapper-label-language"));
      add(row, el("span", null, "Place names"));
      var pick = add(row, el("select"));
      [["both", "English and local"], ["en", "English"], ["local", "Local script"]].forEach(function (o) {
        var opt = add(pick, el("option", null, o[1]));
        opt.value = o[0];
      });
      pick.value = self.labels.language;
      pick.addEventListener("change", function () { self.labels.setLanguage(pick.value); self.writeHash(); });
    }
    panel.hidden = true;
    L.DomEvent.disableClickPropagation(panel);
    L.DomEvent.disableScrollPropagation(panel);
    this.setPanelOpen(!this.embed && !this.isPhone());
  };

  MapperApp.prototype.setPanelOpen = function (open) {
    if (open && this.isPhone() && this.listEl) this.listEl.hidden = true;  // one sheet at a time
    this.panelEl.hidden = !open;
    this.panelButton.setAttribute("aria-expanded", String(open));
    this.panelButton.classList.toggle("open", open);
    this.layout();
  };

  MapperApp.prototype.closeSheets = function () {
    if (this.panelEl && !this.panelEl.hidden) this.setPanelOpen(false);
    if (this.listEl && !this.listEl.hidden) { this.listEl.hidden = true; this.layout(); }
  };

  MapperApp.prototype.updateCount = function () {
    if (!this.countLine) return;
    this.countLine.textContent = this.count + " of " + this.inc.length + " incidents shown" +
      (this.data.unmapped ? " (" + this.data.unmapped + " without a place, listed but not mapped)" : "");
  };
