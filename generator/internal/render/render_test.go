package render

import (
	"fmt"
	"html/template"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/qorgau/qorgau/generator/internal/i18n"
)

// TestLookupOrder checks the layout lookup order that README.md documents.
func TestLookupOrder(t *testing.T) {
	fsys := fstest.MapFS{
		"themes/t/layouts/page.html":        {Data: []byte("theme page")},
		"themes/t/layouts/section.html":     {Data: []byte("theme section")},
		"themes/t/layouts/home.html":        {Data: []byte("theme home")},
		"themes/t/layouts/rights/page.html": {Data: []byte("theme rights page")},
		"themes/t/layouts/special.html":     {Data: []byte("theme special")},
		"themes/t/layouts/partials/x.html":  {Data: []byte("theme partial")},
		"layouts/home.html":                 {Data: []byte("site home")},
		"layouts/help/section.html":         {Data: []byte("site help section")},
		"layouts/partials/x.html":           {Data: []byte("site partial")},
		"layouts/help/special.html":         {Data: []byte("site help special")},
		"layouts/notes.txt":                 {Data: []byte("not a layout")},
	}
	l, err := FindLayouts(fsys, LayoutDirs("t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind, section, layout, want, source string
	}{
		{"home", "", "", "home.html", "layouts/home.html"},
		{"page", "", "", "page.html", "themes/t/layouts/page.html"},
		{"page", "rights", "", "rights/page.html", "themes/t/layouts/rights/page.html"},
		{"page", "help", "", "page.html", "themes/t/layouts/page.html"},
		{"section", "help", "", "help/section.html", "layouts/help/section.html"},
		{"section", "rights", "", "section.html", "themes/t/layouts/section.html"},
		{"page", "help", "special", "help/special.html", "layouts/help/special.html"},
		{"page", "rights", "special", "special.html", "themes/t/layouts/special.html"},
		{"page", "rights", "missing", "", ""},
		{"root", "", "", "", ""},
	} {
		got, tried := l.Lookup(tc.kind, tc.section, tc.layout)
		src, _ := l.Source(got)
		if got != tc.want || src != tc.source {
			t.Errorf("Lookup(%s, %s, %s) = %s from %s (tried %s); want %s from %s", tc.kind, tc.section, tc.layout, got, src, strings.Join(tried, " "), tc.want, tc.source)
		}
	}
	if src, _ := l.Source("partials/x.html"); src != "layouts/partials/x.html" {
		t.Errorf("site partial should override the theme's, got %s", src)
	}
	if _, ok := l.Source("notes.txt"); ok {
		t.Error("non-HTML files are not layouts")
	}
}

func TestPlainText(t *testing.T) {
	for s, plain := range map[string]bool{
		"Battery is a crime again.":  true,
		"Ұрып-соғу қайтадан қылмыс.": true,
		"Call 112: free, 24/7.":      true,
		"**Bold** text":              false,
		"A [link](x.md)":             false,
		"Quotes \"here\"":            false,
		"Dashes -- here":             false,
		"Wait...":                    false,
		"See https://example.org":    false,
		"it's":                       false,
		"a < b":                      false,
	} {
		if got := plainText(s); got != plain {
			t.Errorf("plainText(%q) = %v, want %v", s, got, plain)
		}
	}
}

// TestFoldT checks that constant UI strings are put into a language's copy
// of a template, still escaped where they stand, that other copies keep
// their own, and that a missing string is left to fail at execution.
func TestFoldT(t *testing.T) {
	cats := map[string]*i18n.Catalog{}
	for lang, src := range map[string]string{
		"en": "quote = \"Say \\\"no\\\" & <leave>\"\n[lessons]\none = \"{count} lesson\"\nother = \"{count} lessons\"\n",
		"ru": "quote = \"Скажи «нет»\"\n[lessons]\none = \"{count} урок\"\nfew = \"{count} урока\"\nmany = \"{count} уроков\"\nother = \"{count} урока\"\n",
	} {
		c := i18n.NewCatalog(lang)
		if err := c.Add(lang+".toml", []byte(src)); err != nil {
			t.Fatal(err)
		}
		cats[lang] = c
	}
	base := template.Must(template.New("p").Funcs(template.FuncMap{"T": func(string, ...int) (string, error) { return "", nil }}).
		Parse(`<p title="{{T "quote"}}">{{T "quote"}} · {{T "lessons" 3}}</p>{{if .}}{{T "missing"}}{{end}}`))
	want := map[string]string{
		"en": `<p title="Say &#34;no&#34; &amp; &lt;leave&gt;">Say &#34;no&#34; &amp; &lt;leave&gt; · 3 lessons</p>`,
		"ru": `<p title="Скажи «нет»">Скажи «нет» · 3 урока</p>`,
	}
	for _, lang := range []string{"en", "ru"} {
		c := template.Must(base.Clone())
		for _, tt := range c.Templates() {
			foldT(tt.Tree.Root, cats[lang])
		}
		// T itself now fails: only folded calls can succeed.
		c.Funcs(template.FuncMap{"T": func(key string, _ ...int) (string, error) { return "", fmt.Errorf("T %q called", key) }})
		var b strings.Builder
		if err := c.Execute(&b, false); err != nil || b.String() != want[lang] {
			t.Errorf("%s: %q, %v; want %q", lang, b.String(), err, want[lang])
		}
		if err := c.Execute(&b, true); err == nil || !strings.Contains(err.Error(), `T "missing" called`) {
			t.Errorf("%s: a missing string should still fail at execution: %v", lang, err)
		}
	}
}

func TestFormatDate(t *testing.T) {
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    any
		lang string
		want string
	}{
		{day, "ru", "1 декабря 2026 г."},
		{"2026-12-01", "kk", "2026 жылғы 1 желтоқсан"},
		{stringer("2026-12-01"), "en", "1 December 2026"}, // a TOML date of a data file
		{"soon", "en", "soon"},
		{nil, "en", ""},
	} {
		if got := formatDate(tc.v, tc.lang); got != tc.want {
			t.Errorf("%v %s: got %q, want %q", tc.v, tc.lang, got, tc.want)
		}
	}
}

type stringer string

func (s stringer) String() string { return string(s) }
