package browser

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/export"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// TestOffline checks the offline copy as a school uses it: exported in
// process, unzipped, opened from file:// in a tab with the network off. A
// reader chooses Russian on the language chooser, opens a topic and a lesson
// by clicking, switches the lesson to Kazakh, searches in both languages
// with inflected words and opens a result, and leaves with the quick exit
// (the button and Shift × 3). No request may go to http(s) except the quick
// exit's navigation to the configured exit URL, which the test answers
// itself; every local link on the visited pages must name an existing file
// of the copy.
func TestOffline(t *testing.T) {
	began := time.Now()
	ctx := newTab(t, 3*time.Minute, chromedp.WithNewBrowserContext())
	t.Logf("browser: %s", browserVersion)
	o := openOffline(t, ctx)

	// 1. The language chooser.
	root := o.file("index.html")
	navigate(t, ctx, root)
	o.visit(t)
	if eval[bool](t, ctx, `navigator.onLine`) {
		t.Errorf("navigator.onLine is true; the network emulation is not offline")
	}
	chooser := eval[map[string]string](t, ctx, `Object.fromEntries(Array.from(document.querySelectorAll("main a[hreflang]")).map(a => [a.getAttribute("hreflang"), a.href]))`)
	for _, lang := range langs {
		if want := o.file(lang + "/index.html"); chooser[lang] != want {
			t.Errorf("the language chooser's %s link points at %q; want %s", lang, chooser[lang], want)
		}
	}

	// 2. Russian, a topic, a lesson: real clicks on the links.
	o.click(t, `main a[hreflang="ru"]`, o.file("ru/index.html"))
	o.click(t, `main a[href="penalties/index.html"]`, o.file("ru/penalties/index.html"))
	lesson := o.clickAny(t, `main ol.cards > li:first-child a`, "a lesson of ru/penalties/", func(u string) bool {
		return strings.HasPrefix(u, o.file("ru/penalties/")) && strings.HasSuffix(u, "/index.html") && u != o.file("ru/penalties/index.html")
	})
	slug := path.Base(path.Dir(lesson))
	t.Logf("Russian lesson: %s", o.rel(lesson))
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "ru" {
		t.Errorf("%s has lang=%q; want ru", o.rel(lesson), got)
	}

	// 3. The language switcher keeps the lesson.
	o.click(t, `nav.languages a[hreflang="kk"]`, o.file("kk/penalties/"+slug+"/index.html"))
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != "kk" {
		t.Errorf("%s has lang=%q; want kk", o.rel(currentURL(t, ctx)), got)
	}

	// 4. Search in Kazakh, then in Russian (switching with the switcher
	// again), with inflected forms that only stemming matches: the index
	// holds "құқық" and "насил".
	kkResult := o.search(t, "kk", "құқықтары")
	o.clickAny(t, `nav.languages a[hreflang="ru"]`, "the Russian version of "+o.rel(kkResult), func(u string) bool {
		return strings.HasPrefix(u, o.file("ru/")) && strings.HasSuffix(u, "/index.html")
	})
	ruResult := o.search(t, "ru", "насилия")

	// 5. Quick exit from file://: the button; then Back, which must not
	// return to the page left, the switch to Kazakh and Shift × 3.
	o.quickExit(t, "ru", "the button", func() {
		if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS("a.quick-exit-button"), chromedp.NodeVisible)); err != nil {
			t.Fatalf("click the quick-exit button on %s: %v", o.rel(ruResult), err)
		}
	})
	goBack(t, ctx)
	exitRU := o.exits["ru"]
	back := waitURL(t, ctx, 10*time.Second, "the page before the exit", func(u string) bool { return !sameURL(u, exitRU) })
	if back == ruResult {
		t.Errorf("Back after the quick exit returned to %s, the page the reader left", o.rel(ruResult))
	}
	t.Logf("Back after the quick exit: %s", o.rel(back))
	o.visit(t)
	kkPage := o.clickAny(t, `nav.languages a[hreflang="kk"]`, "the Kazakh version of "+o.rel(back), func(u string) bool {
		return strings.HasPrefix(u, o.file("kk/")) && strings.HasSuffix(u, "/index.html")
	})
	if kkPage != strings.Replace(back, "/qorgau/ru/", "/qorgau/kk/", 1) {
		t.Errorf("the language switcher on %s opened %s; want the same page in Kazakh", o.rel(back), o.rel(kkPage))
	}
	o.quickExit(t, "kk", "Shift × 3", func() {
		for range 3 {
			press(t, ctx, keyShift)
		}
	})

	// 6. The network log: nothing but the copy's files, and the two exits.
	o.checkRequests(t)
	t.Logf("offline test took %s", time.Since(began).Round(time.Millisecond))
}

