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
	if err := corpus.Write(dir, corpus.Options{Pages: n, Seed: 42, ThemeDir: filepath.Join("..", "..", "..", "themes", "qorgau")}); err != nil {
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
// lesson's text changed, on 3 × 1,000 pages: the page is read, converted
// and rendered again and a new output map is made.
func BenchmarkUpdateBodyEdit(b *testing.B) {
	dir := writeCorpus(b, 1000)
	s := NewSession(Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	file := "content/ru/rights/lesson-00004.md"
	orig, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		if err := os.WriteFile(filepath.Join(dir, file), append(append([]byte(nil), orig...), fmt.Sprintf("\nEdit %d.\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := s.Update(context.Background(), []string{file})
		if err != nil {
			b.Fatal(err)
		}
		if res.Rendered != 1 {
			b.Fatalf("rendered %d pages", res.Rendered)
		}
	}
}

// BenchmarkUpdateTitleEdit measures a front matter edit (the title) on
// 3 × 1,000 pages: the content is reloaded and the page, its section and
// neighbours are rendered again.
func BenchmarkUpdateTitleEdit(b *testing.B) {
	dir := writeCorpus(b, 1000)
	s := NewSession(Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	file := "content/ru/rights/lesson-00004.md"
	orig, _ := os.ReadFile(filepath.Join(dir, file))
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		b.StopTimer()
		edited := strings.Replace(string(orig), "title = \"", fmt.Sprintf("title = \"%d ", i), 1)
		if err := os.WriteFile(filepath.Join(dir, file), []byte(edited), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.Update(context.Background(), []string{file}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEdit times a preview session's update after one edit on the
// harness's corpus at N = 5,000 (3 × 5,000 pages, 1,250 to a section): a
// body edit, and a title edit that changes the section's list of 1,250
// pages. Run: go test ./generator/internal/site -run XXX -bench Edit -benchtime 20x
func BenchmarkEdit(b *testing.B) {
	dir := writeCorpus(b, 5000)
	s := NewSession(Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		b.Fatal(err)
	}
	file := "content/ru/rights/lesson-00004.md"
	orig, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"body", "title"} {
		b.Run(kind, func(b *testing.B) {
			rendered := 0
			i := 0
			for b.Loop() {
				i++
				text := string(orig)
				if kind == "body" {
					text += fmt.Sprintf("\nИзменение %d.\n", i)
				} else {
					text = strings.Replace(text, "title = \"", fmt.Sprintf("title = \"%d ", i), 1)
				}
				if err := os.WriteFile(filepath.Join(dir, file), []byte(text), 0o644); err != nil {
					b.Fatal(err)
				}
				res, err := s.Update(context.Background(), []string{file})
				if err != nil {
					b.Fatal(err)
				}
				rendered += res.Rendered
			}
			b.ReportMetric(float64(rendered)/float64(b.N), "pages/op")
		})
	}
}
