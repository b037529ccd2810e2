package markdown

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureResolver knows a few Markdown files of a pretend site.
type fixtureResolver map[string]string

func (r fixtureResolver) ResolveFile(file, dest string) (string, bool) {
	u, ok := r[filepath.ToSlash(filepath.Join(filepath.Dir(file), dest))]
	return u, ok
}

func (r fixtureResolver) ResolveMarkdownLink(file, dest string) (string, bool) {
	u, ok := r[filepath.ToSlash(filepath.Join(filepath.Dir(file), dest))]
	return u, ok
}

var resolver = fixtureResolver{
	"content/en/penalties/battery.md":       "/en/penalties/battery/",
	"content/en/help/_index.md":             "/en/help/",
	"content/en/help/README.md":             "/en/help/",
	"content/en/rights/know-your-rights.md": "/en/rights/know-your-rights/",
	"content/en/rights/diagram.svg":         "/en/rights/diagram.svg",
}

// TestFixtures converts every testdata/<lang>-<name>.md and compares the
// result (HTML, then problems) with testdata/<lang>-<name>.golden.
func TestFixtures(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".md")
		t.Run(name, func(t *testing.T) {
			lang, _, _ := strings.Cut(name, "-")
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			unsafe := strings.Contains(name, "unsafe")
			c := New(Options{Lang: lang, Typographer: true, UnsafeHTML: unsafe, Label: func(k string) string { return lang + ":" + k }})
			res := c.Convert(src, Doc{File: "content/en/rights/page.md", Line: 5, Resolver: resolver})
			var got strings.Builder
			got.WriteString(string(res.HTML))
			got.WriteString("--- headings\n")
			for _, h := range res.Headings {
				got.WriteString(strings.Repeat("#", h.Level) + " " + h.ID + " | " + h.Text + "\n")
			}
			got.WriteString("--- problems\n")
			for _, p := range res.Problems {
				got.WriteString(p.Error() + "\n")
			}
			golden := strings.TrimSuffix(f, ".md") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./generator/markdown -update)", err)
			}
			if got.String() != string(want) {
				t.Errorf("%s differs from golden\n--- got\n%s\n--- want\n%s", f, got.String(), want)
			}
		})
	}
}

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Know your rights", "know-your-rights"},
		{"Сіздің құқықтарыңыз", "сіздің-құқықтарыңыз"},
		{"Что изменилось в 2024 году?", "что-изменилось-в-2024-году"},
		{"  Ёлка — и  ёж ", "ёлка-и-ёж"},
		{"C++ & Go!", "c-go"},
		{"???", ""},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSplitMarkdownLink(t *testing.T) {
	for _, tc := range []struct {
		in, path, frag string
		ok             bool
	}{
		{"../penalties/battery.md", "../penalties/battery.md", "", true},
		{"battery.md#what-changed", "battery.md", "what-changed", true},
		{"%D0%B0.md", "а.md", "", true},
		{"https://example.org/x.md", "", "", false},
		{"mailto:a@b.md", "", "", false},
		{"#top", "", "", false},
		{"//cdn.example.org/x.md", "", "", false},
		{"../rights/", "", "", false},
		{"image.png", "", "", false},
	} {
		p, f, ok := SplitMarkdownLink(tc.in)
		if p != tc.path || f != tc.frag || ok != tc.ok {
			t.Errorf("SplitMarkdownLink(%q) = %q, %q, %v; want %q, %q, %v", tc.in, p, f, ok, tc.path, tc.frag, tc.ok)
		}
	}
}
