package site

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/search"
)

// TestLessonLists: the example output of the registry, one lessons.json
// per language listing its regular pages, not in offline copies.
func TestLessonLists(t *testing.T) {
	mem := output.NewMemory()
	res, err := Build(context.Background(), Options{Source: siteFS(t, "basic"), Writer: mem})
	if err != nil {
		t.Fatal(err)
	}
	files := mem.Files()
	for _, l := range res.Site.Languages {
		var list []lessonEntry
		if err := json.Unmarshal(files[l.Code+"/lessons.json"], &list); err != nil {
			t.Fatalf("%s/lessons.json: %v", l.Code, err)
		}
		regular := l.RegularPages()
		if len(list) != len(regular) || len(list) == 0 {
			t.Fatalf("%s/lessons.json lists %d lessons; the language has %d regular pages", l.Code, len(list), len(regular))
		}
		for i, p := range regular {
			if list[i].Title != p.Title || !strings.HasSuffix(list[i].URL, p.URL) {
				t.Errorf("%s entry %d = %+v; want %q at %s", l.Code, i, list[i], p.Title, p.URL)
			}
		}
	}
	mem = output.NewMemory()
	if _, err := Build(context.Background(), Options{Source: siteFS(t, "basic"), Writer: mem, Overrides: config.Overrides{Offline: true}}); err != nil {
		t.Fatal(err)
	}
	for rel := range mem.Files() {
		if strings.HasSuffix(rel, "lessons.json") || rel == "sitemap.xml" || rel == "robots.txt" || strings.HasSuffix(rel, "atom.xml") {
			t.Errorf("an offline copy has %s, an output only for sites with an origin", rel)
		}
	}
}

// TestReloadFollowsOutputs: what a preview does when a file changes comes
// from the outputs (hidden ones reload nothing) and the formats.
func TestReloadFollowsOutputs(t *testing.T) {
	s := NewSession(Options{Source: siteFS(t, "basic")})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	for rel, want := range map[string]output.Reload{
		"en/index.html":       output.ReloadPage,
		"style.css":           output.ReloadStyles,
		"sitemap.xml":         output.ReloadNone,
		"robots.txt":          output.ReloadNone,
		"en/atom.xml":         output.ReloadNone,
		"en/lessons.json":     output.ReloadNone,
		"en/search-index.js":  output.ReloadNone,
		"js/qorgau-search.js": output.ReloadAll,
		"img/photo.jpg":       output.ReloadAll,
	} {
		if got := s.Reload(rel); got != want {
			t.Errorf("Reload(%s) = %v; want %v", rel, got, want)
		}
	}
}

// TestKeptOutputsAfterStaticEdit: after a change to a static file only, the
// generated outputs that do not depend on it are kept, not made again, and
// the output still equals a fresh build.
func TestKeptOutputsAfterStaticEdit(t *testing.T) {
	fsys := siteFS(t, "basic")
	s := NewSession(Options{Source: fsys})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	before := s.made["feeds"]
	old, _ := s.files.Get("en/atom.xml")
	fsys["static/extra.txt"] = fsys["themes/test/static/style.css"]
	res, err := s.Update(context.Background(), []string{"static/extra.txt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(before) == 0 || strings.Join(s.made["feeds"], ",") != strings.Join(before, ",") {
		t.Errorf("feeds made %v, then %v", before, s.made["feeds"])
	}
	if cur, _ := s.files.Get("en/atom.xml"); len(cur) == 0 || &cur[0][0] != &old[0][0] {
		t.Error("the feed was made again after a static edit; it should have been kept")
	}
	for _, p := range res.Changed {
		if strings.HasSuffix(p, ".xml") || strings.HasSuffix(p, ".json") {
			t.Errorf("a static edit changed %s", p)
		}
	}
	mem := output.NewMemory()
	if _, err := Build(context.Background(), Options{Source: fsys, Writer: mem}); err != nil {
		t.Fatal(err)
	}
	got, want := s.Files(), mem.Files()
	for rel, b := range want {
		if string(got[rel]) != string(b) {
			t.Errorf("%s differs from a fresh build", rel)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d files; a fresh build has %d", len(got), len(want))
	}
}

// TestStaticOverridesGenerated: static/ overrides file by file, generated
// files too — a site's own search script replaces the engine, in a build
// and in a preview session as the override comes and goes.
func TestStaticOverridesGenerated(t *testing.T) {
	own := []byte("/* the site's own search */\n")
	fsys := siteFS(t, "basic")
	fsys["static/js/qorgau-search.js"] = &fstest.MapFile{Data: own}
	mem := output.NewMemory()
	if _, err := Build(context.Background(), Options{Source: fsys, Writer: mem}); err != nil {
		t.Fatalf("a site overriding the search script must build: %v", err)
	}
	if got := mem.Files()["js/qorgau-search.js"]; string(got) != string(own) {
		t.Fatalf("js/qorgau-search.js = %.40q; want the site's own", got)
	}

	s := NewSession(Options{Source: fsys})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	step := func(what string, want []byte) {
		t.Helper()
		if got := s.Files()["js/qorgau-search.js"]; string(got) != string(want) {
			t.Errorf("%s: js/qorgau-search.js = %.40q; want %.40q", what, got, want)
		}
	}
	step("first build", own)
	delete(fsys, "static/js/qorgau-search.js")
	if _, err := s.Update(context.Background(), []string{"static/js/qorgau-search.js"}); err != nil {
		t.Fatal(err)
	}
	step("override removed", search.EngineJS)
	fsys["static/js/qorgau-search.js"] = &fstest.MapFile{Data: own}
	if _, err := s.Update(context.Background(), []string{"static/js/qorgau-search.js"}); err != nil {
		t.Fatal(err)
	}
	step("override back", own)
}
