package site

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/output"
	"github.com/qorgau/qorgau/generator/internal/render"
	"github.com/qorgau/qorgau/generator/internal/search"
)

// Change is a kind of change to a site's sources, one bit of a set.
type Change uint8

const (
	ChangeBody      Change = 1 << iota // a page's Markdown body
	ChangeMeta                         // a page's front matter: titles, descriptions, dates, aliases
	ChangeStructure                    // pages added, removed, moved or re-ordered
	ChangeStatic                       // files under static/ and page resources
	ChangeSetup                        // config.toml, layouts, UI strings

	ChangeAll = ChangeBody | ChangeMeta | ChangeStructure | ChangeStatic | ChangeSetup
)

// Output is one kind of file the site makes: pages rendered through the
// layouts, or files generated from the site's data. The full build, the
// preview's incremental rebuilds and the offline export all follow this
// table; adding an output is one entry in Outputs and a function that makes
// its files.
type Output struct {
	Name string // for messages and timings

	// Pages selects the pages this output renders through the layouts
	// (nil for a generated output): extra holds the root language chooser
	// and the 404 pages, which have no source file.
	Pages func(s *content.Site, extra []*content.Page) []*content.Page

	// Make writes a generated output's files through g.
	Make func(g *gen)

	// File names the one file a lazy output makes for a language, so a
	// preview can offer it before it is made.
	File func(lang string) string

	// Fields are the fields of pages a generated output shows: in a
	// preview session it is made again when one of them changed in some
	// page, or a language's pages changed, or StaleOn says so.
	Fields []render.Field

	// PerLanguage says the output writes each language's files under the
	// language's folder from that language's pages alone: a change in one
	// language makes only that language's files again.
	PerLanguage bool

	Offline bool   // also in offline copies (which have no origin: no sitemap, robots.txt or feeds)
	Lazy    bool   // a preview session makes it when first asked for, not on each rebuild
	Hidden  bool   // no open page displays it: a change reloads nothing in the preview
	StaleOn Change // changes after which its files are made again; after others they are kept
}

// Outputs is every output of a site, in the order they are made.
var Outputs = []*Output{
	{Name: "pages", Offline: true, StaleOn: ChangeAll,
		Pages: func(s *content.Site, _ []*content.Page) []*content.Page { return s.Pages }},
	{Name: "root language chooser", Offline: true, StaleOn: ChangeAll,
		Pages: func(_ *content.Site, extra []*content.Page) []*content.Page { return extra[:1] }},
	{Name: "404 pages", Offline: true, StaleOn: ChangeAll,
		Pages: func(_ *content.Site, extra []*content.Page) []*content.Page { return extra[1:] }},
	{Name: "images", Offline: true, Make: makeImages, StaleOn: ChangeAll},
	{Name: "handouts", Offline: true, Make: makeHandouts, PerLanguage: true, StaleOn: ChangeAll},
	{Name: "redirects", Offline: true, Make: makeAliases, StaleOn: ChangeStructure | ChangeSetup,
		Fields: []render.Field{render.FieldURL, render.FieldMeta, render.FieldIdentity}},
	{Name: "sitemap", Make: makeSitemap, Hidden: true, StaleOn: ChangeStructure | ChangeSetup,
		Fields: []render.Field{render.FieldURL, render.FieldDates, render.FieldTranslations, render.FieldKind, render.FieldIdentity}},
	{Name: "robots.txt", Make: makeRobots, Hidden: true, StaleOn: ChangeSetup},
	{Name: "feeds", Make: makeFeeds, Hidden: true, PerLanguage: true, StaleOn: ChangeStructure | ChangeSetup,
		Fields: []render.Field{render.FieldTitle, render.FieldURL, render.FieldDescription, render.FieldDates, render.FieldKind, render.FieldIdentity}},
	{Name: "lesson lists", Make: makeLessonLists, Hidden: true, PerLanguage: true, StaleOn: ChangeStructure | ChangeSetup,
		Fields: []render.Field{render.FieldTitle, render.FieldURL, render.FieldDescription, render.FieldMeta, render.FieldDates,
			render.FieldSection, render.FieldKind, render.FieldWeight, render.FieldIdentity}},
	{Name: "search engine", Offline: true, Make: makeSearchEngine, StaleOn: ChangeSetup},
	{Name: "search indexes", Offline: true, Lazy: true, Make: makeSearchIndexes, Hidden: true, StaleOn: ChangeAll &^ ChangeStatic,
		File: func(lang string) string { return lang + "/" + indexFile }},
}

