/* The incident list: the map's text twin. It follows every filter, names each incident's
 * category, date and place in words, and opens the same card as the map (focus moves into it).
 */
  MapperApp.prototype.buildList = function () {
    var c = this.map.getContainer();
    var list = add(c, el("nav", "mapper-list mapper-sheet"));
    list.setAttribute("aria-label", "Incidents shown on the map");
    list.hidden = true;
    var head = add(list, el("div", "mapper-list-head"));
    add(head, el("h2", "mapper-list-title", "Incidents"));
    var close = add(head, el("button", "mapper-sheet-close", "Close"));
    close.type = "button";
    close.setAttribute("aria-label", "Close the incident list");
    var self = this;
    close.addEventListener("click", function () { self.toggleList(false); });
    this.listBody = add(list, el("ol", "mapper-list-body"));
    this.listMore = add(list, el("div", "mapper-muted mapper-list-more"));
    this.listEl = list;
    L.DomEvent.disableClickPropagation(list);
    L.DomEvent.disableScrollPropagation(list);
  };

  MapperApp.prototype.toggleList = function (open) {
    var show = open === undefined ? this.listEl.hidden : open;
    if (show && this.isPhone() && this.panelEl && !this.panelEl.hidden) this.setPanelOpen(false);
    if (show) this.map.closePopup();
    this.listEl.hidden = !show;
    if (show && this._listStale) this.renderList();
    this.layout();
    if (show) { var b = this.listBody.querySelector("button"); if (b) b.focus(); }
  };

  // the rows are built while the list is open, else when it opens: a closed list costs nothing
  // per filter change (a hidden list is not read by screen readers either)
  MapperApp.prototype.renderList = function () {
    if (!this.listBody) return;
    if (this.listEl.hidden) { this._listStale = true; return; }
    this._listStale = false;
    var self = this, shown = 0;
    this.listBody.textContent = "";
    for (var i = 0; i < this.inc.length && shown < LIST_LIMIT; i++) {
      if (!this.visible[i]) continue;
      var r = this.inc[i], li = add(this.listBody, el("li")), b = add(li, el("button", "mapper-list-item"));
      b.type = "button";
      b.setAttribute("data-incident-id", r.id);
      var line = add(b, el("span", "mapper-list-line"));
      var sw = add(line, el("span", "mapper-swatch")); sw.style.background = this.colors[r.cat];
      add(line, el("span", "mapper-list-cat", (this.cats[r.cat] || {}).label || ""));
      add(line, el("span", "mapper-list-date", r.date || "undated"));
      add(line, el("span", "mapper-list-place", (r.place && r.place.name) || ""));
      if (r.status === "draft") { b.classList.add("mapper-list-draft"); add(line, el("span", "mapper-draft", DRAFT_LABEL)); }
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
