package content

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/paths"
)

// Dir is the content folder at the top of a site.
const Dir = "content"

// MaxFileSize is the largest Markdown file Qorgau reads.
const MaxFileSize = 10 << 20

// Options change what Load includes.
type Options struct {
	Drafts bool       // include pages with draft = true
	Cache  *FileCache // parsed files to reuse; may be nil
	// Typeset, when set, gives the typography of a language's texts;
	// pages get it as they are parsed (Page.Typeset), and the cache keeps
	// them typeset.
	Typeset func(lang string) func(string) string
	// Expect is about how many pages the site has (the last load's count),
	// so the maps are made large enough at once; 0 for unknown.
	Expect int
	// Label gives a UI string of a language ("" when it has none): the
	// titles of taxonomy pages (taxonomy_tags, taxonomy_audience).
	Label func(lang, key string) string
}

// Ignored reports whether a file or folder name is an editor's or the
// system's and not content (see paths.Ignored).
func Ignored(name string) bool { return paths.Ignored(name) }

// job is one Markdown file to read and parse.
type job struct {
	file string // site-relative path
	page *Page
}

// loader carries the state of one Load call.
type loader struct {
	fsys  fs.FS
	cfg   *config.Config
	opts  Options
	diags *diag.List
	jobs  []*job
}

// Load reads content/ from fsys and builds the Site. Problems are added to
// diags; the returned Site holds whatever could be loaded.
func Load(ctx context.Context, fsys fs.FS, cfg *config.Config, opts Options, diags *diag.List) *Site {
	l := &loader{fsys: fsys, cfg: cfg, opts: opts, diags: diags}
	site := &Site{Config: cfg, byFile: make(map[string]*Page, opts.Expect), byLang: map[string]*Language{}, resources: map[string]string{}}

	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.At(Dir, 0, 0, "", "cannot read the content folder: %v", err))
	}
	for _, e := range entries {
		if Ignored(e.Name()) || !e.IsDir() || Dir+"/"+e.Name() == cfg.DataDir {
			continue
		}
		if _, ok := cfg.Languages[e.Name()]; !ok && !cfg.Excluded[e.Name()] {
			diags.Add(diag.At(Dir+"/"+e.Name(), 0, 0,
				fmt.Sprintf("add [languages.%s] to config.toml, or move the folder out of content/", e.Name()),
				"content folder %q is not a configured language", e.Name()))
		}
	}

	trees := map[string]*Page{}
	for _, code := range cfg.LanguageOrder {
		lang := &Language{Language: cfg.Languages[code], Code: code}
		site.Languages = append(site.Languages, lang)
		site.byLang[code] = lang
		home := &Page{Kind: KindHome, Lang: code}
		home.Title = lang.Title
		trees[code] = home
		root := Dir + "/" + code
		if _, err := fs.Stat(fsys, root); err == nil {
			l.walkSection(root, home)
		}
	}

	l.parseAll(ctx)

	for _, lang := range site.Languages {
		home := trees[lang.Code]
		lang.Home = home
		l.finish(lang, home, nil, "/"+lang.Code+"/")
		collectPages(home, &lang.Pages)
	}
	l.taxonomies(site)
	for _, lang := range site.Languages {
		site.Pages = append(site.Pages, lang.Pages...)
	}
	site.bodies = make([][]byte, len(site.Pages))
	for i, p := range site.Pages {
		p.idx = i
		site.bodies[i], p.body = p.body, nil
	}
	l.index(site)
	l.linkTranslations(site)
	return site
}

// walkSection reads a section folder: its _index.md, pages, bundles,
// subsections and other files.
func (l *loader) walkSection(dir string, sec *Page) {
	entries, err := l.opts.Cache.readDir(l.fsys, dir)
	if err != nil {
		l.diags.Add(diag.At(dir, 0, 0, "check the folder's permissions", "cannot read folder: %v", err))
		return
	}
	// The folder's pages and their jobs in one allocation each.
	slab := make([]Page, 0, len(entries))
	jobs := make([]job, 0, len(entries))
	newPage := func(p Page) *Page {
		slab = append(slab, p)
		return &slab[len(slab)-1]
	}
	addJob := func(file string, p *Page) {
		jobs = append(jobs, job{file: file, page: p})
		l.jobs = append(l.jobs, &jobs[len(jobs)-1])
	}
	for _, e := range entries {
		name := e.Name()
		if Ignored(name) {
			continue
		}
		file := dir + "/" + name
		if e.Type()&fs.ModeSymlink != 0 {
			if info, err := fs.Stat(l.fsys, file); err != nil || info.IsDir() {
				l.diags.Add(diag.At(file, 0, 0, "copy the folder into content/ instead of linking it",
					"symbolic link to a folder (or a broken link) is not followed: it could loop"))
				continue
			}
		}
		switch {
		case e.IsDir():
			if _, err := fs.Stat(l.fsys, file+"/index.md"); err == nil {
				p := newPage(Page{Kind: KindPage, Lang: sec.Lang, File: file + "/index.md", Dir: sec.Dir, Section: sec})
				p.Resources = l.resources(file, "")
				sec.Pages = append(sec.Pages, p)
				addJob(p.File, p)
				continue
			}
			sub := &Page{Kind: KindSection, Lang: sec.Lang, Dir: path.Join(sec.Dir, name), Section: sec}
			sec.Sections = append(sec.Sections, sub)
			l.walkSection(file, sub)
		case name == "_index.md":
			sec.File = file
			addJob(file, sec)
		case strings.HasSuffix(name, ".md"):
			p := newPage(Page{Kind: KindPage, Lang: sec.Lang, File: file, Dir: sec.Dir, Section: sec})
			sec.Pages = append(sec.Pages, p)
			addJob(file, p)
		default:
			sec.Resources = append(sec.Resources, file)
		}
	}
}

