package browser

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/storage"
	"github.com/chromedp/chromedp"
)

// TestPrivacy loads every page type in a fresh browser profile and checks
// that the site makes no request to another origin and leaves nothing
// behind: no cookie, no localStorage or sessionStorage entry, no IndexedDB
// database, no cache and no service worker.
func TestPrivacy(t *testing.T) {
	s := theSite(t)
	ctx := newTab(t, 90*time.Second, chromedp.WithNewBrowserContext())

	var (
		mu       sync.Mutex
		requests []string
	)
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			requests = append(requests, e.Request.URL+e.Request.URLFragment)
			mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatalf("network.enable: %v", err)
	}

	var visited []string
	for _, p := range pageTypes {
		u := s.url(p.path)
		navigate(t, ctx, u)
		visited = append(visited, u)
		// Use the page as a reader would: open every quiz answer, focus
		// the skip links, scroll to the end.
		eval[chromedp.Void](t, ctx, `document.querySelectorAll("details").forEach(d => d.open = true); window.scrollTo(0, document.body.scrollHeight)`)
		press(t, ctx, keyTab)
		press(t, ctx, keyTab)
		press(t, ctx, keyShift) // one press: a status message, no exit
	}
	// A missing page, answered with the language's 404 page.
	navigate(t, ctx, s.url("/ru/no-such-page/"))
	visited = append(visited, s.url("/ru/no-such-page/"))
	time.Sleep(300 * time.Millisecond) // late requests (favicon, prefetch) would show now

	mu.Lock()
	got := append([]string(nil), requests...)
	mu.Unlock()
	if len(got) < len(visited) {
		t.Fatalf("recorded %d requests for %d pages; the network log does not work", len(got), len(visited))
	}
	for _, u := range got {
		if strings.HasPrefix(u, "data:") {
			continue
		}
		if u != s.origin && !strings.HasPrefix(u, s.origin+"/") {
			t.Errorf("request to another origin: %s (every request must go to %s)", u, s.origin)
		}
	}
	t.Logf("%d requests, all to %s", len(got), s.origin)

	cookies, err := chromedp.Call(ctx, network.GetCookies, network.GetCookiesParams{URLs: visited})
	if err != nil {
		t.Fatalf("network.getCookies: %v", err)
	}
	for _, c := range cookies.Cookies {
		t.Errorf("cookie set: %s=%s (domain %s, path %s)", c.Name, c.Value, c.Domain, c.Path)
	}
	if id := chromedp.FromContext(ctx).BrowserContextID; id != "" {
		all, err := chromedp.CallBrowser(ctx, storage.GetCookies, storage.GetCookiesParams{BrowserContextID: id})
		if err != nil {
			t.Fatalf("storage.getCookies: %v", err)
		}
		for _, c := range all.Cookies {
			t.Errorf("cookie in the browser profile: %s=%s (domain %s)", c.Name, c.Value, c.Domain)
		}
	}

	// Storage is per origin: look from a page of the site.
	navigate(t, ctx, s.url("/en/"))
	left, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`(async () => {
		const out = {localStorage: Object.keys(localStorage), sessionStorage: Object.keys(sessionStorage)};
		out.indexedDB = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
		out.caches = self.caches ? await caches.keys() : [];
		out.serviceWorkers = navigator.serviceWorker ? (await navigator.serviceWorker.getRegistrations()).map(r => r.scope) : [];
		out.cookie = document.cookie;
		return out;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("read the page's storage: %v", err)
	}
	for _, k := range []string{"localStorage", "sessionStorage", "indexedDB", "caches", "serviceWorkers"} {
		if l, _ := left[k].([]any); len(l) > 0 {
			t.Errorf("%s is not empty after browsing: %v", k, l)
		}
	}
	if c, _ := left["cookie"].(string); c != "" {
		t.Errorf("document.cookie is %q after browsing; want no cookies", c)
	}
}
