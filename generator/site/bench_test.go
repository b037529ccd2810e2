package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/qorgau/qorgau/generator/corpus"
	"github.com/qorgau/qorgau/generator/output"
)

// writeCorpus makes a corpus of n pages per language with the repository's theme.
func writeCorpus(tb testing.TB, n int) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := corpus.Write(dir, corpus.Options{Pages: n, Seed: 42, ThemeDir: filepath.Join("..", "..", "themes", "qorgau")}); err != nil {
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
