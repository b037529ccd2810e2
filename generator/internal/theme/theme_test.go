package theme_test

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/internal/theme"
)

// repoSite copies the repository's site (config and content, no theme)
// into a temporary folder.
func repoSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	repo := filepath.Join("..", "..", "..")
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(repo, "content"))); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(repo, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func build(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	mem := output.NewMemory()
	if _, err := site.Build(context.Background(), site.Options{Source: os.DirFS(dir), Writer: mem}); err != nil {
		t.Fatal(err)
	}
	return mem.Files()
}

// TestBuiltinEqualsCopy: a site without themes/ builds with the built-in
// theme byte for byte as the same site with the theme copied in.
func TestBuiltinEqualsCopy(t *testing.T) {
	bare := repoSite(t)
	copied := repoSite(t)
	if err := os.CopyFS(filepath.Join(copied, "themes", theme.Name), theme.FS()); err != nil {
		t.Fatal(err)
	}
	a, b := build(t, bare), build(t, copied)
	if len(a) != len(b) || len(a) < 100 {
		t.Fatalf("%d files without themes/, %d with", len(a), len(b))
	}
	for p, data := range a {
		if !bytes.Equal(data, b[p]) {
			t.Errorf("%s differs", p)
		}
	}
}

// TestOverrideOneFile: a site's themes/qorgau/ file replaces the built-in
// one; the others stay.
func TestOverrideOneFile(t *testing.T) {
	dir := repoSite(t)
	own := filepath.Join(dir, "themes", theme.Name, "layouts", "partials")
	if err := os.MkdirAll(own, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(own, "footer.html"), []byte(`<footer class="school">Our school</footer>`), 0o644); err != nil {
		t.Fatal(err)
	}
	page := string(build(t, dir)["en/rights/childrens-rights/index.html"])
	if !strings.Contains(page, `Our school`) || !strings.Contains(page, "qorgau.css") {
		t.Fatalf("the override or the built-in theme is missing:\n%.2000s", page)
	}
}

// TestOverlayFS: the overlay is a valid fs.FS, lists both, and prefers the
// site's files.
func TestOverlayFS(t *testing.T) {
	site := fstest.MapFS{
		"config.toml":                     {Data: []byte("x")},
		"themes/qorgau/layouts/page.html": {Data: []byte("mine")},
		"themes/other/layouts/page.html":  {Data: []byte("other")},
		"content/en/_index.md":            {Data: []byte("+++\n+++\n")},
	}
	o := theme.Overlay(site)
	if err := fstest.TestFS(o, "config.toml", "themes/qorgau/layouts/page.html", "themes/qorgau/layouts/base.html", "themes/other/layouts/page.html"); err != nil {
		t.Fatal(err)
	}
	if b, _ := fs.ReadFile(o, "themes/qorgau/layouts/page.html"); string(b) != "mine" {
		t.Errorf("page.html = %q, want the site's", b)
	}
	entries, _ := fs.ReadDir(theme.Overlay(fstest.MapFS{"config.toml": {}}), "themes")
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	if strings.Join(names, ",") != "qorgau" {
		t.Errorf("themes/ of a site without it lists %v", names)
	}
	if err := fstest.TestFS(theme.Overlay(fstest.MapFS{"config.toml": {}}), "themes/qorgau/layouts/base.html", "config.toml"); err != nil {
		t.Fatal(err)
	}
}
