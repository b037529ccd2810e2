package workbench

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// corpusBench makes the generated corpus (3 × n pages) with a session and
// a workbench over it whose state holds the check report of the build.
func corpusBench(b *testing.B, n int) (string, *Workbench, *site.Session) {
	dir := b.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: n, Seed: 42}); err != nil {
		b.Fatal(err)
	}
	s := site.NewSession(site.Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	var rep *check.Report
	s.Inspect(func(res *site.Result, files map[string][]byte) {
		var err error
		rep, err = check.Run(context.Background(), check.Options{Source: os.DirFS(dir), Built: &check.Built{Result: res, Files: files}})
		if err != nil {
			b.Fatal(err)
		}
	})
	wb := New(Options{Root: dir, Addr: addr, State: func(*http.Request) (*content.Site, *config.Config, *check.Report) {
		var st *content.Site
		var cfg *config.Config
		s.Inspect(func(res *site.Result, _ map[string][]byte) { st, cfg = res.Site, res.Config })
		return st, cfg, rep
	}})
	return dir, wb, s
}

// BenchmarkCheckReport is the check of a build of 3 × 1,000 lessons that
// the preview makes once per build for the overview's findings.
func BenchmarkCheckReport(b *testing.B) {
	dir, _, s := corpusBench(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		s.Inspect(func(res *site.Result, files map[string][]byte) {
			if _, err := check.Run(context.Background(), check.Options{Source: os.DirFS(dir), Built: &check.Built{Result: res, Files: files}}); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// BenchmarkOverview opens the overview of 3 × 1,000 lessons (the build's
// check report made already, as the server keeps it per build).
// Run: go test ./generator/internal/workbench -run XXX -bench .
func BenchmarkOverview(b *testing.B) {
	_, wb, _ := corpusBench(b, 1000)
	b.ResetTimer()
	for b.Loop() {
		if code, page := get(b, wb, "/_edit/"); code != 200 || !strings.Contains(page, "<tbody>") {
			b.Fatal(code)
		}
	}
}

// BenchmarkSaveToPage saves a lesson form on 3 × 1,000 lessons and
// rebuilds until the page is the new one: what an editor waits for before
// the preview beside the form shows the save (serve adds its watcher's
// few milliseconds).
func BenchmarkSaveToPage(b *testing.B) {
	dir, wb, s := corpusBench(b, 1000)
	rel := "content/en/rights/lesson-00004.md"
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		_, page := get(b, wb, "/_edit/lesson?file="+rel)
		form := formOf(b, page)
		form.Set("title", "Renamed "+strings.Repeat("x", i%7))
		form.Set("body", form.Get("body")+"\nOne more sentence.\n")
		b.StartTimer()
		if w := post(wb, "/_edit/save", form, nil); w.Code != http.StatusSeeOther {
			b.Fatalf("save: %d", w.Code)
		}
		if _, err := s.Update(context.Background(), []string{rel}); err != nil {
			b.Fatal(err)
		}
	}
	_ = dir
}

// BenchmarkTranslateDiff renders the translation page of the repository's
// lesson on what the 2024 law changed after its original changed throughout.
func BenchmarkTranslateDiff(b *testing.B) {
	dir, wb, s := testSite(b)
	orig := "content/en/penalties/what-changed.md"
	tr := "content/kk/penalties/what-changed.md"
	if _, err := os.Stat(filepath.Join(dir, orig)); err != nil {
		b.Skip("no such lesson in the repository's site")
	}
	// The original as synced is kept; then every paragraph changes.
	src, _ := os.ReadFile(filepath.Join(dir, orig))
	st, _, _ := wb.opts.State(nil)
	p := st.PageByFile(tr)
	if p == nil || p.Original() == nil {
		b.Skip("the lesson has no synced Kazakh translation")
	}
	if err := content.SaveSynced(dir, p.Sync.SourceHash, src); err != nil {
		b.Fatal(err)
	}
	changed := strings.ReplaceAll(string(src), ". ", ", and more. ")
	if err := os.WriteFile(filepath.Join(dir, orig), []byte(changed), 0o644); err != nil {
		b.Fatal(err)
	}
	if _, err := s.Update(context.Background(), []string{orig}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		if code, page := get(b, wb, "/_edit/translate?file="+tr); code != 200 || !strings.Contains(page, "<ins>") {
			b.Fatalf("%d", code)
		}
	}
}
