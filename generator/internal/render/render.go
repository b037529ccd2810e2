// Package render executes a site's html/template layouts for each page.
//
// Layouts come from the site's layouts/ folder over the theme's, file by
// file (see Layouts.Lookup for the order). Templates receive a View: the
// page, its language, the site and the language's menu, plus functions for
// UI strings with plural rules, URLs, localized dates and Markdown.
package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/markdown"
)

// View is the value every template receives. Everything it leads to of
// pages and languages goes through PageView and LangView, which record
// what the render read (Reads), so a preview knows what to render again.
type View struct {
	Site *SiteView  // the whole site
	Lang *LangView  // the page's language
	Page *PageView  // the page being rendered
	Menu []MenuItem // the language's main menu

	r      *Renderer
	rec    *Reads
	inline bool // cached partials give their HTML, not a placeholder
}

// GetPage finds a page of this language by its content file, as a Markdown
// link names it ("help/_index.md"), or nil.
func (v *View) GetPage(file string) *PageView {
	return v.rec.view(v.r.site.PageByFile(content.Dir + "/" + v.Lang.l.Code + "/" + strings.TrimPrefix(file, "/")))
}

// newView is the view of one render of p, recording into rec.
func (r *Renderer) newView(p *content.Page, rec *Reads) *View {
	site := *r.siteView
	site.Languages = make([]*LangView, len(r.site.Languages))
	for i, l := range r.site.Languages {
		site.Languages[i] = rec.lang(l)
	}
	menu := r.menus[p.Lang]
	if len(menu) > 0 {
		menu = append([]MenuItem(nil), menu...)
		for i := range menu {
			menu[i].Page = rec.view(menu[i].page)
			if menu[i].page != nil && menu[i].page != p {
				rec.add(Read{PageKey(menu[i].page), FieldURL}) // the item's URL is its page's
			}
		}
	}
	site.data, site.rec, site.lang = r.data[p.Lang], rec, p.Lang
	return &View{Site: &site, Lang: rec.lang(r.site.Language(p.Lang)), Page: rec.view(p), Menu: menu, r: r, rec: rec}
}

// SiteView is what templates see of the site.
type SiteView struct {
	Title            string         // site title
	BaseURL          string         // absolute base URL
	DefaultLanguage  string         // code of the default language
	OriginalLanguage string         // code of the language lessons are written in first
	Languages        []*LangView    // every language, in order
	Params           map[string]any // free-form [params] of config.toml
	Offline          bool           // an offline copy: no feeds, no sitemap

	data map[string]any // the page's language's data files
	rec  *Reads
	lang string
}

// DataKey names a language's data files in Reads.
func DataKey(lang string) string { return "data:" + lang }

// Data is the data files of the page's language (package data): the
// shared ones with the language's own over them. A page that reads them
// is rendered again when they change.
func (s *SiteView) Data() map[string]any {
	if s.rec != nil {
		s.rec.add(Read{DataKey(s.lang), FieldAll})
	}
	return s.data
}

// MenuItem is one resolved menu entry.
type MenuItem struct {
	Name string    // label
	URL  string    // site-relative URL, or an external URL
	Page *PageView // target page, when the entry names one

	page *content.Page
}

// Active reports whether the page is the item's target or inside it.
func (m MenuItem) Active(p *PageView) bool {
	return m.Page != nil && p != nil && strings.HasPrefix(p.p.URL, m.URL)
}