// goBack goes one entry back in the tab's history, as the Back button does.
// (history.back() from the exit page can lose its reply when the tab
// changes process on the way back to file://.)
func goBack(t *testing.T, ctx context.Context) {
	t.Helper()
	h, err := chromedp.Call(ctx, page.GetNavigationHistory, cdp.Empty{})
	if err != nil {
		t.Fatalf("page.getNavigationHistory: %v", err)
	}
	if h.CurrentIndex < 1 || int(h.CurrentIndex) >= len(h.Entries) {
		t.Fatalf("no history entry before %d in %d entries", h.CurrentIndex, len(h.Entries))
	}
	if _, err := chromedp.Call(ctx, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID}); err != nil {
		t.Fatalf("page.navigateToHistoryEntry (Back): %v", err)
	}
}

// offlineTab is a tab with the network off that has the unzipped offline
// copy to browse.
type offlineTab struct {
	ctx   context.Context
	dir   string            // the unzipped copy's folder, …/qorgau
	exits map[string]string // params.exitURL of each language

	mu          sync.Mutex
	requests    []offlineRequest // every request the tab made
	navigations []string         // URLs of renderer-initiated navigations
	blocked     []offlineNote    // http(s) requests the test failed
	problems    []offlineNote    // script exceptions and console errors
	probes      []string         // what pages reported through exitProbe
	paused      chan fetch.EventRequestPaused
	checked     map[string]bool // links already found to exist
}

// exitProbe is the binding through which a page reports how it looked
// right after the quick exit's handlers ran.
const exitProbe = "qorgauExitProbe"

type offlineRequest struct {
	id             network.RequestID
	url, typ, page string
}

// offlineNote is a finding, with the request it is about, if any.
type offlineNote struct {
	text string
	id   network.RequestID
	url  string
}

// openOffline exports the site, unzips it into a temporary folder and turns
// the tab's network off: every request is recorded, the network is
// emulated offline, and every http(s) request is held by the Fetch domain.
// The test answers a navigation to an exit URL itself; it fails any other.
func openOffline(t *testing.T, ctx context.Context) *offlineTab {
	t.Helper()
	dir, exits := exportOffline(t)
	o := &offlineTab{ctx: ctx, dir: dir, exits: exits, paused: make(chan fetch.EventRequestPaused, 8), checked: map[string]bool{}}

	err := chromedp.Listen(ctx, func(ev any) {
		o.mu.Lock()
		defer o.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			o.requests = append(o.requests, offlineRequest{e.RequestID, e.Request.URL + e.Request.URLFragment, string(e.Type), e.DocumentURL})
		case *page.EventFrameRequestedNavigation:
			o.navigations = append(o.navigations, e.URL)
		case *runtime.EventBindingCalled:
			if e.Name == exitProbe {
				o.probes = append(o.probes, e.Payload)
			}
		case *runtime.EventExceptionThrown:
			d := e.ExceptionDetails
			msg := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				msg += " " + d.Exception.Description
			}
			o.problems = append(o.problems, offlineNote{text: "exception at " + d.URL + ":" + strconv.FormatInt(d.LineNumber+1, 10) + ": " + msg})
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				o.problems = append(o.problems, offlineNote{string(e.Entry.Source) + " error: " + e.Entry.Text + " (" + e.Entry.URL + ")", e.Entry.NetworkRequestID, e.Entry.URL})
			}
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network.enable: %v", err)
	}
	if _, err := chromedp.Call(ctx, runtime.AddBinding, runtime.AddBindingParams{Name: exitProbe}); err != nil {
		t.Fatalf("runtime.addBinding: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
		MatchedNetworkConditions: []*network.Conditions{{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}},
	}); err != nil {
		t.Fatalf("network.emulateNetworkConditionsByRule (offline): %v", err)
	}
	if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
		t.Fatalf("network.overrideNetworkState (offline): %v", err)
	}

	// Hold every http(s) request. The handler runs commands, so it reads
	// the events on its own goroutine (a Listen func must not).
	hctx, stop := context.WithCancel(ctx)
	events := chromedp.Events(hctx, fetch.RequestPaused)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev, err := range events {
			if err != nil {
				return
			}
			if ev.ResourceType == network.ResourceTypeDocument && o.isExit(ev.Request.URL) {
				select {
				case o.paused <- ev:
					continue
				default:
				}
			}
			o.mu.Lock()
			o.blocked = append(o.blocked, offlineNote{ev.Request.URL, ev.NetworkID, ev.Request.URL})
			o.mu.Unlock()
			_, _ = chromedp.Call(hctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
		}
	}()
	t.Cleanup(func() { stop(); <-done })
	if _, err := chromedp.Call(ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "http://*"}, {URLPattern: "https://*"}}}); err != nil {
		t.Fatalf("fetch.enable: %v", err)
	}
	return o
}