// resources lists every file below a bundle folder except its index.md.
func (l *loader) resources(dir, rel string) []string {
	var out []string
	entries, err := l.opts.Cache.readDir(l.fsys, path.Join(dir, rel))
	if err != nil {
		l.diags.Add(diag.At(path.Join(dir, rel), 0, 0, "check the folder's permissions", "cannot read folder: %v", err))
		return nil
	}
	for _, e := range entries {
		if Ignored(e.Name()) || (rel == "" && e.Name() == "index.md") {
			continue
		}
		r := path.Join(rel, e.Name())
		if e.IsDir() {
			out = append(out, l.resources(dir, r)...)
		} else {
			out = append(out, path.Join(dir, r))
		}
	}
	return out
}

// finish drops drafts, sets URLs, sorts and links neighbours, top-down.
func (l *loader) finish(lang *Language, sec *Page, parent *Page, url string) {
	sec.URL = url
	sec.OutPath = strings.TrimPrefix(url, "/") + "index.html"
	if sec.Kind == KindSection && sec.File == "" {
		sec.Title = humanize(path.Base(sec.Dir))
	}
	sec.Key = sec.Dir + "/_index"
	if sec.TranslationKey != "" {
		sec.Key = sec.TranslationKey
	}
	keep := sec.Pages[:0]
	for _, p := range sec.Pages {
		if p.Draft && !l.opts.Drafts || p.body == nil && p.Title == "" {
			continue
		}
		name := strings.TrimSuffix(path.Base(p.File), ".md")
		if name == "index" {
			name = path.Base(path.Dir(p.File))
		}
		p.Key = path.Join(sec.Dir, name)
		if p.TranslationKey != "" {
			p.Key = p.TranslationKey
		}
		slug := name
		if p.Slug != "" {
			slug = p.Slug
		}
		p.URL = url + slug + "/"
		p.OutPath = strings.TrimPrefix(p.URL, "/") + "index.html"
		keep = append(keep, p)
	}
	sec.Pages = keep
	sortPages(lang.Locale, sec.Pages)
	for i, p := range sec.Pages {
		if i > 0 {
			p.Prev = sec.Pages[i-1]
		}
		if i+1 < len(sec.Pages) {
			p.Next = sec.Pages[i+1]
		}
	}
	subs := sec.Sections[:0]
	for _, s := range sec.Sections {
		if s.Draft && !l.opts.Drafts {
			continue
		}
		seg := path.Base(s.Dir)
		if s.Slug != "" {
			seg = s.Slug
		}
		if !validSegment(seg) {
			l.diags.Add(diag.At(Dir+"/"+lang.Code+"/"+s.Dir, 0, 0, "rename the folder", "folder name %q cannot be a URL segment", seg))
			continue
		}
		l.finish(lang, s, sec, url+seg+"/")
		if len(s.Pages) == 0 && len(s.Sections) == 0 && s.File == "" {
			continue
		}
		subs = append(subs, s)
	}
	sec.Sections = subs
	sortPages(lang.Locale, sec.Sections)
}

// collectPages appends sec and everything below it, sections before their pages.
func collectPages(sec *Page, out *[]*Page) {
	*out = append(*out, sec)
	*out = append(*out, sec.Pages...)
	for _, s := range sec.Sections {
		collectPages(s, out)
	}
}

// sortPages orders pages by weight (0 last), then newest date, then title
// in the language's collation, then file.
func sortPages(locale string, pages []*Page) {
	tag, err := language.Parse(locale)
	if err != nil {
		tag = language.Und
	}
	c := collate.New(tag)
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := pages[i], pages[j]
		if a.Weight != b.Weight {
			if a.Weight == 0 || b.Weight == 0 {
				return b.Weight == 0
			}
			return a.Weight < b.Weight
		}
		if !a.Date.Equal(b.Date) {
			return a.Date.After(b.Date)
		}
		if r := c.CompareString(a.Title, b.Title); r != 0 {
			return r < 0
		}
		return a.File < b.File
	})
}