// stale reports whether a build must make the output again: its kinds of
// change say so, or (in a preview session) a field it shows changed.
func (o *Output) stale(b *run) bool {
	if o.StaleOn&b.change != 0 {
		return true
	}
	if b.change&(ChangeMeta|ChangeBody) == 0 {
		return false
	}
	if b.changed == nil {
		return o.StaleOn&(ChangeMeta|ChangeBody) != 0 || len(o.Fields) > 0
	}
	return len(o.Fields) > 0 && b.changed.fields(o.Fields...)
}

// in reports whether the output is made for a build with this config.
func (o *Output) in(cfg *config.Config) bool { return o.Offline || !cfg.Offline }

// gen is what a generated output is made from, and where it goes.
type gen struct {
	site     *content.Site
	bodies   *content.Bodies
	cfg      *config.Config
	r        *render.Renderer
	extra    []*content.Page
	index    *search.Builder
	langs    []*content.Language // the languages to make per-language files for
	k        *sink
	diags    *diag.List
	out      *Output
	made     []string  // paths written
	handouts *handouts // the build's PDF handouts; nil when they are off
	pics     *pictures // the images the build's pages show
	// In a preview session: images not made yet, source -> output path,
	// left to the first request for one of their files.
	later map[string]string
	// In a preview session: the build's page prints, and a cache of what
	// outputs made of single pages, valid while the prints say so.
	prints  map[string]pagePrint
	entries map[string]cachedEntry
	gave    bool // a static file took the place of one of its files
}

// write writes a generated file, minified by its format.
func (g *gen) write(rel string, data []byte) { g.put(rel, data, true) }

// put writes a generated file; minify false stores it as made. A file of
// the site's or the theme's static/ at the same path wins: static/ overrides
// file by file, generated files too (a site's own search engine, robots.txt).
func (g *gen) put(rel string, data []byte, minify bool) {
	if g.k.copied(rel) {
		g.gave = true
		return
	}
	if err := g.k.writeMin(rel, data, "("+g.out.Name+")", minify); err != nil {
		g.diags.AddErr(rel, err)
		return
	}
	g.made = append(g.made, rel)
}

// makeAliases writes a redirect page at each old URL.
func makeAliases(g *gen) {
	for _, a := range g.site.Aliases {
		g.write(a.OutPath, output.AliasPage(a.Target.Lang, g.r.RelURL(a.Target.URL), g.r.AbsURL(a.Target.URL)))
	}
}

// makeSitemap writes sitemap.xml with every page and its translations.
func makeSitemap(g *gen) {
	var entries []output.SitemapEntry
	pages := append([]*content.Page{g.extra[0]}, g.site.Pages...)
	for _, p := range pages {
		entries = append(entries, sitemapEntry(g, p))
	}
	g.put("sitemap.xml", output.Sitemap(entries), false) // written compact already
}

func sitemapEntry(g *gen, p *content.Page) output.SitemapEntry {
	r := g.r
	e := output.SitemapEntry{Loc: r.AbsURL(p.URL), Lastmod: latest(p)}
	if len(p.Translations) == 0 {
		return e
	}
	def := p
	if p.Lang != g.cfg.DefaultLanguage {
		if t := p.Translation(g.cfg.DefaultLanguage); t != nil {
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
	return e
}

// makeRobots writes robots.txt pointing at the sitemap.
func makeRobots(g *gen) {
	g.write("robots.txt", output.Robots(g.r.AbsURL("/sitemap.xml")))
}

// makeFeeds writes an Atom feed of each language's 50 newest pages.
func makeFeeds(g *gen) {
	for _, l := range g.langs {
		regular := l.RegularPages()
		sort.SliceStable(regular, func(i, j int) bool { return latest(regular[i]).After(latest(regular[j])) })
		if len(regular) > 50 {
			regular = regular[:50]
		}
		f := output.Feed{Title: l.Title, Lang: l.Code, ID: g.r.AbsURL(l.Home.URL), Self: g.r.AbsURL(l.Home.URL + "atom.xml")}
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
			f.Entries = append(f.Entries, output.FeedEntry{Title: p.Title, URL: g.r.AbsURL(p.URL), Updated: u, Summary: p.Description})
		}
		g.write(strings.TrimPrefix(l.Home.URL, "/")+"atom.xml", output.Atom(f))
	}
}

// lessonListFile is a language's list of lessons for other tools.
const lessonListFile = "lessons.json"

// lessonEntry is one lesson of lessons.json.
type lessonEntry struct {
	Title        string   `json:"title"`
	URL          string   `json:"url"`
	Section      string   `json:"section,omitempty"`
	Description  string   `json:"description,omitempty"`
	Audience     []string `json:"audience,omitempty"`
	Duration     int      `json:"duration,omitempty"` // minutes
	Tags         []string `json:"tags,omitempty"`
	LastReviewed string   `json:"lastReviewed,omitempty"`
	NeedsReview  bool     `json:"needsReview,omitempty"`
}

// makeLessonLists writes <lang>/lessons.json: every regular page of the
// language with what a catalogue or a school's portal needs to list it.
func makeLessonLists(g *gen) {
	for _, l := range g.langs {
		pages := l.RegularPages()
		entries := make([][]byte, len(pages))
		size := 3 + len(pages)
		for i, p := range pages {
			entries[i] = g.lessonEntry(p)
			size += len(entries[i])
		}
		b := make([]byte, 0, size)
		b = append(b, '[')
		for i, e := range entries {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, e...)
		}
		g.put(l.Code+"/"+lessonListFile, append(b, ']', '\n'), false)
	}
}

