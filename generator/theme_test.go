package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
)

var (
	builtOnce sync.Once
	builtDir  string
	builtErr  string
)

// repoSite builds the repository's site once for the tests that read it.
func repoSite(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "qorgau-site-")
		if err != nil {
			builtErr = err.Error()
			return
		}
		builtDir = filepath.Join(dir, "public")
		if code, _, stderr := runCLI("build", "--source", "..", "--dest", builtDir, "--quiet"); code != 0 {
			builtErr = stderr
		}
	})
	if builtErr != "" {
		t.Fatal(builtErr)
	}
	return builtDir
}

func htmlPages(t *testing.T, dir string) map[string]string {
	t.Helper()
	pages := map[string]string{}
	_ = filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			pages[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	if len(pages) < 50 {
		t.Fatalf("only %d pages built", len(pages))
	}
	return pages
}

var (
	resourceRe = regexp.MustCompile(`<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc="?([^" >]+)|<link\b[^>]*\brel="?(?:stylesheet|icon|preload|manifest)"?[^>]*\bhref="?([^" >]+)|<form\b[^>]*\baction="?([^" >]+)|url\(([^)]+)\)`)
	h1Re       = regexp.MustCompile(`<h1[\s>]`)
)

// TestThemeEveryPage checks what the default theme promises on every page:
// the quick exit (a plain link that works without JS, first in the tab
// order), help numbers as tel: links, a strict CSP, no referrer, nothing
// loaded from another origin, one h1, and the page's language.
func TestThemeEveryPage(t *testing.T) {
	dir := repoSite(t)
	for path, page := range htmlPages(t, dir) {
		if strings.Contains(page, `http-equiv="refresh"`) {
			continue // alias redirect pages
		}
		lang := strings.SplitN(path, "/", 2)[0]
		if !strings.Contains(path, "/") {
			lang = "kk"
		}
		checks := map[string]bool{
			"html lang":               strings.Contains(page, `<html lang="`+lang+`"`),
			"CSP script-src self":     strings.Contains(page, `Content-Security-Policy`) && strings.Contains(page, `script-src 'self'`),
			"no referrer":             strings.Contains(page, `name="referrer" content="no-referrer"`),
			"exit link first in body": regexp.MustCompile(`<body[^>]*><a class="?visually-hidden-focusable exit-skip"? href="?https?://`).MatchString(page),
			"exit button":             strings.Contains(page, `quick-exit-button`),
			"one h1":                  len(h1Re.FindAllString(page, -1)) == 1,
		}
		if path != "index.html" {
			checks["tel: 112"] = strings.Contains(page, `href="tel:112"`) || strings.Contains(page, `href=tel:112`)
		}
		for name, ok := range checks {
			if !ok {
				t.Errorf("%s: %s missing", path, name)
			}
		}
		for _, m := range resourceRe.FindAllStringSubmatch(page, -1) {
			for _, u := range m[1:] {
				u = strings.Trim(u, `'"`)
				if u != "" && (strings.Contains(u, "//") || strings.HasPrefix(u, "data:text")) {
					t.Errorf("%s loads %s from another origin", path, u)
				}
			}
		}
	}
	css, _ := os.ReadFile(filepath.Join(dir, "css", "qorgau.css"))
	if regexp.MustCompile(`@import|url\(\s*["']?(https?:)?//`).Match(css) {
		t.Error("the stylesheet loads something from another origin")
	}
}

// TestLessonPageWeight keeps a lesson page, with its CSS and JS, under 50 KB.
func TestLessonPageWeight(t *testing.T) {
	dir := repoSite(t)
	var total int64
	for _, f := range []string{"kk/penalties/what-changed/index.html", "css/qorgau.css", "js/qorgau.js"} {
		info, err := os.Stat(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		total += info.Size()
	}
	if total > 50*1024 {
		t.Errorf("lesson page with CSS and JS is %d bytes; the budget is 50 KB", total)
	}
}

// TestLessonPageParts checks that a lesson shows every part a teacher needs,
// in the page's language, from the i18n files.
func TestLessonPageParts(t *testing.T) {
	dir := repoSite(t)
	for _, tc := range []struct{ lang, want string }{
		{"en", "Check yourself"}, {"ru", "Проверьте себя"}, {"kk", "Өзіңізді тексеріңіз"},
	} {
		b, err := os.ReadFile(filepath.Join(dir, tc.lang, "penalties", "battery-is-a-crime-again", "index.html"))
		if err != nil {
			t.Fatal(err)
		}
		page := string(b)
		for _, part := range []string{tc.want, "<details>", "<summary>", `class="breadcrumbs"`, `rel="next"`, `<time datetime="`,
			`class="sources"`, `class="keyfacts"`, `class="objectives"`, `class="notice notice-legal"`, `class="print-only quiz-answers"`, `aria-label="`} {
			if !strings.Contains(strings.ReplaceAll(page, "<details>", "<details>"), part) && !strings.Contains(page, strings.ReplaceAll(part, `"`, "")) {
				t.Errorf("%s lesson lacks %s", tc.lang, part)
			}
		}
		if tc.lang != "en" && !strings.Contains(page, `notice-review`) {
			t.Errorf("%s lesson needs review but shows no notice", tc.lang)
		}
	}
}

// TestLanguageSwitcher checks that each language is named in itself and
// marked with lang and hreflang.
func TestLanguageSwitcher(t *testing.T) {
	dir := repoSite(t)
	b, _ := os.ReadFile(filepath.Join(dir, "ru", "rights", "childrens-rights", "index.html"))
	page := string(b)
	for _, want := range []string{`lang="kk" hreflang="kk" href="/kk/rights/childrens-rights/">Қазақша`, `lang="en" hreflang="en" href="/en/rights/childrens-rights/">English`, `<span lang="ru" aria-current="true">Русский`} {
		if !strings.Contains(strings.ReplaceAll(page, `"`, ""), strings.ReplaceAll(want, `"`, "")) {
			t.Errorf("language switcher lacks %s", want)
		}
	}
}

// TestTranslationReviewDate: a translation still waiting for a native
// speaker shows when its original was last reviewed, says it is unchecked,
// and never shows a review date of its own.
func TestTranslationReviewDate(t *testing.T) {
	dir := repoSite(t)
	read := func(rel string) string {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	src, err := os.ReadFile(filepath.Join("..", "content", "en", "penalties", "battery-is-a-crime-again.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^lastReviewed = (\d{4}-\d\d-\d\d)`).FindSubmatch(src)
	if m == nil {
		t.Fatal("the English lesson has no lastReviewed")
	}
	date := `<time datetime="` + string(m[1]) + `">`
	for _, tc := range []struct{ lang, original, unchecked, ownLabel string }{
		{"ru", "Оригинал последний раз проверен", "Этот перевод ещё не проверен носителем языка.", "Последняя проверка"},
		{"kk", "Түпнұсқаның соңғы тексерілген күні", "Бұл аударманы ана тілінде сөйлейтін адам әлі тексерген жоқ.", "Соңғы тексеру"},
	} {
		page := read(tc.lang + "/penalties/battery-is-a-crime-again/index.html")
		for _, want := range []string{tc.original, tc.unchecked, date} {
			if !strings.Contains(page, want) {
				t.Errorf("%s lesson lacks %q", tc.lang, want)
			}
		}
		if strings.Contains(page, tc.ownLabel) {
			t.Errorf("%s lesson shows %q, as if the translation had been reviewed", tc.lang, tc.ownLabel)
		}
	}
	if en := read("en/penalties/battery-is-a-crime-again/index.html"); !strings.Contains(en, "Last reviewed") || !strings.Contains(en, date) {
		t.Error("the English original does not show its own review date")
	}
}