// index records every page by source file and output path, and checks that
// no two pages and aliases write the same file.
func (l *loader) index(site *Site) {
	written := make(map[string]*Page, l.opts.Expect)
	claim := func(out string, p *Page, what string) bool {
		if prev, ok := written[out]; ok {
			where := prev.File
			if where == "" {
				where = prev.URL
			}
			file := p.File
			line := keyLine(p.fmSrc, p.fmFormat, p.fmLine, "slug")
			if what == "alias" {
				line = keyLine(p.fmSrc, p.fmFormat, p.fmLine, "aliases")
			}
			l.diags.Add(diag.At(file, line, 0, "change a slug, alias or file name so each page has its own URL",
				"%s writes %s, which %s also writes", what, "/"+out, where))
			return false
		}
		written[out] = p
		return true
	}
	for _, p := range site.Pages {
		if p.File != "" {
			site.byFile[p.File] = p
		}
		for _, r := range p.Resources {
			site.resources[r] = p.ResourceOut(r)
		}
		if p.Kind != KindPage {
			site.byFile[path.Join(Dir, p.Lang, p.Dir)] = p
		}
		claim(p.OutPath, p, "page")
	}
	for _, p := range site.Pages {
		for _, a := range p.Aliases {
			out, url, err := aliasPath(p, a)
			if err != nil {
				l.diags.Add(diag.At(p.File, keyLine(p.fmSrc, p.fmFormat, p.fmLine, "aliases"), 0,
					`write aliases as site paths such as "/en/old-name/"`, "alias %q: %v", a, err))
				continue
			}
			if claim(out, p, "alias") {
				site.Aliases = append(site.Aliases, Alias{OutPath: out, URL: url, Target: p})
			}
		}
	}
}

// aliasPath turns an alias into its output file. Relative aliases are taken
// from the language's root.
func aliasPath(p *Page, a string) (out, url string, err error) {
	if strings.Contains(a, "://") || strings.HasPrefix(a, "//") {
		return "", "", errors.New("must be a path on this site, not a full URL")
	}
	if !strings.HasPrefix(a, "/") {
		a = "/" + p.Lang + "/" + a
	}
	if strings.Contains(a, "//") {
		return "", "", errors.New("has an empty path segment")
	}
	for _, seg := range strings.Split(strings.Trim(a, "/"), "/") {
		if seg == "" && a != "/" {
			return "", "", errors.New("has an empty path segment")
		}
		if seg != "" && !validSegment(seg) {
			return "", "", fmt.Errorf("segment %q is not allowed (no '..', backslashes or control characters)", seg)
		}
	}
	if a == "/" {
		return "", "", errors.New("cannot replace the site's root page")
	}
	if strings.HasSuffix(a, ".html") {
		return strings.TrimPrefix(a, "/"), a, nil
	}
	if !strings.HasSuffix(a, "/") {
		a += "/"
	}
	return strings.TrimPrefix(a, "/") + "index.html", a, nil
}

// linkTranslations finds each page's translations by key, in one pass.
func (l *loader) linkTranslations(site *Site) {
	order := site.Config.LanguageOrder
	pos := make(map[string]int, len(order))
	for i, code := range order {
		pos[code] = i
	}
	// A group is a key's pages by language position, in one backing array.
	groups := make(map[string]int, len(site.Pages))
	var slots []*Page
	for _, p := range site.Pages {
		g, ok := groups[p.Key]
		if !ok {
			g = len(slots)
			groups[p.Key] = g
			slots = append(slots, make([]*Page, len(order))...)
		}
		i, known := pos[p.Lang]
		if !known {
			continue
		}
		if prev := slots[g+i]; prev != nil {
			l.diags.Add(diag.At(p.File, keyLine(p.fmSrc, p.fmFormat, p.fmLine, "translationKey"), 0,
				"give each page of a language its own translationKey",
				"translationKey %q is also used by %s", p.Key, prev.File))
			continue
		}
		slots[g+i] = p
	}
	for _, p := range site.Pages {
		g := groups[p.Key]
		for i, code := range order {
			if code == p.Lang {
				continue
			}
			if t := slots[g+i]; t != nil {
				p.Translations = append(p.Translations, t)
			} else {
				p.Missing = append(p.Missing, code)
			}
		}
	}
}

// ResolveLink finds the page a Markdown link from file points to. dest is
// the link's path without a fragment, relative to file's folder (or to the
// content folder when it starts with "/").
func (s *Site) ResolveLink(file, dest string) *Page {
	var target string
	if strings.HasPrefix(dest, "/") {
		target = path.Join(Dir, dest)
	} else {
		target = path.Join(path.Dir(file), dest)
	}
	return s.byFile[target]
}
