package site

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/output"
)

// cachedSite is the basic test site with a page layout that shows its
// section's pages through a cached partial keyed by the section, uses a
// cached partial inside another, and (wrongly) one in an attribute.
func cachedSite(t *testing.T, minify bool) fstest.MapFS {
	fsys := siteFS(t, "basic")
	cfg := string(fsys["config.toml"].Data)
	if minify {
		cfg = strings.Replace(cfg, "minify = false", "minify = true", 1)
	}
	fsys["config.toml"] = &fstest.MapFile{Data: []byte(cfg)}
	fsys["layouts/page.html"] = &fstest.MapFile{Data: []byte(`{{define "main"}}<h1>{{.Page.Title}}</h1>
<div   class="x">{{cached "partials/siblings.html" . .Page.Section}}</div>
<p title="{{cached "partials/siblings.html" . .Page.Section}}">  spaced   text </p>
<script>var s = {{cached "partials/siblings.html" . .Page.Section}};</script>{{end}}`)}
	fsys["layouts/partials/siblings.html"] = &fstest.MapFile{Data: []byte(`<nav class="siblings">  <ul>
{{range .Page.Section.Pages}}<li><a href="{{relURL .URL}}">{{.Title}}</a></li>
{{end}}</ul>{{cached "partials/lang.html" .}}</nav>`)}
	fsys["layouts/partials/lang.html"] = &fstest.MapFile{Data: []byte(`<p class="lang">  {{.Lang.Name}}  </p>`)}
	return fsys
}

// TestCachedPartials checks the keyed cache: one list per section, nested
// partials expanded, nothing of the mechanism in the output, and a cached
// partial in an attribute or a script escaped there like any value, never
// pasted as markup.
func TestCachedPartials(t *testing.T) {
	mem := output.NewMemory()
	if _, err := Build(context.Background(), Options{Source: cachedSite(t, false), Writer: mem}); err != nil {
		t.Fatal(err)
	}
	files := mem.Files()
	nav := func(p string) string {
		b := string(files[p])
		i := strings.Index(b, `<nav class="siblings">`)
		j := i + strings.Index(b[max(i, 0):], "</nav>")
		if i < 0 || j < i {
			t.Fatalf("%s has no list:\n%s", p, b)
		}
		return b[i : j+len("</nav>")]
	}
	first, second := nav("en/rights/a-first/index.html"), nav("en/rights/b-second/index.html")
	if first != second {
		t.Errorf("pages of one section show different lists:\n%s\n%s", first, second)
	}
	for _, want := range []string{`href="/sub/en/rights/a-first/"`, `href="/sub/en/rights/d-unweighted-old/"`, `<p class="lang">  English  </p>`} {
		if !strings.Contains(first, want) {
			t.Errorf("the list lacks %s:\n%s", want, first)
		}
	}
	if other := nav("en/help/call/index.html"); other == first || !strings.Contains(other, "/sub/en/help/call/") || strings.Contains(other, "a-first") {
		t.Errorf("another section's page shows:\n%s", other)
	}
	if ru := nav("ru/rights/a-first/index.html"); !strings.Contains(ru, "Русский") || strings.Contains(ru, "English") {
		t.Errorf("the Russian page shows another language's partial:\n%s", ru)
	}
	for p, b := range files {
		if bytes.Contains(b, []byte("qorgau-cached")) {
			t.Errorf("%s holds a placeholder", p)
		}
	}
	page := string(files["en/rights/a-first/index.html"])
	attr := page[strings.Index(page, `<p title="`)+len(`<p title="`):]
	if attr = attr[:strings.Index(attr, `"`)]; strings.ContainsAny(attr, "<>") {
		t.Errorf("markup pasted into an attribute:\n%s", page)
	}
	script := page[strings.Index(page, "<script>var s = "):]
	if script = script[:strings.Index(script, "</script>")]; strings.Count(script, "<") > 1 || !strings.Contains(script, "siblings") {
		t.Errorf("a cached partial in a script should be a quoted string of its HTML:\n%s", script)
	}
}

// TestCachedMinified checks that minifying each cached partial once and
// pasting it gives the same bytes as minifying whole pages, on the test
// site and on the repository's own site, and that the root 404.html is the
// default language's 404 page.
func TestCachedMinified(t *testing.T) {
	sites := map[string]func(bool) fstest.MapFS{
		"test site": func(minify bool) fstest.MapFS { return cachedSite(t, minify) },
		"repository": func(minify bool) fstest.MapFS {
			return copyFS(t, os.DirFS(filepath.Join("..", "..", "..")), []string{"config.toml", "content", "themes"}, minify)
		},
	}
	for name, mk := range sites {
		t.Run(name, func(t *testing.T) {
			whole, pasted := output.NewMemory(), output.NewMemory()
			res, err := Build(context.Background(), Options{Source: mk(false), Writer: whole})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := Build(context.Background(), Options{Source: mk(true), Writer: pasted}); err != nil {
				t.Fatal(err)
			}
			min := output.NewMinifier()
			n := 0
			for p, raw := range whole.Files() {
				if path.Ext(p) != ".html" {
					continue
				}
				want := min.Minify(p, bytes.Clone(raw))
				if got := pasted.Files()[p]; !bytes.Equal(got, want) {
					t.Errorf("%s: minified in parts differs from minified whole:\n got %s\nwant %s", p, got, want)
				}
				n++
			}
			if n < 10 {
				t.Fatalf("only %d pages compared", n)
			}
			def := res.Config.DefaultLanguage
			if got, want := pasted.Files()["404.html"], pasted.Files()[def+"/404.html"]; !bytes.Equal(got, want) {
				t.Errorf("404.html differs from %s/404.html", def)
			}
		})
	}
}

// copyFS copies the named files and folders of src into memory, with
// config.toml's minify set as asked.
func copyFS(t *testing.T, src fs.FS, roots []string, minify bool) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	for _, root := range roots {
		err := fs.WalkDir(src, root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(src, p)
			m[p] = &fstest.MapFile{Data: b, Mode: 0o644}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	cfg := regexp.MustCompile(`(?m)^minify\s*=.*\n`).ReplaceAllString(string(m[config.FileName].Data), "")
	m[config.FileName].Data = []byte(fmt.Sprintf("minify = %v\n", minify) + cfg)
	return m
}

// TestDropBodiesSameOutput checks that a build which frees the Markdown of
// converted pages writes the same files, including the notice on a
// translation whose original changed since it was synced.
func TestDropBodiesSameOutput(t *testing.T) {
	fsys := copyFS(t, os.DirFS(filepath.Join("..", "..", "..")), []string{"config.toml", "content", "themes"}, true)
	orig := "content/en/rights/childrens-rights.md"
	fsys[orig].Data = append(fsys[orig].Data, "\nA paragraph the translations do not have yet.\n"...)
	build := func(drop bool) map[string][]byte {
		mem := output.NewMemory()
		if _, err := Build(context.Background(), Options{Source: fsys, Writer: mem, DropBodies: drop}); err != nil {
			t.Fatal(err)
		}
		return mem.Files()
	}
	kept, dropped := build(false), build(true)
	if len(kept) != len(dropped) {
		t.Fatalf("%d files with bodies kept, %d with bodies dropped", len(kept), len(dropped))
	}
	for p, b := range kept {
		if !bytes.Equal(dropped[p], b) {
			t.Errorf("%s differs when bodies are dropped", p)
		}
	}
	if !bytes.Contains(dropped["ru/rights/childrens-rights/index.html"], []byte("notice-outdated")) {
		t.Error("the outdated translation shows no notice")
	}
}