// Renderer renders pages of one site.
type Renderer struct {
	site       *content.Site
	cfg        *config.Config
	layouts    *Layouts
	catalogs   map[string]*i18n.Catalog
	converters map[string]*markdown.Converter
	siteView   *SiteView
	menus      map[string][]MenuItem
	basePath   string
	baseURL    string

	sets      map[string]map[string]*template.Template // layout name -> language -> template
	wrapped   map[string]bool                          // layouts that define "main" and render inside base.html
	frags     *fragments                               // partials rendered by "cached", shared with copies (WithBodies)
	record    bool                                     // record reads (Options.Record)
	bodies    *content.Bodies                          // the pages' converted Markdown (Options.Bodies)
	downloads Downloads                                // the files pages offer (WithDownloads); may be nil
	images    Images                                   // the images pages show (WithImages); may be nil
	data      map[string]map[string]any                // each language's data files (WithData)
	prepared  []*diag.Diagnostic                       // what Prepare reported, reported again by ForSite
}

// Options are what a Renderer needs besides the site.
type Options struct {
	Layouts    *Layouts
	Catalogs   map[string]*i18n.Catalog       // UI strings per language
	Converters map[string]*markdown.Converter // for markdownify, per language
	Record     bool                           // record what each render reads (a preview session's incremental rebuilds need it)
	Bodies     *content.Bodies                // the pages' converted Markdown, filled by the Markdown stage before pages render
}

// New prepares a renderer. Problems (unknown layouts, template syntax,
// missing UI strings, unknown menu pages) are added to diags.
func New(site *content.Site, opts Options, diags *diag.List) *Renderer {
	cfg := site.Config
	r := &Renderer{
		site: site, cfg: cfg, layouts: opts.Layouts, catalogs: opts.Catalogs, converters: opts.Converters,
		menus: map[string][]MenuItem{}, sets: map[string]map[string]*template.Template{}, wrapped: map[string]bool{}, record: opts.Record, bodies: opts.Bodies, frags: &fragments{},
		baseURL: cfg.BaseURL, basePath: "/",
	}
	if u, err := url.Parse(cfg.BaseURL); err == nil && u.Path != "" {
		r.basePath = u.Path
	}
	r.siteView = &SiteView{Title: cfg.Title, BaseURL: cfg.BaseURL, DefaultLanguage: cfg.DefaultLanguage, OriginalLanguage: cfg.OriginalLanguage(), Params: cfg.Params, Offline: cfg.Offline}
	r.makeMenus(diags)
	return r
}

// makeMenus resolves each language's menu entries against r's site.
func (r *Renderer) makeMenus(diags *diag.List) {
	site := r.site
	r.menus = map[string][]MenuItem{}
	for _, lang := range site.Languages {
		for _, m := range lang.Menu {
			item := MenuItem{Name: m.Name, URL: m.URL}
			if m.Page != "" {
				p := site.PageByFile(content.Dir + "/" + lang.Code + "/" + strings.TrimPrefix(m.Page, "/"))
				if p == nil {
					line, col := site.Config.KeyPos("languages." + lang.Code + ".menu")
					diags.Add(diag.At(config.FileName, line, col, "give the path of a content file relative to content/"+lang.Code+"/, e.g. rights/_index.md",
						"menu entry %q of language %q points to %q, which is not a page", m.Name, lang.Code, m.Page))
					continue
				}
				item.page, item.URL = p, p.URL
			}
			r.menus[lang.Code] = append(r.menus[lang.Code], item)
		}
	}
}

// ForSite returns a renderer for site, loaded anew with the same config,
// layouts and UI strings as r's, and bodies, its converted Markdown. Its
// Prepare reuses r's parsed templates when they have every layout the
// pages need. It shares r's cached partials: the caller forgets those
// whose reads changed (ForgetFragments).
func (r *Renderer) ForSite(site *content.Site, bodies *content.Bodies, diags *diag.List) *Renderer {
	c := *r
	c.site, c.bodies = site, bodies
	c.makeMenus(diags)
	return &c
}

// WithBodies returns a renderer for site, a copy of r's site with new
// bodies (content.Site.WithBodies), and bodies, its converted Markdown. It
// shares r's templates and cached partials.
func (r *Renderer) WithBodies(site *content.Site, bodies *content.Bodies) *Renderer {
	c := *r
	c.site, c.bodies = site, bodies
	return &c
}

