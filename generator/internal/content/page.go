// Package content walks a site's content/ folder and builds the Site: its
// languages, sections, pages, translations and the index that resolves links
// between Markdown files.
//
// It reads through an fs.FS, splits and decodes front matter, computes URLs
// and output paths (refusing any that would leave the output folder), sorts
// pages and links neighbours and translations. It does not render Markdown.
package content

import (
	"hash/maphash"
	"html/template"
	"path"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
)

// Kind says what a page is.
type Kind string

const (
	KindHome    Kind = "home"    // content/<lang>/_index.md
	KindSection Kind = "section" // content/<lang>/<dir>/_index.md, or a folder of pages
	KindPage    Kind = "page"    // a Markdown file or page bundle
	KindRoot    Kind = "root"    // the site's root page that offers the languages (no source file)
	Kind404     Kind = "404"     // a language's "page not found" page (no source file)
)

// Page is one page of one language: a home, a section or a regular page.
// Its exported fields and methods are meant for templates.
type Page struct {
	FrontMatter

	Kind     Kind
	Lang     string // language code
	File     string // source path relative to the site root: content/en/rights/x.md ("" for a folder without _index.md)
	Dir      string // folder of the page relative to content/<lang>/, slash-separated ("" for home)
	Key      string // translation key: translationKey, or the path inside the language folder
	URL      string // site-relative URL path: /en/rights/x/
	OutPath  string // output file, relative to the output folder: en/rights/x/index.html
	BodyLine int    // line of the file where the Markdown body starts
	body     []byte // Markdown body, normalised to LF, while the page is read; the Site keeps it once loaded (Site.Body)

	Section  *Page   // the section the page is in (nil for home)
	Pages    []*Page // for home and sections: regular pages directly inside, sorted
	Sections []*Page // for home and sections: sections directly inside, sorted
	Prev     *Page   // previous page in the section
	Next     *Page   // next page in the section

	Translations []*Page  // the same page in other languages, in language order
	Missing      []string // configured languages with no translation
	Resources    []string // files of a page bundle, relative to the site root

	fmSrc    []byte   // front matter text, for positions of later errors
	fmLine   int      // line where fmSrc starts
	fmSum    uint64   // FrontMatterSum, kept with the parse cache
	fmFormat Format   // syntax of fmSrc
	raw      *rawText // front matter texts as written, once Typeset replaced them
	idx      int      // position in Site.Pages
}

// Rendered is what the Markdown stage made of a page's body. Pages stay as
// Load made them; a build keeps its pages' Rendered beside them, in Bodies.
type Rendered struct {
	Content   template.HTML // the body as HTML
	TOC       []Heading     // headings of the body (h2 and h3)
	WordCount int           // words in the body
	Links     []Ref         // links the Markdown stage wrote, where the body has them
	Images    []Ref         // images the Markdown stage wrote (Text: the alt text)
	Pictures  []Ref         // the images it showed as processed pictures (URL: the source file)
}

// Bodies holds the Rendered of each page of one Site. Set and Of are safe
// for concurrent use on distinct pages.
type Bodies struct {
	site *Site
	r    []Rendered        // by position in site.Pages; shared with the tables For made
	over map[int]*Rendered // what changed since r was shared (For), by position
}

// NewBodies returns an empty table for the pages of s.
func NewBodies(s *Site) *Bodies { return &Bodies{site: s, r: make([]Rendered, len(s.Pages))} }

var noBody Rendered

// Of returns a page's Rendered: empty for a page without a body, or one
// that is not of the table's site (the root chooser, 404 pages).
func (b *Bodies) Of(p *Page) *Rendered {
	if b == nil || !b.site.in(p) || p.idx >= len(b.r) {
		return &noBody
	}
	if r := b.over[p.idx]; r != nil {
		return r
	}
	return &b.r[p.idx]
}

// Set records what the Markdown stage made of p.
func (b *Bodies) Set(p *Page, r Rendered) {
	switch {
	case !b.site.in(p) || p.idx >= len(b.r):
	case b.over != nil:
		b.over[p.idx] = &r // a table made by For: r is shared
	default:
		b.r[p.idx] = r
	}
}

// Ref is a link or an image of a page's body, as the markdown stage wrote
// it, and where the source has it.
type Ref struct {
	URL       string
	Text      string
	Line, Col int
}

// Heading is one entry of a page's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
}

