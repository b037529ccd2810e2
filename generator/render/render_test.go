package render

import (
	"strings"
	"testing"
	"testing/fstest"
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
