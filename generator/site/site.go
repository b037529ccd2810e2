// Package site runs the build pipeline: config → content → markdown →
// render → output. It is the one place that knows the order of the stages;
// the build, serve, check and export commands drive the pipeline through it.
package site

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qorgau/qorgau/generator/config"
	"github.com/qorgau/qorgau/generator/content"
	"github.com/qorgau/qorgau/generator/diag"
	"github.com/qorgau/qorgau/generator/i18n"
	"github.com/qorgau/qorgau/generator/markdown"
	"github.com/qorgau/qorgau/generator/output"
	"github.com/qorgau/qorgau/generator/render"
)

// Options say what to build and where to write it.
type Options struct {
	Source   fs.FS                 // the site's folder: config.toml, content/, layouts/, static/, i18n/, themes/
	Writer   output.Writer         // where files go
	Drafts   bool                  // include draft pages
	BaseURL  string                // overrides config.toml's baseURL when set
	Progress func(done, total int) // called as pages are rendered; may be nil
	Config   func(*config.Config)  // adjusts the loaded config (tests, serve); may be nil
}

// Result describes a build.
type Result struct {
	Config      *config.Config
	Site        *content.Site
	Diagnostics []*diag.Diagnostic // errors and warnings, sorted
	Pages       map[string]int     // pages rendered per language
	Files       int                // files written
	Bytes       int64              // bytes written
	Duration    time.Duration
}

// Build runs the whole pipeline once. It returns a diag.Errors error when the
// sources have problems; files may have been written to opts.Writer, which
// the caller discards in that case.
func Build(ctx context.Context, opts Options) (*Result, error) {
	start := time.Now()
	res := &Result{Pages: map[string]int{}}
	diags := &diag.List{}
	finish := func() (*Result, error) {
		res.Diagnostics = diags.Items()
		res.Duration = time.Since(start)
		return res, diags.Err()
	}

	cfg, err := config.Load(opts.Source)
	if err != nil {
		diags.AddErr(config.FileName, err)
		return finish()
	}
	if opts.BaseURL != "" {
		cfg.BaseURL = strings.TrimSuffix(opts.BaseURL, "/") + "/"
	}
	if opts.Config != nil {
		opts.Config(cfg)
	}
	res.Config = cfg
	themeDir := path.Join("themes", cfg.Theme)
	if _, err := fs.Stat(opts.Source, themeDir); err != nil {
		line, col := 1, 1
		if src, err := fs.ReadFile(opts.Source, config.FileName); err == nil {
			line, col = config.FindKey(src, "theme")
		}
		diags.Add(diag.At(config.FileName, line, col, "put the theme in "+themeDir+"/ or change theme in config.toml", "theme %q not found", cfg.Theme))
		return finish()
	}

	catalogs := map[string]*i18n.Catalog{}
	for _, code := range cfg.LanguageOrder {
		c, err := i18n.Load(opts.Source, code, path.Join(themeDir, "i18n"), "i18n")
		diags.AddErr("i18n", err)
		catalogs[code] = c
	}

	s := content.Load(ctx, opts.Source, cfg, content.Options{Drafts: opts.Drafts}, diags)
	res.Site = s

	layouts, err := render.FindLayouts(opts.Source, render.LayoutDirs(cfg.Theme))
	if err != nil {
		diags.AddErr("layouts", err)
		return finish()
	}
	converters := map[string]*markdown.Converter{}
	for _, code := range cfg.LanguageOrder {
		cat := catalogs[code]
		converters[code] = markdown.New(markdown.Options{
			Lang: code, UnsafeHTML: cfg.Markup.UnsafeHTML, Typographer: cfg.Markup.Typographer,
			Label: func(kind string) string {
				if t, err := cat.T("callout_" + kind); err == nil {
					return t
				}
				return strings.ToUpper(kind[:1]) + kind[1:]
			},
		})
	}
	r := render.New(s, render.Options{Layouts: layouts, Catalogs: catalogs, Converters: converters}, diags)

	convertAll(ctx, s, converters, r, diags)

	extra := syntheticPages(s, cfg, catalogs)
	all := append(append([]*content.Page(nil), s.Pages...), extra...)
	r.Prepare(all, diags)
	if diags.HasErrors() {
		// Render nothing more: the output would be discarded, and every
		// error the sources can show has been collected.
		return finish()
	}

	w := &countingWriter{w: opts.Writer, min: nil}
	if cfg.Minify {
		w.min = output.NewMinifier()
	}
	renderAll(ctx, cfg.DefaultLanguage, all, r, w, res, opts.Progress, diags)
	copyFiles(ctx, opts.Source, s, cfg, w, diags)
	writeExtras(s, cfg, r, w, extra, diags)
	res.Files = int(w.files.Load())
	res.Bytes = w.bytes.Load()
	return finish()
}