// cachedEntry is what an output made of one page, and the hash of the
// fields it was made from.
type cachedEntry struct {
	from uint64
	data []byte
}

// lessonEntry is one page's entry of lessons.json, from the session's
// cache while the fields it shows are unchanged.
func (g *gen) lessonEntry(p *content.Page) []byte {
	var from uint64
	key := ""
	if g.entries != nil && g.prints != nil {
		key = "lessons " + render.PageKey(p)
		pr := g.prints[render.PageKey(p)]
		x := newHasher().num(int64(pr[render.FieldTitle]), int64(pr[render.FieldURL]), int64(pr[render.FieldDescription]),
			int64(pr[render.FieldMeta]), int64(pr[render.FieldDates]), int64(pr[render.FieldSection]))
		if p.Section != nil {
			x.num(int64(g.prints[render.PageKey(p.Section)][render.FieldTitle]), int64(g.prints[render.PageKey(p.Section)][render.FieldKind]))
		}
		from = x.sum()
		if c, ok := g.entries[key]; ok && c.from == from {
			return c.data
		}
	}
	e := lessonEntry{Title: p.Title, URL: g.r.AbsURL(p.URL), Description: p.Description, Audience: p.Audience,
		Duration: p.Duration, Tags: p.Tags, NeedsReview: p.NeedsReview}
	if p.Section != nil && p.Section.Kind == content.KindSection {
		e.Section = p.Section.Title
	}
	if !p.LastReviewed.IsZero() {
		e.LastReviewed = p.LastReviewed.Format("2006-01-02")
	}
	data, _ := json.Marshal(e) // strings, ints and bools only: it cannot fail
	if g.entries != nil && g.prints != nil {
		g.entries[key] = cachedEntry{from: from, data: data}
	}
	return data
}

// indexFile is a language's search index, under the language's folder.
const indexFile = "search-index.js"

// makeSearchIndexes writes each language's search index script.
func makeSearchIndexes(g *gen) {
	for _, l := range g.langs {
		docs := make([]search.Doc, 0, len(l.Pages))
		for _, p := range l.Pages {
			d := search.Doc{URL: strings.TrimPrefix(p.URL, "/"), Title: p.Title, Description: p.Description, HTML: string(g.bodies.Of(p).Content)}
			if p.Section != nil {
				d.Section = p.Section.Title
			}
			docs = append(docs, d)
		}
		g.put(l.Code+"/"+indexFile, g.index.Index(l.Code, docs), false)
	}
}

// makeSearchEngine writes the search engine script that every language's index uses.
func makeSearchEngine(g *gen) {
	g.write("js/qorgau-search.js", bytes.Clone(search.EngineJS))
}

// latest is the newest of a page's lastmod, date and lastReviewed.
func latest(p *content.Page) time.Time {
	t := p.Modified()
	if p.LastReviewed.After(t) {
		t = p.LastReviewed
	}
	return t
}

// keepLanguages keeps the last files of a per-language output for the
// languages where nothing changed, and returns the languages to make again
// and the files kept.
func (s *Session) keepLanguages(b *run, o *Output) (langs []*content.Language, kept []string) {
	touched := b.changed.languages()
	if touched == nil {
		return b.site.Languages, nil
	}
	for _, l := range b.site.Languages {
		var files []string
		for _, rel := range s.made[o.Name] {
			if strings.HasPrefix(rel, l.Code+"/") {
				files = append(files, rel)
			}
		}
		if touched[l.Code] || len(files) == 0 || !s.keepFiles(b.k, files) {
			langs = append(langs, l)
			continue
		}
		kept = append(kept, files...)
	}
	return langs, kept
}
