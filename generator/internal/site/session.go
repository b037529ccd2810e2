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
	"context"
	"io/fs"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/render"
	"github.com/qorgau/qorgau/generator/internal/search"
	"github.com/qorgau/qorgau/generator/internal/theme"
)

// Options say what to build and where to write it.
type Options struct {
	Source    fs.FS                 // the site's folder: config.toml, content/, layouts/, static/, i18n/, themes/
	Writer    output.Writer         // where files go; may be nil for a Session that keeps files in memory
	Drafts    bool                  // include draft pages
	Progress  func(done, total int) // called as pages are rendered; may be nil
	Overrides config.Overrides      // what the command changes in config.toml for this run, checked before building
	Config    func(*config.Config)  // adjusts the loaded config after Overrides; for tests only, may be nil

	// DropBodies frees each page's Markdown once it is converted, in a
	// one-shot Build: the Result's pages then have no Body. It keeps the
	// build command's memory, and the time the system takes to hand it
	// memory, down.
	DropBodies bool

	// CacheDir is a folder for what builds keep for the next one (the
	// resized images), outside the output; "" keeps nothing on disk.
	CacheDir string

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
	Bodies      *content.Bodies    // what the Markdown stage made of Site's pages
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
	opts.Source = theme.Overlay(opts.Source)
	s := &Session{opts: opts, index: search.NewOnceBuilder()}
	return s.Build(ctx)
}

// Session builds a site and keeps what it needs to rebuild it quickly.
type Session struct {
	opts Options
	keep bool // keep the output in memory

	mu          sync.Mutex
	cfg         *config.Config
	catalogs    map[string]*i18n.Catalog
	layouts     *render.Layouts
	converters  map[string]*markdown.Converter
	r           *render.Renderer
	site        *content.Site
	bodies      *content.Bodies           // the converted Markdown of site's pages
	handouts    *handoutCache             // PDF handouts of earlier builds (keep only)
	dataSum     uint64                    // of the data files the handouts were made with
	data        map[string]map[string]any // the last good build's data files
	files       *FileSet                  // the last good output (keep only)
	md          map[string]mdResult       // converted bodies by file, valid while links resolve the same
	links       linkSum                   // every page's file and URL, for md
	broken      bool                      // the last full build failed
	pending     map[string]bool           // changed paths of updates that failed, tried again next time
	parsed      *content.FileCache        // parsed Markdown files, forgotten when they change
	stale       map[string]bool           // languages whose search index a body edit made stale
	index       *search.Builder           // search terms of each page, kept between builds
	made        map[string][]string       // files each generated output wrote in the last good build, by Outputs name
	gave        map[string]bool           // generated outputs a static file overrode in part, in the last good build
	extra       []*content.Page           // the root language chooser and the 404 pages of the last good build
	prints      map[string]pagePrint      // every page's and collection's field hashes in the last good build
	reads       map[string][]render.Read  // what each page's render read of other pages, by page key
	fragReads   map[string][]render.Read  // what each cached partial read, by render.FragKey
	copies      map[string]string         // static files and resources of the last good build: output path -> source
	entries     map[string]cachedEntry    // what generated outputs made of single pages, for reuse
	images      *imageStore               // the images' headers and the files made of them
	pics        *pictures                 // the last good build's use of them
	laterImages map[string]string         // images of the last good build not made yet: source -> output path
	skipped     map[string]bool           // page resources the last good build left out: shown only resized
}

// mdResult is a cached Markdown conversion.
type mdResult struct {
	body bodySum // of the Markdown converted
	src  *byte   // its first byte: the parse cache gives the same bytes for an unchanged file
	line int
	out  content.Rendered

	contentPrint uint64 // hash of html and toc (contentPrint); 0 when not made
}

// NewSession returns a Session that keeps its output in memory.
func NewSession(opts Options) *Session {
	opts.Source = theme.Overlay(opts.Source)
	return &Session{opts: opts, keep: true, pending: map[string]bool{}, parsed: content.NewFileCache(), index: search.NewBuilder(), stale: map[string]bool{}}
}

// Files returns the last good output as a new map.
func (s *Session) Files() map[string][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.makeLater()
	return s.files.Map()
}

// openImageCache opens the cache folder of processed images: nil, and no
// error, without one.
func (s *Session) openImageCache() (*images.Cache, error) {
	if s.opts.CacheDir == "" {
		return nil, nil
	}
	return images.OpenCache(filepath.Join(s.opts.CacheDir, "images"))
}

