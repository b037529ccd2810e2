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
	"io/fs"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"text/template/parse"
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

	sets     map[string]map[string]*template.Template // layout name -> language -> template
	wrapped  map[string]bool                          // layouts that define "main" and render inside base.html
	frags    *fragments                               // partials rendered by "cached", shared with copies (WithBodies)
	record   bool                                     // record reads (Options.Record)
	bodies   *content.Bodies                          // the pages' converted Markdown (Options.Bodies)
	prepared []*diag.Diagnostic                       // what Prepare reported, reported again by ForSite
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

// perLanguage makes one copy of a layout's template set per language, with
// constant T calls folded and the language's functions.
func (r *Renderer) perLanguage(name string, set *template.Template, diags *diag.List) map[string]*template.Template {
	out := map[string]*template.Template{}
	for _, lang := range r.site.Languages {
		c, err := set.Clone()
		if err != nil {
			diags.AddErr(name, err)
			continue
		}
		for _, t := range c.Templates() {
			if t.Tree != nil {
				foldT(t.Tree.Root, r.catalogs[lang.Code])
			}
		}
		fm := r.funcs(lang, lang.Code)
		set := c
		fm["cached"] = func(partial string, v *View, keys ...any) (template.HTML, error) {
			return v.r.cached(set, partial, v, keys)
		}
		out[lang.Code] = c.Funcs(fm)
	}
	return out
}

// missingStrings reports each UI string a template uses that a language lacks.
func (r *Renderer) missingStrings(keys map[string][]string, diags *diag.List) {
	for key, positions := range keys {
		for _, lang := range r.site.Languages {
			if c := r.catalogs[lang.Code]; c == nil || !c.Has(key) {
				for _, pos := range positions {
					d := r.position(pos)
					d.Message = fmt.Sprintf("UI string %q is missing for language %q", key, lang.Code)
					d.Hint = fmt.Sprintf("add %s = \"...\" to i18n/%s.toml (the site's or the theme's)", key, lang.Code)
					d.Kind = diag.KindUIString
					diags.Add(d)
				}
			}
		}
	}
}

// LayoutFor names the layout a page uses, or returns a diagnostic.
func (r *Renderer) LayoutFor(p *content.Page) (string, *diag.Diagnostic) {
	section := ""
	if p.Dir != "" {
		section = strings.SplitN(p.Dir, "/", 2)[0]
	}
	name, tried := r.layouts.Lookup(string(p.Kind), section, p.Layout)
	if name == "" {
		where := p.File
		if where == "" {
			where = "themes/" + r.cfg.Theme + "/layouts"
		}
		line := 0
		if p.File != "" && p.Layout != "" {
			line = p.FieldLine("layout")
		}
		return "", diag.At(where, line, 0, "add one of these files to layouts/ or to the theme's layouts/, or fix the layout field",
			"no layout for this %s: looked for %s", p.Kind, strings.Join(tried, ", "))
	}
	return name, nil
}

// Prepare parses every layout the pages need, for every language, and
// checks that each UI string the templates use exists in every language.
//
// A renderer made by ForSite keeps the templates it shares when they have
// every layout the pages need, and reports again what they reported.
func (r *Renderer) Prepare(pages []*content.Page, diags *diag.List) {
	if len(r.sets) > 0 && r.hasLayouts(pages) {
		for _, d := range r.prepared {
			diags.Add(d)
		}
		return
	}
	// A ForSite copy shares r's maps: they are replaced, never written.
	r.sets, r.wrapped = map[string]map[string]*template.Template{}, map[string]bool{}
	var mine diag.List
	r.prepare(pages, &mine)
	r.prepared = mine.Items()
	for _, d := range r.prepared {
		diags.Add(d)
	}
}

// hasLayouts reports whether every page's layout is prepared.
func (r *Renderer) hasLayouts(pages []*content.Page) bool {
	for _, p := range pages {
		if name, d := r.LayoutFor(p); d != nil || r.sets[name] == nil {
			return false
		}
	}
	return true
}

func (r *Renderer) prepare(pages []*content.Page, diags *diag.List) {
	needed := map[string]bool{}
	for _, p := range pages {
		name, d := r.LayoutFor(p)
		if d != nil {
			diags.Add(d)
			continue
		}
		needed[name] = true
	}
	base := template.New("").Funcs(r.funcs(nil, ""))
	ok := true
	for _, name := range r.layouts.shared() {
		if err := r.parse(base, name); err != nil {
			diags.AddErr(name, err)
			ok = false
		}
	}
	if !ok {
		return
	}
	names := make([]string, 0, len(needed))
	for n := range needed {
		names = append(names, n)
	}
	sort.Strings(names)
	keys := map[string][]string{} // UI string -> positions
	for _, name := range names {
		set, err := base.Clone()
		if err != nil {
			diags.AddErr(name, err)
			continue
		}
		var before *parse.Tree
		if m := set.Lookup("main"); m != nil {
			before = m.Tree
		}
		if err := r.parse(set, name); err != nil {
			diags.AddErr(name, err)
			continue
		}
		if m := set.Lookup("main"); m != nil && m.Tree != before && set.Lookup("base.html") != nil {
			r.wrapped[name] = true
		}
		for _, t := range set.Templates() {
			if t.Tree != nil {
				collectKeys(t.Tree, t.Tree.Root, keys)
			}
		}
		r.sets[name] = r.perLanguage(name, set, diags)
	}
	r.missingStrings(keys, diags)
}