// exportOffline writes the offline copy with export.Write, checks that the
// zip holds one folder, qorgau/, with index.html and README.txt, unzips it
// and returns the folder and each language's exit URL.
func exportOffline(t *testing.T) (string, map[string]string) {
	t.Helper()
	var buf bytes.Buffer
	res, err := export.Write(context.Background(), &buf, export.Options{Site: site.Options{Source: os.DirFS(repoRoot(t))}})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	exits := map[string]string{}
	for code, l := range res.Config.Languages {
		exits[code], _ = l.Params["exitURL"].(string)
		if !strings.HasPrefix(exits[code], "https://") {
			t.Fatalf("params.exitURL of %s is %q; want an https:// URL", code, exits[code])
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatalf("the export is not a zip: %v", err)
	}
	tmp := t.TempDir()
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
		top, _, _ := strings.Cut(f.Name, "/")
		if top != "qorgau" || !filepath.IsLocal(f.Name) {
			t.Fatalf("the zip holds %q; want every file inside the one folder qorgau/", f.Name)
		}
		if strings.HasSuffix(f.Name, "/") {
			continue
		}
		dst := filepath.Join(tmp, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatalf("open %s in the zip: %v", f.Name, err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("read %s in the zip: %v", f.Name, err)
		}
		if err := os.WriteFile(dst, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"qorgau/index.html", "qorgau/README.txt"} {
		if !names[want] {
			t.Fatalf("the zip has no %s", want)
		}
	}
	t.Logf("exported %d files", len(zr.File))
	return filepath.Join(tmp, "qorgau"), exits
}

// file is the file:// URL of a file of the copy, given by its slash path.
func (o *offlineTab) file(rel string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(o.dir, filepath.FromSlash(rel)))}).String()
}

// rel shortens a file:// URL of the copy to its path inside the copy.
func (o *offlineTab) rel(u string) string {
	if p, ok := strings.CutPrefix(u, o.file("")+"/"); ok {
		return p
	}
	return u
}

// local returns the file a file:// URL names, if it is inside the copy.
func (o *offlineTab) local(u string) (string, bool) {
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "file" {
		return "", false
	}
	p := filepath.FromSlash(pu.Path)
	if !strings.HasPrefix(p, o.dir+string(filepath.Separator)) {
		return p, false
	}
	return p, true
}

// isExit reports whether u is one of the configured exit URLs.
func (o *offlineTab) isExit(u string) bool {
	for _, e := range o.exits {
		if sameURL(u, e) {
			return true
		}
	}
	return false
}

// sameURL compares two URLs after decoding their paths, so that
// https://kk.wikipedia.org/wiki/Басты_бет and its percent-encoded form
// (in either letter case) are the same.
func sameURL(a, b string) bool {
	ua, err1 := url.Parse(a)
	ub, err2 := url.Parse(b)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return ua.Scheme == ub.Scheme && strings.EqualFold(ua.Host, ub.Host) && ua.Path == ub.Path && ua.RawQuery == ub.RawQuery
}

// click clicks the first element that matches sel, a link, and waits until
// the tab has loaded want.
func (o *offlineTab) click(t *testing.T, sel, want string) {
	t.Helper()
	o.clickAny(t, sel, want, func(u string) bool { return u == want })
}

