/* Shared by every part: constants, text-only DOM helpers, link policy, search keys, geometry. */
  var DAY_MS = 86400000;
  var CLUSTER_CELL = 46;      // grid cell in screen pixels while clustering
  var LIST_LIMIT = 150;       // rows in the incident list (the list says how many more)
  // machine drafts nobody reviewed (shown only with `mapper map --drafts`): said in the popup,
  // the legend and the list, and drawn with a dashed halo in this colour
  var DRAFT_LABEL = "Draft \u2014 not reviewed";
  var DRAFT_COLOR = "#6d1b91";

  // Parts of the client that add behaviour register here; MapperApp.init calls each hook with
  // the app once the map, layers and chrome exist (in registration = file order).
  var INIT_HOOKS = [];
  function onInit(fn) { INIT_HOOKS.push(fn); }

  // ---- small DOM helpers (text only) -------------------------------------------------------
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function add(parent, child) { parent.appendChild(child); return child; }
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    var u = url.trim();
    if (!/^https?:\/\//i.test(u)) return null;
    try { var parsed = new URL(u); } catch (e) { return null; }
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    return parsed.href;
  }
  function link(url, text) {
    var href = safeUrl(url);
    if (!href) return el("span", null, text);
    var a = el("a", null, text || href);
    a.href = href;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }
  function buttonControl(barClass, buttonClass, path, title, label, onClick) {
    var Control = L.Control.extend({
      options: {position: "topleft"},
      onAdd: function () {
        var bar = el("div", "leaflet-bar " + barClass);
        var b = add(bar, el("a", buttonClass));
        b.appendChild(icon(path));
        b.href = "#"; b.setAttribute("role", "button"); b.title = title;
        b.setAttribute("aria-label", label);
        L.DomEvent.on(b, "click", function (ev) { L.DomEvent.preventDefault(ev); onClick(); });
        L.DomEvent.disableClickPropagation(bar);
        return bar;
      }
    });
    return new Control();
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg", svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("width", "16"); svg.setAttribute("height", "16");
    svg.setAttribute("aria-hidden", "true");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "none"); p.setAttribute("stroke", "currentColor"); p.setAttribute("stroke-width", "1.8");
    svg.appendChild(p);
    return svg;
  }
  function dayIso(day) { return new Date(day * DAY_MS).toISOString().slice(0, 10); }

  // ---- search key: same idea as mapper.normalize (case, diacritics, Cyrillic to Latin) -----
  var CYR = {"а":"a","б":"b","в":"v","г":"g","д":"d","е":"e","ё":"e","ж":"zh","з":"z","и":"i",
    "й":"y","к":"k","л":"l","м":"m","н":"n","о":"o","п":"p","р":"r","с":"s","т":"t","у":"u",
    "ф":"f","х":"kh","ц":"ts","ч":"ch","ш":"sh","щ":"shch","ъ":"","ы":"y","ь":"","э":"e",
    "ю":"yu","я":"ya","і":"i","ї":"i","є":"ie","ґ":"g"};
  function searchKey(text) {
    var s = String(text || "").toLowerCase();
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s[i];
      out += Object.prototype.hasOwnProperty.call(CYR, ch) ? CYR[ch] : ch;
    }
    out = out.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/['\u2018\u2019\u02bc`]/g, "");
    out = out.replace(/[^0-9a-z]+/g, " ");
    // Loose spelling: Tyotkino, Tetkino and Тёткино meet; Kharkiv/Harkiv; Oblast'/Oblast.
    out = out.replace(/y[oe]/g, "e").replace(/y([au])/g, "$1").replace(/kh/g, "h")
      .replace(/iy\b/g, "i");
    return " " + out.trim() + " ";
  }

  // ---- geometry helpers ---------------------------------------------------------------------
  function mercX(lon) { return 0.5 + lon / 360; }
  function mercY(lat) {
    var la = Math.max(-85.0511, Math.min(85.0511, lat)) * Math.PI / 180;
    return 0.5 - Math.log(Math.tan(Math.PI / 4 + la / 2)) / (2 * Math.PI);
  }
  function ringContains(ring, x, y) {
    var inside = false;
    for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
      if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
    }
    return inside;
  }
  function polyContains(rings, x, y) {
    if (!ringContains(rings[0], x, y)) return false;
    for (var k = 1; k < rings.length; k++) if (ringContains(rings[k], x, y)) return false;
    return true;
  }
  function geomContains(geom, lon, lat) {
    if (!geom) return false;
    if (geom.type === "Polygon") return polyContains(geom.coordinates, lon, lat);
    if (geom.type === "MultiPolygon") {
      for (var i = 0; i < geom.coordinates.length; i++)
        if (polyContains(geom.coordinates[i], lon, lat)) return true;
    }
    return false;
  }
  function geomBBox(geom) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(c) {
      if (typeof c[0] === "number") {
        if (c[0] < b[0]) b[0] = c[0]; if (c[1] < b[1]) b[1] = c[1];
        if (c[0] > b[2]) b[2] = c[0]; if (c[1] > b[3]) b[3] = c[1];
        return;
      }
      for (var i = 0; i < c.length; i++) walk(c[i]);
    })(geom.coordinates);
    return b;
  }
