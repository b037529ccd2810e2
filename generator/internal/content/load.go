package content

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

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
}

// FileCache keeps parsed Markdown files between loads, so the preview
// server re-reads only the files that changed. It is safe for concurrent use.
type FileCache struct {
	mu    sync.Mutex
	pages map[string]*Page
}

// NewFileCache returns an empty cache.
func NewFileCache() *FileCache { return &FileCache{pages: map[string]*Page{}} }

// Forget drops a file, or every file below a folder, from the cache.
func (c *FileCache) Forget(file string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.pages, file)
	prefix := strings.TrimSuffix(file, "/") + "/"
	for f := range c.pages {
		if strings.HasPrefix(f, prefix) {
			delete(c.pages, f)
		}
	}
}

// Clear empties the cache.
func (c *FileCache) Clear() {
	c.mu.Lock()
	clear(c.pages)
	c.mu.Unlock()
}

func (c *FileCache) get(file string) (*Page, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[file]
	return p, ok
}

func (c *FileCache) put(file string, p *Page) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.pages[file] = p
	c.mu.Unlock()
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
	site := &Site{Config: cfg, byFile: map[string]*Page{}, byLang: map[string]*Language{}, resources: map[string]string{}}

	entries, err := fs.ReadDir(fsys, Dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		diags.Add(diag.At(Dir, 0, 0, "", "cannot read the content folder: %v", err))
	}
	for _, e := range entries {
		if Ignored(e.Name()) || !e.IsDir() {
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
		site.Pages = append(site.Pages, lang.Pages...)
	}
	l.index(site)
	l.linkTranslations(site)
	return site
}

// walkSection reads a section folder: its _index.md, pages, bundles,
// subsections and other files.
func (l *loader) walkSection(dir string, sec *Page) {
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		l.diags.Add(diag.At(dir, 0, 0, "check the folder's permissions", "cannot read folder: %v", err))
		return
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
				p := &Page{Kind: KindPage, Lang: sec.Lang, File: file + "/index.md", Dir: sec.Dir, Section: sec}
				p.Resources = l.resources(file, "")
				sec.Pages = append(sec.Pages, p)
				l.jobs = append(l.jobs, &job{file: p.File, page: p})
				continue
			}
			sub := &Page{Kind: KindSection, Lang: sec.Lang, Dir: path.Join(sec.Dir, name), Section: sec}
			sec.Sections = append(sec.Sections, sub)
			l.walkSection(file, sub)
		case name == "_index.md":
			sec.File = file
			l.jobs = append(l.jobs, &job{file: file, page: sec})
		case strings.HasSuffix(name, ".md"):
			p := &Page{Kind: KindPage, Lang: sec.Lang, File: file, Dir: sec.Dir, Section: sec}
			sec.Pages = append(sec.Pages, p)
			l.jobs = append(l.jobs, &job{file: file, page: p})
		default:
			sec.Resources = append(sec.Resources, file)
		}
	}
}

// resources lists every file below a bundle folder except its index.md.
func (l *loader) resources(dir, rel string) []string {
	var out []string
	entries, err := fs.ReadDir(l.fsys, path.Join(dir, rel))
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

// parseAll reads and parses every Markdown file on all cores.
func (l *loader) parseAll(ctx context.Context) {
	var wg sync.WaitGroup
	ch := make(chan *job)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range ch {
				l.parse(j)
			}
		}()
	}
	for _, j := range l.jobs {
		if ctx.Err() != nil {
			break
		}
		ch <- j
	}
	close(ch)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		l.diags.Add(diag.At(Dir, 0, 0, "", "loading stopped: %v", err))
	}
}

// parse reads one file into its page, or takes it from the cache.
func (l *loader) parse(j *job) {
	if c, ok := l.opts.Cache.get(j.file); ok {
		p := j.page
		p.FrontMatter, p.Body, p.BodyLine, p.fmSrc, p.fmLine, p.fmFormat = c.FrontMatter, c.Body, c.BodyLine, c.fmSrc, c.fmLine, c.fmFormat
		return
	}
	if errs := parseFile(l.fsys, j.file, j.page); len(errs) > 0 {
		for _, d := range errs {
			l.diags.Add(d)
		}
		return
	}
	p := j.page
	l.opts.Cache.put(j.file, &Page{FrontMatter: p.FrontMatter, Body: p.Body, BodyLine: p.BodyLine, fmSrc: p.fmSrc, fmLine: p.fmLine, fmFormat: p.fmFormat})
}

// ReadPage reads and parses one Markdown file on its own, as the preview
// server does when only that file changed. The page is not linked into a
// site. A missing file returns an error wrapping fs.ErrNotExist.
func ReadPage(fsys fs.FS, file string) (*Page, error) {
	if _, err := fs.Stat(fsys, file); err != nil {
		return nil, err
	}
	p := &Page{File: file}
	if errs := parseFile(fsys, file, p); len(errs) > 0 {
		return p, errs
	}
	return p, nil
}

// SameMeta reports whether q was parsed from the same front matter as p and
// has the same title: then only p's body differs, and no other page can
// show anything different.
func (p *Page) SameMeta(q *Page) bool {
	return string(p.fmSrc) == string(q.fmSrc) && p.fmLine == q.fmLine && p.rawTitle() == q.rawTitle()
}

// rawTitle is the title as written, before Typeset.
func (p *Page) rawTitle() string {
	if p.raw != nil {
		return p.raw.title
	}
	return p.Title
}

