package serve

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// BenchmarkEditToReloadEvent measures, on 3 × 1,000 pages, the time from
// saving a lesson to the reload event reaching a subscribed page: the
// watcher's coalescing, the incremental rebuild and the event.
// Run: go test ./generator/serve -run XXX -bench EditToReload -benchtime 20x
//
// QORGAU_BENCH_SITE=DIR runs it on another site (e.g. the perf harness's
// corpus, kept with --keep), editing QORGAU_BENCH_FILE there.
func BenchmarkEditToReloadEvent(b *testing.B) {
	dir, file := os.Getenv("QORGAU_BENCH_SITE"), os.Getenv("QORGAU_BENCH_FILE")
	if dir == "" {
		dir, file = b.TempDir(), "content/kk/rights/lesson-00008.md"
		if err := corpus.Write(dir, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv := New(Options{Source: dir, Port: 0})
	if err := srv.Start(ctx); err != nil {
		b.Fatal(err)
	}
	srv.Built()
	ts := &testServer{t: &testing.T{}, dir: dir, srv: srv, events: make(chan event, 64)}
	ts.subscribe(ctx)
	file = filepath.Join(dir, filepath.FromSlash(file))
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	defer os.WriteFile(file, orig, 0o644)
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		if err := os.WriteFile(file, append(append([]byte(nil), orig...), fmt.Sprintf("\nӨзгеріс %d.\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		select {
		case <-ts.events:
		case <-time.After(10 * time.Second):
			b.Fatal("no reload event")
		}
	}
	b.StopTimer()
	cancel()
	srv.Wait()
}

// BenchmarkColdStart measures, on 3 × 1,000 pages, the time from starting
// the server to the first page being served.
func BenchmarkColdStart(b *testing.B) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: 1000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		ctx, cancel := context.WithCancel(context.Background())
		srv := New(Options{Source: dir, Port: 0})
		if err := srv.Start(ctx); err != nil {
			b.Fatal(err)
		}
		resp, err := http.Get(srv.URL() + "kk/rights/lesson-00000/")
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("first page: %v %v", resp, err)
		}
		resp.Body.Close()
		b.StopTimer()
		srv.Built()
		cancel()
		srv.Wait()
		b.StartTimer()
	}
}
