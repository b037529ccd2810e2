// Package site runs the build pipeline: config → content → markdown →
// render → output. It is the one place that knows the order of the stages;
// the build, serve, check and export commands drive the pipeline through it.
//
// A Session keeps the state of the last build so that the preview server
// can rebuild incrementally: an edit to a page's body re-renders that page
// alone; an edit to front matter re-renders the pages that show it; a
// change to config, templates or UI strings rebuilds everything.
package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"html/template"
	"io/fs"
	"net/url"
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
	"github.com/qorgau/qorgau/generator/search"
)

// Options say what to build and where to write it.
type Options struct {
	Source   fs.FS                 // the site's folder: config.toml, content/, layouts/, static/, i18n/, themes/
	Writer   output.Writer         // where files go; may be nil for a Session that keeps files in memory
	Drafts   bool                  // include draft pages
	BaseURL  string                // overrides config.toml's baseURL when set
	Progress func(done, total int) // called as pages are rendered; may be nil
	Config   func(*config.Config)  // adjusts the loaded config (serve, tests); may be nil

	// DropBodies frees each page's Markdown once it is converted, in a
	// one-shot Build: the Result's pages then have no Body. It keeps the
	// build command's memory, and the time the system takes to hand it
	// memory, down.
	DropBodies bool

	// Early, when set, is called during a full build once every page is
	// read and converted and before the pages are rendered, with a
	// function that renders one output path on demand (or returns a copied
	// file). The preview server answers its first requests with it while
	// the rest of the site renders. The function must not be used after
	// the build returned.
	Early func(peek func(rel string) ([]byte, bool))
}

// Result describes a build or an update.
type Result struct {
	Config      *config.Config
	Site        *content.Site
	Diagnostics []*diag.Diagnostic // errors and warnings, sorted
	Pages       map[string]int     // pages rendered per language
	Files       int                // files written
	Bytes       int64              // bytes written
	Duration    time.Duration
	Rendered    int      // pages whose templates were executed
	Full        bool     // everything was reloaded
	Changed     []string // output paths added, changed or removed (Session only)
	Stages      []Stage  // how long each stage took, in order
}

// Stage is one step of a build and its duration.
type Stage struct {
	Name     string
	Duration time.Duration
}

// Build runs the whole pipeline once, writing to opts.Writer. It returns a
// diag.Errors error when the sources have problems; the caller then
// discards what was written.
func Build(ctx context.Context, opts Options) (*Result, error) {
	s := &Session{opts: opts, index: search.NewOnceBuilder()}
	return s.Build(ctx)
}

// Session builds a site and keeps what it needs to rebuild it quickly.
type Session struct {
	opts Options
	keep bool // keep the output in memory

	mu         sync.Mutex
	cfg        *config.Config
	catalogs   map[string]*i18n.Catalog
	layouts    *render.Layouts
	converters map[string]*markdown.Converter
	r          *render.Renderer
	site       *content.Site
	files      *FileSet            // the last good output (keep only)
	md         map[string]mdResult // converted bodies by file, valid while links resolve the same
	links      string              // signature of every page's file and URL, for md
	broken     bool                // the last full build failed
	pending    map[string]bool     // changed paths of updates that failed, tried again next time
	parsed     *content.FileCache  // parsed Markdown files, forgotten when they change
	stale      map[string]bool     // languages whose search index a body edit made stale
	index      *search.Builder     // search terms of each page, kept between builds
}

// mdResult is a cached Markdown conversion.
type mdResult struct {
	body  bodySum // of the Markdown converted
	line  int
	html  string
	toc   []content.Heading
	words int
}

// NewSession returns a Session that keeps its output in memory.
func NewSession(opts Options) *Session {
	return &Session{opts: opts, keep: true, pending: map[string]bool{}, parsed: content.NewFileCache(), index: search.NewBuilder(), stale: map[string]bool{}}
}

// Files returns the last good output as a new map.
func (s *Session) Files() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.makeIndexes()
	return s.files.Map()
}

// Snapshot returns the last good output, except that search indexes not
// yet remade after an edit are left out and returned as functions that
// make them: the preview server then answers an edit without waiting for
// an index no open page shows, and makes it when a reader searches. The
// set never changes; each build or update makes a new one.
func (s *Session) Snapshot() (files *FileSet, later map[string]func() []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stale) == 0 {
		return s.files, nil
	}
	later = map[string]func() []byte{}
	for lang := range s.stale {
		rel := lang + "/" + indexFile
		later[rel] = func() []byte {
			s.mu.Lock()
			defer s.mu.Unlock()
			s.makeIndexes()
			b, _ := s.files.Get(rel)
			return b.Bytes()
		}
	}
	return s.files, later
}

