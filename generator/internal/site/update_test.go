package site

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/output"
)

// diskSite copies a test site and the test theme into a temporary folder.
func diskSite(t testing.TB, name string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, f := range siteFS(t, name) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// randomizedSite is diskSite for the tests that make hundreds of builds:
// without handouts when handouts is false, and under -race (their
// concurrency is raced by the other tests; here they would take most of
// CI's time).
func randomizedSite(t testing.TB, name string, handouts ...bool) string {
	dir := diskSite(t, name)
	if raceEnabled || len(handouts) > 0 && !handouts[0] {
		f, err := os.OpenFile(filepath.Join(dir, "config.toml"), os.O_APPEND|os.O_WRONLY, 0)
		if err == nil {
			_, err = f.WriteString("\n[handouts]\nenabled = false\n")
			f.Close()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// freshBuild builds dir from scratch into memory.
func freshBuild(dir string) (map[string][]byte, error) {
	mem := output.NewMemory()
	_, err := Build(context.Background(), Options{Source: os.DirFS(dir), Writer: mem})
	return mem.Files(), err
}

func sameFiles(t *testing.T, step string, got, want map[string][]byte) {
	t.Helper()
	var diffs []string
	for p, b := range want {
		if g, ok := got[p]; !ok {
			diffs = append(diffs, "missing "+p)
		} else if !bytes.Equal(g, b) {
			diffs = append(diffs, "differs "+p)
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, "extra "+p)
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		t.Fatalf("%s: served site differs from a fresh build: %s", step, strings.Join(diffs, ", "))
	}
}

// edit is one change an editor makes; it returns the paths it touched.
type edit func(r *rand.Rand, dir string) (string, []string)

func mdFiles(dir string) []string {
	var out []string
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func rewrite(dir, rel string, fn func(string) string) {
	p := filepath.Join(dir, filepath.FromSlash(rel))
	b, _ := os.ReadFile(p)
	_ = os.WriteFile(p, []byte(fn(string(b))), 0o644)
}

var edits = []edit{
	func(r *rand.Rand, dir string) (string, []string) { // body edit
		f := pick(r, mdFiles(dir))
		rewrite(dir, f, func(s string) string { return s + fmt.Sprintf("\nMore text %d.\n", r.IntN(1000)) })
		return "body " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // title edit
		f := pick(r, mdFiles(dir))
		rewrite(dir, f, func(s string) string {
			if !strings.HasPrefix(s, "+++") {
				return s
			}
			return strings.Replace(s, "+++\n", fmt.Sprintf("+++\ndescription = \"d%d\"\n", r.IntN(1000)), 1)
		})
		return "front matter " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // weight edit reorders a section
		f := pick(r, mdFiles(dir))
		rewrite(dir, f, func(s string) string {
			if !strings.HasPrefix(s, "+++") || strings.Contains(s, "weight") {
				return s
			}
			return strings.Replace(s, "+++\n", fmt.Sprintf("+++\nweight = %d\n", 1+r.IntN(30)), 1)
		})
		return "weight " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // add a page
		langs := []string{"en", "ru"}
		f := fmt.Sprintf("content/%s/rights/new-%d.md", pick(r, langs), r.IntN(50))
		p := filepath.Join(dir, filepath.FromSlash(f))
		_ = os.WriteFile(p, []byte(fmt.Sprintf("+++\ntitle = \"New %d\"\n+++\nBody with [a link](../rights/_index.md).\n", r.IntN(100))), 0o644)
		return "add " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // delete a page nobody links to
		var cands []string
		for _, f := range mdFiles(dir) {
			if strings.Contains(f, "/new-") || strings.Contains(f, "unweighted") {
				cands = append(cands, f)
			}
		}
		if len(cands) == 0 {
			return "nothing to delete", nil
		}
		f := pick(r, cands)
		_ = os.Remove(filepath.Join(dir, filepath.FromSlash(f)))
		return "delete " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // break, or fix, front matter
		f := "content/en/rights/b-second.md"
		var state string
		rewrite(dir, f, func(s string) string {
			if strings.Contains(s, "colour") {
				state = "fix"
				return strings.Replace(s, "colour = \"red\"\n", "", 1)
			}
			state = "break"
			return strings.Replace(s, "+++\n", "+++\ncolour = \"red\"\n", 1)
		})
		return state + " front matter " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // break, or fix, a link in the body
		f := "content/en/rights/c-unweighted-new.md"
		var state string
		p := filepath.Join(dir, filepath.FromSlash(f))
		if _, err := os.Stat(p); err != nil {
			return "link file gone", nil
		}
		rewrite(dir, f, func(s string) string {
			if strings.Contains(s, "gone.md") {
				state = "fix"
				return strings.Replace(s, "[x](gone.md)", "", 1)
			}
			state = "break"
			return s + "\n[x](gone.md)\n"
		})
		return state + " link " + f, []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // template edit
		f := "themes/test/layouts/page.html"
		rewrite(dir, f, func(s string) string {
			return strings.Replace(s, "<h1>", fmt.Sprintf("<h1 data-v=\"%d\">", r.IntN(100)), 1)
		})
		return "template", []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // stylesheet edit
		f := "themes/test/static/style.css"
		rewrite(dir, f, func(s string) string { return fmt.Sprintf("body{color:#%03d}", r.IntN(1000)) })
		return "css", []string{f}
	},
	func(r *rand.Rand, dir string) (string, []string) { // section description
		f := pick(r, []string{"content/en/rights/_index.md", "content/ru/rights/_index.md", "content/en/_index.md"})
		rewrite(dir, f, func(s string) string {
			return strings.Replace(s, "+++\n", fmt.Sprintf("+++\ndescription = \"s%d\"\n", r.IntN(1000)), 1)
		})
		return "section " + f, []string{f}
	},
}

func pick(r *rand.Rand, list []string) string { return list[r.IntN(len(list))] }

// TestUpdateEqualsFreshBuild applies random edit sequences and checks after
// each update that the session's output equals a fresh build of the same
// sources, and that a failing update keeps the last good output.
func TestUpdateEqualsFreshBuild(t *testing.T) {
	for seed := uint64(1); seed <= 6; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			dir := randomizedSite(t, "basic")
			s := NewSession(Options{Source: os.DirFS(dir)})
			if _, err := s.Build(context.Background()); err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(seed, 7))
			partial := 0
			for step := 0; step < 40; step++ {
				name, paths := edits[r.IntN(len(edits))](r, dir)
				before := s.Files()
				res, err := s.Update(context.Background(), paths)
				want, wantErr := freshBuild(dir)
				label := fmt.Sprintf("step %d (%s)", step, name)
				if (err != nil) != (wantErr != nil) {
					t.Fatalf("%s: update error %v, fresh build error %v", label, err, wantErr)
				}
				if err != nil {
					sameFiles(t, label+" kept output", s.Files(), before)
					continue
				}
				if !res.Full {
					partial++
				}
				sameFiles(t, label, s.Files(), want)
			}
			if partial == 0 {
				t.Error("no update took the incremental path")
			}
		})
	}
}

// TestBodyEditRendersOnePage checks that a body edit renders one page only.
func TestBodyEditRendersOnePage(t *testing.T) {
	dir := diskSite(t, "basic")
	s := NewSession(Options{Source: os.DirFS(dir)})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, later := s.Snapshot(); s.files.Len() == 0 || later == nil {
		t.Fatal("a session should leave search indexes until asked")
	}
	if files := s.Files(); files["en/"+indexFile] == nil {
		t.Fatal("Files made no search index")
	}
	f := "content/en/rights/b-second.md"
	rewrite(dir, f, func(s string) string { return s + "\nNew paragraph.\n" })
	res, err := s.Update(context.Background(), []string{f})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rendered != 1 || strings.Join(res.Changed, ",") != "en/rights/b-second/handout.pdf,en/rights/b-second/index.html,en/rights/booklet.pdf,en/search-index.js" {
		t.Errorf("rendered %d pages, changed %v; want 1 page, its handout, its topic's booklet and the language's search index", res.Rendered, res.Changed)
	}
	// A title change re-renders the page, its section and its neighbours,
	// not the whole site.
	rewrite(dir, f, func(s string) string { return strings.Replace(s, "Second by weight", "Second, renamed", 1) })
	res, err = s.Update(context.Background(), []string{f})
	if err != nil {
		t.Fatal(err)
	}
	total := len(s.site.Pages) + 1 + len(s.site.Languages)
	if res.Full || res.Rendered >= total/2 {
		t.Errorf("title change rendered %d of %d pages", res.Rendered, total)
	}
	if !strings.Contains(strings.Join(res.Changed, ","), "en/rights/index.html") {
		t.Errorf("the section list was not updated: %v", res.Changed)
	}
}

// pageState is what a page and its site hold of it, to see later that
// nothing changed it: the page's fields, the lists it links to, its
// Markdown and what the Markdown stage made of it.
type pageState struct {
	page                                 content.Page
	pages, sections, translations, trail []*content.Page
	body                                 string
	rendered                             content.Rendered
}

func stateOf(res *Result) map[*content.Page]pageState {
	out := map[*content.Page]pageState{}
	for _, p := range res.Site.Pages {
		out[p] = pageState{page: *p, pages: slices.Clone(p.Pages), sections: slices.Clone(p.Sections),
			translations: slices.Clone(p.Translations), trail: p.Ancestors(),
			body: string(res.Site.Body(p)), rendered: *res.Bodies.Of(p)}
	}
	return out
}

// TestPagesNeverChange: after every kind of edit, the pages, bodies and
// converted Markdown of every earlier build are as they were, so a reader
// of an older build (a request served meanwhile, a check) never sees a
// page change under it.
func TestPagesNeverChange(t *testing.T) {
	dir := randomizedSite(t, "basic")
	s := NewSession(Options{Source: os.DirFS(dir)})
	res, err := s.Build(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	type build struct {
		res   *Result
		state map[*content.Page]pageState
	}
	builds := []build{{res, stateOf(res)}}
	r := rand.New(rand.NewPCG(3, 9))
	bodyEdits := 0
	for step := 0; step < 60; step++ {
		name, paths := edits[r.IntN(len(edits))](r, dir)
		res, err := s.Update(context.Background(), paths)
		if err == nil && res.Site != nil && res.Bodies != nil {
			if strings.HasPrefix(name, "body") && !res.Full && res.Rendered < 5 {
				bodyEdits++
			}
			builds = append(builds, build{res, stateOf(res)})
		}
		for i, b := range builds {
			for p, want := range b.state {
				if got := stateOf(b.res)[p]; !reflect.DeepEqual(got, want) {
					t.Fatalf("step %d (%s): page %s of build %d changed", step, name, p.File, i)
				}
			}
		}
	}
	if bodyEdits == 0 {
		t.Error("no body edit took the fast path")
	}
}

// TestDataEditRendersItsReaders: an edit of a data file renders again the
// pages that read that language's data, and no other; a broken data file
// fails the build with its position and leaves the last good output.
func TestDataEditRendersItsReaders(t *testing.T) {
	dir := diskSite(t, "data")
	s := NewSession(Options{Source: os.DirFS(dir)})
	ctx := context.Background()
	if _, err := s.Build(ctx); err != nil {
		t.Fatal(err)
	}
	f := "data/kk/services.yaml"
	rewrite(dir, f, func(s string) string {
		return strings.Replace(s, "Байланыс орталығы", "Бірыңғай байланыс орталығы", 1)
	})
	res, err := s.Update(ctx, []string{f})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(res.Changed, ",") != "kk/help/index.html" || res.Rendered > 2 {
		t.Errorf("rendered %d pages, changed %v; want the Kazakh help page", res.Rendered, res.Changed)
	}
	want, err := freshBuild(dir)
	if err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "data edit", s.Files(), want)
	// The shared file: both languages' readers.
	rewrite(dir, "data/services.toml", func(s string) string { return strings.Replace(s, "2026-12-01", "2026-12-02", 1) })
	if res, err = s.Update(ctx, []string{"data/services.toml"}); err != nil {
		t.Fatal(err)
	}
	// (Files made the lazy search indexes, which the next build drops.)
	pages := slices.DeleteFunc(slices.Clone(res.Changed), func(p string) bool { return strings.HasSuffix(p, indexFile) })
	if strings.Join(pages, ",") != "en/help/index.html,kk/help/index.html" {
		t.Errorf("changed %v", res.Changed)
	}
	before := s.Files()
	rewrite(dir, "data/regions.json", func(string) string { return "{\n  \"almaty\": {,}\n}" })
	res, err = s.Update(ctx, []string{"data/regions.json"})
	if err == nil || !strings.Contains(err.Error()+fmt.Sprint(res.Diagnostics), "data/regions.json:2:") {
		t.Errorf("a broken data file: %v %v", err, res.Diagnostics)
	}
	sameFiles(t, "broken data", s.Files(), before)
}

// TestDataDirInContent: a site whose data files are in content/_data
// (dataDir), beside its lessons, builds as the same site with them in
// data/, without a warning about a folder that is not a language, and an
// edit of one of them renders its readers again.
func TestDataDirInContent(t *testing.T) {
	dir := diskSite(t, "data")
	want, err := freshBuild(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "data"), filepath.Join(dir, "content", "_data")); err != nil {
		t.Fatal(err)
	}
	rewrite(dir, "config.toml", func(s string) string { return "dataDir = \"content/_data\"\n" + s })
	s := NewSession(Options{Source: os.DirFS(dir)})
	ctx := context.Background()
	res, err := s.Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range res.Diagnostics {
		t.Errorf("diagnostic: %v", d)
	}
	sameFiles(t, "dataDir in content/", s.Files(), want)
	f := "content/_data/kk/services.yaml"
	rewrite(dir, f, func(s string) string {
		return strings.Replace(s, "Байланыс орталығы", "Бірыңғай байланыс орталығы", 1)
	})
	if res, err = s.Update(ctx, []string{f}); err != nil {
		t.Fatal(err)
	}
	// (Files made the lazy search indexes, which the next build drops.)
	pages := slices.DeleteFunc(slices.Clone(res.Changed), func(p string) bool { return strings.HasSuffix(p, indexFile) })
	if strings.Join(pages, ",") != "kk/help/index.html" || res.Rendered > 2 {
		t.Errorf("rendered %d pages, changed %v; want the Kazakh help page", res.Rendered, res.Changed)
	}
}
