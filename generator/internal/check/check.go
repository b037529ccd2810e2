// Package check is the editors' quality gate. It builds the site in memory
// and reports findings with file:line, severity and a hint: broken links
// and anchors, missing and out-of-date translations, UI strings missing in
// a language, legal pages past their review date or without a legal
// source, accessibility problems in content, and anything that would make a
// reader's browser contact another origin.
package check

import (
	"context"
	"fmt"
	"io/fs"
	neturl "net/url"
	"path"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/site"
	"github.com/qorgau/qorgau/generator/internal/theme"
)

// Severity of a finding.
const (
	Error   = diag.Error
	Warning = diag.Warning
	Info    = diag.Info
)

// Finding is one problem at one place: the build's diagnostics and the
// checks' findings are one type, with a kind and a severity set where the
// problem is found.
type Finding = diag.Diagnostic

// Options configure a check.
type Options struct {
	Source    fs.FS
	Now       time.Time            // "today", for review ages; zero: time.Now()
	External  func(u string) error // checks an external link; nil: external links are only listed
	Overrides config.Overrides     // what the command changes in config.toml for this run
	Built     *Built               // a build to check instead of building the site again; may be nil
	CacheDir  string               // the build's cache folder (site.Options.CacheDir)
}

// Report is the result of a check.
type Report struct {
	Findings []Finding
	Site     *content.Site
	Config   *config.Config
	Status   []SectionStatus // translation status per section and language
}

// Count returns the number of findings of a severity.
func (r *Report) Count(sev diag.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == sev {
			n++
		}
	}
	return n
}

// Built is a finished build with its pages' Markdown kept: build --report
// and the preview's /_status/ check the build they made instead of
// building the site a second time.
type Built struct {
	Result *site.Result
	Files  map[string][]byte // every output file, by path
}

// Run checks the site, building it in memory unless opts.Built gives a build.
func Run(ctx context.Context, opts Options) (*Report, error) {
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	opts.Source = theme.Overlay(opts.Source) // the built-in theme's UI strings, as the build sees them
	b := opts.Built
	var buildErr error
	if b == nil {
		mem := output.NewMemory()
		var res *site.Result
		res, buildErr = site.Build(ctx, site.Options{Source: opts.Source, Writer: mem, Overrides: opts.Overrides, CacheDir: opts.CacheDir})
		b = &Built{Result: res, Files: mem.Files()}
	}
	res := b.Result
	rep := &Report{Site: res.Site, Config: res.Config}
	for _, d := range res.Diagnostics {
		f := *d
		f.Kind = d.KindOrBuild()
		rep.add(f)
	}
	if res.Site == nil || res.Config == nil {
		rep.sort()
		return rep, nil
	}
	c := &checker{rep: rep, opts: opts, site: res.Site, bodies: res.Bodies, cfg: res.Config, files: b.Files, sources: map[string][]byte{}}
	if buildErr == nil {
		c.links()
		c.privacy()
	}
	c.translations()
	c.uiStrings()
	c.legal()
	c.accessibility()
	c.terms()
	c.external(ctx)
	rep.Status = status(res.Site)
	rep.sort()
	return rep, nil
}

func (r *Report) add(f Finding) { r.Findings = append(r.Findings, f) }

func (r *Report) sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool {
		a, b := r.Findings[i], r.Findings[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		return a.Message < b.Message
	})
	out := r.Findings[:0]
	for i, f := range r.Findings {
		if i > 0 && diag.Same(&f, &r.Findings[i-1]) {
			continue
		}
		out = append(out, f)
	}
	r.Findings = out
}

type checker struct {
	bodies  *content.Bodies // what the Markdown stage made of site's pages
	rep     *Report
	opts    Options
	site    *content.Site
	cfg     *config.Config
	files   map[string][]byte
	sources map[string][]byte
	byOut   map[string]*content.Page
	scans   map[string]*output.Scanned // output pages, each tokenized once
}

// scan returns an output page as the HTML scanner read it.
func (c *checker) scan(out string) *output.Scanned {
	if s, ok := c.scans[out]; ok {
		return s
	}
	if c.scans == nil {
		c.scans = map[string]*output.Scanned{}
	}
	s := output.ScanHTML(c.files[out])
	c.scans[out] = s
	return s
}

