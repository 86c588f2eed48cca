/* Canvas layers: one canvas a little larger than the view, redrawn after every move or zoom
 * and scaled during the zoom animation. Points, labels and the density view are all drawn so.
 */
  var CanvasLayer = L.Layer.extend({
    initialize: function (app, pane, cls) { this._app = app; this._pane = pane; this._cls = cls; },
    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", this._cls + " leaflet-zoom-animated");
      this._canvas.setAttribute("aria-hidden", "true");
      map.getPane(this._pane).appendChild(this._canvas);
      map.on("moveend resize", this._reset, this);
      map.on("zoomanim", this._animateZoom, this);
      this._reset();
    },
    onRemove: function (map) {
      map.off("moveend resize", this._reset, this);
      map.off("zoomanim", this._animateZoom, this);
      L.DomUtil.remove(this._canvas);
    },
    _animateZoom: function (e) {
      var map = this._map;
      var scale = map.getZoomScale(e.zoom, map.getZoom());
      var offset = map._latLngToNewLayerPoint(this._topLeftLL, e.zoom, e.center);
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },
    _reset: function () {
      var map = this._map, size = map.getSize();
      var pad = size.multiplyBy(0.1).round();
      var topLeft = map.containerPointToLayerPoint(pad.multiplyBy(-1)).round();
      this._topLeft = topLeft;
      this._topLeftLL = map.layerPointToLatLng(topLeft);
      var w = size.x + 2 * pad.x, h = size.y + 2 * pad.y, dpr = window.devicePixelRatio || 1;
      L.DomUtil.setPosition(this._canvas, topLeft);
      if (w !== this._w || h !== this._h || dpr !== this._dpr) {  // reallocate only on a resize
        this._canvas.width = Math.round(w * dpr);
        this._canvas.height = Math.round(h * dpr);
        this._canvas.style.width = w + "px";
        this._canvas.style.height = h + "px";
        this._w = w; this._h = h; this._dpr = dpr;
      }
      if (!this._app.booting) this.draw();  // during start-up the first apply() draws once
    },
    // world-pixel offset of the canvas' top-left corner at the current zoom
    _frame: function () {
      var map = this._map, z = map.getZoom(), origin = map.getPixelOrigin();
      return {z: z, scale: 256 * Math.pow(2, z), offX: origin.x + this._topLeft.x,
        offY: origin.y + this._topLeft.y, w: this._w, h: this._h};
    },
    _context: function () {
      var ctx = this._canvas.getContext("2d");
      ctx.setTransform(this._dpr, 0, 0, this._dpr, 0, 0);
      ctx.clearRect(0, 0, this._w, this._h);
      return ctx;
    },
    draw: function () {}
  });
