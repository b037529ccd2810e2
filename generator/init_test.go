package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/qorgau/qorgau/generator/internal/serve"
)

// TestInit makes new sites with `init` in an empty folder and builds,
// checks and serves each: in Kazakh, Russian and English, and with
// Kyrgyz, for which the theme has no UI strings until they are translated.
func TestInit(t *testing.T) {
	for _, tc := range []struct {
		langs string
		pages []string // files the build must write
		lang  string   // a language without UI strings in the theme, or ""
	}{
		{"kk,ru,en", []string{"kk/index.html", "kk/help/index.html", "kk/help/stay-safe-online/index.html", "ru/help/index.html", "en/help/stay-safe-online/index.html"}, ""},
		{"ky,ru", []string{"ky/index.html", "ru/help/stay-safe-online/index.html"}, "ky"},
	} {
		t.Run(tc.langs, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "Мектеп сайты")
			code, out, errs := runCLI("init", dir, "--langs", tc.langs, "--title", "Мектеп")
			if code != 0 {
				t.Fatalf("init: %d\n%s%s", code, out, errs)
			}
			if !strings.Contains(out, "qorgau serve --open") {
				t.Errorf("init does not say how to start:\n%s", out)
			}
			dest := filepath.Join(t.TempDir(), "public")
			if code, _, errs := runCLI("build", "--source", dir, "--dest", dest, "--quiet"); code != 0 {
				t.Fatalf("build: %d\n%s", code, errs)
			}
			for _, p := range tc.pages {
				page, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(p)))
				if err != nil {
					t.Error(err)
					continue
				}
				if !strings.Contains(string(page), `href="tel:111"`) || !strings.Contains(string(page), "data-quick-exit") {
					t.Errorf("%s has no help numbers or quick exit", p)
				}
			}
			code, out, errs = runCLI("check", "--source", dir)
			if code != 0 {
				t.Errorf("check: %d\n%s%s", code, out, errs)
			}
			untranslated := strings.Count(out, "[untranslated-ui-string]")
			if tc.lang == "" && untranslated > 0 || tc.lang != "" && untranslated < 40 {
				t.Errorf("check reports %d untranslated UI strings:\n%s", untranslated, out)
			}
			if tc.lang != "" {
				// Translated, the strings are no longer reported.
				file := filepath.Join(dir, "i18n", tc.lang+".toml")
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				translated := regexp.MustCompile(`= "`).ReplaceAll(src, []byte(`= "ky: `))
				if err := os.WriteFile(file, translated, 0o644); err != nil {
					t.Fatal(err)
				}
				if _, out, _ := runCLI("check", "--source", dir); strings.Contains(out, "[untranslated-ui-string]") {
					t.Errorf("translated strings are still reported:\n%s", out)
				}
			}
			serveHome(t, dir, strings.SplitN(tc.langs, ",", 2)[0])
		})
	}
}

// serveHome previews the site and fetches a language's home page.
func serveHome(t *testing.T, dir, lang string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv := serve.New(serve.Options{Source: dir, Port: 0, Log: io.Discard})
	if err := srv.Start(ctx); err != nil {
		cancel()
		t.Fatal(err)
	}
	defer func() { cancel(); srv.Wait() }()
	resp, err := http.Get(srv.URL() + lang + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `lang="`+lang+`"`) || !strings.Contains(string(body), "Мектеп") {
		t.Errorf("GET /%s/: %d\n%.600s", lang, resp.StatusCode, body)
	}
}