// source returns a page's source file, normalised.
func (c *checker) source(file string) []byte {
	if b, ok := c.sources[file]; ok {
		return b
	}
	b, err := fs.ReadFile(c.opts.Source, file)
	if err == nil {
		b, _ = content.Normalize(file, b)
	}
	c.sources[file] = b
	return b
}

// locate finds the first line of a source file containing needle, or 0.
func (c *checker) locate(file, needle string) (int, int) {
	if file == "" || needle == "" {
		return 0, 0
	}
	src := c.source(file)
	i := strings.Index(string(src), needle)
	if i < 0 {
		return 0, 0
	}
	return diag.LineCol(src, i)
}

// pageOf returns the page written to an output path.
func (c *checker) pageOf(out string) *content.Page {
	if c.byOut == nil {
		c.byOut = map[string]*content.Page{}
		for _, p := range c.site.Pages {
			c.byOut[p.OutPath] = p
		}
	}
	return c.byOut[out]
}

// where attributes a finding in an output file to its source page.
func (c *checker) where(out, needle string) (file string, line, col int, url string) {
	if p := c.pageOf(out); p != nil && p.File != "" {
		line, col = c.locate(p.File, needle)
		return p.File, line, col, p.URL
	}
	return "public/" + out, 0, 0, "/" + strings.TrimSuffix(out, "index.html")
}

// links checks every internal link and #anchor of the rendered site.
func (c *checker) links() {
	base := "/"
	if u, err := neturl.Parse(c.cfg.BaseURL); err == nil && u.Path != "" {
		base = u.Path
	}
	ids := map[string]map[string]bool{}
	idsOf := func(out string) map[string]bool {
		if m, ok := ids[out]; ok {
			return m
		}
		m := map[string]bool{}
		for _, id := range c.scan(out).IDs {
			m[id] = true
		}
		ids[out] = m
		return m
	}
	outs := make([]string, 0, len(c.files))
	for out := range c.files {
		if strings.HasSuffix(out, ".html") {
			outs = append(outs, out)
		}
	}
	sort.Strings(outs)
	for _, out := range outs {
		if strings.HasSuffix(out, "404.html") {
			continue // its links are relative to wherever it is served
		}
		doc := c.files[out]
		for _, ref := range c.scan(out).Refs {
			if ref.Tag == "style" || ref.Attr == "style" || ref.Attr == "data-root" || ref.Attr == "data-index" && ref.Tag == "form" {
				continue // CSS and the search form's own paths are checked with their files
			}
			raw := string(doc[ref.Start:ref.End])
			u := ref.URL
			switch {
			case u == "" || strings.HasPrefix(u, "tel:") || strings.HasPrefix(u, "mailto:") || strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "javascript:"):
				continue
			case strings.Contains(u, "://") || strings.HasPrefix(u, "//"):
				if !strings.HasPrefix(u, c.cfg.BaseURL) {
					continue // external: listed by external()
				}
				u = "/" + strings.TrimPrefix(u, c.cfg.BaseURL)
			}
			target, frag, _ := strings.Cut(u, "#")
			if f, err := neturl.PathUnescape(frag); err == nil {
				frag = f
			}
			if p, err := neturl.PathUnescape(target); err == nil {
				target = p // output paths are as written: кириллица, not %D0%BA…
			}
			switch {
			case target == "":
				target = out
			case strings.HasPrefix(target, base):
				target = strings.TrimPrefix(target, base)
			case strings.HasPrefix(target, "/"):
				target = strings.TrimPrefix(target, "/")
			default:
				target = path.Join(path.Dir(out), target)
			}
			if target == "" || strings.HasSuffix(target, "/") {
				target += "index.html"
			} else if _, ok := c.files[target]; !ok {
				if _, ok := c.files[target+"/index.html"]; ok {
					target += "/index.html"
				}
			}
			file, line, col, url := c.where(out, raw)
			if _, ok := c.files[target]; !ok {
				c.rep.add(Finding{Path: file, Line: line, Col: col, Severity: Error, Kind: "link", URL: url,
					Message: fmt.Sprintf("link to %s: no such page or file in the built site", raw),
					Hint:    "link to the Markdown file of the page (../section/page.md) so Qorgau resolves it"})
				continue
			}
			if frag != "" && strings.HasSuffix(target, ".html") && !idsOf(target)[frag] {
				if file, line, col, url = c.where(out, "#"+frag); line == 0 {
					file, line, col, url = c.where(out, raw)
				}
				c.rep.add(Finding{Path: file, Line: line, Col: col, Severity: Error, Kind: "anchor", URL: url,
					Message: fmt.Sprintf("link to %s: no element with id %q on that page", raw, frag),
					Hint:    "heading IDs are made from the heading text; check the spelling or set one with {#id}"})
			}
		}
	}
}