// clickAny clicks the first element that matches sel and waits until the
// tab has loaded a URL that ok accepts. It checks the links of the new page
// and returns its URL.
func (o *offlineTab) clickAny(t *testing.T, sel, what string, ok func(string) bool) string {
	t.Helper()
	from := currentURL(t, o.ctx)
	href := eval[string](t, o.ctx, `(() => { const a = document.querySelector(`+jsString(sel)+`); return a ? a.href : ""; })()`)
	if href == "" {
		t.Fatalf("%s has no link %s", o.rel(from), sel)
	}
	if err := chromedp.Do(o.ctx, chromedp.Click(chromedp.CSS(sel), chromedp.NodeVisible)); err != nil {
		t.Fatalf("click %s on %s: %v", sel, o.rel(from), err)
	}
	got := waitURL(t, o.ctx, 10*time.Second, what+" (clicked "+sel+" → "+o.rel(href)+" on "+o.rel(from)+")", func(u string) bool { return u != from })
	if !ok(got) {
		t.Fatalf("clicking %s (href %s) on %s opened %s; want %s", sel, o.rel(href), o.rel(from), o.rel(got), o.rel(what))
	}
	o.visit(t)
	return got
}

// visit checks the page now in the tab: it loaded from a file of the copy,
// has a title, and every local link, stylesheet, script and image on it
// names an existing file of the copy.
func (o *offlineTab) visit(t *testing.T) {
	t.Helper()
	u := currentURL(t, o.ctx)
	p, inside := o.local(u)
	if !inside {
		t.Fatalf("the tab is at %s; want a file of the copy in %s", u, o.dir)
	}
	if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("the tab is at %s, which is not a file of the copy: %v", o.rel(u), err)
	}
	if !strings.HasSuffix(u, ".html") {
		t.Errorf("the tab is at %s; want a page that names its file (…/index.html)", o.rel(u))
	}
	if title := strings.TrimSpace(eval[string](t, o.ctx, `document.title`)); title == "" {
		t.Errorf("%s has an empty title: it did not load", o.rel(u))
	}
	o.checkLinks(t, u)
}

// checkLinks checks that every link of the page (a, area, link, script, img,
// source, iframe) that is not http(s), tel:, mailto: or an anchor on the
// same page names an existing file inside the copy.
func (o *offlineTab) checkLinks(t *testing.T, pageURL string) {
	t.Helper()
	links := eval[[]map[string]string](t, o.ctx, `Array.from(document.querySelectorAll("a[href], area[href], link[href], script[src], img[src], source[src], iframe[src]")).map(e => {
		const attr = e.hasAttribute("href") ? "href" : "src";
		return {tag: e.tagName.toLowerCase(), raw: e.getAttribute(attr), abs: e[attr]};
	})`)
	if len(links) == 0 {
		t.Errorf("%s has no links", o.rel(pageURL))
	}
	for _, l := range links {
		raw, abs := strings.TrimSpace(l["raw"]), l["abs"]
		if raw == "" || strings.HasPrefix(raw, "#") {
			continue
		}
		u, err := url.Parse(abs)
		if err != nil {
			t.Errorf("%s: <%s> %q is not a URL: %v", o.rel(pageURL), l["tag"], raw, err)
			continue
		}
		switch u.Scheme {
		case "http", "https", "tel", "mailto", "data":
			continue
		case "file":
		default:
			t.Errorf("%s: <%s> %q has the scheme %q; want a relative link to a file of the copy", o.rel(pageURL), l["tag"], raw, u.Scheme)
			continue
		}
		u.Fragment, u.RawFragment = "", ""
		key := u.String()
		if o.checked[key] {
			continue
		}
		p, inside := o.local(key)
		if !inside {
			t.Errorf("%s: <%s> %q leads to %s, outside the copy", o.rel(pageURL), l["tag"], raw, p)
			continue
		}
		fi, err := os.Stat(p)
		switch {
		case err != nil:
			t.Errorf("%s: <%s> %q leads to %s, which does not exist", o.rel(pageURL), l["tag"], raw, o.rel(key))
		case !fi.Mode().IsRegular():
			t.Errorf("%s: <%s> %q leads to the folder %s; from file:// a link must name a file (…/index.html)", o.rel(pageURL), l["tag"], raw, o.rel(key))
		default:
			o.checked[key] = true
		}
	}
}

