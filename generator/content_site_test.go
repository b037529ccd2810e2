package main

import (
	"context"
	"fmt"
	neturl "net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/data"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
)

// moduleSections hold lessons; help pages and the home are not modules.
var moduleSections = map[string]bool{"rights": true, "warning-signs": true, "child-protection": true, "penalties": true, "educators": true}

// repoHotlines are a language's help numbers in the repository's data files.
func repoHotlines(t *testing.T, lang string) []any {
	t.Helper()
	cfg, err := config.Load(os.DirFS(".."))
	if err != nil {
		t.Fatal(err)
	}
	d, err := data.Load(os.DirFS(".."), cfg.DataDir, []string{lang})
	if err != nil {
		t.Fatal(err)
	}
	help, _ := d[lang]["help"].(map[string]any)
	list, _ := help["hotlines"].([]any)
	return list
}

// TestLessons builds the repository's site and checks its lessons: every
// module in every language with the same translation links, complete front
// matter, legal sources and review dates on the penalties modules, help
// numbers matching config, and no broken internal link.
func TestLessons(t *testing.T) {
	mem := output.NewMemory()
	res, err := site.Build(context.Background(), site.Options{Source: os.DirFS(".."), Writer: mem, Config: noHandouts})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Site
	modules := 0
	for _, p := range s.Pages {
		if len(p.Missing) > 0 {
			t.Errorf("%s has no translation in %v", p.File, p.Missing)
		}
		section := strings.SplitN(p.Dir, "/", 2)[0]
		if p.Kind != content.KindPage || !moduleSections[section] {
			continue
		}
		modules++
		fail := func(format string, args ...any) { t.Errorf("%s: %s", p.File, fmt.Sprintf(format, args...)) }
		if p.Title == "" || p.Description == "" || len(p.Audience) == 0 || p.Duration <= 0 || p.Weight <= 0 ||
			len(p.Objectives) < 2 || p.LastReviewed.IsZero() || len(p.Sources) == 0 || len(p.Quiz) < 3 ||
			len(p.KeyFacts) == 0 || len(p.Discussion) == 0 {
			fail("front matter incomplete: title, description, audience, duration, weight, 2+ objectives, lastReviewed, sources, 3+ quiz items, keyFacts and discussion are required")
		}
		for _, q := range p.Quiz {
			if q.Question == "" || q.Answer == "" {
				fail("quiz item without question or answer")
			}
		}
		for _, src := range p.Sources {
			if src.Title == "" || !strings.HasPrefix(src.URL, "https://") {
				fail("source %q needs a title and an https URL", src.Title)
			}
		}
		if section == "educators" && len(p.TeacherNotes) == 0 {
			fail("educators' modules need teacher notes")
		}
		if section == "penalties" {
			if !p.HasLegalSource() {
				fail("a penalties module must name a legal source (legal = true)")
			}
			if !strings.Contains(string(s.Body(p)), "[!IMPORTANT]") {
				fail("a penalties module must say it is education, not legal advice")
			}
		}
		if !strings.Contains(string(s.Body(p)), "## ") {
			fail("the body has no sections")
		}
		if p.Lang == "en" && p.NeedsReview {
			fail("the English original is marked as needing review")
		}
		if p.Lang != "en" && !p.NeedsReview {
			fail("machine-made translations must keep needsReview = true until a native speaker checks them")
		}
		for _, tr := range p.Translations {
			if len(tr.Quiz) != len(p.Quiz) || len(tr.Sources) != len(p.Sources) || tr.Weight != p.Weight {
				fail("translation %s differs in quiz items, sources or weight", tr.File)
			}
		}
	}
	if modules < 3*16 {
		t.Errorf("%d modules; want at least 16 in each of 3 languages", modules)
	}

	// The help page lists the numbers of the data files, in every
	// language, and each number says where it was checked and when.
	for _, lang := range s.Languages {
		page := s.PageByFile("content/" + lang.Code + "/help/numbers-and-services.md")
		if page == nil {
			t.Fatalf("%s: no help/numbers-and-services.md", lang.Code)
		}
		hotlines := repoHotlines(t, lang.Code)
		if len(hotlines) < 4 {
			t.Fatalf("%s: content/_data/%s/help.toml lists %d hotlines", lang.Code, lang.Code, len(hotlines))
		}
		for _, h := range hotlines {
			m := h.(map[string]any)
			if src, _ := m["source"].(string); !strings.HasPrefix(src, "https://") || m["checked"] == nil {
				t.Errorf("%s: hotline %v has no source or date checked", lang.Code, m["number"])
			}
			num := fmt.Sprint(m["number"])
			if !regexp.MustCompile(`\b` + num + `\b`).Match(s.Body(page)) {
				t.Errorf("%s: help page does not list %s from config", lang.Code, num)
			}
		}
	}

	files := mem.Files()
	// "Help near you" lists the national services from the data files,
	// each with its source and the day it was checked.
	for _, lang := range s.Languages {
		page := string(files[lang.Code+"/help/near-you/index.html"])
		checked := i18n.FormatDate(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), lang.Code)
		if !strings.Contains(page, `href="tel:111"`) || strings.Count(page, "egov.kz") < 2 || strings.Count(page, checked) < 4 {
			t.Errorf("%s/help/near-you/ does not list the national services with sources and dates", lang.Code)
		}
	}

	// No broken internal link in the built site (template links included).
	linkRe := regexp.MustCompile(`\bhref="?(/[^"# >]*)`)
	for path, b := range files {
		if !strings.HasSuffix(path, ".html") {
			continue
		}
		for _, m := range linkRe.FindAllSubmatch(b, -1) {
			target := strings.TrimPrefix(string(m[1]), "/")
			if u, err := neturl.PathUnescape(target); err == nil {
				target = u // Cyrillic URLs are written percent-encoded
			}
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			}
			if _, ok := files[target]; !ok {
				t.Errorf("%s links to /%s, which is not built", path, strings.TrimSuffix(target, "index.html"))
			}
		}
	}
}