// translations reports missing and out-of-date translations.
func (c *checker) translations() {
	for _, p := range c.site.Pages {
		if p.File == "" {
			continue
		}
		for _, lang := range p.Missing {
			if p.Lang != c.original(p) {
				continue // report a missing page once, from the original
			}
			c.rep.add(Finding{Path: p.File, Severity: Warning, Kind: "missing-translation", URL: p.URL,
				Message: fmt.Sprintf("no %s translation of this page", lang),
				Hint:    fmt.Sprintf("create content/%s/%s (qorgau new can help)", lang, strings.TrimPrefix(p.File, "content/"+p.Lang+"/"))})
		}
		if c.site.Outdated(p) {
			line, col := c.locate(p.File, "sourceHash")
			o := p.Original()
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "outdated-translation", URL: p.URL,
				Message: fmt.Sprintf("the original %s changed since this translation was last synced", o.File),
				Hint:    "update the translation, then run: qorgau check --mark-synced " + p.File})
		}
		if p.Sync.SourceHash == "" && p.Lang != c.original(p) && p.Translation(c.original(p)) != nil {
			line, col := c.locate(p.File, "+++")
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "untracked-translation", URL: p.URL,
				Message: "this translation does not record which version of the original it follows",
				Hint:    "once it matches the original, run: qorgau check --mark-synced " + p.File})
		}
		if o := p.Sync.Original; o != "" && o != p.Lang && p.Original() == nil {
			line, col := c.locate(p.File, "original")
			c.rep.add(Finding{Path: p.File, Line: line, Col: col, Severity: Warning, Kind: "outdated-translation", URL: p.URL,
				Message: fmt.Sprintf("the original in %q does not exist", o), Hint: "fix [translation] original, or translationKey"})
		}
	}
}

// original is the language pages are written in first.
func (c *checker) original(p *content.Page) string {
	if p.Sync.Original != "" {
		return p.Sync.Original
	}
	return OriginalLanguage(c.cfg)
}

// OriginalLanguage is the language lessons are written in first (config's
// originalLanguage).
func OriginalLanguage(cfg *config.Config) string { return cfg.OriginalLanguage() }

// legal flags legal pages without a legal source, and pages whose review
// is older than the configured age.
func (c *checker) legal() {
	months := c.cfg.Check.ReviewMaxAgeMonths
	if months <= 0 {
		months = 12
	}
	limit := c.opts.Now.AddDate(0, -months, 0)
	for _, p := range c.site.Pages {
		if p.File == "" {
			continue
		}
		section := strings.SplitN(p.Dir, "/", 2)[0]
		legal := c.cfg.IsLegalSection(section) && p.Kind == content.KindPage
		if legal && !p.HasLegalSource() {
			line := p.FieldLine("sources")
			c.rep.add(Finding{Path: p.File, Line: line, Severity: Error, Kind: "legal-source", URL: p.URL,
				Message: "a page about the law names no legal source",
				Hint:    "add [[sources]] with title, url and legal = true (the law, or an official text of it)"})
		}
		if legal && p.LastReviewed.IsZero() {
			c.rep.add(Finding{Path: p.File, Line: p.FieldLine("title"), Severity: Warning, Kind: "review-age", URL: p.URL,
				Message: "a page about the law has no lastReviewed date", Hint: "add lastReviewed = YYYY-MM-DD after checking it against the law"})
		}
		if !p.LastReviewed.IsZero() && p.LastReviewed.Before(limit) {
			c.rep.add(Finding{Path: p.File, Line: p.FieldLine("lastReviewed"), Severity: Warning, Kind: "review-age", URL: p.URL,
				Message: fmt.Sprintf("last reviewed %s, more than %d months ago", p.LastReviewed.Format("2006-01-02"), months),
				Hint:    "check the page against the current law and update lastReviewed"})
		}
	}
}

// ReadFiles reads every file of a built output folder, for Built.
func ReadFiles(fsys fs.FS) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		files[p] = b
		return err
	})
	return files, err
}
