package site

import (
	"context"
	"encoding/json"
	"hash/maphash"
	"html/template"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/data"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// run is one build's state as it goes through the stages.
type run struct {
	res      *Result
	diags    *diag.List
	last     time.Time
	cfg      *config.Config
	site     *content.Site
	bodies   *content.Bodies // what the Markdown stage made of site's pages
	r        *render.Renderer
	extra    []*content.Page // the root language chooser and the 404 pages
	k        *sink
	change   Change // what changed since the last good build
	made     map[string][]string
	prints   map[string]pagePrint      // this build's page prints (sessions only)
	changed  *changeSet                // what changed since the last good build, by field (sessions only)
	reads    *readSets                 // what this build's renders read (sessions only)
	reusedMD []bool                    // by position in site.Pages: its converted Markdown came from the session's cache
	copies   map[string]string         // static files and resources copied: output path -> source
	handouts *handouts                 // the PDF handouts; nil when they are off
	pics     *pictures                 // the images pages show
	later    map[string]string         // images a session makes when first asked for: source -> output path
	skipped  map[string]bool           // page resources left out of the output: shown only as resized pictures
	data     map[string]map[string]any // each language's data files
	gave     map[string]bool           // outputs a static file overrode in part
}

// mark records how long the stage that just ended took.
func (b *run) mark(stage string) {
	now := time.Now()
	b.res.Stages = append(b.res.Stages, Stage{Name: stage, Duration: now.Sub(b.last)})
	b.last = now
}

// build runs the pipeline. With reload it reads config, UI strings and
// layouts again; otherwise it reuses them. changed names the content files
// that changed since the last good build; nil means "render every page".
func (s *Session) build(ctx context.Context, reload bool, changed map[string]bool) (*Result, error) {
	start := time.Now()
	b := &run{res: &Result{Pages: map[string]int{}, Full: changed == nil}, diags: &diag.List{}, last: start, made: map[string][]string{}, gave: map[string]bool{}}
	finish := func() (*Result, error) {
		b.res.Diagnostics = b.diags.Items()
		b.res.Duration = time.Since(start)
		err := b.diags.Err()
		if err != nil && changed == nil {
			s.broken = true
		}
		if err != nil && b.r != nil {
			forgetFresh(b.r)
		}
		return b.res, err
	}
	cfg, catalogs, layouts, converters := s.cfg, s.catalogs, s.layouts, s.converters
	if reload || cfg == nil {
		s.entries = nil // they hold absolute URLs, and config may have changed
		var ok bool
		if cfg, catalogs, layouts, converters, ok = s.loadSetup(b.diags); !ok {
			return finish()
		}
	}
	b.cfg, b.res.Config = cfg, cfg
	d, err := data.Load(s.opts.Source, cfg.DataDir, cfg.LanguageOrder)
	b.diags.AddErr(cfg.DataDir, err)
	b.data = d
	b.mark("config, layouts, UI strings")
	s.load(ctx, b, converters, catalogs)
	b.mark("read content")
	if reload || s.r == nil || s.prints == nil {
		b.r = render.New(b.site, render.Options{Layouts: layouts, Catalogs: catalogs, Converters: converters, Record: s.keep, Bodies: b.bodies}, b.diags)
	} else {
		// The same layouts and UI strings: the last good build's templates
		// and cached partials serve again, less the partials that read
		// something that changed (forgotten below).
		b.r = s.r.ForSite(b.site, b.bodies, b.diags)
	}
	if s.images == nil {
		s.images = newImageStore(s.openImageCache, s.keep)
	} else if reload {
		s.images.forgetProbes()
	}
	b.pics = newPictures(s.images, s.opts.Source, b.site, cfg, b.r.RelURL("/"))
	b.r = b.r.WithImages(b.pics)
	md, links := s.convert(ctx, b, converters, reload)
	b.mark("Markdown")
	b.extra = syntheticPages(b.site, cfg, catalogs)
	pages := outputPages(b.site, b.extra)
	b.r.Prepare(pages, b.diags)
	if b.diags.HasErrors() {
		return finish()
	}
	b.mark("parse layouts")
	if s.keep {
		b.prints = s.printsOf(b)
		if s.prints != nil {
			b.changed = newChangeSet(changes(s.prints, b.prints))
			b.r.ForgetFragments(staleFragments(s.fragReads, b.changed))
		}
	}
	b.change = s.changeOf(b.changed, reload, changed)
	b.r = b.r.WithData(b.data)
	s.startHandouts(b, catalogs, converters)
	b.k = newSink(s.opts.Writer, cfg, s.keep, s.files.Len()+16)
	s.renderPages(ctx, b, pages, changed)
	s.generate(b)
	b.mark("generated files")
	b.res.Files = int(b.k.count.Load())
	b.res.Bytes = b.k.bytes.Load()
	if b.diags.HasErrors() {
		return finish()
	}
	if s.keep {
		b.res.Changed = diff(s.files, b.k)
		s.files = NewFileSet(b.k.files)
		s.keepReads(b)
	}
	s.cfg, s.catalogs, s.layouts, s.converters, s.r, s.site, s.bodies = cfg, catalogs, layouts, converters, b.r, b.site, b.bodies
	s.data = b.data
	s.md, s.links, s.broken, s.made, s.gave, s.copies = md, links, false, b.made, b.gave, b.copies
	s.laterImages, s.pics, s.skipped = b.later, b.pics, b.skipped
	clear(s.stale)
	if s.keep {
		// A session makes lazy outputs (search indexes) when first asked
		// (Files, or a reader's search in the preview), so the preview
		// starts sooner.
		for _, l := range b.site.Languages {
			s.stale[l.Code] = true
		}
	}
	return finish()
}

// startHandouts gives the build's pages their handouts, when they are on.
// A session keeps the files of unchanged lessons until config or UI
// strings change.
func (s *Session) startHandouts(b *run, catalogs map[string]*i18n.Catalog, converters map[string]*markdown.Converter) {
	if !b.cfg.Handouts.Enabled {
		b.r = b.r.WithDownloads(nil)
		return
	}
	// The help numbers come from the data files too.
	if sum := dataSum(b.data); s.keep && (s.handouts == nil || b.change&ChangeSetup != 0 || s.dataSum != sum) {
		s.handouts = &handoutCache{files: map[string]cachedPDF{}}
		s.dataSum = sum
	}
	b.handouts = s.newHandouts(b.site, b.bodies, b.cfg, catalogs, converters, b.r, func() map[string]string { return b.copies })
	b.handouts.pics = b.pics
	b.handouts.data = b.data
	b.r = b.r.WithDownloads(b.handouts)
	b.handouts.r = b.r
}

// dataSum identifies the data files' contents, within one process.
func dataSum(d map[string]map[string]any) uint64 {
	j, _ := json.Marshal(d) // maps in key order
	return maphash.Bytes(printSeed, j)
}

// newHandouts makes the handouts of one build of site.
func (s *Session) newHandouts(site *content.Site, bodies *content.Bodies, cfg *config.Config, catalogs map[string]*i18n.Catalog, converters map[string]*markdown.Converter, r *render.Renderer, copies func() map[string]string) *handouts {
	return &handouts{site: site, bodies: bodies, cfg: cfg, catalogs: catalogs, converters: converters, r: r, source: s.opts.Source,
		copies: copies, kept: s.handouts, files: map[string]*madePDF{}}
}

// forgetFresh forgets the cached partials a failed build rendered: they
// may show what the next good build does not, and that build could not
// tell, as it compares with the last good one.
func forgetFresh(r *render.Renderer) {
	fresh := r.NewFragmentReads()
	keys := make([]string, 0, len(fresh))
	for key := range fresh {
		keys = append(keys, key)
	}
	r.ForgetFragments(keys)
}

// load reads the content with the languages' typography, reusing the
// session's parsed files.
func (s *Session) load(ctx context.Context, b *run, converters map[string]*markdown.Converter, catalogs map[string]*i18n.Catalog) {
	typeset := func(lang string) func(string) string {
		if c := converters[lang]; c != nil {
			return c.Typeset
		}
		return nil
	}
	expect := 0
	if s.site != nil {
		expect = len(s.site.Pages) + len(s.site.Aliases) + 16
	}
	b.site = content.Load(ctx, s.opts.Source, b.cfg, content.Options{Drafts: s.opts.Drafts, Cache: s.parsed, Typeset: typeset, Expect: expect,
		Label: func(lang, key string) string {
			if c := catalogs[lang]; c != nil {
				if t, err := c.T(key); err == nil {
					return t
				}
			}
			return ""
		}}, b.diags)
	b.bodies = content.NewBodies(b.site)
	b.res.Site, b.res.Bodies = b.site, b.bodies
}

// convert turns every page's Markdown into HTML, reusing the session's
// conversions while every page's file and URL stay the same.
func (s *Session) convert(ctx context.Context, b *run, converters map[string]*markdown.Converter, reload bool) (map[string]mdResult, linkSum) {
	md := s.md
	links := linkSignature(b.site)
	if reload || links != s.links || md == nil {
		md = map[string]mdResult{}
	}
	if !s.keep {
		md = nil // a one-shot build has nothing to reuse conversions for
	}
	b.reusedMD = convertAll(ctx, b.site, b.bodies, converters, resolver{site: b.site, r: b.r, pics: b.pics}, md, b.diags)
	if s.opts.DropBodies && !s.keep && !b.cfg.Handouts.Enabled { // handouts read the bodies
		b.site.DropBodies()
	}
	return md, links
}

// changeOf says what kind of change a build follows: everything for a
// full build, else what the changed content files and the site's shape say.
// A build without changed content files follows a change to static files.
func (s *Session) changeOf(fields *changeSet, reload bool, changed map[string]bool) Change {
	if reload || changed == nil || s.site == nil || s.made == nil || fields == nil {
		return ChangeAll
	}
	c := ChangeStatic
	if len(changed) > 0 {
		c |= ChangeMeta | ChangeBody
	}
	if fields.fields(render.FieldURL, render.FieldSection, render.FieldNeighbours, render.FieldChildren, render.FieldTranslations, render.FieldIdentity) {
		c |= ChangeStructure
	}
	return c
}

// outputPages are the pages of every page output, in the order of Outputs.
func outputPages(s *content.Site, extra []*content.Page) []*content.Page {
	var all []*content.Page
	for _, o := range Outputs {
		if o.Pages != nil {
			all = append(all, o.Pages(s, extra)...)
		}
	}
	return all
}

// renderPages renders the pages a build must render, keeps the last output
// of the others, and copies static files and resources.
func (s *Session) renderPages(ctx context.Context, b *run, pages []*content.Page, changed map[string]bool) {
	render := pages
	var reuse []*content.Page
	if s.keep {
		b.reads = newReadSets()
		if b.change&ChangeSetup == 0 && b.changed != nil {
			render, reuse = s.observed(pages, b.prints, b.changed)
		}
		b.mark("what changed")
	}
	b.pics.inherit(s.pics, reuse)
	for _, p := range reuse {
		if c, ok := s.files.Get(p.OutPath); ok {
			_ = b.k.putContent(p.OutPath, c)
			b.k.from[p.OutPath] = where(p)
			if p.Kind == content.Kind404 && p.Lang == b.cfg.DefaultLanguage {
				_ = b.k.putContent("404.html", c)
				b.k.from["404.html"] = where(p)
			}
			b.res.Pages[p.Lang]++
		} else {
			render = append(render, p)
		}
	}
	if len(reuse) > 0 {
		b.mark("keep unchanged pages")
	}
	// Static files and resources are copied again when they may have
	// changed; after an edit to Markdown alone, the last copies are kept.
	skip := pictureOnly(b.site, b.bodies, b.pics, b.r.RelURL)
	if s.copies != nil && b.change&(ChangeStatic|ChangeStructure|ChangeSetup) == 0 && onlyMarkdown(changed) && maps.Equal(skip, s.skipped) && s.keepCopies(b.k) {
		b.copies = s.copies
	} else {
		b.copies = copyFiles(ctx, s.opts.Source, b.site, b.cfg, skip, b.k, b.diags)
	}
	b.skipped = skip
	b.mark("copy files")
	if s.opts.Early != nil && changed == nil {
		s.opts.Early(early(b.cfg, render, b.r, b.k))
	}
	b.res.Rendered = renderAll(ctx, b.cfg.DefaultLanguage, render, b.r, b.k, b.res, s.opts.Progress, b.diags, b.reads)
	b.mark("render pages")
}

// generate makes the generated outputs that the build's change makes
// stale and keeps the last files of the others. Lazy outputs of a session
// are left to makeLazy.
func (s *Session) generate(b *run) {
	for _, o := range Outputs {
		if o.Make == nil || !o.in(b.cfg) || (o.Lazy && s.keep) {
			continue
		}
		// An output a static file overrode is made again after every
		// change: the override may have gone.
		if prev, ok := s.made[o.Name]; ok && !s.gave[o.Name] && !o.stale(b) && s.keepFiles(b.k, prev) {
			b.made[o.Name] = prev
			continue
		}
		langs, kept := b.site.Languages, []string(nil)
		if o.PerLanguage && o.StaleOn&b.change == 0 && !s.gave[o.Name] {
			langs, kept = s.keepLanguages(b, o)
		}
		g := &gen{site: b.site, bodies: b.bodies, cfg: b.cfg, r: b.r, extra: b.extra, index: s.index, langs: langs, k: b.k, diags: b.diags, out: o, handouts: b.handouts, pics: b.pics}
		if s.keep {
			if b.later == nil {
				b.later = map[string]string{}
			}
			g.later = b.later
			if s.entries == nil {
				s.entries = map[string]cachedEntry{}
			}
			g.prints, g.entries = b.prints, s.entries
		}
		o.Make(g)
		b.made[o.Name] = append(kept, g.made...)
		if g.gave {
			b.gave[o.Name] = true
		}
	}
}

// keepFiles puts the last output's files into k as they were; false when
// one of them is gone.
func (s *Session) keepFiles(k *sink, paths []string) bool {
	for _, rel := range paths {
		if _, ok := s.files.Get(rel); !ok || k.claimed(rel) {
			return false
		}
	}
	for _, rel := range paths {
		c, _ := s.files.Get(rel)
		if err := k.claim(rel, "(kept)"); err != nil {
			return false
		}
		_ = k.putContent(rel, c)
	}
	return true
}

// loadSetup reads config, UI strings and layouts, and makes the Markdown converters.
func (s *Session) loadSetup(diags *diag.List) (*config.Config, map[string]*i18n.Catalog, *render.Layouts, map[string]*markdown.Converter, bool) {
	fsys := s.opts.Source
	cfg, err := config.Load(fsys)
	if err != nil {
		diags.AddErr(config.FileName, err)
		return nil, nil, nil, nil, false
	}
	if err := cfg.Apply(s.opts.Overrides); err != nil {
		diags.Add(&diag.Diagnostic{Path: config.FileName, Message: err.Error(), Cause: err,
			Hint: "name languages that config.toml configures"})
		return nil, nil, nil, nil, false
	}
	if s.opts.Config != nil {
		s.opts.Config(cfg)
	}
	themeDir := path.Join("themes", cfg.Theme)
	if _, err := fs.Stat(fsys, themeDir); err != nil {
		line, col := cfg.KeyPos("theme")
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

// diff lists the paths whose bytes differ between the last output and a
// build's, k. Pages kept as they were are not compared: only the paths k
// claimed, and the last output's paths k lacks.
func diff(old *FileSet, k *sink) []string {
	var out []string
	inOld := 0
	for _, p := range k.fresh {
		b := k.files[p]
		ob, ok := old.Get(p)
		if ok {
			inOld++
		}
		if !ok || !ob.Equal(b) {
			out = append(out, p)
		}
	}
	// Every path k has that is not fresh is one of old's: when k has all
	// fresh paths in old too and as many files, none of old's is gone.
	if inOld < len(k.fresh) || len(k.files) != old.Len() {
		old.Range(func(p string, _ Content) bool {
			if _, ok := k.files[p]; !ok {
				out = append(out, p)
			}
			return true
		})
	}
	sort.Strings(out)
	return out
}

// linkSum identifies every page's file and URL: Markdown converted
// against one stays valid while the pages' files and URLs are the same.
type linkSum [2]uint64

func linkSignature(s *content.Site) linkSum {
	var h [2]maphash.Hash
	for i := range h {
		h[i].SetSeed(sumSeeds[i])
		for _, p := range s.Pages {
			h[i].WriteString(p.File)
			h[i].WriteByte(0)
			h[i].WriteString(p.URL)
			h[i].WriteByte(0)
		}
	}
	return linkSum{h[0].Sum64(), h[1].Sum64()}
}

// resolver resolves Markdown file links against the loaded site, and
// images through the build's pictures.
type resolver struct {
	site *content.Site
	r    *render.Renderer
	pics *pictures // nil: images are left as written
}

func (x resolver) ResolveImage(file, dest string) (markdown.Picture, bool, error) {
	if x.pics == nil {
		return markdown.Picture{}, false, nil
	}
	return x.pics.ResolveImage(file, dest)
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
//
// It returns, by position in s.Pages, which pages' conversions came from
// the cache (nil without a cache).
func convertAll(ctx context.Context, s *content.Site, bodies *content.Bodies, conv map[string]*markdown.Converter, res resolver, cache map[string]mdResult, diags *diag.List) (reused []bool) {
	reused = make([]bool, len(s.Pages))
	// First every lookup, while nothing writes the cache.
	if cache != nil {
		parallel(ctx, len(s.Pages), func(i int) {
			p := s.Pages[i]
			body := s.Body(p)
			c, ok := cache[p.File]
			// The parse cache hands back the same bytes for a file that did
			// not change: then there is nothing to hash.
			if body != nil && ok && c.line == p.BodyLine && (c.src == unsafeFirst(body) && c.body.n == len(body) || c.body == sumBody(body)) {
				bodies.Set(p, c.out)
				reused[i] = true
			}
		})
	}
	fresh := make([]*mdResult, len(s.Pages))
	parallel(ctx, len(s.Pages), func(i int) {
		p := s.Pages[i]
		body := s.Body(p)
		if body == nil || reused[i] {
			return
		}
		out := conv[p.Lang].Convert(body, markdown.Doc{File: p.File, Line: p.BodyLine, Resolver: res})
		c := mdOf(out, p.BodyLine)
		if cache != nil {
			c.body, c.src = sumBody(body), unsafeFirst(body)
			c.contentPrint = contentPrint(c.out)
		}
		bodies.Set(p, c.out)
		for _, d := range out.Problems {
			diags.Add(d)
		}
		if len(out.Problems) == 0 {
			fresh[i] = &c
		}
	})
	if cache == nil {
		return nil
	}
	for i, c := range fresh {
		if c != nil {
			cache[s.Pages[i].File] = *c
		}
	}
	return reused
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

// mdOf is a conversion as pages and the session's cache keep it: the HTML,
// the table of contents (h2 and h3), the word count, and the links and
// images the Markdown stage wrote, for checks.
func mdOf(out markdown.Result, line int) mdResult {
	c := mdResult{line: line, out: content.Rendered{Content: template.HTML(out.HTML), WordCount: out.WordCount}}
	for _, h := range out.Headings {
		if h.Level >= 2 && h.Level <= 3 {
			c.out.TOC = append(c.out.TOC, content.Heading{Level: h.Level, ID: h.ID, Text: h.Text})
		}
	}
	refs := func(rs []markdown.Ref) []content.Ref {
		var out []content.Ref
		for _, r := range rs {
			out = append(out, content.Ref{URL: r.URL, Text: r.Text, Line: r.Line, Col: r.Col})
		}
		return out
	}
	c.out.Links, c.out.Images, c.out.Pictures = refs(out.Links), refs(out.Images), refs(out.Pictures)
	return c
}

// unsafeFirst is the address of a slice's first byte, or nil: it names the
// bytes, without reading them.
func unsafeFirst(b []byte) *byte {
	if len(b) == 0 {
		return nil
	}
	return &b[0]
}
