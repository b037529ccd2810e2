package starter

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/check"
	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/i18n"
)

// reviewed is the day the starter's texts were last reviewed; checks run
// on it so that the test does not age.
var reviewed = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

func TestLanguages(t *testing.T) {
	for _, tc := range []struct {
		code, name, dir string
		texts           bool
	}{
		{"kk", "Қазақша", "ltr", true},
		{"ru", "Русский", "ltr", true},
		{"en", "English", "ltr", true},
		{"ky", "Кыргызча", "ltr", false},
		{"uz", "O‘zbek", "ltr", false},
		{"uz-Cyrl", "Ўзбекча", "ltr", false},
		{"ar", "العربية", "rtl", false},
		{"qaa", "", "ltr", false}, // private use: CLDR has no name
	} {
		ls, err := describe([]string{tc.code})
		if err != nil {
			t.Fatalf("%s: %v", tc.code, err)
		}
		l := ls[0]
		if l.name != tc.name || l.direction != tc.dir || l.texts != tc.texts {
			t.Errorf("%s: got name %q dir %s texts %v, want %q %s %v", tc.code, l.name, l.direction, l.texts, tc.name, tc.dir, tc.texts)
		}
	}
	for _, bad := range [][]string{{"zz"}, {"k k"}, {"../en"}, {"EN"}, {"kk", "kk"}, {}} {
		if _, err := describe(bad); !errors.As(err, new(*LangError)) {
			t.Errorf("%q: got %v, want a LangError", bad, err)
		}
	}
}

// TestNewSites writes sites in several sets of languages and checks each
// as `qorgau check` would: no errors, and for languages the starter has
// texts and UI strings for, no warnings either.
func TestNewSites(t *testing.T) {
	for _, tc := range []struct {
		langs        string
		untranslated map[string]bool // languages whose UI strings are English copies
	}{
		{"kk,ru,en", nil},
		{"en", nil},
		{"ru,kk", nil},
		{"ky", map[string]bool{"ky": true}},
		{"uz,ru,en", map[string]bool{"uz": true}},
		{"uk,en", map[string]bool{"uk": true}},
		{"ar,en", map[string]bool{"ar": true}},
		{"qaa,kk", map[string]bool{"qaa": true}},
	} {
		t.Run(tc.langs, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			res, err := Write(Options{Dir: dir, Langs: strings.Split(tc.langs, ","), Title: "Мектеп \"Q\""})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range res.Translations {
				if _, err := check.MarkSynced(context.Background(), dir, filepath.Join(dir, f)); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := check.Run(context.Background(), check.Options{Source: os.DirFS(dir), Now: reviewed})
			if err != nil {
				t.Fatal(err)
			}
			cfg := rep.Config
			if cfg == nil || cfg.Title != "Мектеп \"Q\"" || strings.Join(cfg.LanguageOrder, ",") != tc.langs {
				t.Fatalf("config: %+v", cfg)
			}
			en, _ := os.ReadFile(filepath.Join("..", "theme", "qorgau", "i18n", "en.toml"))
			c := i18n.NewCatalog("en")
			if err := c.Add("en.toml", en); err != nil {
				t.Fatal(err)
			}
			english := len(c.Keys())
			count := map[string]int{}
			for _, f := range rep.Findings {
				switch {
				case f.Severity == check.Info: // external links, listed
				case f.Severity == check.Error:
					t.Errorf("error: %s %s: %s", f.Pos(), f.Kind, f.Message)
				case f.Kind == "untranslated-ui-string":
					count[strings.TrimSuffix(strings.TrimPrefix(f.Path, "i18n/"), ".toml")]++
				case f.Kind == "missing-translation" || f.Kind == "untracked-translation":
					// a language without texts has its help section and home page to write
					if !aboutUntranslated(f, tc.untranslated) {
						t.Errorf("%s %s: %s", f.Pos(), f.Kind, f.Message)
					}
				case f.Kind == "ui-string" && tc.untranslated["qaa"] && f.Path == config.FileName:
				default:
					if tc.untranslated == nil {
						t.Errorf("warning in a site in %s: %s %s: %s", tc.langs, f.Pos(), f.Kind, f.Message)
					}
				}
			}
			for lang := range tc.untranslated {
				if count[lang] != english {
					t.Errorf("%s: %d strings reported untranslated, want all %d", lang, count[lang], english)
				}
			}
			// Every language has a home page; the ones with texts a help section.
			for _, lang := range cfg.LanguageOrder {
				if rep.Site.PageByFile("content/"+lang+"/_index.md") == nil {
					t.Errorf("%s has no home page", lang)
				}
				help := rep.Site.PageByFile("content/" + lang + "/help/stay-safe-online.md")
				if (help != nil) != HasTexts(lang) {
					t.Errorf("%s: stay-safe-online page %v, texts %v", lang, help != nil, HasTexts(lang))
				}
			}
			if !slices.Contains(res.Created, "README.md") {
				t.Errorf("no README: %v", res.Created)
			}
		})
	}
}