// countingWriter minifies, counts and refuses to write a path twice.
type countingWriter struct {
	w     output.Writer
	min   *output.Minifier
	files atomic.Int64
	bytes atomic.Int64
	seen  sync.Map
}

func (c *countingWriter) WriteFile(rel string, data []byte, from string) error {
	if prev, dup := c.seen.LoadOrStore(rel, from); dup {
		return fmt.Errorf("%s is written twice: also by %s", rel, prev)
	}
	data = c.min.Minify(rel, data)
	if err := c.w.WriteFile(rel, data); err != nil {
		return err
	}
	c.files.Add(1)
	c.bytes.Add(int64(len(data)))
	return nil
}

// resolver resolves Markdown file links against the loaded site.
type resolver struct {
	site *content.Site
	r    *render.Renderer
}

func (x resolver) ResolveMarkdownLink(file, dest string) (string, bool) {
	p := x.site.ResolveLink(file, dest)
	if p == nil {
		return "", false
	}
	return x.r.RelURL(p.URL), true
}

// parallel runs fn for each index on all cores.
func parallel(ctx context.Context, n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), n)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// convertAll renders every page's Markdown on all cores.
func convertAll(ctx context.Context, s *content.Site, conv map[string]*markdown.Converter, r *render.Renderer, diags *diag.List) {
	res := resolver{site: s, r: r}
	parallel(ctx, len(s.Pages), func(i int) {
		p := s.Pages[i]
		if p.Body == nil {
			return
		}
		out := conv[p.Lang].Convert(p.Body, markdown.Doc{File: p.File, Line: p.BodyLine, Resolver: res})
		p.Content = out.HTML
		p.WordCount = out.WordCount
		p.TOC = p.TOC[:0]
		for _, h := range out.Headings {
			if h.Level >= 2 && h.Level <= 3 {
				p.TOC = append(p.TOC, content.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
			}
		}
		for _, d := range out.Problems {
			diags.Add(d)
		}
	})
}

// syntheticPages makes the root language chooser and a 404 page per language.
func syntheticPages(s *content.Site, cfg *config.Config, catalogs map[string]*i18n.Catalog) []*content.Page {
	root := &content.Page{Kind: content.KindRoot, Lang: cfg.DefaultLanguage, URL: "/", OutPath: "index.html"}
	root.Title = cfg.Title
	for _, l := range s.Languages {
		root.Translations = append(root.Translations, l.Home)
	}
	out := []*content.Page{root}
	for _, l := range s.Languages {
		p := &content.Page{Kind: content.Kind404, Lang: l.Code, URL: "/" + l.Code + "/404.html", OutPath: l.Code + "/404.html", Section: l.Home}
		p.Title = "404"
		if t, err := catalogs[l.Code].T("notFoundTitle"); err == nil {
			p.Title = t
		}
		out = append(out, p)
	}
	return out
}

// maxRenderFailures stops rendering after this many pages failed.
const maxRenderFailures = 20

// renderAll executes the layouts of every page on all cores and writes them.
func renderAll(ctx context.Context, defaultLang string, pages []*content.Page, r *render.Renderer, w *countingWriter, res *Result, progress func(int, int), diags *diag.List) {
	var done, failed atomic.Int64
	var mu sync.Mutex
	parallel(ctx, len(pages), func(i int) {
		if failed.Load() >= maxRenderFailures {
			return // the same template error on every page says nothing new
		}
		p := pages[i]
		html, err := r.Render(p)
		if err == nil {
			err = w.WriteFile(p.OutPath, html, where(p))
		}
		if err == nil && p.Kind == content.Kind404 && p.Lang == defaultLang {
			// Hosts serve /404.html for every missing path.
			err = w.WriteFile("404.html", html, where(p))
		}
		if err != nil {
			failed.Add(1)
			diags.AddErr(where(p), err)
			return
		}
		if p.Kind != content.KindRoot {
			mu.Lock()
			res.Pages[p.Lang]++
			mu.Unlock()
		}
		if progress != nil {
			progress(int(done.Add(1)), len(pages))
		}
	})
	if err := ctx.Err(); err != nil {
		diags.Add(diag.At(".", 0, 0, "", "build stopped: %v", err))
	}
}

func where(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return p.URL
}

// copyFiles copies the theme's static/ then the site's static/ (the site's
// file wins), and the resources of sections and page bundles.
func copyFiles(ctx context.Context, fsys fs.FS, s *content.Site, cfg *config.Config, w *countingWriter, diags *diag.List) {
	files := map[string]string{} // output path -> source path
	for _, dir := range []string{path.Join("themes", cfg.Theme, "static"), "static"} {
		_ = fs.WalkDir(fsys, dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					diags.Add(diag.At(p, 0, 0, "check permissions", "cannot read: %v", err))
				}
				return nil
			}
			if content.Ignored(d.Name()) && p != dir {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if !d.IsDir() {
				files[strings.TrimPrefix(p, dir+"/")] = p
			}
			return nil
		})
	}
	for _, p := range s.Pages {
		base := strings.TrimSuffix(p.OutPath, "index.html")
		for _, res := range p.Resources {
			var rel string
			if p.Kind == content.KindPage {
				rel = strings.TrimPrefix(res, path.Dir(p.File)+"/")
			} else {
				rel = path.Base(res)
			}
			files[base+rel] = res
		}
	}
	keys := make([]string, 0, len(files))
	for k := range files {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parallel(ctx, len(keys), func(i int) {
		out, src := keys[i], files[keys[i]]
		data, err := fs.ReadFile(fsys, src)
		if err == nil {
			err = w.WriteFile(out, data, src)
		}
		if err != nil {
			diags.AddErr(src, err)
		}
	})
}

