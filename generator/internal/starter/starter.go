// Package starter writes a new site for `qorgau init`: config.toml with the
// chosen languages, a home page and a help section (the help numbers and
// the stay-safe-online page) in each language it has texts for, a file of
// UI strings to translate for each language the built-in theme has none
// for, and a README for the site's editors. The site builds at once with
// the built-in theme.
//
// The texts are in site/ beside this file.
package starter

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/theme"
)

//go:embed all:site
var files embed.FS

// Options say what site to write.
type Options struct {
	Dir   string   // the new site's folder; made when missing
	Langs []string // language codes, the first is the default
	Title string   // the site's title
	Force bool     // write into a folder that already holds other files (never over them)
}

// Result is what Write did and what is left for the site's editors.
type Result struct {
	Created []string // files written, relative to Dir, with '/'
	// Translations are pages that translate a page of Original; the caller
	// records which version of the original they follow (check.MarkSynced).
	Translations []string
	Original     string
	Warnings     []string // what to finish before publishing
}

// ErrNotEmpty is returned when Dir holds files and Force is not set.
var ErrNotEmpty = errors.New("the folder is not empty")

// ErrSiteExists is returned when Dir already holds a site.
var ErrSiteExists = errors.New("the folder already holds a site")

// LangError is a language code that cannot be a site's language.
type LangError struct {
	Code string
	Why  string
}

func (e *LangError) Error() string { return fmt.Sprintf("language %q: %s", e.Code, e.Why) }

// HasTexts reports whether the starter has a home page and help pages
// written in the language.
func HasTexts(code string) bool {
	_, err := fs.Stat(files, path.Join("site/content", code))
	return err == nil
}

// HasUIStrings reports whether the built-in theme has UI strings for the
// language.
func HasUIStrings(code string) bool {
	_, err := fs.Stat(theme.FS(), path.Join("i18n", code+".toml"))
	return err == nil
}

// Write writes a new site into opts.Dir. It writes nothing when any of its
// files exists already, and nothing outside opts.Dir.
func Write(opts Options) (*Result, error) {
	langs, err := describe(opts.Langs)
	if err != nil {
		return nil, err
	}
	if opts.Title == "" {
		opts.Title = "Qorgau"
	}
	planned, res, err := plan(opts, langs)
	if err != nil {
		return nil, err
	}
	if err := ready(opts, planned); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(opts.Dir)
	if err != nil {
		return nil, err
	}
	defer root.Close()
	for _, f := range planned {
		if err := root.MkdirAll(path.Dir(f.name), 0o755); err != nil {
			return res, err
		}
		// O_EXCL: a file that appeared since ready() is never overwritten.
		w, err := root.OpenFile(f.name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return res, err
		}
		_, err = w.Write(f.data)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return res, err
		}
		res.Created = append(res.Created, f.name)
	}
	return res, nil
}

// file is one file of the new site.
type file struct {
	name string // relative to the site, with '/'
	data []byte
}

// plan makes every file of the new site in memory.
func plan(opts Options, langs []lang) ([]file, *Result, error) {
	res := &Result{Original: original(langs)}
	cfg, err := configFile(opts.Title, res.Original, langs)
	if err != nil {
		return nil, nil, err
	}
	out := []file{{config.FileName, cfg}}
	for _, l := range langs {
		pages, err := pagesFor(l, opts.Title)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, pages...)
		if l.texts && l.code != res.Original && HasTexts(res.Original) {
			for _, p := range pages {
				res.Translations = append(res.Translations, p.name)
			}
		}
		if !HasUIStrings(l.code) {
			ui, err := uiStrings(l)
			if err != nil {
				return nil, nil, err
			}
			out = append(out, file{path.Join("i18n", l.code+".toml"), ui})
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: translate the UI strings in i18n/%s.toml (copied from English; `qorgau check` lists the ones left)", l.code, l.code))
		}
		if !l.texts {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: write the home page content/%s/_index.md and a help section; translate the help numbers' names in config.toml", l.code, l.code))
		}
		if l.name == "" {
			res.Warnings = append(res.Warnings, fmt.Sprintf("%s: write the language's name, in the language itself, in config.toml (languages.%s.name)", l.code, l.code))
		}
	}
	readme, err := readmeFile(opts.Title, langs)
	if err != nil {
		return nil, nil, err
	}
	out = append(out, file{"README.md", readme}, file{".gitignore", []byte("# What `qorgau build` and `qorgau export` write.\n/public/\n/*.zip\n# Resized images kept for the next build: safe to delete.\n/.qorgau-cache/\n")})
	res.Warnings = append(res.Warnings, "the help numbers in config.toml are Kazakhstan's: check them, and change them if the site is for another country")
	return out, res, nil
}

