package browser

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/qorgau/qorgau/generator/internal/serve"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// liveTab is a page of the preview server open in a browser tab.
type liveTab struct {
	ctx    context.Context
	srv    *serve.Server
	file   string           // the page's Markdown file
	orig   []byte           // its contents before the test
	events chan sseEvent    // Server-Sent Events the page received
	edits  int              // edits made so far
	url    string           // the page's URL
	tb     testing.TB       // the test or benchmark
	split  [2]time.Duration // file saved → reload event in the tab → text on screen
}

type sseEvent struct {
	name string
	at   time.Time
}

// openLive starts the preview server on dir, opens urlPath in a tab and
// waits until the page's live-reload script is connected.
func openLive(tb testing.TB, dir, file, urlPath string) *liveTab {
	tb.Helper()
	ctx := newTab(tb, 10*time.Minute)
	sctx, cancel := context.WithCancel(context.Background())
	srv := serve.New(serve.Options{Source: dir, Port: 0})
	if err := srv.Start(sctx); err != nil {
		cancel()
		tb.Fatalf("start the preview server: %v", err)
	}
	tb.Cleanup(func() { cancel(); srv.Wait() })

	orig, err := os.ReadFile(file)
	if err != nil {
		tb.Fatal(err)
	}
	l := &liveTab{ctx: ctx, srv: srv, file: file, orig: orig, events: make(chan sseEvent, 256), url: srv.URL() + urlPath[1:], tb: tb}
	err = chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventEventSourceMessageReceived); ok {
			select {
			case l.events <- sseEvent{e.EventName, time.Now()}:
			default:
			}
		}
	})
	if err != nil {
		tb.Fatalf("listen: %v", err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		tb.Fatalf("network.enable: %v", err)
	}
	navigate(tb, ctx, l.url)
	if ok := eval[bool](tb, ctx, `!!document.querySelector('script[src^="/_qorgau/live.js"]')`); !ok {
		tb.Fatalf("%s has no live-reload script", l.url)
	}
	l.waitHello(10 * time.Second)
	return l
}

// waitHello waits for the page's event stream to say hello: the script is
// connected and will hear about the next change.
func (l *liveTab) waitHello(limit time.Duration) {
	l.tb.Helper()
	deadline := time.After(limit)
	for {
		select {
		case e := <-l.events:
			if e.name == "hello" {
				return
			}
		case <-deadline:
			l.tb.Fatalf("the page %s did not connect to the live-reload events within %s", l.url, limit)
		}
	}
}

// edit appends a paragraph with a new marker to the page's Markdown file,
// and waits until the open tab shows it, polling the DOM every 10 ms. It
// returns the time from the saved file to the marker on screen.
func (l *liveTab) edit(limit time.Duration) time.Duration {
	l.tb.Helper()
	l.edits++
	marker := fmt.Sprintf("QorgauLiveMarker%dx%d", l.edits, time.Now().UnixNano())
	// Events of the previous page are stale now.
	for len(l.events) > 0 {
		<-l.events
	}
	text := append(slices.Clone(l.orig), []byte("\n\nA new paragraph: "+marker+".\n")...)
	start := time.Now()
	if err := os.WriteFile(l.file, text, 0o644); err != nil {
		l.tb.Fatal(err)
	}
	check := `!!document.body && document.body.textContent.includes("` + marker + `")`
	for {
		pctx, cancel := context.WithTimeout(l.ctx, 500*time.Millisecond)
		ok, err := chromedp.Run(pctx, chromedp.Evaluate[bool](check))
		cancel()
		if err == nil && ok {
			break
		}
		if time.Since(start) > limit {
			l.tb.Fatalf("the marker did not show in the open tab %s within %s of saving %s (last error: %v)", l.url, limit, l.file, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
	seen := time.Since(start)
	// The reloaded page connects again and says hello; wait for that, so
	// that the next edit is heard. Note when the reload event came.
	var reloadAt time.Time
	deadline := time.After(10 * time.Second)
wait:
	for {
		select {
		case e := <-l.events:
			if e.name == "reload" && reloadAt.IsZero() {
				reloadAt = e.at
			}
			if e.name == "hello" {
				break wait
			}
		case <-deadline:
			l.tb.Fatalf("the reloaded page %s did not connect to the live-reload events again", l.url)
		}
	}
	l.split = [2]time.Duration{}
	if !reloadAt.IsZero() {
		l.split = [2]time.Duration{reloadAt.Sub(start), seen - reloadAt.Sub(start)}
	}
	return seen
}

// restore puts the page's Markdown file back.
func (l *liveTab) restore() {
	_ = os.WriteFile(l.file, l.orig, 0o644)
}

// copySite copies the parts of the repository's site that the preview
// server reads into a new temporary folder.
func copySite(tb testing.TB) string {
	tb.Helper()
	root := repoRoot(tb)
	dir := tb.TempDir()
	for _, name := range []string{"config.toml", "content", "themes", "layouts", "static", "i18n"} {
		src := filepath.Join(root, name)
		fi, err := os.Stat(src)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			tb.Fatal(err)
		}
		if !fi.IsDir() {
			b, err := os.ReadFile(src)
			if err != nil {
				tb.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
				tb.Fatal(err)
			}
			continue
		}
		if err := os.CopyFS(filepath.Join(dir, name), os.DirFS(src)); err != nil {
			tb.Fatal(err)
		}
	}
	return dir
}

// TestLiveReload edits a lesson's Markdown while the lesson is open in
// Chromium, served by the preview server, and measures the time until the
// new text is on screen (goal: under 300 ms; the test allows 2 s).
func TestLiveReload(t *testing.T) {
	dir := copySite(t)
	file := filepath.Join(dir, "content", "en", "penalties", "what-changed.md")
	l := openLive(t, dir, file, lessonPath("en"))
	defer l.restore()
	const edits = 3
	var times []time.Duration
	for i := 0; i < edits; i++ {
		d := l.edit(2 * time.Second)
		times = append(times, d)
		t.Logf("edit %d: visible in the open tab %s after saving (file → reload event in the tab %s, reload event → text on screen %s)",
			i+1, d.Round(time.Millisecond), l.split[0].Round(time.Millisecond), l.split[1].Round(time.Millisecond))
	}
	slices.Sort(times)
	median := times[len(times)/2]
	t.Logf("edit to visible: median %s, max %s over %d edits (goal: under 300 ms)", median.Round(time.Millisecond), times[len(times)-1].Round(time.Millisecond), edits)
	if median > 300*time.Millisecond {
		t.Logf("note: the median is over the 300 ms goal on this machine")
	}
}

// BenchmarkBrowserReload measures, on 3 × 1,000 generated pages, the time
// from saving a lesson to the new text showing in an open Chromium tab.
// Run: go test ./generator/browser -run XXX -bench BrowserReload -benchtime 10x
func BenchmarkBrowserReload(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	file := filepath.Join(dir, "content", "kk", "rights", "lesson-00008.md")
	l := openLive(b, dir, file, "/kk/rights/lesson-00008/")
	defer l.restore()
	var total time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		total += l.edit(10 * time.Second)
	}
	b.StopTimer()
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/edit")
}
