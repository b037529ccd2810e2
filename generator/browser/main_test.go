package browser

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/serve"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// langs are the site's languages, in the order the tests visit them.
var langs = []string{"kk", "ru", "en"}

// installHint says how to get what the tests need.
const installHint = "install Chromium with `apt-get install -y chromium` (or put chromium, chromium-browser or google-chrome on PATH)"

var (
	browserOnce    sync.Once
	browserCtx     context.Context // the shared browser; tabs are its children
	browserStop    context.CancelFunc
	browserErr     error
	browserDir     string // the browser's --user-data-dir
	browserVersion string

	siteOnce sync.Once
	shared   *testSite
	siteErr  error
)

// TestMain runs the tests and then stops the one browser and the one site
// server they share. Both start on first use, so `-run` of a single test
// starts only what it needs.
func TestMain(m *testing.M) {
	code := m.Run()
	if browserStop != nil {
		browserStop()
	}
	if browserDir != "" {
		_ = os.RemoveAll(browserDir)
	}
	if shared != nil {
		shared.close()
	}
	os.Exit(code)
}

// inCI reports whether the tests run in CI, where a missing browser or a
// missing axe-core is a failure and not a reason to skip.
func inCI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v == "true" || v == "1"
}

// missing skips the test, or fails it in CI.
func missing(tb testing.TB, format string, args ...any) {
	tb.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		tb.Fatalf("%s (CI=true: a missing dependency is a failure)", msg)
	}
	tb.Skip(msg)
}

// repoRoot is the repository's folder: two levels above this package.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "config.toml")); err != nil {
		tb.Fatalf("repository root %s has no config.toml: %v", root, err)
	}
	return root
}

// findChromium returns the path of a Chromium or Chrome binary: the one
// QORGAU_CHROMIUM names, else /usr/bin/chromium, else the first of
// chromium, chromium-browser, google-chrome on PATH.
func findChromium() (string, error) {
	if p := os.Getenv("QORGAU_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("QORGAU_CHROMIUM: %w", err)
		}
		return p, nil
	}
	if fi, err := os.Stat("/usr/bin/chromium"); err == nil && !fi.IsDir() {
		return "/usr/bin/chromium", nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found: /usr/bin/chromium is missing and none of chromium, chromium-browser, google-chrome is on PATH")
}

func startBrowser() {
	exe, err := findChromium()
	if err != nil {
		browserErr = err
		return
	}
	browserDir, err = os.MkdirTemp("", "qorgau-chromium-")
	if err != nil {
		browserErr = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(browserDir),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err = <-started:
	case <-time.After(60 * time.Second):
		err = errors.New("timed out after 60s")
	}
	if err != nil {
		cancel()
		allocCancel()
		browserErr = fmt.Errorf("cannot start %s: %w", exe, err)
		return
	}
	if v, err := chromedp.CallBrowser(ctx, browser.GetVersion, cdp.Empty{}); err == nil {
		browserVersion = v.Product
	}
	browserCtx = ctx
	browserStop = func() { cancel(); allocCancel() }
}

// newTab opens a new tab in the shared browser and returns its context,
// which ends after limit. It skips the test (fails it in CI) when there is
// no browser.
func newTab(tb testing.TB, limit time.Duration, opts ...chromedp.ContextOption) context.Context {
	tb.Helper()
	browserOnce.Do(startBrowser)
	if browserErr != nil {
		missing(tb, "browser tests need Chromium: %v; %s", browserErr, installHint)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, opts...)
	tb.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, bound to ctx
		tb.Fatalf("cannot open a tab: %v", err)
	}
	tctx, tcancel := context.WithTimeout(ctx, limit)
	tb.Cleanup(tcancel)
	return tctx
}

// testSite is the repository's site, built once into memory and served by
// a static file server on 127.0.0.1 that answers like a static host.
type testSite struct {
	base       string            // http://127.0.0.1:PORT/
	origin     string            // http://127.0.0.1:PORT
	files      http.Handler      // the build's output, served as a static host serves it
	exitURL    map[string]string // the exit URL each language's pages link to (the local neutral page)
	configExit map[string]string // params.exitURL of config.toml, before the test replaced it
	srv        *http.Server
}

// neutralPath is where the test server answers with a neutral page, the
// stand-in for the exit URL (the machine has no internet).
const neutralPath = "/_neutral/"

// theSite builds and serves the site on first use.
func theSite(tb testing.TB) *testSite {
	tb.Helper()
	root := repoRoot(tb)
	siteOnce.Do(func() { shared, siteErr = startSite(root) })
	if siteErr != nil {
		tb.Fatalf("cannot build and serve the site: %v", siteErr)
	}
	return shared
}