func TestNewLesson(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"content", "themes"} {
		copyDir(t, filepath.Join("..", d), filepath.Join(dir, d))
	}
	cfg, _ := os.ReadFile(filepath.Join("..", "config.toml"))
	if err := os.WriteFile(filepath.Join(dir, "config.toml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI("new", "penalties/new-rules", "--source", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, lang := range []string{"kk", "ru", "en"} {
		b, err := os.ReadFile(filepath.Join(dir, "content", lang, "penalties", "new-rules.md"))
		if err != nil {
			t.Fatal(err)
		}
		for _, field := range []string{"title", "description", "audience", "duration", "objectives", "weight", "lastReviewed", "[[sources]]", "[[quiz]]", "draft = true"} {
			if !strings.Contains(string(b), field) {
				t.Errorf("%s lesson lacks %s", lang, field)
			}
		}
		if (lang != "en") != strings.Contains(string(b), "needsReview = true") {
			t.Errorf("%s: needsReview marks only translations", lang)
		}
	}
	if !strings.Contains(stdout, "created") {
		t.Errorf("stdout %q", stdout)
	}
	if code, _, stderr := runCLI("build", "--source", dir, "--drafts", "--quiet"); code != 0 {
		t.Fatalf("a new lesson must build: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "kk", "penalties", "new-rules", "index.html")); err != nil {
		t.Error("draft lesson not built with --drafts")
	}
	if code, _, stderr := runCLI("new", "penalties/new-rules", "--source", dir); code != 1 || !strings.Contains(stderr, "already exists") {
		t.Errorf("second new: exit %d %s", code, stderr)
	}
	for _, bad := range []string{"../x/y", "penalties", "a/b/c", "Penalties/X"} {
		if code, _, _ := runCLI("new", bad, "--source", dir); code != 2 {
			t.Errorf("new %s: exit %d, want 2", bad, code)
		}
	}
	if code, _, _ := runCLI("new", "rights/x", "--source", dir, "--lang", "de"); code != 2 {
		t.Error("unknown language should be a usage error")
	}
}