// parseFile reads file into p. On errors that leave nothing usable the
// page is marked draft so that it is left out.
func parseFile(fsys fs.FS, file string, p *Page) diag.Errors {
	var errs diag.Errors
	add := func(err error) {
		var many diag.Errors
		var d *diag.Diagnostic
		switch {
		case errors.As(err, &many):
			errs = append(errs, many...)
		case errors.As(err, &d):
			errs = append(errs, d)
		default:
			errs = append(errs, diag.At(file, 0, 0, "", "%v", err))
		}
	}
	src, size, err := readLimited(fsys, file, MaxFileSize)
	if err == nil && size > MaxFileSize {
		p.Draft = true
		return diag.Errors{diag.At(file, 0, 0, "split the page into several smaller pages",
			"file is %d MB; the limit is %d MB", size>>20, MaxFileSize>>20)}
	}
	if err != nil {
		p.Draft = true
		return diag.Errors{diag.At(file, 0, 0, "check that the file exists and is readable", "cannot read file: %v", unwrapPath(err))}
	}
	if src, err = Normalize(file, src); err != nil {
		p.Draft = true
		add(err)
		return errs
	}
	fm, format, body, fmLine, bodyLine, err := Split(file, src)
	if err != nil {
		p.Draft = true
		add(err)
		return errs
	}
	meta, err := ParseFrontMatter(file, fm, format, fmLine)
	if err != nil {
		add(err)
	}
	p.FrontMatter = meta
	p.Body = body
	p.BodyLine = bodyLine
	if p.Title == "" {
		p.Title, p.Body, p.BodyLine = titleFromBody(body, bodyLine)
	}
	if p.Title == "" {
		name := strings.TrimSuffix(path.Base(file), ".md")
		if name == "index" || name == "_index" {
			name = path.Base(path.Dir(file))
		}
		p.Title = humanize(name)
	}
	for _, key := range []string{"slug", "layout"} {
		check := p.Slug
		if key == "layout" {
			check = p.Layout
		}
		if check != "" && !validSegment(check) {
			line := keyLine(fm, format, fmLine, key)
			errs = append(errs, diag.At(file, line, 1, "use a single URL segment without '/', '..' or control characters",
				"%s %q is not allowed", key, check))
			if key == "slug" {
				p.Slug = ""
			} else {
				p.Layout = ""
			}
		}
	}
	p.fmSrc, p.fmLine, p.fmFormat = bytes.Clone(fm), fmLine, format // its own copy: the file's buffer goes with the body
	return errs
}

// unwrapPath drops the path an fs error repeats.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// titleFromBody takes a leading "# Title" line as the title and removes it.
func titleFromBody(body []byte, line int) (string, []byte, int) {
	rest := body
	for len(rest) > 0 {
		nl := strings.IndexByte(string(rest), '\n')
		var first string
		if nl < 0 {
			first = string(rest)
		} else {
			first = string(rest[:nl])
		}
		if strings.TrimSpace(first) == "" {
			if nl < 0 {
				break
			}
			rest = rest[nl+1:]
			line++
			continue
		}
		if strings.HasPrefix(first, "# ") {
			title := strings.TrimSpace(strings.TrimRight(strings.TrimSpace(first[2:]), "#"))
			if nl < 0 {
				return title, nil, line + 1
			}
			return title, rest[nl+1:], line + 1
		}
		break
	}
	return "", body, line
}

// humanize turns a file name into a title: "know-your-rights" -> "Know your rights".
func humanize(name string) string {
	s := strings.NewReplacer("-", " ", "_", " ").Replace(name)
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// validSegment reports whether s can be one URL path segment and folder name.
func validSegment(s string) bool {
	if s == "" || s == "." || s == ".." || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r == '/' || r == '\\' || r < 0x20 || r == 0x7f || r == '?' || r == '#' || r == '%' {
			return false
		}
	}
	return true
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
		if p.Draft && !l.opts.Drafts || p.Body == nil && p.Title == "" {
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
	written := map[string]*Page{}
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
	type slot struct{ byLang map[string]*Page }
	groups := map[string]*slot{}
	for _, p := range site.Pages {
		g := groups[p.Key]
		if g == nil {
			g = &slot{byLang: map[string]*Page{}}
			groups[p.Key] = g
		}
		if prev, ok := g.byLang[p.Lang]; ok {
			l.diags.Add(diag.At(p.File, keyLine(p.fmSrc, p.fmFormat, p.fmLine, "translationKey"), 0,
				"give each page of a language its own translationKey",
				"translationKey %q is also used by %s", p.Key, prev.File))
			continue
		}
		g.byLang[p.Lang] = p
	}
	for _, p := range site.Pages {
		g := groups[p.Key]
		for _, code := range site.Config.LanguageOrder {
			if code == p.Lang {
				continue
			}
			if t, ok := g.byLang[code]; ok {
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

// readLimited reads a file unless it is larger than limit, with one open,
// one stat and as few reads as its size allows. It returns the size the
// file has (and no content) when it is over the limit.
func readLimited(fsys fs.FS, file string, limit int64) ([]byte, int64, error) {
	f, err := fsys.Open(file)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if info.Size() > limit {
		return nil, info.Size(), nil
	}
	buf := make([]byte, 0, info.Size()+1) // +1: reach EOF without growing
	for {
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, int64(len(buf)), nil
		}
		if err != nil {
			return nil, 0, err
		}
		if len(buf) == cap(buf) {
			if int64(len(buf)) > limit {
				return nil, int64(len(buf)), nil // grew while being read
			}
			buf = append(buf, 0)[:len(buf)]
		}
	}
}