func startSite(root string) (*testSite, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &testSite{
		base:       "http://" + ln.Addr().String() + "/",
		origin:     "http://" + ln.Addr().String(),
		exitURL:    map[string]string{},
		configExit: map[string]string{},
	}
	mem := output.NewMemory()
	_, err = site.Build(context.Background(), site.Options{
		Source:    os.DirFS(root),
		Writer:    mem,
		Overrides: config.Overrides{BaseURL: s.base},
		Config: func(c *config.Config) {
			for code, l := range c.Languages {
				params := maps.Clone(l.Params)
				if params == nil {
					params = map[string]any{}
				}
				s.configExit[code], _ = params["exitURL"].(string)
				s.exitURL[code] = s.base + strings.TrimPrefix(neutralPath, "/") + code + "/"
				params["exitURL"] = s.exitURL[code]
				l.Params = params
				c.Languages[code] = l
			}
		},
	})
	if err != nil {
		ln.Close()
		return nil, fmt.Errorf("build: %w", err)
	}
	fsys := fstest.MapFS{}
	for rel, b := range mem.Files() {
		fsys[rel] = &fstest.MapFile{Data: b}
	}
	s.files = serve.Static{FS: fsys}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.srv.Serve(ln) }()
	return s, nil
}

func (s *testSite) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = s.srv.Shutdown(ctx)
}

// url returns the absolute URL of a site path such as /en/help/.
func (s *testSite) url(p string) string { return s.base + strings.TrimPrefix(p, "/") }

// neutralPage is what the exit URL shows in the tests.
const neutralPage = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Neutral</title></head><body><main><h1>Neutral page</h1><p>A page with nothing to do with the site.</p></main></body></html>`

// ServeHTTP serves the neutral exit page, and the build as the preview
// server serves its snapshots (serve.Static): dir/ serves dir/index.html,
// dir redirects to dir/, a missing file gets the language's 404.html with
// status 404.
func (s *testSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if strings.HasPrefix(r.URL.Path, neutralPath) && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(neutralPage))
		return
	}
	s.files.ServeHTTP(w, r)
}

// navigate loads url in the tab and waits for its load event.
func navigate(tb testing.TB, ctx context.Context, url string) {
	tb.Helper()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		tb.Fatalf("navigate to %s: %v", url, err)
	}
}

// eval evaluates a JavaScript expression in the tab's page.
func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluate %q: %v", shorten(expr, 120), err)
	}
	return v
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// key is a key of the keyboard, as input.dispatchKeyEvent needs it.
type key struct {
	key, code string
	vk        int64
	location  int64
	modifier  int64 // the modifier bit the key sets while down (Shift = 8)
}

var (
	keyShift = key{key: "Shift", code: "ShiftLeft", vk: 16, location: 1, modifier: 8}
	keyTab   = key{key: "Tab", code: "Tab", vk: 9}
	keyA     = key{key: "a", code: "KeyA", vk: 65}
)

// press sends a real key press (down, then up) to the page, as a person's
// keyboard would: the page sees trusted keydown and keyup events.
func press(tb testing.TB, ctx context.Context, k key) {
	tb.Helper()
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		down := input.DispatchKeyEventParams{
			Type: input.DispatchKeyEventTypeRawKeyDown, Key: k.key, Code: k.code,
			WindowsVirtualKeyCode: k.vk, NativeVirtualKeyCode: k.vk, Location: k.location, Modifiers: k.modifier,
		}
		if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, down); err != nil {
			return err
		}
		up := down
		up.Type = input.DispatchKeyEventTypeKeyUp
		up.Modifiers = 0
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, up)
		return err
	}))
	if err != nil {
		tb.Fatalf("press %s: %v", k.key, err)
	}
}

// history returns the tab's session history and the index of its current entry.
func history(tb testing.TB, ctx context.Context) ([]string, int) {
	tb.Helper()
	var (
		urls []string
		cur  int
		err  error
	)
	// The page is briefly detached while a navigation swaps documents.
	for try := 0; try < 50; try++ {
		if urls, cur, err = tryHistory(ctx); err == nil {
			return urls, cur
		}
		time.Sleep(20 * time.Millisecond)
	}
	tb.Fatalf("navigation history: %v", err)
	return nil, 0
}

func tryHistory(ctx context.Context) ([]string, int, error) {
	res, err := chromedp.Call(ctx, page.GetNavigationHistory, cdp.Empty{})
	if err != nil {
		return nil, 0, err
	}
	urls := make([]string, len(res.Entries))
	for i, e := range res.Entries {
		urls[i] = e.URL
	}
	return urls, int(res.CurrentIndex), nil
}

// currentURL is the URL of the tab's committed history entry.
func currentURL(tb testing.TB, ctx context.Context) string {
	tb.Helper()
	urls, cur := history(tb, ctx)
	if cur < 0 || cur >= len(urls) {
		return ""
	}
	return urls[cur]
}

// waitURL waits until the tab's current URL satisfies ok and its document
// has loaded, and returns the URL.
func waitURL(tb testing.TB, ctx context.Context, limit time.Duration, what string, ok func(string) bool) string {
	tb.Helper()
	deadline := time.Now().Add(limit)
	last := ""
	for {
		if urls, cur, err := tryHistory(ctx); err == nil && cur >= 0 && cur < len(urls) {
			last = urls[cur]
			if ok(last) {
				ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && location.href === `+jsString(last)))
				if err == nil && ready {
					return last
				}
			}
		}
		if time.Now().After(deadline) {
			tb.Fatalf("after %s the tab is at %s; want %s", limit, last, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20 || r == 0x2028 || r == 0x2029:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