// parse adds the layout file behind a logical name to set.
func (r *Renderer) parse(set *template.Template, name string) error {
	file, ok := r.layouts.Source(name)
	if !ok {
		return diag.At(name, 0, 0, "", "layout %s not found", name)
	}
	src, err := fs.ReadFile(r.layouts.fsys, file)
	if err != nil {
		return diag.At(file, 0, 0, "", "cannot read layout: %v", err)
	}
	if _, err := set.New(name).Parse(string(src)); err != nil {
		return r.templateError(err)
	}
	return nil
}

var tmplErrRe = regexp.MustCompile(`template: ([^:\s]+):(\d+):(?:(\d+):)?\s*`)

// templateError turns an html/template error into a diagnostic that names
// the template's file and line.
func (r *Renderer) templateError(err error) error {
	msg := err.Error()
	m := tmplErrRe.FindStringSubmatchIndex(msg)
	if m == nil {
		return diag.At("themes/"+r.cfg.Theme+"/layouts", 0, 0, "", "template: %s", msg)
	}
	name := msg[m[2]:m[3]]
	line, _ := strconv.Atoi(msg[m[4]:m[5]])
	col := 0
	if m[6] >= 0 {
		col, _ = strconv.Atoi(msg[m[6]:m[7]])
	}
	file, ok := r.layouts.Source(name)
	if !ok {
		file = name
	}
	rest := strings.TrimSpace(msg[m[1]:])
	hint := "fix the template"
	if strings.Contains(rest, "maximum template depth") {
		hint = "a template calls itself without end; check {{template}} calls"
	}
	return diag.At(file, line, col, hint, "%s", rest)
}

// position turns "name:line:col" from parse.Tree.ErrorContext into a diagnostic.
func (r *Renderer) position(loc string) *diag.Diagnostic {
	parts := strings.Split(loc, ":")
	d := &diag.Diagnostic{Path: loc}
	if len(parts) >= 3 {
		d.Path = strings.Join(parts[:len(parts)-2], ":")
		d.Line, _ = strconv.Atoi(parts[len(parts)-2])
		d.Col, _ = strconv.Atoi(parts[len(parts)-1])
	}
	if f, ok := r.layouts.Source(d.Path); ok {
		d.Path = f
	}
	return d
}

// eachCommand calls fn for every command of a template tree, outer
// commands before the commands in their arguments; fn returns false to
// skip a command's arguments.
func eachCommand(n parse.Node, fn func(*parse.CommandNode) bool) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			eachCommand(c, fn)
		}
	case *parse.ActionNode:
		eachCommand(n.Pipe, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			eachCommand(c, fn)
		}
	case *parse.CommandNode:
		if fn(n) {
			for _, a := range n.Args {
				eachCommand(a, fn)
			}
		}
	case *parse.BranchNode:
		eachCommand(n.Pipe, fn)
		eachCommand(n.List, fn)
		eachCommand(n.ElseList, fn)
	case *parse.IfNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.RangeNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.WithNode:
		eachCommand(&n.BranchNode, fn)
	case *parse.TemplateNode:
		eachCommand(n.Pipe, fn)
	}
}

// callT returns the key of a call of T (or TForms) with a constant key.
func callT(n *parse.CommandNode, names ...string) (*parse.StringNode, bool) {
	if len(n.Args) < 2 {
		return nil, false
	}
	id, ok := n.Args[0].(*parse.IdentifierNode)
	if !ok || !contains(names, id.Ident) {
		return nil, false
	}
	key, ok := n.Args[1].(*parse.StringNode)
	return key, ok
}

// foldT replaces each {{T "key"}} and {{T "key" 3}} of a language's copy
// of a template with the UI string itself, so pages do not look it up
// again; the string is still escaped for where it stands. Calls whose
// string is missing are left for execution to report.
func foldT(root parse.Node, cat *i18n.Catalog) {
	if cat == nil {
		return
	}
	eachCommand(root, func(n *parse.CommandNode) bool {
		key, ok := callT(n, "T")
		if !ok || len(n.Args) > 3 {
			return true
		}
		var count []int
		if len(n.Args) == 3 {
			num, ok := n.Args[2].(*parse.NumberNode)
			if !ok || !num.IsInt {
				return true
			}
			count = []int{int(num.Int64)}
		}
		text, err := cat.T(key.Text, count...)
		if err != nil {
			return true
		}
		n.Args = []parse.Node{&parse.StringNode{NodeType: parse.NodeString, Pos: key.Pos, Quoted: strconv.Quote(text), Text: text}}
		return false
	})
}

// collectKeys records the constant keys of T calls in a template tree.
func collectKeys(tree *parse.Tree, root parse.Node, keys map[string][]string) {
	eachCommand(root, func(n *parse.CommandNode) bool {
		if key, ok := callT(n, "T", "TForms"); ok {
			loc, _ := tree.ErrorContext(n)
			if !contains(keys[key.Text], loc) {
				keys[key.Text] = append(keys[key.Text], loc)
			}
		}
		return true
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
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
	rec := newReads(p, r.site, r.bodies, r.record)
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
		"date":    func(t time.Time) string { return i18n.FormatDate(t, code) },
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