// search types query into the page's search field, checks the results and
// the status line, clicks the first result and checks the page it opens.
// It returns that page's URL.
func (o *offlineTab) search(t *testing.T, lang, query string) string {
	t.Helper()
	ctx := o.ctx
	from := currentURL(t, ctx)
	where := o.rel(from)
	st := eval[map[string]any](t, ctx, `(() => {
		const f = document.querySelector("form.search"), fb = document.querySelector(".search-fallback");
		return {form: !!f, hidden: !f || f.hidden, display: f ? getComputedStyle(f).display : "",
			fallback: !!fb && !fb.hidden && getComputedStyle(fb).display !== "none",
			lang: f ? f.getAttribute("data-lang") : "",
			loaded: !!(window.QorgauSearch && f && window.QorgauSearch[f.getAttribute("data-lang")])};
	})()`)
	if st["form"] != true {
		t.Fatalf("%s has no form.search", where)
	}
	if st["hidden"] != false || st["display"] == "none" {
		t.Fatalf("form.search on %s is still hidden (hidden=%v, display %v): the search script did not run from file://", where, st["hidden"], st["display"])
	}
	if st["fallback"] == true {
		t.Errorf("%s shows the no-JavaScript search fallback next to the search form", where)
	}
	if st["lang"] != lang {
		t.Errorf("form.search on %s searches %v; want %s", where, st["lang"], lang)
	}
	if st["loaded"] == true {
		t.Errorf("%s loaded the search index before the field was used", where)
	}

	input := chromedp.CSS("form.search input[type=search]")
	if err := chromedp.Do(ctx, chromedp.Click(input, chromedp.NodeVisible), chromedp.SendKeys(input, query)); err != nil {
		t.Fatalf("type %q into the search field on %s: %v", query, where, err)
	}
	var res map[string]any
	deadline := time.Now().Add(10 * time.Second)
	for {
		res = eval[map[string]any](t, ctx, `(() => {
			const f = document.querySelector("form.search"), links = f.querySelectorAll("ol.search-results li a"), s = document.querySelector('script[src$="search-index.js"]');
			return {value: f.querySelector("input[type=search]").value, count: links.length,
				status: (f.querySelector("[role=status]") || {}).textContent || "",
				first: links.length ? links[0].href : "", firstText: links.length ? links[0].textContent : "",
				marks: Array.from(f.querySelectorAll("ol.search-results mark")).map(m => m.textContent).filter(Boolean).slice(0, 5),
				script: s ? s.src : "", loaded: !!(window.QorgauSearch && window.QorgauSearch[f.getAttribute("data-lang")])};
		})()`)
		if res["value"] == query && num(res["count"]) > 0 && strings.TrimSpace(res["status"].(string)) != "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10s after typing %q on %s: field %q, %v results, status %q, index script %q loaded=%v; want results in ol.search-results",
				query, where, res["value"], res["count"], res["status"], res["script"], res["loaded"])
		}
		time.Sleep(50 * time.Millisecond)
	}
	count := int(num(res["count"]))
	status := strings.TrimSpace(res["status"].(string))
	t.Logf("%s: %q → %d results, status %q, first %q (%s), highlighted %v", lang, query, count, status, res["firstText"], o.rel(res["first"].(string)), res["marks"])
	if want := o.file(lang + "/search-index.js"); res["script"] != want {
		t.Errorf("the search index script on %s is %q; want %s", where, res["script"], want)
	}
	if res["loaded"] != true {
		t.Errorf("window.QorgauSearch[%q] is not set on %s after searching", lang, where)
	}
	if !strings.Contains(status, strconv.Itoa(count)) {
		t.Errorf("the search status on %s says %q; want it to announce the %d results", where, status, count)
	}
	// The index holds stems, so the typed form must not be a key itself:
	// then only stemming in the browser can have found the results.
	stem := eval[map[string][]string](t, ctx, `(() => {
		const e = window.QorgauSearchEngine, idx = (window.QorgauSearch || {})[`+jsString(lang)+`], words = e ? e.tokens(`+jsString(query)+`) : [];
		return {stems: words.map(w => e.stem(`+jsString(lang)+`, w)), keys: idx ? words.filter(w => Object.hasOwn(idx.t, w)) : []};
	})()`)
	if len(stem["stems"]) == 0 {
		t.Errorf("window.QorgauSearchEngine on %s does not stem %q", where, query)
	}
	if len(stem["keys"]) > 0 {
		t.Errorf("%q is itself a term of the %s index; pick an inflected form so that the test needs stemming", query, lang)
	}
	t.Logf("%s: %q stems to %q", lang, query, stem["stems"])
	o.checkLinks(t, from) // the result links too

	first := res["first"].(string)
	got := o.clickAny(t, "form.search ol.search-results li:first-child a", o.rel(first), func(u string) bool { return u == first })
	if !strings.HasPrefix(got, "file://") || !strings.HasSuffix(got, "/index.html") {
		t.Errorf("the first result for %q opened %s; want a file:// URL ending in index.html", query, got)
	}
	if l := eval[string](t, ctx, `document.documentElement.lang`); l != lang {
		t.Errorf("the first result for %q, %s, has lang=%q; want %s", query, o.rel(got), l, lang)
	}
	return got
}

