package serve

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestServeWhileEditing sends requests from several clients while a file
// changes continuously: no request fails and every page arrives whole.
func TestServeWhileEditing(t *testing.T) {
	ts := start(t)
	stop := make(chan struct{})
	var edits atomic.Int64
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			ts.write("content/en/rights/b-second.md", fmt.Sprintf("+++\ntitle = \"Second by weight\"\nweight = 20\n+++\nEdit %d.\n", i))
			edits.Add(1)
			time.Sleep(15 * time.Millisecond)
		}
	}()
	paths := []string{"/en/", "/en/rights/", "/en/rights/b-second/", "/ru/rights/a-first/", "/style.css", "/sitemap.xml", "/en/nope/"}
	var requests, failures atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(2 * time.Second)
	client := &http.Client{Timeout: 5 * time.Second}
	for c := 0; c < 8; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				p := paths[(c+i)%len(paths)]
				resp, err := client.Get(ts.srv.URL() + strings.TrimPrefix(p, "/"))
				requests.Add(1)
				if err != nil {
					failures.Add(1)
					t.Errorf("GET %s: %v", p, err)
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				want := 200
				if p == "/en/nope/" {
					want = 404
				}
				whole := !strings.HasSuffix(p, "/") || strings.HasSuffix(strings.TrimSpace(string(body)), "</html>")
				if err != nil || resp.StatusCode != want || !whole {
					failures.Add(1)
					t.Errorf("GET %s: %d, whole=%v, %v", p, resp.StatusCode, whole, err)
				}
			}
		}(c)
	}
	wg.Wait()
	close(stop)
	t.Logf("%d requests, %d failures, during %d edits and %d rebuilds", requests.Load(), failures.Load(), edits.Load(), ts.srv.Rebuilds())
	if ts.srv.Rebuilds() == 0 {
		t.Error("no rebuild happened during the test")
	}
}

// TestManyRebuildsDoNotLeak runs 10,000 rebuilds with a page open on the
// event stream and checks that goroutines and memory stay flat.
func TestManyRebuildsDoNotLeak(t *testing.T) {
	if testing.Short() {
		t.Skip("10,000 rebuilds")
	}
	// 10,000 rebuilds with the PDF handouts off (each rebuild would lay out
	// a handout and a booklet again), and 400 with them on.
	t.Run("without handouts", func(t *testing.T) {
		manyRebuilds(t, 10000, func(dir string) { handoutsOff(t, dir) })
	})
	n := 400
	if raceEnabled {
		n = 40
	}
	t.Run("with handouts", func(t *testing.T) { manyRebuilds(t, n) })
}

// handoutsOff turns the PDF handouts off in the site in dir.
func handoutsOff(t *testing.T, dir string) {
	f, err := os.OpenFile(filepath.Join(dir, "config.toml"), os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("\n[handouts]\nenabled = false\n")
		f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
}

func manyRebuilds(t *testing.T, n int, prepare ...func(dir string)) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ts := startUnwatched(ctx, t, prepare...)
	srv, dir := ts.srv, ts.dir
	ts.events = make(chan event, 16)
	ts.subscribe(ctx)
	go func() { // a page that keeps up with the events
		for range ts.events {
		}
	}()
	file := "content/en/rights/b-second.md"
	measure := func() (int, uint64) {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return runtime.NumGoroutine(), m.HeapAlloc
	}
	edit := func(i int) {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(fmt.Sprintf("+++\ntitle = \"Second by weight\"\nweight = 20\n+++\nEdit %d.\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		srv.rebuild(ctx, []string{file})
	}
	for i := 0; i < 200; i++ { // warm up caches and pools
		edit(i)
	}
	g0, h0 := measure()
	for i := 0; i < n; i++ {
		edit(1000 + i)
	}
	g1, h1 := measure()
	t.Logf("%d rebuilds: goroutines %d -> %d, heap %.1f MB -> %.1f MB", srv.Rebuilds(), g0, g1, float64(h0)/1e6, float64(h1)/1e6)
	if g1 > g0+2 {
		t.Errorf("goroutines grew from %d to %d", g0, g1)
	}
	if h1 > h0+8<<20 {
		t.Errorf("heap grew from %d to %d bytes", h0, h1)
	}
	if _, body, _ := ts.get("/en/rights/b-second/"); !strings.Contains(body, fmt.Sprintf("Edit %d.", 1000+n-1)) {
		t.Error("the last edit is not served")
	}
}

// TestContentDeletedAndConfigBroken: the server survives content/ being
// deleted and re-created, and config.toml becoming invalid and valid again.
func TestContentDeletedAndConfigBroken(t *testing.T) {
	ts := start(t)
	content := filepath.Join(ts.dir, "content")
	backup := filepath.Join(t.TempDir(), "content")
	copyTree(t, content, backup)
	if err := os.RemoveAll(content); err != nil {
		t.Fatal(err)
	}
	ts.next()
	if status, _, _ := ts.get("/en/rights/a-first/"); status != 200 && status != 404 {
		t.Errorf("after deleting content/: %d", status)
	}
	copyTree(t, backup, content)
	deadline := time.Now().Add(10 * time.Second)
	for {
		ts.drain()
		if status, body, _ := ts.get("/en/rights/a-first/"); status == 200 && !strings.Contains(body, "qorgau-overlay") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("content/ re-created but the page is not back; log:\n%s", ts.log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	cfg, _ := os.ReadFile(filepath.Join(ts.dir, "config.toml"))
	ts.write("config.toml", "title = [broken\n")
	ts.waitFor("/en/", func(status int, body string) bool { return status == 200 && strings.Contains(body, "config.toml:1:") },
		"a broken config shows an overlay while the last good build is served")
	ts.write("config.toml", string(cfg))
	ts.waitFor("/en/", func(status int, body string) bool { return status == 200 && !strings.Contains(body, "qorgau-overlay") },
		"the overlay goes once the config is fixed")
}

// waitFor polls a page until cond holds, failing after 10 seconds. Events
// of earlier changes may still arrive, so tests of a later state poll.
func (ts *testServer) waitFor(path string, cond func(status int, body string) bool, what string) {
	ts.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		status, body, _ := ts.get(path)
		if cond(status, body) {
			return
		}
		if time.Now().After(deadline) {
			ts.t.Fatalf("%s: not so after 10 s (status %d); log:\n%s", what, status, ts.log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// drain empties the event channel.
func (ts *testServer) drain() {
	for {
		select {
		case <-ts.events:
		default:
			return
		}
	}
}
