package render

import (
	"html/template"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/markdown"
)

// Field is a part of a page that a template can read, as one unit of
// change: an edit that changes a page's title re-renders exactly the
// outputs that read some page's Field Title.
type Field uint8

const (
	FieldTitle        Field = iota // Title
	FieldURL                       // URL
	FieldDescription               // Description
	FieldContent                   // Content, TOC
	FieldWordCount                 // WordCount
	FieldDates                     // Date, Lastmod, LastReviewed, Modified
	FieldWeight                    // Weight
	FieldParams                    // Params
	FieldKind                      // Kind, IsHome, IsSection, IsPage
	FieldSection                   // Section, Ancestors
	FieldNeighbours                // Prev, Next
	FieldTranslations              // Translations, Translation, Missing, Original
	FieldChildren                  // Pages, Sections
	FieldMeta                      // every other front matter field (audience, quiz, sources, tags…)
	FieldText                      // the text translators translate (Outdated compares it)
	FieldIdentity                  // Lang, File, Dir, Key, Resources
	FieldRegular                   // a language's regular pages (a collection)
	FieldAll                       // a language's pages (a collection)
	NumFields
)

// Read is one thing a render read: a field of a page (Page is the page's
// key, see PageKey), a collection of a language ("lang:" + code), or a
// cached partial ("frag:" + its cache key, Field 0).
type Read struct {
	Page  string
	Field Field
}

// PageKey names a page across builds: its source file, or its URL when it
// has none (a section folder without _index.md, the root, a 404 page).
func PageKey(p *content.Page) string {
	if p.File != "" {
		return p.File
	}
	return "url:" + p.URL
}

// LangKey names a language's collections in Reads.
func LangKey(code string) string { return "lang:" + code }

// FragKey names a cached partial in Reads.
func FragKey(key string) string { return "frag:" + key }

// Reads records what one render read of pages other than its own and of
// the site's collections, and which cached partials it showed. It is safe
// for concurrent use.
//
// It also carries the converted bodies the views show, so a render that
// records nothing still has one (record false).
type Reads struct {
	self      *content.Page
	site      *content.Site
	bodies    *content.Bodies
	downloads Downloads
	images    Images
	record    bool
	mu        sync.Mutex
	set       map[Read]struct{}
}

func newReads(self *content.Page, site *content.Site, bodies *content.Bodies, downloads Downloads, images Images, record bool) *Reads {
	r := &Reads{self: self, site: site, bodies: bodies, downloads: downloads, images: images, record: record}
	if record {
		r.set = map[Read]struct{}{}
	}
	return r
}

func (r *Reads) add(rd Read) {
	if r == nil || !r.record {
		return
	}
	r.mu.Lock()
	r.set[rd] = struct{}{}
	r.mu.Unlock()
}

