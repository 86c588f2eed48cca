/* The incident card in a popup, for the public: what, when, where (with its precision in words),
 * who claims it, verification, sources with their quotes. Internal ids and how the place was
 * resolved sit under a closed "Details" disclosure. Built from DOM text nodes only.
 */
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var PRECISION_WORDS = {
    exact: "exact point",
    settlement: "the town or village (its centre)",
    admin2: "somewhere in the district",
    admin1: "somewhere in the region",
    country: "somewhere in the country",
    zone: "somewhere in the zone"
  };

  function parseIso(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(s || "");
    return m ? {y: +m[1], m: +m[2], d: +m[3]} : null;
  }

  // "12 March 2024", "12-16 March 2024", "March 2024", "around 20 March 2024"
  function dateWords(r) {
    var a = parseIso(r.date), b = parseIso(r.date_end), dp = r.dp || "day";
    if (!a) return "Date unknown";
    var one = function (x) { return x.d + " " + MONTHS[x.m - 1] + " " + x.y; };
    var text;
    if (dp === "year") text = "Some time in " + a.y;
    else if (dp === "month") text = MONTHS[a.m - 1] + " " + a.y + " (day not known)";
    else text = one(a);
    if (b && r.date_end !== r.date) {
      if (dp === "day" && a.y === b.y && a.m === b.m) text = a.d + "\u2013" + one(b);
      else if (dp === "day") text = one(a) + " \u2013 " + one(b);
      else text += " \u2013 " + one(b);
    }
    if (dp === "approximate") text = "Around " + text + (b ? "" : " (give or take a week)");
    return text;
  }

  function row(card, cls, label, text) {
    var d = add(card, el("div", cls));
    add(d, el("span", "mapper-label", label + ": "));
    add(d, el("span", null, text));
    return d;
  }

  MapperApp.prototype.card = function (i) {
    var r = this.inc[i], cat = this.cats[r.cat] || {}, card = el("article", "mapper-card");
    card.setAttribute("data-incident-id", r.id);
    card.setAttribute("aria-label", (cat.label || "incident") + ", " + ((r.place && r.place.name) || ""));
    var head = add(card, el("div", "mapper-card-head"));
    var sw = add(head, el("span", "mapper-swatch"));
    sw.style.background = cat.color || "#777";
    add(head, el("strong", "mapper-what", cat.label || ""));
    if (r.summary) add(card, el("p", "mapper-summary", r.summary));
    if (r.status === "draft") add(card, el("div", "mapper-draft", DRAFT_LABEL +
      (r.confidence !== undefined ? " (extracted by machine, confidence " + r.confidence + ")" : "")));
    row(card, "mapper-when", "When", dateWords(r));
    var p = r.place || {};
    var bits = [(p.name || "place not named") + (p.en ? " (" + p.en + ")" : "")];
    if (p.admin1 && (p.name || "").indexOf(p.admin1) < 0) bits.push(p.admin1);
    if (p.country) bits.push(p.country);
    row(card, "mapper-where", "Where", bits.join(", "));
    var words = PRECISION_WORDS[p.precision] || "not stated";
    row(card, "mapper-precision", "Precision", words + (r.area >= 0 ? " (drawn as the whole area)" :
      (r.approx ? " (shown at an approximate point)" : (r.lat === undefined ? " (not on the map: place not resolved)" : ""))));
    var ver = r.verification || {}, st = ver.status || "unverified";
    var vline = row(card, "mapper-status mapper-status-" + st.replace(/[^a-z]/g, ""), "Verification", st);
    if (ver.by && ver.by.length) vline.appendChild(document.createTextNode(" (by " + ver.by.join(", ") + ")"));
    if (ver.note) add(card, el("div", "mapper-muted", ver.note));
    if (r.claims && r.claims.length) {
      add(card, el("div", "mapper-h", "Who claims it"));
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
    // for editors: ids and the resolution record, folded away from readers
    var det = add(card, el("details", "mapper-details"));
    add(det, el("summary", null, "Details"));
    add(det, el("div", "mapper-muted mapper-id", "ID: " + r.id));
    if (p.id) add(det, el("div", "mapper-muted mapper-place-id", "Place id: " + p.id));
    if (p.resolution) add(det, el("div", "mapper-muted mapper-resolution", "Resolved: " + p.resolution));
    add(det, el("div", "mapper-muted", "Date precision: " + (r.dp || "day") + (r.d1 > r.d0 ? ", range" : "") +
      "; place precision: " + (p.precision || "unknown")));
    if (r.evidence) add(det, el("div", "mapper-muted mapper-evidence", "Evidence: " + r.evidence));
    return card;
  };