// IsHome, IsSection and IsPage are for templates.
func (p *Page) IsHome() bool    { return p.Kind == KindHome }
func (p *Page) IsSection() bool { return p.Kind == KindSection }
func (p *Page) IsPage() bool    { return p.Kind == KindPage }

// Ancestors lists the page's sections from the home down, for breadcrumbs.
func (p *Page) Ancestors() []*Page {
	var out []*Page
	for s := p.Section; s != nil; s = s.Section {
		out = append([]*Page{s}, out...)
	}
	return out
}

// Translation returns the page's translation into lang, or nil.
func (p *Page) Translation(lang string) *Page {
	for _, t := range p.Translations {
		if t.Lang == lang {
			return t
		}
	}
	return nil
}

// Modified is lastmod, else date.
func (p *Page) Modified() time.Time {
	if !p.Lastmod.IsZero() {
		return p.Lastmod
	}
	return p.Date
}

// HasLegalSource reports whether any source is marked legal.
func (p *Page) HasLegalSource() bool {
	for _, s := range p.Sources {
		if s.Legal {
			return true
		}
	}
	return false
}

// Language is one configured language and its pages.
type Language struct {
	config.Language
	Code  string  // kk, ru, en
	Home  *Page   // content/<lang>/_index.md, or a generated home
	Pages []*Page // every page of the language: home, sections and regular pages, in walk order
}

// RegularPages returns the language's regular pages.
func (l *Language) RegularPages() []*Page {
	var out []*Page
	for _, p := range l.Pages {
		if p.Kind == KindPage {
			out = append(out, p)
		}
	}
	return out
}

// Site is the loaded content of every language.
type Site struct {
	Config    *config.Config
	Languages []*Language // in configured order
	Pages     []*Page     // every page of every language
	Aliases   []Alias     // redirects from old URLs

	bodies    [][]byte          // each page's Markdown, by position in Pages (Body); shared with the sites WithBodies makes
	edited    map[int][]byte    // bodies that differ from bodies, by position (WithBodies)
	hashes    []string          // TextHash of originals whose Markdown DropBodies let go
	byFile    map[string]*Page  // source file (and section folder) -> page
	resources map[string]string // resource source file -> output path
	byLang    map[string]*Language
	terms     map[string]*Page // lang, taxonomy, term -> the term's page (TermPage)
}

// Alias is a redirect page written at an old URL.
type Alias struct {
	OutPath string // output file relative to the output folder
	URL     string // the old URL
	Target  *Page  // the page it redirects to
}

// ResourceOut returns the output path of one of the page's resources:
// beside the page's index.html, keeping a bundle's sub-folders.
func (p *Page) ResourceOut(res string) string {
	base := strings.TrimSuffix(p.OutPath, "index.html")
	if p.Kind == KindPage {
		return base + strings.TrimPrefix(res, path.Dir(p.File)+"/")
	}
	return base + path.Base(res)
}

// ResolveFile finds the URL of a file (not a page) that a link in file
// points to: a resource of a section or page bundle. dest is relative to
// file's folder.
func (s *Site) ResolveFile(file, dest string) (string, bool) {
	target := path.Join(path.Dir(file), dest)
	if strings.HasPrefix(dest, "/") {
		target = path.Join(Dir, dest)
	}
	out, ok := s.resources[target]
	if !ok {
		return "", false
	}
	return "/" + out, true
}

// Language returns the language with the given code, or nil.
func (s *Site) Language(code string) *Language { return s.byLang[code] }

// PageByFile returns the page made from a source file (site-relative,
// slash-separated), or nil.
func (s *Site) PageByFile(file string) *Page { return s.byFile[file] }

// FieldLine returns the line of a top-level front matter field, or of the
// front matter's start when the field is not written there.
func (p *Page) FieldLine(key string) int { return keyLine(p.fmSrc, p.fmFormat, p.fmLine, key) }

// fmSeed hashes front matter sources; fixed for the process.
var fmSeed = maphash.MakeSeed()

// FrontMatterSum identifies the page's front matter as written, within one
// process: two pages parsed from the same front matter have the same sum.
func (p *Page) FrontMatterSum() uint64 {
	if p.fmSum != 0 {
		return p.fmSum
	}
	return maphash.Bytes(fmSeed, p.fmSrc) ^ uint64(p.fmLine)<<32
}

// ResourceOut returns the output path of a page or section resource (a
// source path such as content/en/rights/photo.jpg).
func (s *Site) ResourceOut(src string) (string, bool) {
	out, ok := s.resources[src]
	return out, ok
}