// writeExtras writes redirects, the sitemap, robots.txt and feeds.
func writeExtras(s *content.Site, cfg *config.Config, r *render.Renderer, w *countingWriter, extra []*content.Page, diags *diag.List) {
	write := func(rel string, data []byte) {
		if err := w.WriteFile(rel, data, "(generated)"); err != nil {
			diags.AddErr(rel, err)
		}
	}
	for _, a := range s.Aliases {
		write(a.OutPath, output.AliasPage(a.Target.Lang, r.RelURL(a.Target.URL), r.AbsURL(a.Target.URL)))
	}

	var entries []output.SitemapEntry
	pages := append([]*content.Page{extra[0]}, s.Pages...)
	for _, p := range pages {
		e := output.SitemapEntry{Loc: r.AbsURL(p.URL), Lastmod: latest(p)}
		if len(p.Translations) > 0 {
			def := p
			if p.Lang != cfg.DefaultLanguage {
				if t := p.Translation(cfg.DefaultLanguage); t != nil {
					def = t
				}
			}
			if p.Kind == content.KindRoot {
				def = p
			} else {
				e.Alternates = append(e.Alternates, output.Alternate{Lang: p.Lang, Href: r.AbsURL(p.URL)})
			}
			for _, t := range p.Translations {
				e.Alternates = append(e.Alternates, output.Alternate{Lang: t.Lang, Href: r.AbsURL(t.URL)})
			}
			e.Alternates = append(e.Alternates, output.Alternate{Lang: "x-default", Href: r.AbsURL(def.URL)})
		}
		entries = append(entries, e)
	}
	write("sitemap.xml", output.Sitemap(entries))
	write("robots.txt", output.Robots(r.AbsURL("/sitemap.xml")))

	for _, l := range s.Languages {
		regular := l.RegularPages()
		sort.SliceStable(regular, func(i, j int) bool { return latest(regular[i]).After(latest(regular[j])) })
		if len(regular) > 50 {
			regular = regular[:50]
		}
		f := output.Feed{Title: l.Title, Lang: l.Code, ID: r.AbsURL(l.Home.URL), Self: r.AbsURL(l.Home.URL + "atom.xml")}
		for _, p := range regular {
			if u := latest(p); u.After(f.Updated) {
				f.Updated = u
			}
		}
		if f.Updated.IsZero() {
			f.Updated = time.Unix(0, 0) // no page has a date; keep builds reproducible
		}
		for _, p := range regular {
			u := latest(p)
			if u.IsZero() {
				u = f.Updated
			}
			f.Entries = append(f.Entries, output.FeedEntry{Title: p.Title, URL: r.AbsURL(p.URL), Updated: u, Summary: p.Description})
		}
		write(strings.TrimPrefix(l.Home.URL, "/")+"atom.xml", output.Atom(f))
	}
}

// latest is the newest of a page's lastmod, date and lastReviewed.
func latest(p *content.Page) time.Time {
	t := p.Modified()
	if p.LastReviewed.After(t) {
		t = p.LastReviewed
	}
	return t
}
