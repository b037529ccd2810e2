package workbench

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/site"
)

const addr = "127.0.0.1:1313"

// shapes are front matter the safe editor must keep: dotted keys, an
// inline table, YAML with comments at the margin inside a block.
var shapes = map[string]string{
	"content/en/rights/shape-dotted.md": "+++\ntitle = \"Dotted\"\n# a comment\ntranslation.original = \"en\"\nweight = 90\n+++\nBody.\n",
	"content/en/rights/shape-inline.md": "+++\ntitle = \"Inline\"\ntranslation = { original = \"en\" } # kept\nweight = 91\n+++\nBody.\n",
	"content/en/rights/shape-yaml.md":   "---\ntitle: YAML\n# a comment at the margin\naudience:\n  - teens\n# inside\n  - parents\nweight: 92\n---\nBody.\n",
}

// testSite copies the repository's site into a temporary folder, with the
// shapes, and returns it with a workbench over a session of it.
func testSite(t testing.TB) (string, *Workbench, *site.Session) {
	t.Helper()
	dir := t.TempDir()
	repo := filepath.Join("..", "..", "..")
	for _, top := range []string{"config.toml", "content", "themes"} {
		copyTree(t, filepath.Join(repo, top), filepath.Join(dir, top))
	}
	for rel, src := range shapes {
		if err := os.WriteFile(filepath.Join(dir, rel), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The workbench's tests do not look at handouts, which would make each
	// session's first build a second longer (ten under -race).
	s := site.NewSession(site.Options{Source: os.DirFS(dir), Config: func(c *config.Config) { c.Handouts.Enabled = false }})
	if _, err := s.Build(context.Background()); err != nil {
		t.Fatal(err)
	}
	wb := New(Options{Root: dir, Addr: addr, Now: func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) },
		State: func(*http.Request) (*content.Site, *config.Config, *check.Report) {
			var st *content.Site
			var cfg *config.Config
			s.Inspect(func(res *site.Result, _ map[string][]byte) { st, cfg = res.Site, res.Config })
			return st, cfg, nil
		}})
	return dir, wb, s
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// treeSum identifies every file under content/.
func treeSum(t testing.TB, dir string) string {
	t.Helper()
	h := sha256.New()
	_ = filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := os.ReadFile(p)
			fmt.Fprintf(h, "%s %x\n", p, sha256.Sum256(b))
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil))
}

// get fetches a workbench page as a browser on the server would.
func get(t testing.TB, wb *Workbench, target string) (int, string) {
	t.Helper()
	r := httptest.NewRequest("GET", "http://"+addr+target, nil)
	w := httptest.NewRecorder()
	wb.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// post sends a form as the workbench's own page would, changed by mod.
func post(wb *Workbench, target string, form url.Values, mod func(*http.Request)) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "http://"+addr+target, strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", "http://"+addr)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	if mod != nil {
		mod(r)
	}
	w := httptest.NewRecorder()
	wb.ServeHTTP(w, r)
	return w
}

var inputRe = regexp.MustCompile(`<(input|textarea|select)([^>]*)>`)

// formOf reads the lesson form of a page as a browser would submit it.
func formOf(t testing.TB, page string) url.Values {
	t.Helper()
	start := strings.Index(page, `action="/_edit/save"`)
	if start < 0 {
		t.Fatalf("no lesson form:\n%s", page)
	}
	form := page[start : start+strings.Index(page[start:], "</form>")]
	v := url.Values{}
	attr := func(a, name string) (string, bool) {
		m := regexp.MustCompile(name + `="([^"]*)"`).FindStringSubmatch(a)
		if m == nil {
			return "", false
		}
		return htmlUnescape(m[1]), true
	}
	for _, m := range inputRe.FindAllStringSubmatchIndex(form, -1) {
		tag, a := form[m[2]:m[3]], form[m[4]:m[5]]
		name, ok := attr(a, "name")
		if !ok {
			continue
		}
		switch {
		case tag == "textarea":
			rest := form[m[1]:]
			v.Add(name, htmlUnescape(rest[:strings.Index(rest, "</textarea>")]))
		case tag == "select":
			rest := form[m[1]:]
			opts := rest[:strings.Index(rest, "</select>")]
			val := "no"
			if s := regexp.MustCompile(`value="([^"]*)" selected`).FindStringSubmatch(opts); s != nil {
				val = s[1]
			}
			v.Add(name, val)
		case strings.Contains(a, `type="checkbox"`):
			if strings.Contains(a, " checked") {
				v.Add(name, "on")
			}
		default:
			val, _ := attr(a, "value")
			v.Add(name, val)
		}
	}
	return v
}

func htmlUnescape(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`, "&amp;", "&").Replace(s)
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
