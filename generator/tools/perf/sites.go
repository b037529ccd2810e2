package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	toml "github.com/pelletier/go-toml/v2"

	"github.com/qorgau/qorgau/generator/tools/corpus"
)

// sectionList is added to the theme's page layout on the Qorgau side so that
// every page lists its section's pages, as the Hugo layout does. Both sides
// render the list once per section and language with their cache function
// (cached here, partialCached in Hugo), as a site with this navigation would.
const sectionList = `{{cached "partials/section-pages.html" . .Page.Section}}
`

// sectionPages is the partial behind sectionList.
const sectionPages = `{{with .Page.Section}}{{with .Pages}}<nav class="section-pages" aria-label="{{T "moreInTopic"}}"><ul>{{range .}}<li><a href="{{relURL .URL}}">{{.Title}}</a></li>{{end}}</ul></nav>{{end}}{{end}}
`

// writeQorgauSite writes the corpus with the repository's theme and a
// site-level layouts/page.html: the theme's page layout plus the list of the
// section's pages.
func writeQorgauSite(repo, dir string, pages int) error {
	theme := filepath.Join(repo, "generator", "internal", "theme", "qorgau")
	if err := corpus.Write(dir, corpus.Options{Pages: pages, Seed: 1, ThemeDir: theme}); err != nil {
		return err
	}
	page, err := os.ReadFile(filepath.Join(theme, "layouts", "page.html"))
	if err != nil {
		return err
	}
	layout, err := addSectionList(string(page))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		return err
	}
	if err := writeFile(filepath.Join(dir, "layouts", "partials", "section-pages.html"), []byte(sectionPages)); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "layouts", "page.html"), []byte(layout), 0o644)
}

// addSectionList inserts sectionList before the page layout's last </article>.
func addSectionList(page string) (string, error) {
	i := strings.LastIndex(page, "</article>")
	if i < 0 {
		return "", fmt.Errorf("the theme's page.html has no </article> to insert the section list before")
	}
	return page[:i] + sectionList + page[i:], nil
}

// mdLink matches a Markdown link to another Markdown file of the site:
// ](lesson-00004.md) or ](../help/_index.md#anchor).
var mdLink = regexp.MustCompile(`\]\(([^():\s]+?)\.md(#[^)\s]*)?\)`)

// hugoLinks rewrites Qorgau's links to Markdown files into the relative URLs
// Hugo's pretty URLs give those pages. isIndex says the file is a section's
// _index.md (its URL is its folder, not a folder of its own).
func hugoLinks(body []byte, isIndex bool) []byte {
	return mdLink.ReplaceAllFunc(body, func(m []byte) []byte {
		sub := mdLink.FindSubmatch(m)
		target, anchor := string(sub[1]), string(sub[2])
		if target == "_index" {
			target = "."
		} else if strings.HasSuffix(target, "/_index") {
			target = strings.TrimSuffix(target, "/_index")
		}
		prefix := "../"
		if isIndex {
			prefix = ""
		}
		url := prefix + target + "/"
		url = strings.ReplaceAll(url, "/./", "/")
		if strings.HasPrefix(url, "./") && len(url) > 2 {
			url = url[2:]
		}
		return []byte("](" + url + anchor + ")")
	})
}

