/* "Download PNG": the map as the reader sees it (tiles when their server allows it, the offline
 * basemap, labels, areas and points) with the title, the time window, the legend and the
 * attribution drawn in, as one picture for print or social media. Text is drawn with fillText.
 */
  function paneZ(node) {
    var pane = node.closest(".leaflet-pane");
    var z = pane ? parseInt(getComputedStyle(pane).zIndex, 10) : 0;
    return isNaN(z) ? 0 : z;
  }

  MapperApp.prototype.pictureCanvas = function (withTiles) {
    var c = this.map.getContainer(), cr = c.getBoundingClientRect(), W = c.clientWidth, H = c.clientHeight;
    var scale = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
    var out = document.createElement("canvas");
    out.width = Math.round(W * scale); out.height = Math.round(H * scale);
    var ctx = out.getContext("2d");
    ctx.scale(scale, scale);
    ctx.fillStyle = getComputedStyle(c).backgroundColor || "#dfe8ee";
    ctx.fillRect(0, 0, W, H);
    var layers = [];
    if (withTiles) c.querySelectorAll("img.leaflet-tile-loaded").forEach(function (img) { layers.push(img); });
    c.querySelectorAll(".leaflet-map-pane canvas").forEach(function (cv) { layers.push(cv); });
    layers = layers.map(function (n, k) { return [paneZ(n), k, n]; })
      .sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    layers.forEach(function (item) {
      var r = item[2].getBoundingClientRect();
      if (r.width && r.height) ctx.drawImage(item[2], r.left - cr.left, r.top - cr.top, r.width, r.height);
    });
    this.drawPictureText(ctx, W, H);
    return out;
  };

  function textBox(ctx, lines, x, y, alignRight) {
    var w = 0, lh = 17;
    lines.forEach(function (l) { ctx.font = l.font; w = Math.max(w, ctx.measureText(l.text).width + (l.color ? 16 : 0)); });
    var bx = alignRight ? x - w - 16 : x, h = lines.length * lh + 10;
    ctx.fillStyle = "rgba(255,255,255,0.92)";
    ctx.fillRect(bx, y - h, w + 16, h);
    lines.forEach(function (l, i) {
      var ly = y - h + 5 + lh * i + lh / 2;
      ctx.font = l.font;
      ctx.textBaseline = "middle"; ctx.textAlign = "left";
      var tx = bx + 8;
      if (l.color) {
        ctx.beginPath(); ctx.arc(tx + 5, ly, 5, 0, 2 * Math.PI);
        ctx.fillStyle = l.color; ctx.fill();
        ctx.lineWidth = 1; ctx.strokeStyle = "#333"; ctx.stroke();
        tx += 16;
      }
      ctx.fillStyle = "#1d1d1d";
      ctx.fillText(l.text, tx, ly);
    });
    return h;
  }

  MapperApp.prototype.drawPictureText = function (ctx, W, H) {
    var font = "13px " + LABEL_FONT, bold = "600 15px " + LABEL_FONT, small = "11px " + LABEL_FONT;
    var head = [];
    if (this.data.title) head.push({text: this.data.title, font: bold});
    head.push({text: dayIso(this.t0) + " \u2013 " + dayIso(this.t1) + " \u00b7 " + this.count + " incidents", font: font});
    if (this.data.note) head.push({text: this.data.note, font: small});
    var hh = head.length * 17 + 10;
    textBox(ctx, head, 8, 8 + hh, false);
    var used = {}, legend = [];
    for (var i = 0; i < this.inc.length; i++) if (this.visible[i]) used[this.cat[i]] = true;
    this.cats.forEach(function (c, k) { if (used[k]) legend.push({text: c.label, font: font, color: c.color}); });
    if (this.view === "regions") legend.push({text: "fill: incidents per region", font: small});
    if (this.view === "density") legend.push({text: "colour: incident density", font: small});
    if (legend.length) textBox(ctx, legend.slice(0, 14), 8, H - 26, false);
    var attr = this.map.getContainer().querySelector(".leaflet-control-attribution");
    var credits = attr ? attr.textContent.replace(/\s+/g, " ").trim() : "";
    if (credits) textBox(ctx, [{text: credits, font: small}], W - 8, H - 4, true);
  };

  MapperApp.prototype.pngDataUrl = function () {
    try { return this.pictureCanvas(true).toDataURL("image/png"); }
    catch (e) { return this.pictureCanvas(false).toDataURL("image/png"); }  // tiles without CORS taint the canvas
  };

  MapperApp.prototype.downloadPng = function () {
    var a = document.createElement("a");
    a.href = this.pngDataUrl();
    a.download = (this.data.title || "map").replace(/[^\w\-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  };
