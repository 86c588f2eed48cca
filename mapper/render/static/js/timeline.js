/* The timeline strip: a histogram of incidents per day (per week or month for long spans) that
 * follows the layer filters, a brush to set the time window (drag; double-click resets) and a
 * play button that steps the window through time. The From/To sliders in the filter panel
 * are the keyboard twin of the brush; the two stay in sync.
 */
  var PLAY_MS = 700;  // per step

  function Timeline(app, parent) {
    this.app = app;
    var days = app.days, span = days[1] - days[0] + 1;
    this.bin = span <= 120 ? 1 : (span <= 3 * 366 ? 7 : 30);
    this.unit = this.bin === 1 ? "day" : (this.bin === 7 ? "week" : "30 days");
    this.nBins = Math.floor((days[1] - days[0]) / this.bin) + 1;
    this.counts = new Int32Array(this.nBins);
    var n = app.inc.length, binOf = new Int32Array(n);
    for (var i = 0; i < n; i++) {
      var d = app.d0[i];
      binOf[i] = d < days[0] - 366000 ? -1 : Math.max(0, Math.min(this.nBins - 1, Math.floor((d - days[0]) / this.bin)));
    }
    this.binOf = binOf;
    var box = this.box = add(parent, el("div", "mapper-timeline"));
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Timeline: incidents per " + this.unit);
    var play = this.playButton = add(box, el("button", "mapper-play"));
    play.type = "button";
    play.setAttribute("aria-pressed", "false");
    this._setPlayLabel(false);
    var self = this;
    play.addEventListener("click", function () { self.toggle(); });
    var mid = add(box, el("div", "mapper-timeline-main"));
    this.canvas = add(mid, el("canvas", "mapper-histogram"));
    this.canvas.setAttribute("aria-hidden", "true");
    this.caption = add(mid, el("div", "mapper-timeline-caption"));
    this.caption.setAttribute("aria-live", "polite");
    this._bindBrush();
    L.DomEvent.disableClickPropagation(box);
    L.DomEvent.disableScrollPropagation(box);
  }

  Timeline.prototype.recount = function () {
    var app = this.app, c = this.counts, pass = app.pass, binOf = this.binOf, cat = app.cat, on = app.catFlags;
    c.fill(0);
    for (var i = 0; i < binOf.length; i++) if (pass[i] && on[cat[i]] && binOf[i] >= 0) c[binOf[i]]++;
    var max = 0;
    for (var k = 0; k < c.length; k++) if (c[k] > max) max = c[k];
    this.max = max;
  };

  Timeline.prototype._geom = function () {
    var w = this.canvas.clientWidth || 200, h = this.canvas.clientHeight || 30;
    return {w: w, h: h, bw: w / this.nBins};
  };

  Timeline.prototype.draw = function () {
    var app = this.app, cv = this.canvas, g = this._geom(), dpr = window.devicePixelRatio || 1;
    if (cv.width !== Math.round(g.w * dpr) || cv.height !== Math.round(g.h * dpr)) {
      cv.width = Math.round(g.w * dpr); cv.height = Math.round(g.h * dpr);
    }
    var ctx = cv.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, g.w, g.h);
    var lo = Math.floor((app.t0 - app.days[0]) / this.bin), hi = Math.floor((app.t1 - app.days[0]) / this.bin);
    ctx.fillStyle = "rgba(49,130,189,0.12)";
    ctx.fillRect(lo * g.bw, 0, (hi - lo + 1) * g.bw, g.h);
    var max = this.max || 1;
    for (var b = 0; b < this.nBins; b++) {
      if (!this.counts[b]) continue;
      var bh = Math.max(1.5, (g.h - 3) * Math.sqrt(this.counts[b] / max));
      ctx.fillStyle = b >= lo && b <= hi ? "#2f5f8a" : "#a9b6c2";
      ctx.fillRect(b * g.bw + (g.bw > 3 ? 0.5 : 0), g.h - bh, Math.max(1, g.bw - (g.bw > 3 ? 1 : 0)), bh);
    }
    ctx.strokeStyle = "#2f5f8a"; ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(lo * g.bw + 1, 0); ctx.lineTo(lo * g.bw + 1, g.h);
    ctx.moveTo((hi + 1) * g.bw - 1, 0); ctx.lineTo((hi + 1) * g.bw - 1, g.h);
    ctx.stroke();
    this.caption.textContent = dayIso(app.t0) + " \u2013 " + dayIso(app.t1) + " \u00b7 " + app.count +
      " shown \u00b7 bars: incidents per " + this.unit;
  };

  Timeline.prototype._dayAt = function (clientX) {
    var r = this.canvas.getBoundingClientRect(), g = this._geom();
    var b = Math.max(0, Math.min(this.nBins - 1, Math.floor((clientX - r.left) / g.bw)));
    return b;
  };

  Timeline.prototype._bindBrush = function () {
    var self = this, cv = this.canvas, start = null;
    function setBins(a, b) {
      var lo = Math.min(a, b), hi = Math.max(a, b), days = self.app.days;
      self.app.setWindow(days[0] + lo * self.bin, Math.min(days[1], days[0] + (hi + 1) * self.bin - 1));
    }
    cv.addEventListener("pointerdown", function (e) {
      self.stop();
      start = self._dayAt(e.clientX);
      if (cv.setPointerCapture) { try { cv.setPointerCapture(e.pointerId); } catch (err) { /* synthetic */ } }
      setBins(start, start);
      e.preventDefault();
    });
    cv.addEventListener("pointermove", function (e) {
      if (start === null) return;
      setBins(start, self._dayAt(e.clientX));
    });
    function end() { start = null; }
    cv.addEventListener("pointerup", end);
    cv.addEventListener("pointercancel", end);
    cv.addEventListener("dblclick", function () { self.app.setWindow(self.app.days[0], self.app.days[1]); });
  };

  Timeline.prototype._setPlayLabel = function (playing) {
    var b = this.playButton;
    b.textContent = playing ? "\u275a\u275a" : "\u25b6";
    b.setAttribute("aria-label", playing ? "Pause the timeline" : "Play the timeline");
    b.title = playing ? "Pause" : "Play: step the time window forward";
    b.setAttribute("aria-pressed", String(playing));
  };

  Timeline.prototype.toggle = function () { if (this.timer) this.stop(); else this.play(); };

  // play: a window one bin wide (or the current one, if narrower than the whole span) steps
  // forward one bin at a time; starting again from the beginning once it reached the end
  Timeline.prototype.play = function () {
    var app = this.app, days = app.days, self = this;
    var width = app.t1 - app.t0 + 1;
    if (width >= days[1] - days[0] + 1) width = this.bin;
    if (app.t1 >= days[1]) app.setWindow(days[0], days[0] + width - 1, true);
    this._setPlayLabel(true);
    this.steps = 0;
    this.timer = setInterval(function () {
      if (app.t1 >= days[1]) { self.stop(); return; }
      var next = Math.min(days[1], app.t0 + self.bin);
      app.setWindow(next, Math.min(days[1], next + width - 1), true);
      self.steps++;
    }, PLAY_MS);
  };

  Timeline.prototype.stop = function () {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this._setPlayLabel(false);
  };

  // the time window from anywhere (brush, play, sliders); ``now`` applies at once (play steps)
  MapperApp.prototype.setWindow = function (a, b, now) {
    var days = this.days;
    this.t0 = Math.max(days[0], Math.min(days[1], Math.round(a)));
    this.t1 = Math.max(this.t0, Math.min(days[1], Math.round(b)));
    if (this.timeInputs) {
      this.timeInputs[0].value = this.t0; this.timeInputs[1].value = this.t1;
      if (this.timeOut) this.timeOut.textContent = dayIso(this.t0) + " \u2013 " + dayIso(this.t1);
    }
    if (now) this.apply(false); else this.schedule();
  };

  onInit(function (app) {
    if (app.days[1] > app.days[0]) app.timeline = new Timeline(app, app.map.getContainer());
    if (app.timeline) app.map.getContainer().classList.add("mapper-has-timeline");
  });