// WithData returns a copy of r whose templates see each language's data
// files as .Site.Data.
func (r *Renderer) WithData(d map[string]map[string]any) *Renderer {
	c := *r
	c.data = d
	return &c
}

// WithDownloads returns a copy of r whose pages offer the files d makes.
func (r *Renderer) WithDownloads(d Downloads) *Renderer {
	c := *r
	c.downloads = d
	return &c
}

// Render executes the page's layout and returns the HTML and what the
// render read of other pages.
func (r *Renderer) Render(p *content.Page) ([]byte, *Reads, error) {
	var out []byte
	rec, err := r.execute(p, func(html []byte) {
		out = r.frags.expand(html, false, nil)
		if len(out) > 0 && len(html) > 0 && &out[0] == &html[0] {
			out = bytes.Clone(out) // html is a reused buffer
		}
	})
	return out, rec, err
}

// RenderParts executes the page's layout and returns the HTML in pieces,
// minified by min when min is not nil: the page's own HTML, minified on
// each call, between the HTML of the cached partials it shows, each
// minified once per Renderer. Writing the pieces one after the other gives
// the page; they must not be changed.
func (r *Renderer) RenderParts(p *content.Page, min func([]byte) []byte) ([][]byte, *Reads, error) {
	var out [][]byte
	rec, err := r.execute(p, func(html []byte) {
		own := html
		if min != nil {
			own = min(html)
		}
		if len(own) > 0 && len(html) > 0 && &own[0] == &html[0] {
			own = bytes.Clone(own) // html is a reused buffer
		}
		out = r.frags.split(own, min != nil, min)
	})
	return out, rec, err
}

// bufs are reused template outputs.
var bufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// execute runs the page's layout into a reused buffer, with cached
// partials as placeholders, and calls finish with it; finish must not
// keep the buffer.
func (r *Renderer) execute(p *content.Page, finish func(html []byte)) (*Reads, error) {
	name, d := r.LayoutFor(p)
	if d != nil {
		return nil, d
	}
	set := r.sets[name][p.Lang]
	if set == nil {
		return nil, diag.At(p.File, 0, 0, "", "layout %s was not prepared", name)
	}
	entry := name
	if r.wrapped[name] {
		entry = "base.html"
	}
	rec := newReads(p, r.site, r.bodies, r.downloads, r.images, r.record)
	view := r.newView(p, rec)
	buf := bufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			bufs.Put(buf)
		}
	}()
	buf.Reset()
	buf.Grow(len(r.bodies.Of(p).Content) + 16<<10)
	if err := set.ExecuteTemplate(buf, entry, view); err != nil {
		return rec, r.templateError(err)
	}
	if r.frags.escaped(buf.Bytes()) {
		// A cached partial used outside HTML text (in a script or an
		// attribute) had its placeholder escaped, and a minifier could
		// unescape it into one that looks real: render the page again
		// with its cached partials' HTML in place, escaped as usual.
		buf.Reset()
		view.inline = true
		if err := set.ExecuteTemplate(buf, entry, view); err != nil {
			return rec, r.templateError(err)
		}
	}
	finish(buf.Bytes())
	return rec, nil
}

// RelURL prefixes a site-relative URL with the base URL's path.
func (r *Renderer) RelURL(s string) string {
	if s == "" || strings.HasPrefix(s, "#") || strings.HasPrefix(s, "//") || strings.Contains(s, "://") || strings.HasPrefix(s, "mailto:") || strings.HasPrefix(s, "tel:") {
		return s
	}
	return r.basePath + strings.TrimPrefix(s, "/")
}

// formatDate is the template function date: a time, or a day written
// 2006-01-02 (a TOML date of a data file, a string), as the language
// writes dates; anything else as it is.
func formatDate(v any, lang string) string {
	switch t := v.(type) {
	case time.Time:
		return i18n.FormatDate(t, lang)
	case nil:
		return ""
	}
	s := fmt.Sprint(v)
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return i18n.FormatDate(t, lang)
	}
	return s
}