// indexFile is a language's search index, under the language's folder.
const indexFile = "search-index.js"

// makeIndexes remakes the stale search indexes into a new output set.
func (s *Session) makeIndexes() {
	if len(s.stale) == 0 {
		return
	}
	k := newSink(nil, s.cfg, true)
	var diags diag.List
	for lang := range s.stale {
		if l := s.site.Language(lang); l != nil {
			writeSearchIndex(l, s.index, k, &diags)
		}
	}
	s.files = s.files.With(k.files, nil)
	clear(s.stale)
}

// Build loads and renders everything.
func (s *Session) Build(ctx context.Context) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.parsed != nil {
		s.parsed.Clear()
	}
	return s.build(ctx, true, nil)
}

// sink minifies, counts and stores output files, refusing to write a path twice.
type sink struct {
	w     output.Writer
	min   *output.Minifier
	links *output.Linker // makes links relative; nil keeps them as they are
	mu    sync.Mutex
	files map[string]Content
	from  map[string]string
	count atomic.Int64
	bytes atomic.Int64
}

func newSink(w output.Writer, cfg *config.Config, keep bool) *sink {
	k := &sink{w: w, from: map[string]string{}}
	if cfg.Minify {
		k.min = output.NewMinifier()
	}
	if cfg.RelativeURLs || cfg.Offline {
		k.links = &output.Linker{BasePath: basePath(cfg.BaseURL), Explicit: cfg.Offline}
		if cfg.Offline {
			k.links.Origin = cfg.BaseURL
		}
	}
	if keep {
		k.files = map[string]Content{}
	}
	return k
}

func (k *sink) write(rel string, data []byte, from string) error {
	return k.writeMin(rel, data, from, true)
}

// writeMin writes a file, minifying it when asked.
func (k *sink) writeMin(rel string, data []byte, from string, minify bool) error {
	if err := k.claim(rel, from); err != nil {
		return err
	}
	if minify {
		data = k.min.Minify(rel, k.links.Rewrite(rel, data))
	}
	return k.put(rel, data)
}

// render renders a page and finishes it as write would: links made
// relative, minified. Without link rewriting it comes in pieces, and the
// minifier sees only the page's own HTML and each cached partial once.
func (k *sink) render(r *render.Renderer, p *content.Page) ([][]byte, error) {
	if k.links == nil {
		var min func([]byte) []byte
		if k.min != nil {
			min = func(b []byte) []byte { return k.min.Minify(".html", b) }
		}
		return r.RenderParts(p, min)
	}
	html, err := r.Render(p)
	if err != nil {
		return nil, err
	}
	return [][]byte{k.min.Minify(p.OutPath, k.links.Rewrite(p.OutPath, html))}, nil
}

// writeParts writes a finished file given in pieces.
func (k *sink) writeParts(rel string, parts [][]byte, from string) error {
	if err := k.claim(rel, from); err != nil {
		return err
	}
	return k.putContent(rel, Content(parts))
}

// claim checks an output path and records who writes it, refusing a
// path written twice.
func (k *sink) claim(rel, from string) error {
	if err := output.CheckPath(rel); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if prev, dup := k.from[rel]; dup {
		return fmt.Errorf("%s is written twice: also by %s", rel, prev)
	}
	k.from[rel] = from
	return nil
}

// put stores already minified bytes.
func (k *sink) put(rel string, data []byte) error {
	return k.putContent(rel, Content{data})
}

// putContent stores a finished file, writing its pieces one after the
// other and keeping them as they are.
func (k *sink) putContent(rel string, c Content) error {
	if k.w != nil {
		var err error
		if pw, ok := k.w.(output.PartsWriter); ok && len(c) > 1 {
			err = pw.WriteParts(rel, c)
		} else {
			err = k.w.WriteFile(rel, c.Bytes())
		}
		if err != nil {
			return err
		}
	}
	if k.files != nil {
		k.mu.Lock()
		k.files[rel] = c
		k.mu.Unlock()
	}
	k.count.Add(1)
	k.bytes.Add(int64(c.Len()))
	return nil
}