// makeLater makes what the last build left to be made when asked for:
// search indexes and images.
func (s *Session) makeLater() {
	s.makeIndexes()
	if len(s.laterImages) == 0 {
		return
	}
	k := newSink(nil, s.cfg, true, 0)
	var diags diag.List
	o := &Output{Name: "images"}
	makeImages(&gen{site: s.site, bodies: s.bodies, cfg: s.cfg, r: s.r, k: k, diags: &diags, out: o, pics: s.pics})
	s.files = s.files.With(k.files, nil)
	s.laterImages = nil
}

// laterImageFiles are the files of images not made yet, each made on
// first request, outside the session's lock (an image takes a moment).
func (s *Session) laterImageFiles(later map[string]func() []byte) {
	st, fsys, opts := s.images, s.opts.Source, imageOptions(s.cfg)
	for src, out := range s.laterImages {
		p, err := st.probe(fsys, src, opts)
		if err != nil {
			continue
		}
		for _, v := range opts.Variants(p.info) {
			name := v.Name(out)
			later[name] = func() []byte {
				files, err := st.files(context.Background(), fsys, src, opts)
				if err != nil {
					return nil
				}
				for _, f := range files {
					if f.Variant == v {
						return f.Data
					}
				}
				return nil
			}
		}
	}
}

// Snapshot returns the last good output, except that search indexes not
// yet remade after an edit are left out and returned as functions that
// make them: the preview server then answers an edit without waiting for
// an index no open page shows, and makes it when a reader searches. The
// set never changes; each build or update makes a new one.
func (s *Session) Snapshot() (files *FileSet, later map[string]func() []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.stale) == 0 && len(s.laterImages) == 0 {
		return s.files, nil
	}
	later = map[string]func() []byte{}
	s.laterImageFiles(later)
	for _, o := range Outputs {
		if !o.Lazy || !o.in(s.cfg) {
			continue
		}
		for lang := range s.stale {
			rel := o.File(lang)
			later[rel] = func() []byte {
				s.mu.Lock()
				defer s.mu.Unlock()
				s.makeIndexes()
				b, _ := s.files.Get(rel)
				return b.Bytes()
			}
		}
	}
	return s.files, later
}

// makeIndexes makes the lazy outputs (search indexes) of the languages
// whose last ones are stale, into a new output set.
func (s *Session) makeIndexes() {
	if len(s.stale) == 0 {
		return
	}
	k := newSink(nil, s.cfg, true, 0)
	var diags diag.List
	var langs []*content.Language
	for _, l := range s.site.Languages {
		if s.stale[l.Code] {
			langs = append(langs, l)
		}
	}
	for _, o := range Outputs {
		if o.Lazy && o.in(s.cfg) {
			o.Make(&gen{site: s.site, bodies: s.bodies, cfg: s.cfg, r: s.r, index: s.index, langs: langs, k: k, diags: &diags, out: o})
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

// Inspect calls fn with the last good build while no rebuild runs: the
// preview's dashboard checks it instead of building the site again.
// files holds every output file; fn must not keep or change anything.
func (s *Session) Inspect(fn func(res *Result, files map[string][]byte)) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.site == nil || s.broken {
		return false
	}
	s.makeLater()
	fn(&Result{Config: s.cfg, Site: s.site, Bodies: s.bodies}, s.files.Map())
	return true
}

// Last returns the last good build's config, site and converted Markdown,
// or nil before the first. They never change (pages are immutable once
// loaded), so the caller may keep them while the session rebuilds.
func (s *Session) Last() *Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.site == nil || s.broken {
		return nil
	}
	return &Result{Config: s.cfg, Site: s.site, Bodies: s.bodies}
}

// Reload says what an open preview page does when the output file rel
// changed: nothing for a file of a hidden output (a sitemap, a feed, a
// search index), else what its format says.
func (s *Session) Reload(rel string) output.Reload {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, o := range Outputs {
		if !o.Hidden {
			continue
		}
		if slices.Contains(s.made[o.Name], rel) {
			return output.ReloadNone
		}
		if o.File != nil && s.site != nil {
			for _, l := range s.site.Languages {
				if o.File(l.Code) == rel {
					return output.ReloadNone
				}
			}
		}
	}
	return output.FormatOf(rel).Reload
}