// writeHugoSite writes a Hugo site with the same Markdown as the Qorgau site
// in src and a minimal theme doing the same work as Qorgau's.
func writeHugoSite(repo, src, dir string) error {
	// Content: the same files, links rewritten.
	content := filepath.Join(src, "content")
	var langs []string
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(content, p)
		dst := filepath.Join(dir, "content", rel)
		if d.IsDir() {
			if filepath.Dir(rel) == "." && rel != "." {
				langs = append(langs, rel)
			}
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, ".md") {
			b = hugoLinks(b, d.Name() == "_index.md")
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		return err
	}
	order := map[string]int{"kk": 1, "ru": 2, "en": 3}
	sort.Slice(langs, func(i, j int) bool { return order[langs[i]] < order[langs[j]] })

	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), []byte(hugoConfig(langs)), 0o644); err != nil {
		return err
	}
	// The same static files, minified by Hugo Pipes as Qorgau minifies them.
	theme := filepath.Join(repo, "generator", "internal", "theme", "qorgau")
	copies := map[string]string{
		filepath.Join(theme, "static", "css", "qorgau.css"):                 filepath.Join(dir, "assets", "css", "qorgau.css"),
		filepath.Join(theme, "static", "js", "qorgau.js"):                   filepath.Join(dir, "assets", "js", "qorgau.js"),
		filepath.Join(repo, "generator", "internal", "search", "search.js"): filepath.Join(dir, "assets", "js", "qorgau-search.js"),
	}
	for from, to := range copies {
		b, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		if err := writeFile(to, b); err != nil {
			return err
		}
	}
	// UI strings: Qorgau's i18n files in go-i18n's format.
	for _, l := range langs {
		b, err := hugoI18n(filepath.Join(theme, "i18n", l+".toml"))
		if err != nil {
			return err
		}
		if err := writeFile(filepath.Join(dir, "i18n", l+".toml"), b); err != nil {
			return err
		}
	}
	for name, text := range hugoLayouts {
		if err := writeFile(filepath.Join(dir, "layouts", filepath.FromSlash(name)), []byte(strings.TrimLeft(text, "\n"))); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(p string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// hugoI18n converts a Qorgau UI-string file (key = "text", or a table of
// plural forms with {count}) into go-i18n's TOML with {{ .Count }}.
func hugoI18n(file string) ([]byte, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var in map[string]any
	if err := toml.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	out := map[string]map[string]string{}
	for k, v := range in {
		switch v := v.(type) {
		case string:
			out[k] = map[string]string{"other": v}
		case map[string]any:
			forms := map[string]string{}
			for form, text := range v {
				if s, ok := text.(string); ok {
					forms[form] = strings.ReplaceAll(s, "{count}", "{{ .Count }}")
				}
			}
			out[k] = forms
		}
	}
	return toml.Marshal(out)
}

// hugoConfig is the Hugo equivalent of the corpus's config.toml: the same
// languages in subfolders, minified output, a sitemap with hreflang
// alternates (Hugo's default), robots.txt, one feed per language limited to
// 20 entries like Qorgau's Atom feed, and one search index per language.
func hugoConfig(langs []string) string {
	names := map[string]string{"kk": "Қазақша", "ru": "Русский", "en": "English"}
	var b strings.Builder
	fmt.Fprintf(&b, `baseURL = "https://corpus.example.org/"
title = "Corpus"
defaultContentLanguage = %q
defaultContentLanguageInSubdir = true
disableKinds = ["taxonomy", "term"]
enableRobotsTXT = true

[minify]
minifyOutput = true

[services.rss]
limit = 20

[outputs]
home = ["HTML", "RSS", "SearchIndex"]
section = ["HTML"]
page = ["HTML"]

[mediaTypes."application/javascript"]
suffixes = ["js"]

[outputFormats.SearchIndex]
mediaType = "application/javascript"
baseName = "search-index"
isPlainText = true
notAlternative = true

[markup.goldmark.renderer]
unsafe = false
[markup.goldmark.parser]
autoHeadingIDType = "github"
[markup.tableOfContents]
startLevel = 2
endLevel = 2
`, langs[0])
	for i, l := range langs {
		name := names[l]
		if name == "" {
			name = l
		}
		fmt.Fprintf(&b, "\n[languages.%s]\nlanguageName = %q\nweight = %d\ncontentDir = \"content/%s\"\n", l, name, i+1, l)
		fmt.Fprintf(&b, "[languages.%s.params]\nhotlines = [{ number = \"112\", name = \"112\" }, { number = \"111\", name = \"111\" }]\n", l)
	}
	return b.String()
}

// hugoLayouts mirror themes/qorgau/layouts (base, partials, page, section,
// home, 404) plus the section list that the harness adds on Qorgau's side.
// Differences: Hugo 0.111 has no blockquote render hook, so "> [!NOTE]"
// callouts stay plain blockquotes; the root of the site is Hugo's redirect to
// the default language rather than a language chooser; the feed is RSS, not
// Atom; the search index holds the pages' text, not a stemmed term index.
var hugoLayouts = map[string]string{
	"_default/baseof.html": `
<!DOCTYPE html>
<html lang="{{ .Lang }}" dir="{{ or .Language.LanguageDirection "ltr" }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'">
<meta name="referrer" content="no-referrer">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} · {{ site.Title }}{{ end }}</title>
{{ with .Description }}<meta name="description" content="{{ . }}">{{ end }}
{{ if ne .Kind "404" }}<link rel="canonical" href="{{ .Permalink }}">
{{ if .IsTranslated }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ range .Translations }}<link rel="alternate" hreflang="{{ .Lang }}" href="{{ .Permalink }}">
{{ end }}{{ $def := . }}{{ $defLang := (index site.Languages 0).Lang }}{{ range .Translations }}{{ if eq .Lang $defLang }}{{ $def = . }}{{ end }}{{ end }}<link rel="alternate" hreflang="x-default" href="{{ $def.Permalink }}">{{ end }}{{ end }}
<link rel="alternate" type="application/rss+xml" href="{{ "index.xml" | relLangURL }}" title="{{ site.Title }}">
{{ $css := resources.Get "css/qorgau.css" | minify }}<link rel="stylesheet" href="{{ $css.RelPermalink }}">
{{ $js := resources.Get "js/qorgau.js" | minify }}<script src="{{ $js.RelPermalink }}" defer></script>
{{ $search := resources.Get "js/qorgau-search.js" | minify }}<script src="{{ $search.RelPermalink }}" defer></script>
</head>
<body>
{{ partial "exit.html" . }}
<a class="skip-link" href="#main">{{ T "skipToContent" }}</a>
{{ partial "header.html" . }}
<main id="main" tabindex="-1">
{{ block "main" . }}{{ end }}
</main>
{{ partial "footer.html" . }}
</body>
</html>
`,
	"partials/exit.html": `
{{ $exit := site.Params.exitURL | default "about:blank" }}<a class="visually-hidden-focusable exit-skip" href="{{ $exit }}" data-quick-exit>{{ T "quickExitSkip" }}</a>
<div class="quick-exit" data-shift-2="{{ T "shiftMore" 2 }}" data-shift-1="{{ T "shiftMore" 1 }}" data-exiting="{{ T "exiting" }}">
<a class="quick-exit-button" href="{{ $exit }}" data-quick-exit rel="noreferrer">{{ T "quickExit" }}</a>
<span class="quick-exit-hint">{{ T "quickExitHint" }}</span>
<a class="help-now" href="#help-now">{{ T "helpTitle" }}</a>
<div class="visually-hidden" role="status" aria-live="polite" data-exit-status></div>
</div>
`,
	"partials/header.html": `
<header class="site-header">
<div class="wrap">
<a class="brand" href="{{ "/" | relLangURL }}">{{ site.Title }}</a>
{{ partial "languages.html" . }}
{{ partial "search.html" . }}
</div>
</header>
`,
	"partials/languages.html": `
{{ $page := . }}<nav class="languages" aria-label="{{ T "languages" }}"><ul>
{{ range site.Languages }}{{ $code := .Lang }}{{ if eq $code $page.Lang }}<li><span lang="{{ $code }}" aria-current="true">{{ .LanguageName }}</span></li>{{ else }}{{ $href := printf "/%s/" $code }}{{ range $page.Translations }}{{ if eq .Lang $code }}{{ $href = .RelPermalink }}{{ end }}{{ end }}<li><a lang="{{ $code }}" hreflang="{{ $code }}" href="{{ $href }}">{{ .LanguageName }}</a></li>{{ end }}{{ end }}
</ul></nav>
`,
	"partials/search.html": `
<form class="search" role="search" hidden action="#" data-lang="{{ .Lang }}" data-index="{{ "search-index.js" | relLangURL }}" data-root="{{ "/" | relURL }}" data-found="{{ T "searchFound" 2 }}" data-none="{{ T "searchNone" }}">
<label for="search-{{ .Kind }}">{{ T "search" }}</label>
<input id="search-{{ .Kind }}" type="search" name="q" autocomplete="off" spellcheck="false" enterkeyhint="search">
<p class="search-status" role="status" aria-live="polite"></p>
<ol class="search-results"></ol>
</form>
<p class="search-fallback"><a href="{{ "/" | relLangURL }}#topics-title">{{ T "allTopics" }}</a></p>
`,
	"partials/footer.html": `
<footer class="site-footer">
<div class="wrap">
{{ partial "helpbox.html" . }}
<ul class="footer-links">
<li><a href="{{ "help/" | relLangURL }}">{{ T "helpTitle" }}</a></li>
</ul>
<p class="footer-note">{{ T "footerNote" }}</p>
</div>
</footer>
`,
	"partials/helpbox.html": `
<section class="helpbox" id="help-now" tabindex="-1" aria-labelledby="helpbox-title-{{ .Kind }}">
<h2 id="helpbox-title-{{ .Kind }}">{{ T "helpTitle" }}</h2>
<ul class="hotlines">
{{ range site.Params.hotlines }}<li><a class="hotline" href="tel:{{ .number }}"><span class="hotline-number">{{ .number }}</span> <span class="hotline-name">{{ .name }}</span></a>{{ with .note }} <span class="hotline-note">{{ . }}</span>{{ end }}</li>
{{ end }}</ul>
</section>
`,
	"partials/breadcrumbs.html": `
{{ if not .IsHome }}<nav class="breadcrumbs" aria-label="{{ T "breadcrumbs" }}"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li aria-current="page">{{ .Title }}</li></ol></nav>{{ end }}
`,
	"partials/review.html": `
{{ if .Params.needsReview }}<p class="notice notice-review">{{ T "needsReview" }}{{ range .Translations }}{{ if eq .Lang "en" }} <a href="{{ .RelPermalink }}" lang="{{ .Lang }}" hreflang="{{ .Lang }}">{{ .Language.LanguageName }}</a>{{ end }}{{ end }}</p>{{ end }}
`,
	"partials/section-pages.html": `
{{ with .CurrentSection.Pages }}<nav class="section-pages" aria-label="{{ T "moreInTopic" }}"><ul>{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></nav>{{ end }}
`,
	"partials/list.html": `
{{ if . }}<ol class="cards">{{ range . }}<li class="card"><h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>{{ with .Description }}<p>{{ . }}</p>{{ end }}</li>{{ end }}</ol>{{ end }}
`,
	"_default/single.html": `
{{ define "main" }}
<article class="wrap lesson">
{{ partial "breadcrumbs.html" . }}
<h1>{{ .Title }}</h1>
{{ partial "review.html" . }}
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ $p := .Params }}{{ if or $p.audience $p.duration $p.lastReviewed }}<dl class="meta">
{{ with $p.audience }}<dt>{{ T "audience" }}</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.duration }}<dt>{{ T "duration" }}</dt><dd>{{ T "minutes" . }}</dd>{{ end }}
{{ with $p.lastReviewed }}<dt>{{ T "lastReviewed" }}</dt><dd><time datetime="{{ time.Format "2006-01-02" . }}">{{ time.Format ":date_long" . }}</time></dd>{{ end }}
</dl>{{ end }}
{{ with $p.objectives }}<section class="objectives" aria-labelledby="objectives"><h2 id="objectives">{{ T "objectives" }}</h2><ul>{{ range . }}<li>{{ . }}</li>{{ end }}</ul></section>{{ end }}
{{ if gt .WordCount 400 }}<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{{ T "contents" }}</h2>{{ .TableOfContents }}</nav>{{ end }}
<div class="body">{{ .Content }}</div>
{{ with $p.keyFacts }}<section class="keyfacts" aria-labelledby="keyfacts"><h2 id="keyfacts">{{ T "keyFacts" }}</h2><ul>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ul></section>{{ end }}
{{ with $p.discussion }}<section aria-labelledby="discussion"><h2 id="discussion">{{ T "discussion" }}</h2><ol>{{ range . }}<li>{{ . }}</li>{{ end }}</ol></section>{{ end }}
{{ with $p.quiz }}<section class="quiz" aria-labelledby="quiz"><h2 id="quiz">{{ T "quiz" }}</h2><ol>{{ range . }}<li><p>{{ .question }}</p><details><summary>{{ T "showAnswer" }}</summary><p>{{ .answer }}</p></details></li>{{ end }}</ol>
<div class="print-only quiz-answers"><h3>{{ T "answers" }}</h3><ol>{{ range . }}<li>{{ .answer }}</li>{{ end }}</ol></div></section>{{ end }}
{{ with $p.teacherNotes }}<section class="teacher-notes" aria-labelledby="teacher-notes"><h2 id="teacher-notes">{{ T "teacherNotes" }}</h2><ul>{{ range . }}<li>{{ . | markdownify }}</li>{{ end }}</ul></section>{{ end }}
{{ $legal := false }}{{ with $p.sources }}<section class="sources" aria-labelledby="sources"><h2 id="sources">{{ T "sources" }}</h2><ul>{{ range . }}{{ if .legal }}{{ $legal = true }}{{ end }}<li>{{ if .url }}<a href="{{ .url }}" rel="noreferrer">{{ .title }}</a>{{ else }}{{ .title }}{{ end }}</li>{{ end }}</ul></section>{{ end }}
{{ if $legal }}<p class="notice notice-legal">{{ T "notLegalAdvice" }}{{ with $p.lastReviewed }} {{ T "lastReviewed" }}: <time datetime="{{ time.Format "2006-01-02" . }}">{{ time.Format ":date_long" . }}</time>.{{ end }}</p>{{ end }}
{{ if or .PrevInSection .NextInSection }}<nav class="prevnext" aria-label="{{ T "moreInTopic" }}">{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}"><span>{{ T "prev" }}</span> {{ .Title }}</a>{{ end }}{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}"><span>{{ T "next" }}</span> {{ .Title }}</a>{{ end }}</nav>{{ end }}
{{ partialCached "section-pages.html" . .CurrentSection.RelPermalink }}
</article>
{{ end }}
`,
	"_default/list.html": `
{{ define "main" }}
<div class="wrap">
{{ partial "breadcrumbs.html" . }}
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ partial "review.html" . }}
{{ .Content }}
{{ with .RegularPages }}<h2>{{ T "lessons" (len .) }}</h2>{{ partial "list.html" . }}{{ end }}
{{ with .Sections }}<h2>{{ T "topics" }}</h2>{{ partial "list.html" . }}{{ end }}
</div>
{{ end }}
`,
	"index.html": `
{{ define "main" }}
<div class="wrap">
<h1>{{ .Title }}</h1>
{{ with .Description }}<p class="lead">{{ . }}</p>{{ end }}
{{ partial "review.html" . }}
{{ .Content }}
{{ with .RegularPages }}<section aria-labelledby="start-title"><h2 id="start-title">{{ T "startHere" }}</h2>{{ partial "list.html" . }}</section>{{ end }}
{{ with .Sections }}<section aria-labelledby="topics-title"><h2 id="topics-title">{{ T "topics" }}</h2>{{ partial "list.html" . }}</section>{{ end }}
</div>
{{ end }}
`,
	"404.html": `
{{ define "main" }}
<div class="wrap">
<h1>{{ T "notFoundTitle" }}</h1>
<p>{{ T "notFoundText" }}</p>
<p><a href="{{ "/" | relLangURL }}">{{ T "backHome" }}</a></p>
</div>
{{ end }}
`,
	"index.searchindex.js": `
(window.QorgauSearch=window.QorgauSearch||{})[{{ .Lang | jsonify }}]={"d":[{{ range $i, $p := site.Pages }}{{ if $i }},{{ end }}[{{ $p.RelPermalink | jsonify }},{{ $p.Title | jsonify }},{{ with $p.Parent }}{{ .Title | jsonify }}{{ else }}""{{ end }},{{ $p.Plain | truncate 280 | jsonify }}]{{ end }}]};
`,
}