// build runs the pipeline. With reload it reads config, UI strings and
// layouts again; otherwise it reuses them. changed names the content files
// that changed since the last good build; nil means "render every page".
func (s *Session) build(ctx context.Context, reload bool, changed map[string]bool) (*Result, error) {
	start := time.Now()
	res := &Result{Pages: map[string]int{}, Full: changed == nil}
	last := start
	tmark := func(stage string) {
		now := time.Now()
		res.Stages = append(res.Stages, Stage{Name: stage, Duration: now.Sub(last)})
		last = now
	}
	diags := &diag.List{}
	finish := func() (*Result, error) {
		res.Diagnostics = diags.Items()
		res.Duration = time.Since(start)
		err := diags.Err()
		if err != nil && changed == nil {
			s.broken = true
		}
		return res, err
	}
	fsys := s.opts.Source

	cfg, catalogs, layouts, converters := s.cfg, s.catalogs, s.layouts, s.converters
	if reload || cfg == nil {
		var ok bool
		cfg, catalogs, layouts, converters, ok = s.loadSetup(diags)
		if !ok {
			return finish()
		}
	}
	res.Config = cfg

	tmark("config, layouts, UI strings")
	site := content.Load(ctx, fsys, cfg, content.Options{Drafts: s.opts.Drafts, Cache: s.parsed}, diags)
	res.Site = site
	for _, p := range site.Pages {
		if c := converters[p.Lang]; c != nil {
			p.Typeset(c.Typeset)
		}
	}
	tmark("read content")
	r := render.New(site, render.Options{Layouts: layouts, Catalogs: catalogs, Converters: converters}, diags)

	md := s.md
	links := linkSignature(site)
	if reload || links != s.links || md == nil {
		md = map[string]mdResult{}
	}
	if !s.keep {
		md = nil // a one-shot build has nothing to reuse conversions for
	}
	convertAll(ctx, site, converters, r, md, diags)
	if s.opts.DropBodies && !s.keep {
		dropBodies(ctx, site)
	}
	tmark("Markdown")
	extra := syntheticPages(site, cfg, catalogs)
	all := append(append([]*content.Page(nil), site.Pages...), extra...)
	r.Prepare(all, diags)
	if diags.HasErrors() {
		return finish()
	}

	tmark("parse layouts")
	k := newSink(s.opts.Writer, cfg, s.keep)
	render := all
	var reuse []*content.Page
	if changed != nil && s.site != nil && sameShape(s.site, site) {
		render, reuse = affected(site, extra, changed)
	}
	for _, p := range reuse {
		if b, ok := s.files.Get(p.OutPath); ok {
			_ = k.putContent(p.OutPath, b)
			k.from[p.OutPath] = where(p)
			if p.Kind == content.Kind404 && p.Lang == cfg.DefaultLanguage {
				_ = k.putContent("404.html", b)
				k.from["404.html"] = where(p)
			}
			res.Pages[p.Lang]++
		} else {
			render = append(render, p)
		}
	}
	copyFiles(ctx, fsys, site, cfg, k, diags)
	tmark("copy files")
	if s.opts.Early != nil && changed == nil {
		s.opts.Early(early(cfg, render, r, k))
	}
	res.Rendered = renderAll(ctx, cfg.DefaultLanguage, render, r, k, res, s.opts.Progress, diags)
	tmark("render pages")
	writeExtras(site, cfg, r, k, extra, diags)
	tmark("sitemap, feeds, redirects")
	writeSearchEngine(k, diags)
	if !s.keep {
		for _, l := range site.Languages {
			writeSearchIndex(l, s.index, k, diags)
		}
	}
	tmark("search indexes")
	res.Files = int(k.count.Load())
	res.Bytes = k.bytes.Load()
	if diags.HasErrors() {
		return finish()
	}
	if s.keep {
		res.Changed = diff(s.files, k.files)
		s.files = NewFileSet(k.files)
	}
	s.cfg, s.catalogs, s.layouts, s.converters, s.r, s.site = cfg, catalogs, layouts, converters, r, site
	s.md, s.links, s.broken = md, links, false
	clear(s.stale)
	if s.keep {
		// A session makes search indexes when first asked (Files, or a
		// reader's search in the preview), so the preview starts sooner.
		for _, l := range site.Languages {
			s.stale[l.Code] = true
		}
	}
	return finish()
}