// original is the language the site's pages are written in first: English
// when the site has it (as config.OriginalLanguage chooses), else the first
// language the starter has texts for, which config.toml then names.
func original(langs []lang) string {
	for _, l := range langs {
		if l.code == "en" {
			return "en"
		}
	}
	for _, l := range langs {
		if l.texts {
			return l.code
		}
	}
	return langs[0].code
}

// pagesFor is the content of one language: the starter's texts, or a
// home page to write.
func pagesFor(l lang, title string) ([]file, error) {
	if !l.texts {
		home := fmt.Sprintf("+++\n# Write the home page in %s below the +++ line: a few plain sentences on what\n# the site is for and whom, and where to get help.\ntitle = %s\nweight = 1\n+++\n", l.label(), tomlString(title))
		return []file{{path.Join(content.Dir, l.code, "_index.md"), []byte(home)}}, nil
	}
	var out []file
	dir := path.Join("site/content", l.code)
	err := fs.WalkDir(files, dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(files, name)
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(name, "site/")
		if path.Base(name) == "_index.md" && path.Dir(name) == dir {
			if data, err = content.SetFields(data, []content.Field{{Key: "title", Value: title}}, nil); err != nil {
				return fmt.Errorf("%s: %w", rel, err)
			}
		}
		out = append(out, file{rel, data})
		return nil
	})
	return out, err
}

// ready refuses a folder that holds a site, or other files without Force,
// or any of the files to write.
func ready(opts Options, planned []file) error {
	entries, err := os.ReadDir(opts.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == config.FileName || e.Name() == content.Dir {
			return fmt.Errorf("%s: %w (it has %s); nothing was written", opts.Dir, ErrSiteExists, e.Name())
		}
	}
	visible := slices.IndexFunc(entries, func(e os.DirEntry) bool { return !strings.HasPrefix(e.Name(), ".") })
	if visible >= 0 && !opts.Force {
		return fmt.Errorf("%s: %w (it has %s); choose an empty folder, or add --force to write beside what is there; nothing was written", opts.Dir, ErrNotEmpty, entries[visible].Name())
	}
	for _, f := range planned {
		if _, err := os.Lstat(filepath.Join(opts.Dir, filepath.FromSlash(f.name))); err == nil {
			return fmt.Errorf("%s exists; nothing was written", filepath.Join(opts.Dir, filepath.FromSlash(f.name)))
		}
	}
	return nil
}

// describe checks the language codes and says what the starter knows of each.
func describe(codes []string) ([]lang, error) {
	if len(codes) == 0 {
		return nil, &LangError{Why: "give at least one language"}
	}
	var out []lang
	seen := map[string]bool{}
	for i, code := range codes {
		code = strings.TrimSpace(code)
		tag, err := language.Parse(code)
		if err != nil || strings.ContainsAny(code, "/\\. ") {
			return nil, &LangError{Code: code, Why: "not a language code; use a BCP 47 code such as kk, ru, en, ky, uz"}
		}
		if code != strings.ToLower(code) && !strings.Contains(code, "-") {
			return nil, &LangError{Code: code, Why: "write language codes in lower case, e.g. " + strings.ToLower(code)}
		}
		if seen[code] {
			return nil, &LangError{Code: code, Why: "given twice"}
		}
		seen[code] = true
		out = append(out, describeOne(code, tag, i+1))
	}
	return out, nil
}
