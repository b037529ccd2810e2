package content

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
)

func load(t *testing.T, files map[string]string) (*Site, []*diag.Diagnostic) {
	t.Helper()
	cfg, err := config.Parse([]byte("defaultLanguage = \"en\"\n[languages.en]\nname = \"English\"\n[languages.kk]\nname = \"Қазақша\"\nlocale = \"kk-KZ\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{}
	for k, v := range files {
		fsys[k] = &fstest.MapFile{Data: []byte(v)}
	}
	var diags diag.List
	s := Load(context.Background(), fsys, cfg, Options{}, &diags)
	return s, diags.Items()
}

func TestSortAndNeighbours(t *testing.T) {
	s, ds := load(t, map[string]string{
		"content/kk/s/a.md": "+++\ntitle = \"Ұ\"\n+++\n",
		"content/kk/s/b.md": "+++\ntitle = \"Ә\"\n+++\n",
		"content/kk/s/c.md": "+++\ntitle = \"Я\"\nweight = 2\n+++\n",
		"content/kk/s/d.md": "+++\ntitle = \"А\"\n+++\n",
		"content/kk/s/e.md": "+++\ntitle = \"Б\"\nweight = 1\ndate = 2020-01-01\n+++\n",
		"content/kk/s/f.md": "+++\ntitle = \"Ф\"\ndate = 2024-01-01\n+++\n",
	})
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	sec := s.PageByFile("content/kk/s")
	var titles []string
	for _, p := range sec.Pages {
		titles = append(titles, p.Title)
	}
	// weight first (0 last), then newest date, then Kazakh collation (А Ә ... Ұ).
	if got := strings.Join(titles, " "); got != "Б Я Ф А Ә Ұ" {
		t.Errorf("order %q", got)
	}
	if sec.Pages[0].Prev != nil || sec.Pages[0].Next != sec.Pages[1] || sec.Pages[5].Next != nil || sec.Pages[5].Prev != sec.Pages[4] {
		t.Error("prev/next not linked")
	}
}

func TestTranslations(t *testing.T) {
	s, ds := load(t, map[string]string{
		"content/en/s/same.md":  "+++\ntitle = \"Same path\"\n+++\n",
		"content/kk/s/same.md":  "+++\ntitle = \"Бірдей жол\"\n+++\n",
		"content/en/s/key.md":   "+++\ntitle = \"By key\"\ntranslationKey = \"k\"\n+++\n",
		"content/kk/s/kilt.md":  "+++\ntitle = \"Кілт\"\ntranslationKey = \"k\"\n+++\n",
		"content/en/s/alone.md": "+++\ntitle = \"Alone\"\n+++\n",
	})
	if len(ds) > 0 {
		t.Fatal(ds)
	}
	for _, tc := range []struct{ file, other, missing string }{
		{"content/en/s/same.md", "/kk/s/same/", ""},
		{"content/kk/s/same.md", "/en/s/same/", ""},
		{"content/en/s/key.md", "/kk/s/kilt/", ""},
		{"content/en/s/alone.md", "", "kk"},
	} {
		p := s.PageByFile(tc.file)
		var got string
		if len(p.Translations) > 0 {
			got = p.Translations[0].URL
		}
		if got != tc.other || strings.Join(p.Missing, ",") != tc.missing {
			t.Errorf("%s: translations %q missing %v; want %q %q", tc.file, got, p.Missing, tc.other, tc.missing)
		}
	}
	if s.PageByFile("content/en/s").Translation("kk") == nil {
		t.Error("sections with the same folder are translations")
	}
}

func TestAliasesAndSlugs(t *testing.T) {
	for _, tc := range []struct {
		alias, out, err string
	}{
		{"/en/old/", "en/old/index.html", ""},
		{"old", "en/old/index.html", ""},
		{"/page.html", "page.html", ""},
		{"/../x/", "", "not allowed"},
		{"/a/../../x/", "", "not allowed"},
		{"https://evil.example/", "", "full URL"},
		{"//evil.example/", "", "full URL"},
		{"/a\x00b/", "", "not allowed"},
		{"/a\\..\\b/", "", "not allowed"},
		{"/", "", "root"},
		{"/a//b/", "", "empty path segment"},
	} {
		out, _, err := aliasPath(&Page{Lang: "en"}, tc.alias)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("alias %q: err %v, want %q", tc.alias, err, tc.err)
			}
			continue
		}
		if err != nil || out != tc.out {
			t.Errorf("alias %q: %q %v, want %q", tc.alias, out, err, tc.out)
		}
	}
	for s, ok := range map[string]bool{"ok": true, "құқық": true, "a b": true, "..": false, ".": false, "a/b": false, "a\\b": false, "a\x00": false, "": false, "a?b": false, "a%2e": false} {
		if validSegment(s) != ok {
			t.Errorf("validSegment(%q) = %v", s, !ok)
		}
	}
}

func TestDraftsAndIgnored(t *testing.T) {
	s, _ := load(t, map[string]string{
		"content/en/s/draft.md":   "+++\ntitle = \"D\"\ndraft = true\n+++\n",
		"content/en/s/.hidden.md": "x",
		"content/en/s/#x.md#":     "x",
		"content/en/s/x.md~":      "x",
		"content/en/s/.x.md.swp":  "x",
		"content/en/s/live.md":    "Body",
		"content/en/.git/HEAD":    "x",
		"content/en/s/4913":       "x",
	})
	sec := s.PageByFile("content/en/s")
	if len(sec.Pages) != 1 || sec.Pages[0].Title != "Live" {
		t.Errorf("want only live.md, got %d pages", len(sec.Pages))
	}
	if len(sec.Resources) != 0 {
		t.Errorf("ignored files became resources: %v", sec.Resources)
	}
	_ = time.Now
}

// TestTitleFromBody: a page without a title takes its first heading, of
// any level; one that opens the body leaves it.
func TestTitleFromBody(t *testing.T) {
	for _, tc := range []struct{ body, title, rest string }{
		{"# Title\nText.\n", "Title", "Text.\n"},
		{"\n## Chapter 1 ##\nText.\n", "Chapter 1", "Text.\n"},
		{"Intro.\n\n### Later\nMore.\n", "Later", "Intro.\n\n### Later\nMore.\n"},
		{"```\n# not a heading\n```\n## Real\n", "Real", "```\n# not a heading\n```\n## Real\n"},
		{"~~~~\n## inside\n~~~~\n", "", "~~~~\n## inside\n~~~~\n"},
		{"#hashtag\n", "", "#hashtag\n"},
		{"   ## Indented three\nx\n", "Indented three", "x\n"},
		{"    # code block\n", "", "    # code block\n"},
		{"####### seven\n", "", "####### seven\n"},
	} {
		title, rest, _ := titleFromBody([]byte(tc.body), 1)
		if title != tc.title || string(rest) != tc.rest {
			t.Errorf("%q: got %q, %q; want %q, %q", tc.body, title, rest, tc.title, tc.rest)
		}
	}
}

func TestTermSlug(t *testing.T) {
	for term, want := range map[string]string{"teens 14+": "teens-14", "Online Safety": "online-safety", "жасөспірімдер 14+": "жасөспірімдер-14", "  a/b  ": "a-b", "+++": ""} {
		if got := TermSlug(term); got != want {
			t.Errorf("%q: got %q, want %q", term, got, want)
		}
	}
}