// loadSetup reads config, UI strings and layouts, and makes the Markdown converters.
func (s *Session) loadSetup(diags *diag.List) (*config.Config, map[string]*i18n.Catalog, *render.Layouts, map[string]*markdown.Converter, bool) {
	fsys := s.opts.Source
	cfg, err := config.Load(fsys)
	if err != nil {
		diags.AddErr(config.FileName, err)
		return nil, nil, nil, nil, false
	}
	if s.opts.BaseURL != "" {
		cfg.BaseURL = strings.TrimSuffix(s.opts.BaseURL, "/") + "/"
	}
	if s.opts.Config != nil {
		s.opts.Config(cfg)
	}
	themeDir := path.Join("themes", cfg.Theme)
	if _, err := fs.Stat(fsys, themeDir); err != nil {
		line, col := 1, 1
		if src, err := fs.ReadFile(fsys, config.FileName); err == nil {
			line, col = config.FindKey(src, "theme")
		}
		diags.Add(diag.At(config.FileName, line, col, "put the theme in "+themeDir+"/ or change theme in config.toml", "theme %q not found", cfg.Theme))
		return nil, nil, nil, nil, false
	}
	catalogs := map[string]*i18n.Catalog{}
	for _, code := range cfg.LanguageOrder {
		c, err := i18n.Load(fsys, code, path.Join(themeDir, "i18n"), "i18n")
		diags.AddErr("i18n", err)
		catalogs[code] = c
	}
	layouts, err := render.FindLayouts(fsys, render.LayoutDirs(cfg.Theme))
	if err != nil {
		diags.AddErr("layouts", err)
		return nil, nil, nil, nil, false
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
	return cfg, catalogs, layouts, converters, true
}

// basePath is the path part of a base URL: "/" or "/lessons/".
func basePath(base string) string {
	if u, err := url.Parse(base); err == nil && u.Path != "" {
		return u.Path
	}
	return "/"
}

// diff lists the paths whose bytes differ between two outputs.
func diff(old *FileSet, cur map[string]Content) []string {
	var out []string
	for p, b := range cur {
		if ob, ok := old.Get(p); !ok || !ob.Equal(b) {
			out = append(out, p)
		}
	}
	old.Range(func(p string, _ Content) bool {
		if _, ok := cur[p]; !ok {
			out = append(out, p)
		}
		return true
	})
	sort.Strings(out)
	return out
}

// linkSignature is every page's file and URL: Markdown converted against one
// signature stays valid while the signature is the same.
func linkSignature(s *content.Site) string {
	var b strings.Builder
	for _, p := range s.Pages {
		b.WriteString(p.File)
		b.WriteByte(' ')
		b.WriteString(p.URL)
		b.WriteByte('\n')
	}
	return b.String()
}

// shape is what other pages can see of a page's place in the site.
func shape(p *content.Page) string {
	var b strings.Builder
	u := func(q *content.Page) {
		if q != nil {
			b.WriteString(q.URL)
		}
		b.WriteByte('|')
	}
	fmt.Fprintf(&b, "%s|%s|%s|%s|%s|", p.File, p.Kind, p.URL, p.Layout, strings.Join(p.Aliases, ","))
	u(p.Section)
	u(p.Prev)
	u(p.Next)
	for _, t := range p.Translations {
		u(t)
	}
	b.WriteString(strings.Join(p.Missing, ","))
	for _, q := range p.Pages {
		u(q)
	}
	for _, q := range p.Sections {
		u(q)
	}
	b.WriteString(strings.Join(p.Resources, ","))
	return b.String()
}

// sameShape reports whether two loads of a site have the same pages at the
// same URLs in the same order with the same neighbours and translations.
func sameShape(a, b *content.Site) bool {
	if len(a.Pages) != len(b.Pages) {
		return false
	}
	for i := range a.Pages {
		if shape(a.Pages[i]) != shape(b.Pages[i]) {
			return false
		}
	}
	return true
}

// affected splits the pages into those that must be rendered again after
// the changed content files, and those whose last output is still right.
// A page shows its own fields, and of other pages: its section's, its
// ancestors' (breadcrumbs), its neighbours' (prev/next), its translations'
// and, for a section or home, its children's. So a changed page affects
// itself, its section, its neighbours, its translations and everything
// below it; a changed home also the root language chooser.
func affected(s *content.Site, extra []*content.Page, changed map[string]bool) (render, reuse []*content.Page) {
	set := map[*content.Page]bool{}
	var below func(p *content.Page)
	below = func(p *content.Page) {
		for _, q := range p.Pages {
			set[q] = true
		}
		for _, q := range p.Sections {
			set[q] = true
			below(q)
		}
	}
	for file := range changed {
		p := s.PageByFile(file)
		if p == nil {
			continue
		}
		set[p] = true
		for _, q := range []*content.Page{p.Section, p.Prev, p.Next} {
			if q != nil {
				set[q] = true
			}
		}
		for _, t := range p.Translations {
			set[t] = true // language switchers, and out-of-date notices
		}
		if p.Kind != content.KindPage {
			below(p)
		}
		if p.Kind == content.KindHome {
			for _, e := range extra {
				set[e] = true
			}
		}
	}
	for _, p := range append(append([]*content.Page(nil), s.Pages...), extra...) {
		if set[p] {
			render = append(render, p)
		} else {
			reuse = append(reuse, p)
		}
	}
	return render, reuse
}

// resolver resolves Markdown file links against the loaded site.
type resolver struct {
	site *content.Site
	r    *render.Renderer
}

func (x resolver) ResolveFile(file, dest string) (string, bool) {
	u, ok := x.site.ResolveFile(file, dest)
	if !ok {
		return "", false
	}
	return x.r.RelURL(u), true
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

// convertAll renders every page's Markdown on all cores, reusing cached
// conversions of unchanged bodies. Conversions with problems are not cached.
func convertAll(ctx context.Context, s *content.Site, conv map[string]*markdown.Converter, r *render.Renderer, cache map[string]mdResult, diags *diag.List) {
	res := resolver{site: s, r: r}
	var mu sync.Mutex
	parallel(ctx, len(s.Pages), func(i int) {
		p := s.Pages[i]
		if p.Body == nil {
			return
		}
		mu.Lock()
		c, ok := cache[p.File]
		mu.Unlock()
		if ok && c.line == p.BodyLine && c.body == sumBody(p.Body) {
			applyMD(p, c)
			return
		}
		out := conv[p.Lang].Convert(p.Body, markdown.Doc{File: p.File, Line: p.BodyLine, Resolver: res})
		c = mdResult{line: p.BodyLine, html: string(out.HTML), words: out.WordCount}
		if cache != nil {
			c.body = sumBody(p.Body)
		}
		for _, h := range out.Headings {
			if h.Level >= 2 && h.Level <= 3 {
				c.toc = append(c.toc, content.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
			}
		}
		applyMD(p, c)
		for _, d := range out.Problems {
			diags.Add(d)
		}
		if len(out.Problems) == 0 && cache != nil {
			mu.Lock()
			cache[p.File] = c
			mu.Unlock()
		}
	})
}

// dropBodies frees the Markdown of every page once converted, in a build
// that keeps nothing: a site's text is the largest thing a build holds.
func dropBodies(ctx context.Context, s *content.Site) {
	original := map[*content.Page]bool{}
	for _, p := range s.Pages {
		if o := p.Original(); o != nil {
			original[o] = true
		}
	}
	parallel(ctx, len(s.Pages), func(i int) {
		p := s.Pages[i]
		p.DropBody(original[p])
	})
}

// bodySum identifies a Markdown body without keeping a copy of it: its
// length and two 64-bit hashes with different seeds.
type bodySum struct {
	n    int
	a, b uint64
}

var sumSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func sumBody(b []byte) bodySum {
	return bodySum{len(b), maphash.Bytes(sumSeeds[0], b), maphash.Bytes(sumSeeds[1], b)}
}

func applyMD(p *content.Page, c mdResult) {
	p.Content = template.HTML(c.html)
	p.TOC = c.toc
	p.WordCount = c.words
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

// early returns a function that renders the page behind an output path,
// or returns a file already written, as the build will write it.
func early(cfg *config.Config, pages []*content.Page, r *render.Renderer, k *sink) func(rel string) ([]byte, bool) {
	byOut := make(map[string]*content.Page, len(pages)+1)
	for _, p := range pages {
		byOut[p.OutPath] = p
		if p.Kind == content.Kind404 && p.Lang == cfg.DefaultLanguage {
			byOut["404.html"] = p
		}
	}
	return func(rel string) ([]byte, bool) {
		if p := byOut[rel]; p != nil {
			parts, err := k.render(r, p)
			if err != nil {
				return nil, false
			}
			return render.Join(parts), true
		}
		k.mu.Lock()
		defer k.mu.Unlock()
		b, ok := k.files[rel]
		return b.Bytes(), ok
	}
}

// maxRenderFailures stops rendering after this many pages failed.
const maxRenderFailures = 20

// renderAll executes the layouts of pages on all cores and writes them. It
// returns how many pages it rendered.
func renderAll(ctx context.Context, defaultLang string, pages []*content.Page, r *render.Renderer, k *sink, res *Result, progress func(int, int), diags *diag.List) int {
	var done, failed atomic.Int64
	var mu sync.Mutex
	parallel(ctx, len(pages), func(i int) {
		if failed.Load() >= maxRenderFailures {
			return // the same template error on every page says nothing new
		}
		p := pages[i]
		parts, err := k.render(r, p)
		if err == nil {
			err = k.writeParts(p.OutPath, parts, where(p))
		}
		if err == nil && p.Kind == content.Kind404 && p.Lang == defaultLang {
			// Hosts serve /404.html for every missing path.
			if k.links != nil { // relative links differ one folder up
				var html []byte
				if html, err = r.Render(p); err == nil {
					err = k.write("404.html", html, where(p))
				}
			} else {
				err = k.writeParts("404.html", parts, where(p))
			}
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
		n := done.Add(1)
		if progress != nil {
			progress(int(n), len(pages))
		}
	})
	if err := ctx.Err(); err != nil {
		diags.Add(diag.At(".", 0, 0, "", "build stopped: %v", err))
	}
	return int(done.Load())
}

func where(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return p.URL
}

// copyFiles copies the theme's static/ then the site's static/ (the site's
// file wins), and the resources of sections and page bundles.
func copyFiles(ctx context.Context, fsys fs.FS, s *content.Site, cfg *config.Config, k *sink, diags *diag.List) {
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
		for _, res := range p.Resources {
			files[p.ResourceOut(res)] = res
		}
	}
	keys := make([]string, 0, len(files))
	for key := range files {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	parallel(ctx, len(keys), func(i int) {
		out, src := keys[i], files[keys[i]]
		data, err := fs.ReadFile(fsys, src)
		if err == nil {
			err = k.write(out, data, src)
		}
		if err != nil {
			diags.AddErr(src, err)
		}
	})
}

// writeExtras writes redirects, the sitemap, robots.txt and feeds.
func writeExtras(s *content.Site, cfg *config.Config, r *render.Renderer, k *sink, extra []*content.Page, diags *diag.List) {
	write := func(rel string, data []byte) {
		if err := k.write(rel, data, "(generated)"); err != nil {
			diags.AddErr(rel, err)
		}
	}
	for _, a := range s.Aliases {
		write(a.OutPath, output.AliasPage(a.Target.Lang, r.RelURL(a.Target.URL), r.AbsURL(a.Target.URL)))
	}

	if cfg.Offline {
		return // a copy on a USB stick has no origin to give search engines or feed readers
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
	if err := k.writeMin("sitemap.xml", output.Sitemap(entries), "(generated)", false); err != nil {
		diags.AddErr("sitemap.xml", err) // written compact already
	}
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

// writeSearchIndex writes a language's search index script.
func writeSearchIndex(l *content.Language, b *search.Builder, k *sink, diags *diag.List) {
	docs := make([]search.Doc, 0, len(l.Pages))
	for _, p := range l.Pages {
		d := search.Doc{URL: strings.TrimPrefix(p.URL, "/"), Title: p.Title, Description: p.Description, HTML: string(p.Content)}
		if p.Section != nil {
			d.Section = p.Section.Title
		}
		docs = append(docs, d)
	}
	if err := k.writeMin(l.Code+"/"+indexFile, b.Index(l.Code, docs), "(search index)", false); err != nil {
		diags.AddErr(l.Code+"/"+indexFile, err)
	}
}

// writeSearchEngine writes the search engine script that every language's index uses.
func writeSearchEngine(k *sink, diags *diag.List) {
	if err := k.write("js/qorgau-search.js", bytes.Clone(search.EngineJS), "(search engine)"); err != nil {
		diags.AddErr("js/qorgau-search.js", err)
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
