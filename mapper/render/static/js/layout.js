/* Where the panels go, recomputed on every resize and toggle, so that no two overlap at any
 * width (from 320 px) and the map keeps the space between them:
 *  - the timeline strip spans the bottom; Leaflet's bottom corners sit above it;
 *  - the legend (bottom left) rises above the attribution when they would meet;
 *  - wide screens: the filter panel hangs under its button on the right, the list on the left,
 *    both ending above the bottom row; the title is centred between the corner controls;
 *  - below 700 px: the filter panel and the list are bottom sheets (one at a time) above the
 *    bottom row; the legend is hidden while a sheet is open; opening a popup closes the sheets.
 */
  var PHONE_MAX = 699;

  MapperApp.prototype.isPhone = function () {
    if (this._wasPhone === undefined) this._wasPhone = this.map.getContainer().clientWidth <= PHONE_MAX;
    return this._wasPhone;  // kept up to date by layout(), which runs on every resize
  };

  function rectIn(node, cr) {
    var r = node.getBoundingClientRect();
    return {left: r.left - cr.left, right: r.right - cr.left, top: r.top - cr.top, bottom: r.bottom - cr.top,
      width: r.width, height: r.height};
  }
  function overlapX(a, b) { return a.left < b.right && b.left < a.right; }

  MapperApp.prototype.layout = function () {
    var c = this.map.getContainer();
    if (!this.legendEl || !this.listEl || !this.panelEl) return;
    var cr = c.getBoundingClientRect(), W = c.clientWidth, H = c.clientHeight, phone = W <= PHONE_MAX;
    if (phone && this._wasPhone === false && this._laidOut) this.legendEl.open = false;  // narrowed to a phone
    this._laidOut = true;
    this._wasPhone = phone;
    c.classList.toggle("mapper-phone", phone);
    var sheetOpen = phone && (!this.panelEl.hidden || !this.listEl.hidden);
    c.classList.toggle("mapper-sheet-open", sheetOpen);
    var tl = c.querySelector(".mapper-timeline"), T = tl ? tl.offsetHeight : 0;
    var corners = c.querySelectorAll(".leaflet-bottom");
    var left = c.querySelector(".leaflet-bottom.leaflet-left"), right = c.querySelector(".leaflet-bottom.leaflet-right");
    for (var i = 0; i < corners.length; i++) corners[i].style.bottom = T + "px";
    // the legend's corner rises above the attribution when the two would meet
    var attr = c.querySelector(".leaflet-control-attribution"), A = 0;
    if (attr && left) {
      var ar = rectIn(attr, cr), lr = rectIn(left, cr);
      A = ar.height + 2;
      if (lr.width && ar.width && overlapX({left: lr.left, right: lr.right + 6}, ar)) left.style.bottom = (T + A) + "px";
    }
    // the top row: corner controls and the title between them
    var topLeft = c.querySelector(".leaflet-top.leaflet-left"), topRight = c.querySelector(".leaflet-top.leaflet-right");
    var tlr = topLeft ? rectIn(topLeft, cr) : null, trr = topRight ? rectIn(topRight, cr) : null;
    if (!tlr || !tlr.width) tlr = {right: 0, bottom: 0};  // hidden (the --png frame)
    if (!trr || !trr.width) trr = {left: W, bottom: 0};
    var head = c.querySelector(".mapper-header"), hb = 0;
    if (head) {
      var side = Math.max(tlr.right, W - trr.left) + 8;
      head.style.left = side + "px"; head.style.right = side + "px";
      head.style.maxWidth = Math.max(80, W - 2 * side) + "px";
      hb = rectIn(head, cr).bottom;
    }
    var bottomRow = Math.max(T + A, right ? H - rectIn(right, cr).top : 0);
    var legendTop = H - bottomRow;
    if (!sheetOpen && this.legendEl.offsetParent !== null) legendTop = rectIn(this.legendEl, cr).top;
    var panel = this.panelEl, list = this.listEl, s;
    if (phone) {
      var top = Math.max(tlr.bottom, trr.bottom, hb) + 8;
      [panel, list].forEach(function (p) {
        s = p.style;
        s.left = "0px"; s.right = "0px"; s.top = "auto"; s.width = "auto";
        s.bottom = bottomRow + "px";
        s.maxHeight = Math.max(120, H - bottomRow - top) + "px";
      });
    } else {
      s = panel.style;
      var ptop = trr.bottom + 4;
      if (head && overlapX(rectIn(head, cr), {left: W - 300, right: W})) ptop = Math.max(ptop, hb + 6);
      s.top = ptop + "px"; s.right = "10px"; s.left = "auto"; s.bottom = "auto";
      s.width = Math.min(280, W - tlr.right - 30) + "px";
      s.maxHeight = Math.max(120, H - ptop - bottomRow - 8) + "px";
      s = list.style;
      var lw = Math.min(320, W - tlr.right - 20 - (panel.hidden ? 0 : 300));
      var ltop = 10;
      if (head && overlapX(rectIn(head, cr), {left: tlr.right + 6, right: tlr.right + 6 + lw})) ltop = hb + 6;
      var lbottom = H - legendTop + 8;
      if (!list.hidden && H - ltop - lbottom < 180 && this.legendEl.open) {
        this.legendEl.open = false;  // a tall legend gives way to the list
        legendTop = rectIn(this.legendEl, cr).top;
        lbottom = H - legendTop + 8;
      }
      s.left = (tlr.right + 6) + "px"; s.right = "auto"; s.top = ltop + "px"; s.width = Math.max(200, lw) + "px";
      s.bottom = lbottom + "px"; s.maxHeight = "none";
    }
    // the legend never runs under the top controls (it grows upwards from its corner)
    if (this.legendEl.offsetParent !== null) {
      var lb = rectIn(this.legendEl, cr).bottom;
      this.legendEl.style.maxHeight = Math.max(40, lb - Math.max(tlr.bottom, hb) - 8) + "px";
    }
    if (this.timeline) this.timeline.draw();
  };