// AbsURL makes a site-relative URL absolute with the base URL.
func (r *Renderer) AbsURL(s string) string {
	if strings.Contains(s, "://") || strings.HasPrefix(s, "//") {
		return s
	}
	return strings.TrimSuffix(r.baseURL, "/") + "/" + strings.TrimPrefix(s, "/")
}

// plainText reports whether s has nothing Markdown would change (no
// emphasis, links, code, entities, line breaks or quotes for the
// typographer), so markdownify can skip the parser.
func plainText(s string) bool {
	return !strings.ContainsAny(s, "*_[]`<>&#\\!\n\"'-.~|:") || !strings.ContainsAny(s, "*_[]`<>&#\\!\n\"'~|") && !strings.Contains(s, "--") && !strings.Contains(s, "...") && !strings.Contains(s, "://") && !strings.Contains(s, "www.")
}

// funcs are the template functions for one language. At parse time lang is
// nil and the functions are placeholders with the same signatures.
func (r *Renderer) funcs(lang *content.Language, code string) template.FuncMap {
	cat := r.catalogs[code]
	conv := r.converters[code]
	return template.FuncMap{
		"T": func(key string, count ...int) (string, error) {
			if cat == nil {
				return "", fmt.Errorf("no UI strings for language %q", code)
			}
			return cat.T(key, count...)
		},
		"TForms": func(key string) (string, error) {
			if cat == nil {
				return "", fmt.Errorf("no UI strings for language %q", code)
			}
			m, ok := cat.Lookup(key)
			if !ok {
				return "", fmt.Errorf("UI string %q is missing for language %q", key, code)
			}
			b, err := json.Marshal(m.Forms)
			return string(b), err
		},
		"date":    func(v any) string { return formatDate(v, code) },
		"isoDate": func(t time.Time) string { return t.Format("2006-01-02") },
		"relURL":  r.RelURL,
		"absURL":  r.AbsURL,
		"markdownify": func(s string) template.HTML {
			if conv == nil || plainText(s) {
				return template.HTML(template.HTMLEscapeString(s))
			}
			h := strings.TrimSpace(string(conv.Convert([]byte(s), markdown.Doc{}).HTML))
			if strings.HasPrefix(h, "<p>") && strings.HasSuffix(h, "</p>") && strings.Count(h, "<p>") == 1 {
				h = h[3 : len(h)-4]
			}
			return template.HTML(h)
		},
		"cached": func(partial string, v *View, keys ...any) (template.HTML, error) { return "", nil },
		"langName": func(c string) string {
			if l := r.site.Language(c); l != nil {
				return l.Name
			}
			return c
		},
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, fmt.Errorf("dict needs key-value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, fmt.Errorf("dict keys must be strings")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"list":      func(v ...any) []any { return v },
		"add":       func(a, b int) int { return a + b },
		"sub":       func(a, b int) int { return a - b },
		"lower":     strings.ToLower,
		"upper":     strings.ToUpper,
		"join":      strings.Join,
		"hasPrefix": strings.HasPrefix,
		"contains":  strings.Contains,
		"default": func(def, v any) any {
			if v == nil || v == "" || v == 0 || v == false {
				return def
			}
			return v
		},
	}
}

// Images shows the site's images at the sizes a page needs.
type Images interface {
	// Picture returns the image at dest (relative to the page's file, or
	// a path under static/) as the page shows it, at most maxWidth wide
	// (0: any width); nil for an image that is not processed (an animated
	// GIF). An error says what is wrong with the image.
	Picture(p *content.Page, dest string, maxWidth int) (*markdown.Picture, error)
}

// WithImages returns a copy of r whose pages show images through im.
func (r *Renderer) WithImages(im Images) *Renderer {
	c := *r
	c.images = im
	return &c
}