// List returns the reads in a fixed order.
func (r *Reads) List() []Read {
	if r == nil || !r.record {
		return nil
	}
	r.mu.Lock()
	out := make([]Read, 0, len(r.set))
	for rd := range r.set {
		out = append(out, rd)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Page != out[j].Page {
			return out[i].Page < out[j].Page
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// PageView is a page as templates see it: every field and method of
// content.Page, each recording what it read. The page being rendered reads
// itself freely (its own output is made again whenever it changes).
type PageView struct {
	p   *content.Page
	rec *Reads
}

func (v *PageView) read(f Field) {
	if v.rec.record && v.p != v.rec.self {
		v.rec.add(Read{PageKey(v.p), f})
	}
}

// view wraps a page for templates; nil stays nil.
func (r *Reads) view(p *content.Page) *PageView {
	if p == nil {
		return nil
	}
	return &PageView{p: p, rec: r}
}

func (r *Reads) views(ps []*content.Page) []*PageView {
	out := make([]*PageView, len(ps))
	for i, p := range ps {
		out[i] = r.view(p)
	}
	return out
}

// The methods below are meant for templates.

func (v *PageView) Title() string       { v.read(FieldTitle); return v.p.Title }
func (v *PageView) URL() string         { v.read(FieldURL); return v.p.URL }
func (v *PageView) Description() string { v.read(FieldDescription); return v.p.Description }
func (v *PageView) Content() template.HTML {
	v.read(FieldContent)
	return v.rec.bodies.Of(v.p).Content
}
func (v *PageView) TOC() []content.Heading { v.read(FieldContent); return v.rec.bodies.Of(v.p).TOC }
func (v *PageView) WordCount() int {
	v.read(FieldWordCount)
	return v.rec.bodies.Of(v.p).WordCount
}
func (v *PageView) Date() time.Time           { v.read(FieldDates); return v.p.Date }
func (v *PageView) Lastmod() time.Time        { v.read(FieldDates); return v.p.Lastmod }
func (v *PageView) LastReviewed() time.Time   { v.read(FieldDates); return v.p.LastReviewed }
func (v *PageView) Modified() time.Time       { v.read(FieldDates); return v.p.Modified() }
func (v *PageView) Weight() int               { v.read(FieldWeight); return v.p.Weight }
func (v *PageView) Params() map[string]any    { v.read(FieldParams); return v.p.Params }
func (v *PageView) Kind() content.Kind        { v.read(FieldKind); return v.p.Kind }
func (v *PageView) IsHome() bool              { v.read(FieldKind); return v.p.IsHome() }
func (v *PageView) IsSection() bool           { v.read(FieldKind); return v.p.IsSection() }
func (v *PageView) IsPage() bool              { v.read(FieldKind); return v.p.IsPage() }
func (v *PageView) Lang() string              { v.read(FieldIdentity); return v.p.Lang }
func (v *PageView) File() string              { v.read(FieldIdentity); return v.p.File }
func (v *PageView) Dir() string               { v.read(FieldIdentity); return v.p.Dir }
func (v *PageView) Key() string               { v.read(FieldIdentity); return v.p.Key }
func (v *PageView) Resources() []string       { v.read(FieldIdentity); return v.p.Resources }
func (v *PageView) Draft() bool               { v.read(FieldMeta); return v.p.Draft }
func (v *PageView) Slug() string              { v.read(FieldMeta); return v.p.Slug }
func (v *PageView) Aliases() []string         { v.read(FieldMeta); return v.p.Aliases }
func (v *PageView) Tags() []string            { v.read(FieldMeta); return v.p.Tags }
func (v *PageView) Layout() string            { v.read(FieldMeta); return v.p.Layout }
func (v *PageView) TranslationKey() string    { v.read(FieldMeta); return v.p.TranslationKey }
func (v *PageView) Audience() []string        { v.read(FieldMeta); return v.p.Audience }
func (v *PageView) Duration() int             { v.read(FieldMeta); return v.p.Duration }
func (v *PageView) Objectives() []string      { v.read(FieldMeta); return v.p.Objectives }
func (v *PageView) NeedsReview() bool         { v.read(FieldMeta); return v.p.NeedsReview }
func (v *PageView) KeyFacts() []string        { v.read(FieldMeta); return v.p.KeyFacts }
func (v *PageView) Discussion() []string      { v.read(FieldMeta); return v.p.Discussion }
func (v *PageView) TeacherNotes() []string    { v.read(FieldMeta); return v.p.TeacherNotes }
func (v *PageView) Sources() []content.Source { v.read(FieldMeta); return v.p.Sources }
func (v *PageView) Quiz() []content.QuizItem  { v.read(FieldMeta); return v.p.Quiz }
func (v *PageView) Sync() content.SyncInfo    { v.read(FieldMeta); return v.p.Sync }
func (v *PageView) HasLegalSource() bool      { v.read(FieldMeta); return v.p.HasLegalSource() }
func (v *PageView) Missing() []string         { v.read(FieldTranslations); return v.p.Missing }
func (v *PageView) Section() *PageView        { v.read(FieldSection); return v.rec.view(v.p.Section) }
func (v *PageView) Prev() *PageView           { v.read(FieldNeighbours); return v.rec.view(v.p.Prev) }
func (v *PageView) Next() *PageView           { v.read(FieldNeighbours); return v.rec.view(v.p.Next) }
func (v *PageView) Pages() []*PageView        { v.read(FieldChildren); return v.rec.views(v.p.Pages) }
func (v *PageView) Sections() []*PageView     { v.read(FieldChildren); return v.rec.views(v.p.Sections) }
func (v *PageView) Translations() []*PageView {
	v.read(FieldTranslations)
	return v.rec.views(v.p.Translations)
}
func (v *PageView) Translation(lang string) *PageView {
	v.read(FieldTranslations)
	return v.rec.view(v.p.Translation(lang))
}

// Original is the page this translation was made from, or nil.
func (v *PageView) Original() *PageView {
	v.read(FieldTranslations)
	v.read(FieldMeta)
	return v.rec.view(v.p.Original())
}

// Outdated reports whether the original changed since the last sync.
func (v *PageView) Outdated() bool {
	v.read(FieldMeta)
	v.read(FieldTranslations)
	if o := v.p.Original(); o != nil {
		v.rec.view(o).read(FieldText)
	}
	return v.rec.site.Outdated(v.p)
}

// Download is a file made from a page for readers to take away: a
// lesson's handout, a topic's booklet.
type Download struct {
	Kind string // the UI string that names it: "handout", "booklet"
	URL  string // site-relative
	Size int    // bytes
	KB   int    // the size in kilobytes, rounded up
}

// Downloads makes the files pages offer. For returns a page's files and
// the pages whose content they show (a booklet shows its lessons).
type Downloads interface {
	For(p *content.Page) (files []Download, shows []*content.Page)
}

// Downloads lists the files made from the page to print or take away.
// A booklet's size changes with its lessons: the page reads them.
func (v *PageView) Downloads() []Download {
	if v.rec.downloads == nil {
		return nil
	}
	files, shows := v.rec.downloads.For(v.p)
	if len(shows) > 1 || len(shows) == 1 && shows[0] != v.p {
		v.rec.view(v.p).read(FieldChildren)
		for _, p := range shows {
			pv := v.rec.view(p)
			for _, f := range []Field{FieldTitle, FieldURL, FieldDescription, FieldContent, FieldDates, FieldWeight, FieldMeta} {
				pv.read(f)
			}
		}
	}
	return files
}

// Image returns an image of the page (a file beside it, or a path under
// static/) resized for the page: {{ with .Image .Cover 720 }}…{{ end }}
// shows at most 720 pixels of it. It is nil for an image that is not
// processed, and for no path.
func (v *PageView) Image(dest string, maxWidth ...int) (*markdown.Picture, error) {
	v.read(FieldMeta)
	if v.rec.images == nil || dest == "" {
		return nil, nil
	}
	w := 0
	if len(maxWidth) > 0 {
		w = maxWidth[0]
	}
	return v.rec.images.Picture(v.p, dest, w)
}

// Cover is the page's cover image as written in its front matter.
func (v *PageView) Cover() string { v.read(FieldMeta); return v.p.Cover }

// CoverAlt is what the cover shows, for readers who cannot see it.
func (v *PageView) CoverAlt() string { v.read(FieldMeta); return v.p.CoverAlt }

// TermPages are the pages of the page's terms of a taxonomy ("tags",
// "audience"), in the order the page lists them.
func (v *PageView) TermPages(taxonomy string) []*PageView {
	v.read(FieldMeta)
	var out []*PageView
	for _, term := range v.p.Terms(taxonomy) {
		if t := v.rec.site.TermPage(v.p.Lang, taxonomy, strings.TrimSpace(term)); t != nil {
			tv := v.rec.view(t)
			tv.read(FieldURL)
			tv.read(FieldTitle)
			out = append(out, tv)
		}
	}
	return out
}

// Ancestors lists the page's sections from the home down.
func (v *PageView) Ancestors() []*PageView {
	var out []*PageView
	for s := v; s != nil; {
		s.read(FieldSection)
		s = s.rec.view(s.p.Section)
		if s != nil {
			out = append([]*PageView{s}, out...)
		}
	}
	return out
}

// LangView is a language as templates see it.
type LangView struct {
	l   *content.Language
	rec *Reads
}

func (r *Reads) lang(l *content.Language) *LangView {
	if l == nil {
		return nil
	}
	return &LangView{l: l, rec: r}
}

func (v *LangView) Code() string           { return v.l.Code }
func (v *LangView) Name() string           { return v.l.Name }
func (v *LangView) Title() string          { return v.l.Title }
func (v *LangView) Direction() string      { return v.l.Direction }
func (v *LangView) Locale() string         { return v.l.Locale }
func (v *LangView) Weight() int            { return v.l.Weight }
func (v *LangView) Params() map[string]any { return v.l.Params }
func (v *LangView) Home() *PageView        { return v.rec.view(v.l.Home) }

// Taxonomy is the language's index page of a taxonomy ("audience"), or
// nil when no page has its terms.
func (v *LangView) Taxonomy(name string) *PageView {
	v.rec.add(Read{LangKey(v.l.Code), FieldAll})
	return v.rec.view(v.rec.site.TaxonomyPage(v.l.Code, name))
}
func (v *LangView) Pages() []*PageView {
	v.rec.add(Read{LangKey(v.l.Code), FieldAll})
	return v.rec.views(v.l.Pages)
}
func (v *LangView) RegularPages() []*PageView {
	v.rec.add(Read{LangKey(v.l.Code), FieldRegular})
	return v.rec.views(v.l.RegularPages())
}