// aboutUntranslated reports whether a translation finding is about a
// language without texts: its pages, or "no ky translation of this page".
func aboutUntranslated(f check.Finding, langs map[string]bool) bool {
	for l := range langs {
		if strings.HasPrefix(f.Path, "content/"+l+"/") || strings.Contains(f.Message, "no "+l+" translation") {
			return true
		}
	}
	return false
}

func TestUIStringsToTranslate(t *testing.T) {
	ls, _ := describe([]string{"uk"})
	src, err := uiStrings(ls[0])
	if err != nil {
		t.Fatal(err)
	}
	c := i18n.NewCatalog("uk")
	if err := c.Add("uk.toml", src); err != nil {
		t.Fatal(err)
	}
	m, ok := c.Lookup("lessons")
	if !ok || len(m.Forms) != 4 || m.Forms["one"] != "{count} lesson" || m.Forms["few"] != "{count} lessons" {
		t.Errorf("lessons in uk: %+v", m)
	}
	if n := strings.Count(string(src), "# translate"); n != len(c.Keys()) {
		t.Errorf("%d strings marked for translation, want %d", n, len(c.Keys()))
	}
	if !strings.HasPrefix(string(src), "# The words") || !strings.Contains(string(src), "skipToContent = \"Skip to content\"   # translate\n") {
		t.Errorf("file:\n%s", src)
	}
}

func TestRefusals(t *testing.T) {
	t.Run("a site", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "config.toml"), []byte("title = \"x\"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(Options{Dir: dir, Langs: []string{"en"}, Force: true}); !errors.Is(err, ErrSiteExists) {
			t.Errorf("got %v", err)
		}
	})
	t.Run("other files", func(t *testing.T) {
		dir := t.TempDir()
		mine := filepath.Join(dir, "README.md")
		if err := os.WriteFile(mine, []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(Options{Dir: dir, Langs: []string{"en"}}); !errors.Is(err, ErrNotEmpty) {
			t.Errorf("without --force: %v", err)
		}
		// With --force, a file of the same name is still never overwritten.
		if _, err := Write(Options{Dir: dir, Langs: []string{"en"}, Force: true}); err == nil || !strings.Contains(err.Error(), "exists") {
			t.Errorf("with --force over README.md: %v", err)
		}
		if b, _ := os.ReadFile(mine); string(b) != "mine" {
			t.Errorf("README.md was overwritten")
		}
		if _, err := os.Stat(filepath.Join(dir, "config.toml")); err == nil {
			t.Errorf("files were written although one was in the way")
		}
	})
	t.Run("hidden files", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.Mkdir(filepath.Join(dir, ".git"), 0o755); err != nil {
			t.Fatal(err)
		}
		if _, err := Write(Options{Dir: dir, Langs: []string{"en"}}); err != nil {
			t.Errorf("a folder with only .git: %v", err)
		}
	})
	t.Run("a link out of the folder", func(t *testing.T) {
		dir, outside := t.TempDir(), t.TempDir()
		if err := os.Symlink(outside, filepath.Join(dir, "i18n")); err != nil {
			t.Skip("no symlinks here:", err)
		}
		_, err := Write(Options{Dir: dir, Langs: []string{"ky"}, Force: true})
		if err == nil {
			t.Errorf("wrote through a link out of the folder")
		}
		if entries, _ := os.ReadDir(outside); len(entries) > 0 {
			t.Errorf("wrote outside the site: %v", entries)
		}
	})
}
