/* Place labels on the offline basemap: countries, admin1 areas and settlements from the
 * gazetteer, placed greedily by importance with no two labels overlapping (each label's box is
 * tested against the ones already placed, and against the incident markers drawn at this zoom).
 * Settlements with a local-script name (Russia, Ukraine, Belarus: "Рыльск") show it on a second,
 * smaller line under the English one ("both", the default), instead of it ("local") or not at
 * all ("en"): the page's labelLanguage, or #labels=... in the URL.
 * Text is drawn with fillText: names never reach the DOM.
 */
  var LABEL_LANGUAGES = ["both", "en", "local"];
  var SECOND_LINE = 12;  // px between the English line and the local one
  var LABEL_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', Arial, sans-serif";

  // the smallest settlement (by population) labelled at each zoom; larger zooms show all
  function minPopulation(z) {
    if (z <= 4) return 2000000;
    if (z <= 5) return 700000;
    if (z <= 6) return 250000;
    if (z <= 7) return 80000;
    if (z <= 8) return 20000;
    if (z <= 9) return 5000;
    if (z <= 10) return 1500;
    return 0;
  }

  var LabelLayer = CanvasLayer.extend({
    initialize: function (app, rows, language) {
      CanvasLayer.prototype.initialize.call(this, app, "mapperLabels", "mapper-labels");
      // rows: [name, lon, lat, rank, kind(, local)] with kind 0 country, 1 admin1, 2 settlement
      this._rows = rows.map(function (r) {
        return {en: String(r[0]), local: r[5] ? String(r[5]) : null, mx: mercX(r[1]), my: mercY(r[2]),
          lat: r[2], rank: r[3], kind: r[4], w: {}};
      });
      this.setLanguage(language);
    },
    // which names to show: "both" (English, the local name under it), "en" or "local"
    setLanguage: function (language) {
      this.language = LABEL_LANGUAGES.indexOf(language) >= 0 ? language : "both";
      var lang = this.language;
      this._rows.forEach(function (r) {
        r.name = lang === "local" && r.local ? r.local : r.en;
        r.second = lang === "both" && r.local && r.local !== r.en ? r.local : null;
        r.w = {};
      });
      if (this._map) this.draw();
    },
    draw: function () {
      if (!this._map) return;
      var f = this._frame(), ctx = this._context(), z = f.z, placed = [], shown = [];
      var minPop = minPopulation(z), pad = 3;
      // incident markers are obstacles too: a label never hides a dot
      var groups = this._app.points ? this._app.points._groups : [];
      for (var g = 0; g < groups.length; g++) {
        var gr = groups[g];
        placed.push([gr.x - gr.r, gr.y - gr.r, gr.x + gr.r, gr.y + gr.r]);
      }
      for (var i = 0; i < this._rows.length; i++) {
        var r = this._rows[i], style = this._style(r, z);
        if (!style) continue;
        if (r.kind === 2 && r.rank < minPop) continue;
        // a region is named only where it is wide enough on screen to hold its name
        var kmPx = 40075 * Math.cos(r.lat * Math.PI / 180) / f.scale;
        if (r.kind === 1 && Math.sqrt(r.rank) / kmPx < 90) continue;
        var x = r.mx * f.scale - f.offX, y = r.my * f.scale - f.offY;
        if (x < -50 || y < -20 || x > f.w + 50 || y > f.h + 20) continue;
        ctx.font = style.font;
        var key = style.font, tw = r.w[key];
        if (tw === undefined) tw = r.w[key] = ctx.measureText(style.text(r.name)).width;
        var low = 0;  // the second line's extra height
        if (r.second && style.dot) {
          ctx.font = SECOND_FONT;
          var tw2 = r.w.second;
          if (tw2 === undefined) tw2 = r.w.second = ctx.measureText(r.second).width;
          tw = Math.max(tw, tw2);
          low = SECOND_LINE;
        }
        var box = style.dot ? [x + 5, y - style.size / 2 - 1, x + 5 + tw, y + style.size / 2 + 1 + low] :
          [x - tw / 2, y - style.size / 2, x + tw / 2, y + style.size / 2];
        if (collides(box, placed, pad)) {
          if (!style.dot) continue;
          box = [x - 5 - tw, box[1], x - 5, box[3]];  // try the left side of the dot
          if (collides(box, placed, pad)) continue;
          style = {font: style.font, size: style.size, color: style.color, dot: true, align: "right",
            text: style.text};
        }
        placed.push(box);
        shown.push([r, x, y, box, style]);
      }
      ctx.textBaseline = "middle";
      ctx.lineJoin = "round";
      for (var s = 0; s < shown.length; s++) {
        var item = shown[s], st = item[4], lab = item[0];
        ctx.font = st.font;
        if (st.dot) {
          ctx.beginPath(); ctx.arc(item[1], item[2], 2.2, 0, 2 * Math.PI);
          ctx.fillStyle = "#555"; ctx.fill();
        }
        ctx.textAlign = st.dot ? "left" : "center";
        var tx = st.dot ? item[3][0] : item[1];
        ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.92)";
        ctx.strokeText(st.text(lab.name), tx, item[2]);
        ctx.fillStyle = st.color;
        ctx.fillText(st.text(lab.name), tx, item[2]);
        if (lab.second && st.dot) {
          ctx.font = SECOND_FONT;
          ctx.strokeText(lab.second, tx, item[2] + SECOND_LINE);
          ctx.fillStyle = "#4d4d4d";
          ctx.fillText(lab.second, tx, item[2] + SECOND_LINE);
        }
      }
      // for tests and tools: what is written where (no name ever reaches the DOM)
      this.shown = shown.map(function (it) { return it[0].name; });
      this.shownSecond = shown.filter(function (it) { return it[0].second && it[4].dot; })
        .map(function (it) { return it[0].second; });
      this.boxes = shown.map(function (it) { return it[3]; });
    },
    _style: function (r, z) {
      if (r.kind === 0) {
        if (z > 8) return null;
        return {font: "600 " + (z <= 4 ? 12 : 14) + "px " + LABEL_FONT, size: 15, color: "#4a4a4a",
          text: upper};
      }
      if (r.kind === 1) {
        if (z < 6 || z > 11) return null;
        return {font: "italic 12px " + LABEL_FONT, size: 14, color: "#5f5a52", text: same};
      }
      var big = r.rank >= 100000;
      return {font: (big ? "600 13px " : "12px ") + LABEL_FONT, size: big ? 15 : 14, color: "#222",
        dot: true, text: same};
    }
  });

  var SECOND_FONT = "11px " + LABEL_FONT;
  function same(s) { return s; }
  function upper(s) { return s.toLocaleUpperCase(); }
  function collides(b, placed, pad) {
    for (var i = 0; i < placed.length; i++) {
      var p = placed[i];
      if (b[0] < p[2] + pad && b[2] + pad > p[0] && b[1] < p[3] + pad && b[3] + pad > p[1]) return true;
    }
    return false;
  }
