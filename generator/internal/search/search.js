// Qorgau offline search. The index of a language is a script
// (<lang>/search-index.js) that registers itself in window.QorgauSearch, so
// it loads from file:// as well as over HTTP. Queries never leave the page.
// Word folding and stemming mirror generator/search (Go); tests check both
// give the same stems.
(function (root) {
  "use strict";

  function fold(s) { return s.toLowerCase().replace(/ё/g, "е"); }
  function tokens(s) { return (s.match(/[\p{L}\p{Nd}\p{Mn}]+/gu) || []).map(fold); }

  // Snowball Russian, as in kljensen/snowball (stop words stemmed too).
  var RV = "аеиоуыэюя";
  function v(c) { return RV.indexOf(c) >= 0; }
  function vnv(w, start) {
    for (var i = 1; i < w.length - start; i++) {
      var j = start + i;
      if (v(w[j - 1]) && !v(w[j])) return j + 1;
    }
    return w.length;
  }
  function ru(word) {
    var w = Array.from(word);
    if (w.length <= 2) return word;
    var r1 = vnv(w, 0), r2 = vnv(w, r1), rv = w.length;
    for (var i = 0; i < w.length; i++) { if (v(w[i])) { rv = i + 1; break; } }
    function clamp() { var n = w.length; if (r1 > n) r1 = n; if (r2 > n) r2 = n; if (rv > n) rv = n; }
    function ends(s, start) {
      var sr = Array.from(s);
      if (sr.length > w.length - start) return false;
      for (var i = 0; i < sr.length; i++) if (w[w.length - sr.length + i] !== sr[i]) return false;
      return true;
    }
    function first(start, list) { for (var i = 0; i < list.length; i++) if (ends(list[i], start)) return list[i]; return ""; }
    function cut(n) { w.length = w.length - n; clamp(); }
    function remove(start, list) { var s = first(start, list); if (s) cut(Array.from(s).length); return s; }
    function afterAYa(n) { var i = w.length - n - 1; return i >= rv && (w[i] === "а" || w[i] === "я"); }
    function step1() {
      var s = first(rv, ["ившись", "ывшись", "вшись", "ивши", "ывши", "вши", "ив", "ыв", "в"]);
      if ((s === "в" || s === "вши" || s === "вшись") && !afterAYa(Array.from(s).length)) s = "";
      if (s) { cut(Array.from(s).length); return; }
      remove(rv, ["ся", "сь"]);
      if (remove(rv, ["ими", "ыми", "его", "ого", "ему", "ому", "ее", "ие", "ые", "ое", "ей", "ий", "ый", "ой", "ем", "им", "ым",
        "ом", "их", "ых", "ую", "юю", "ая", "яя", "ою", "ею"])) {
        var p = first(rv, ["ивш", "ывш", "ующ", "ем", "нн", "вш", "ющ", "щ"]);
        if (["ем", "нн", "вш", "ющ", "щ"].indexOf(p) >= 0 && !afterAYa(Array.from(p).length)) p = "";
        if (p) cut(Array.from(p).length);
        return;
      }
      var vb = first(rv, ["уйте", "ейте", "ыть", "ыло", "ыли", "ыла", "уют", "ует", "нно", "йте", "ишь", "ить", "ите", "ило", "или", "ила",
        "ешь", "ете", "ены", "ено", "ена", "ят", "ют", "ыт", "ым", "ыл", "ую", "уй", "ть", "ны", "но", "на", "ло", "ли", "ла",
        "ит", "им", "ил", "ет", "ен", "ем", "ей", "ю", "н", "л", "й"]);
      if (["ла", "на", "ете", "йте", "ли", "й", "л", "ем", "н", "ло", "но", "ет", "ют", "ны", "ть", "ешь", "нно"].indexOf(vb) >= 0 &&
        !afterAYa(Array.from(vb).length)) vb = "";
      if (vb) { cut(Array.from(vb).length); return; }
      remove(rv, ["иями", "ями", "иях", "иям", "ием", "ией", "ами", "ях", "ям", "ья", "ью", "ье", "ом", "ой", "ов", "ия", "ию",
        "ий", "ии", "ие", "ем", "ей", "еи", "ев", "ах", "ам", "я", "ю", "ь", "ы", "у", "о", "й", "и", "е", "а"]);
    }
    step1();
    remove(rv, ["и"]);
    remove(r2, ["ост", "ость"]);
    if (ends("нн", 0)) cut(1);
    else if (remove(0, ["ейше", "ейш"])) { if (ends("нн", 0)) cut(1); }
    else if (w.length && w[w.length - 1] === "ь") cut(1);
    return w.join("");
  }

  // Light Kazakh suffix stripping: see StemKazakh in generator/internal/search.
  // Filled in from the Go tables (generator/internal/search/tokenize.go)
  // when the engine is written, so the two stemmers share one table.
  var KK_SUFFIXES = /*kazakhSuffixes*/[];
  var KK_V = /*kazakhVowels*/"";
  var VOICE = { "ғ": "қ", "г": "к", "б": "п" };
  function kk(word) {
    var w = Array.from(word);
    for (var round = 0; round < 3; round++) {
      var cut = "";
      for (var i = 0; i < KK_SUFFIXES.length; i++) {
        var s = Array.from(KK_SUFFIXES[i]);
        if (w.length <= s.length || w.slice(w.length - s.length).join("") !== KK_SUFFIXES[i]) continue;
        var stem = w.slice(0, w.length - s.length), min = s.length === 1 ? 4 : 2;
        if (stem.length < min || !stem.some(function (c) { return KK_V.indexOf(c) >= 0; })) continue;
        cut = KK_SUFFIXES[i]; w = stem; break;
      }
      if (!cut) break;
      if (KK_V.indexOf(Array.from(cut)[0]) >= 0 && VOICE[w[w.length - 1]]) w[w.length - 1] = VOICE[w[w.length - 1]];
    }
    return w.join("");
  }

  function en(w) {
    var n = w.length, end = function (s) { return w.slice(-s.length) === s; };
    if (n > 4 && end("ies")) return w.slice(0, n - 3) + "y";
    if (n > 5 && end("ing")) return w.slice(0, n - 3);
    if (n > 4 && end("ed")) return w.slice(0, n - 2);
    if (n > 4 && (end("sses") || end("shes") || end("ches") || end("xes"))) return w.slice(0, n - 2);
    if (n > 3 && end("s") && !end("ss") && !end("us") && !end("is")) return w.slice(0, n - 1);
    return w;
  }

  function stem(lang, w) { return lang === "ru" ? ru(w) : lang === "kk" ? kk(w) : lang === "en" ? en(w) : w; }

  // search returns the documents matching every word of the query, best
  // first: title matches weigh most. The last word also matches as a prefix,
  // so results appear while typing.
  function search(index, lang, query, limit) {
    var words = tokens(query);
    if (!words.length) return [];
    if (!index.keys) index.keys = Object.keys(index.t).sort();
    var total = null;
    words.forEach(function (word, n) {
      var found = {}, s = stem(lang, word), terms = [s];
      if (n === words.length - 1) terms = terms.concat(prefixed(index.keys, word), s !== word ? prefixed(index.keys, s) : []);
      var seen = {};
      terms.forEach(function (term) {
        if (seen[term] || !index.t[term]) return;
        seen[term] = true;
        var p = index.t[term], exact = term === s ? 2 : 1;
        for (var i = 0; i < p.length; i += 2) found[p[i]] = Math.max(found[p[i]] || 0, p[i + 1] * exact);
      });
      if (total === null) total = found;
      else {
        var both = {};
        for (var d in found) if (d in total) both[d] = total[d] + found[d];
        total = both;
      }
    });
    return Object.keys(total || {}).map(function (d) { return { doc: index.d[d], score: total[d] }; })
      .sort(function (a, b) { return b.score - a.score || (a.doc[1] < b.doc[1] ? -1 : 1); })
      .slice(0, limit || 20);
  }

  function prefixed(keys, p) {
    var lo = 0, hi = keys.length, out = [];
    while (lo < hi) { var mid = (lo + hi) >> 1; if (keys[mid] < p) lo = mid + 1; else hi = mid; }
    for (var i = lo; i < keys.length && out.length < 50 && keys[i].lastIndexOf(p, 0) === 0; i++) out.push(keys[i]);
    return out;
  }

  // snippet returns text around the first match as [before, match, after].
  function snippet(text, query) {
    var lower = fold(text), best = -1, len = 0;
    tokens(query).forEach(function (w) {
      var i = lower.indexOf(w.length > 4 ? w.slice(0, Math.max(4, w.length - 2)) : w);
      if (i >= 0 && (best < 0 || i < best)) { best = i; len = w.length > 4 ? Math.max(4, w.length - 2) : w.length; }
    });
    if (best < 0) return [text.slice(0, 160), "", text.length > 160 ? "…" : ""];
    while (best + len < text.length && /[\p{L}\p{Mn}]/u.test(text[best + len])) len++;
    var from = Math.max(0, best - 60);
    return [(from > 0 ? "…" : "") + text.slice(from, best), text.slice(best, best + len), text.slice(best + len, best + len + 100) + "…"];
  }

  var api = { fold: fold, tokens: tokens, stem: stem, search: search, snippet: snippet };
  if (typeof module !== "undefined" && module.exports) { module.exports = api; return; }
  root.QorgauSearchEngine = api;

  // The search form of the theme: <form class="search" data-lang data-index data-root>, laid out
  // from the first paint (a theme may give it hidden until this runs).
  var form = document.querySelector("form.search[data-index]");
  if (!form) return;
  form.hidden = false;
  var fallback = document.querySelector(".search-fallback");
  if (fallback) fallback.hidden = true;
  var input = form.querySelector("input[type=search]"), list = form.querySelector(".search-results"),
    status = form.querySelector("[role=status]"), lang = form.getAttribute("data-lang"), loading = false;
  var rootURL = form.getAttribute("data-root") || "/";
  function index() { return root.QorgauSearch && root.QorgauSearch[lang]; }
  function load() {
    if (index() || loading) return;
    loading = true;
    var s = document.createElement("script");
    s.src = form.getAttribute("data-index");
    s.onload = run;
    document.head.appendChild(s);
  }
  function href(u) {
    var h = rootURL + u;
    return location.protocol === "file:" && /\/$/.test(h) ? h + "index.html" : h;
  }
  function run() {
    var q = input.value.trim();
    list.textContent = "";
    if (!q) { status.textContent = ""; return; }
    if (!index()) { load(); return; }
    var results = search(index(), lang, q, 20);
    var forms = {};
    try { forms = JSON.parse(form.getAttribute("data-found") || "{}"); } catch (e) { forms = {}; }
    var cat = typeof Intl !== "undefined" && Intl.PluralRules ? new Intl.PluralRules(lang).select(results.length) : "other";
    status.textContent = results.length ? (forms[cat] || forms.other || "{count}").replace("{count}", results.length) : form.getAttribute("data-none");
    results.forEach(function (r) {
      var li = document.createElement("li"), a = document.createElement("a"), meta = document.createElement("span"), p = document.createElement("p");
      a.href = href(r.doc[0]); a.textContent = r.doc[1];
      meta.className = "search-section"; meta.textContent = r.doc[2];
      var sn = snippet(r.doc[3], q), mark = document.createElement("mark");
      mark.textContent = sn[1];
      p.appendChild(document.createTextNode(sn[0])); p.appendChild(mark); p.appendChild(document.createTextNode(sn[2]));
      li.appendChild(a); li.appendChild(meta); li.appendChild(p); list.appendChild(li);
    });
  }
  input.addEventListener("focus", load);
  input.addEventListener("input", run);
  form.addEventListener("submit", function (e) { e.preventDefault(); run(); var a = list.querySelector("a"); if (a) a.focus(); });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a")), i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { var a = list.querySelector("a"); if (a) { e.preventDefault(); a.focus(); } }
  });
})(typeof window !== "undefined" ? window : this);