// quickExit triggers the quick exit on the page now in the tab and checks it
// from file:// with the network off: a navigation to the language's exit URL
// starts, the page is hidden while it loads, the exit page (answered by the
// test) replaces the page in the history.
func (o *offlineTab) quickExit(t *testing.T, lang, how string, trigger func()) {
	t.Helper()
	ctx := o.ctx
	want := o.exits[lang]
	from := currentURL(t, ctx)
	before, bcur := history(t, ctx)

	// The page cannot be asked how it looks while its navigation is held
	// (Runtime.evaluate waits for the navigation), so it reports itself
	// through a binding right after the theme's own handlers ran: window
	// listeners run after those on the link and on document.
	eval[chromedp.Void](t, ctx, `(() => {
		const report = e => `+exitProbe+`(JSON.stringify({event: e.type, href: location.href, prevented: e.defaultPrevented,
			exiting: document.documentElement.classList.contains("exiting"),
			visibility: getComputedStyle(document.body).visibility, title: document.title}));
		window.addEventListener("click", report);
		window.addEventListener("keydown", report);
	})()`)
	o.mu.Lock()
	navs, probes := len(o.navigations), len(o.probes)
	o.mu.Unlock()

	trigger()
	var ev fetch.EventRequestPaused
	select {
	case ev = <-o.paused:
	case <-time.After(10 * time.Second):
		o.mu.Lock()
		started := slices.Clone(o.navigations[navs:])
		o.mu.Unlock()
		t.Fatalf("quick exit (%s) on %s: no navigation to the exit URL %s within 10s (navigations requested: %q; tab at %s)", how, o.rel(from), want, started, currentURL(t, ctx))
	}
	if !sameURL(ev.Request.URL, want) {
		t.Errorf("quick exit (%s) on %s requested %s; want %s's exit URL %s", how, o.rel(from), ev.Request.URL, lang, want)
	}
	// The request is held: what did the page look like when it left?
	var st struct {
		Event, Href, Visibility, Title string
		Prevented, Exiting             bool
	}
	for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		o.mu.Lock()
		got := slices.Clone(o.probes[probes:])
		o.mu.Unlock()
		if len(got) > 0 {
			if err := json.Unmarshal([]byte(got[len(got)-1]), &st); err != nil {
				t.Fatalf("the page's report %q: %v", got[len(got)-1], err)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("quick exit (%s) on %s: the page did not report the click or key press", how, o.rel(from))
		}
	}
	switch {
	case st.Href != from:
		t.Errorf("the %s event came from %s; want the page the reader left, %s", st.Event, st.Href, o.rel(from))
	case !st.Exiting:
		t.Errorf("quick exit (%s) on %s: right after the %s, <html> has no class \"exiting\"; the page must hide at once", how, o.rel(from), st.Event)
	case st.Visibility != "hidden":
		t.Errorf("quick exit (%s) on %s: right after the %s the body is %s; want it hidden", how, o.rel(from), st.Event, st.Visibility)
	}
	if st.Event == "click" && !st.Prevented {
		t.Errorf("quick exit (%s) on %s: the click was not handled by the script (default not prevented): the link was followed, adding a history entry", how, o.rel(from))
	}
	o.mu.Lock()
	requested := slices.ContainsFunc(o.navigations[navs:], func(u string) bool { return sameURL(u, want) })
	o.mu.Unlock()
	if !requested {
		t.Errorf("quick exit (%s) on %s: no page.frameRequestedNavigation to %s", how, o.rel(from), want)
	}

	_, err := chromedp.Call(ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
		RequestID:       ev.RequestID,
		ResponseCode:    200,
		ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "text/html; charset=utf-8"}},
		Body:            []byte(neutralPage),
	})
	if err != nil {
		t.Fatalf("fulfill the exit navigation: %v", err)
	}
	got := waitURL(t, ctx, 10*time.Second, "the exit URL "+want, func(u string) bool { return u != from })
	if !sameURL(got, want) {
		t.Fatalf("quick exit (%s) on %s went to %s; want %s", how, o.rel(from), got, want)
	}
	if title := eval[string](t, ctx, `document.title`); title != "Neutral" {
		t.Errorf("after the quick exit the tab shows %q; want the exit page", title)
	}
	// location.replace: the exit page takes the entry of the page left.
	after, acur := history(t, ctx)
	if len(after) != len(before) || acur != bcur || !slices.Equal(after[:acur], before[:bcur]) || !sameURL(after[acur], want) {
		t.Errorf("quick exit (%s): history %q (at %d) → %q (at %d); the exit page must replace the entry of %s, not add one", how, before, bcur, after, acur, o.rel(from))
	}
	t.Logf("quick exit (%s) from %s → %s; right after the %s: class exiting %v, body %s, title %q", how, o.rel(from), got, st.Event, st.Exiting, st.Visibility, st.Title)
}

