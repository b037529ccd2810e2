package site

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"testing/fstest"

	"github.com/qorgau/qorgau/generator/internal/output"
)

// TestTemplateErrors checks that template problems name the template file
// and line, and that a site's layout overrides are where errors point.
func TestTemplateErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{"syntax", map[string]string{"layouts/page.html": "{{define \"main\"}}\n<h1>{{.Page.Title}</h1>{{end}}"},
			[]string{"layouts/page.html:2:"}},
		{"execution", map[string]string{"layouts/page.html": "{{define \"main\"}}\n\n<p>{{.Page.NoSuchField}}</p>{{end}}"},
			[]string{"layouts/page.html:3:", "NoSuchField"}},
		{"recursion", map[string]string{"layouts/partials/nav.html": "{{template \"partials/nav.html\" .}}"},
			[]string{"layouts/partials/nav.html:1:11", "a template calls itself"}},
		{"unknown menu page", map[string]string{"config.toml": "title = \"x\"\ntheme = \"test\"\ndefaultLanguage = \"en\"\n[languages.en]\nname = \"E\"\n[[languages.en.menu]]\nname = \"Gone\"\npage = \"gone/_index.md\"\n"},
			[]string{`config.toml:6:1: menu entry "Gone" of language "en" points to "gone/_index.md", which is not a page`}},
		{"missing theme", map[string]string{"config.toml": "theme = \"nope\"\n[languages.en]\nname = \"E\"\ndefaultLanguage = \"en\"\n"},
			[]string{"config.toml:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := siteFS(t, "basic")
			for k, v := range tc.files {
				fsys[k] = &fstest.MapFile{Data: []byte(v)}
			}
			_, err := Build(context.Background(), Options{Source: fsys, Writer: output.NewMemory()})
			if err == nil {
				t.Fatal("want an error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\nlacks %q", err, w)
				}
			}
		})
	}
}

// TestEscaping checks that a title with markup is text everywhere.
func TestEscaping(t *testing.T) {
	fsys := siteFS(t, "basic")
	fsys["content/en/rights/a-first.md"] = &fstest.MapFile{Data: []byte("+++\ntitle = \"<script>alert(1)</script>\"\ndescription = \"<b>x</b>\"\n+++\n<script>alert(2)</script>\n\n[x](javascript:alert(3))\n")}
	mem := output.NewMemory()
	if _, err := Build(context.Background(), Options{Source: fsys, Writer: mem}); err != nil {
		t.Fatal(err)
	}
	for path, b := range mem.Files() {
		s := string(b)
		if strings.Contains(s, "<script>alert") || strings.Contains(s, "javascript:alert") {
			t.Errorf("%s contains unescaped markup", path)
		}
	}
	page, _ := mem.Get("en/rights/a-first/index.html")
	if !strings.Contains(string(page), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("title not shown as text:\n%s", page)
	}
	for file, want := range map[string]string{
		"en/search-index.js": `\u003cscript\u003ealert(1)\u003c/script\u003e`,
		"en/atom.xml":        "&lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		b, _ := mem.Get(file)
		if !strings.Contains(string(b), want) {
			t.Errorf("%s does not escape the title", file)
		}
	}
}

// fullDisk fails every write after the first few, like a disk that fills up.
type fullDisk struct{ n atomic.Int64 } // written to from every render worker

func (f *fullDisk) WriteFile(rel string, data []byte) error {
	if f.n.Add(1) > 5 {
		return fmt.Errorf("write %s: %w", rel, syscall.ENOSPC)
	}
	return nil
}

// failingFS makes one file unreadable, as a file without read permission is.
type failingFS struct {
	fs.FS
	bad string
}

func (f failingFS) Open(name string) (fs.File, error) {
	if name == f.bad {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.FS.Open(name)
}

func TestFullDiskAndUnreadableFile(t *testing.T) {
	_, err := Build(context.Background(), Options{Source: siteFS(t, "basic"), Writer: &fullDisk{}})
	if err == nil || !strings.Contains(err.Error(), "no space left on device") {
		t.Errorf("full disk: %v", err)
	}
	_, err = Build(context.Background(), Options{Source: failingFS{siteFS(t, "basic"), "content/en/rights/a-first.md"}, Writer: output.NewMemory()})
	if err == nil || !strings.Contains(err.Error(), "content/en/rights/a-first.md: cannot read file: permission denied") {
		t.Errorf("unreadable file: %v", err)
	}
}
