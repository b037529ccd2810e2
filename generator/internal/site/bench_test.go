package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// writeCorpus makes a corpus of n pages per language with the repository's theme.
func writeCorpus(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: n, Seed: 42}); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func TestCorpusBuilds(t *testing.T) {
	dir := writeCorpus(t, 25)
	mem := output.NewMemory()
	res, err := Build(context.Background(), Options{Source: os.DirFS(dir), Writer: mem})
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		// 25 lessons, 4 sections, the home and the 404 page.
		if res.Pages[lang] != 31 {
			t.Errorf("%s: %d pages, want 31", lang, res.Pages[lang])
		}
	}
}

// BenchmarkBuild builds the generated corpus (3 languages × N pages) into
// memory. Run: go test ./generator/site -bench Build -benchtime 5x
func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("pages=3x%d", n), func(b *testing.B) {
			dir := writeCorpus(b, n)
			fsys := os.DirFS(dir)
			b.ResetTimer()
			for b.Loop() {
				if _, err := Build(context.Background(), Options{Source: fsys, Writer: output.NewMemory()}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(3*n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// BenchmarkBuildToDisk builds 3 × 1,000 pages through the staging folder,
// as the build command does.
func BenchmarkBuildToDisk(b *testing.B) {
	dir := writeCorpus(b, 1000)
	fsys := os.DirFS(dir)
	dest := filepath.Join(b.TempDir(), "public")
	b.ResetTimer()
	for b.Loop() {
		st, err := output.Stage(dest)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Build(context.Background(), Options{Source: fsys, Writer: st}); err != nil {
			b.Fatal(err)
		}
		if err := st.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkUpdateBodyEdit measures the incremental rebuild after one
// body edit on 3 × 1,000 pages: one page is rendered.
func BenchmarkUpdateBodyEdit(b *testing.B) { benchEdit(b, writeCorpus(b, 1000), "body") }

// BenchmarkUpdateTitleEdit measures a front matter edit (the title) on
// 3 × 1,000 pages.
func BenchmarkUpdateTitleEdit(b *testing.B) { benchEdit(b, writeCorpus(b, 1000), "title") }

// BenchmarkEdit times a preview session's update after one edit on the
// harness's corpus at N = 5,000 (3 × 5,000 pages, 1,250 to a section): a
// body edit, and a title edit that changes the section's list of 1,250
// pages. Run: go test ./generator/internal/site -run XXX -bench 'Edit$' -benchtime 10x
func BenchmarkEdit(b *testing.B) {
	dir := writeCorpus(b, 5000)
	for _, kind := range []string{"body", "title"} {
		b.Run(kind, func(b *testing.B) { benchEdit(b, dir, kind) })
	}
}

// benchEdit builds a session on dir and times updates after editing one
// lesson's body or title, reporting the pages rendered per update.
func benchEdit(b *testing.B, dir, kind string) {
	s := NewSession(Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	file := "content/ru/rights/lesson-00004.md"
	orig, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = os.WriteFile(filepath.Join(dir, file), orig, 0o644) }()
	rendered, i := 0, 0
	b.ResetTimer()
	for b.Loop() {
		i++
		b.StopTimer()
		text := string(orig)
		if kind == "body" {
			text += fmt.Sprintf("\nИзменение %d.\n", i)
		} else {
			text = strings.Replace(text, "title = \"", fmt.Sprintf("title = \"%d ", i), 1)
		}
		if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Update(context.Background(), []string{file})
		if err != nil {
			b.Fatal(err)
		}
		rendered += res.Rendered
	}
	b.ReportMetric(float64(rendered)/float64(b.N), "pages/op")
}