// checkRequests checks the tab's network log: every request went to a file
// of the copy (or is a data: URL), except the navigations to exit URLs, and
// the test had to fail no http(s) request. What the exit page itself
// requests (the browser asks for its favicon) is not the copy's doing.
func (o *offlineTab) checkRequests(t *testing.T) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // late requests would show now
	o.mu.Lock()
	defer o.mu.Unlock()
	byID := map[network.RequestID]offlineRequest{}
	for _, r := range o.requests {
		byID[r.id] = r
	}
	// The browser asks the exit page's site for its favicon; the request
	// does not always carry the ID that ties it to the exit page.
	favicons := map[string]bool{}
	for _, e := range o.exits {
		if u, err := url.Parse(e); err == nil {
			favicons[u.Scheme+"://"+u.Host+"/favicon.ico"] = true
		}
	}
	fromExit := func(id network.RequestID, u string) bool {
		if r, ok := byID[id]; id != "" && ok && r.typ != string(network.ResourceTypeDocument) && o.isExit(r.page) {
			return true
		}
		return favicons[u]
	}
	files, exits, exitPage := 0, 0, 0
	for _, r := range o.requests {
		scheme, _, _ := strings.Cut(r.url, ":")
		switch {
		case scheme == "file":
			if _, inside := o.local(r.url); !inside {
				t.Errorf("request for %s, a file outside the copy (from %s)", r.url, o.rel(r.page))
			}
			files++
		case scheme == "data":
		case (scheme == "http" || scheme == "https") && r.typ == string(network.ResourceTypeDocument) && o.isExit(r.url):
			exits++
		case fromExit(r.id, r.url):
			exitPage++
		default:
			t.Errorf("request to the network: %s (%s, from %s); the offline copy must make none", r.url, r.typ, o.rel(r.page))
		}
	}
	for _, b := range o.blocked {
		if !fromExit(b.id, b.url) {
			t.Errorf("the tab tried to reach %s with the network off", b.text)
		}
	}
	for _, p := range o.problems {
		if !fromExit(p.id, p.url) {
			t.Errorf("in the tab: %s", p.text)
		}
	}
	if files < 10 {
		t.Errorf("the network log has %d file:// requests; it does not see the pages", files)
	}
	if exits != 2 {
		t.Errorf("the network log has %d navigations to an exit URL; want 2 (button, Shift × 3)", exits)
	}
	t.Logf("%d requests: %d for files of the copy, %d exit navigations, %d by the exit page (favicon); %d local links checked",
		len(o.requests), files, exits, exitPage, len(o.checked))
}
