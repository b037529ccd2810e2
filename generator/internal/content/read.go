package content

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"path"
	"runtime"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/qorgau/qorgau/generator/internal/diag"
)

// FileCache keeps parsed Markdown files between loads, so the preview
// server re-reads only the files that changed. It is safe for concurrent use.
type FileCache struct {
	mu    sync.Mutex
	pages map[string]*Page
	dirs  map[string][]fs.DirEntry // folder listings
}

// NewFileCache returns an empty cache.
func NewFileCache() *FileCache {
	return &FileCache{pages: map[string]*Page{}, dirs: map[string][]fs.DirEntry{}}
}

// readDir lists a folder, from the cache when it has the listing.
func (c *FileCache) readDir(fsys fs.FS, dir string) ([]fs.DirEntry, error) {
	if c == nil {
		return fs.ReadDir(fsys, dir)
	}
	c.mu.Lock()
	entries, ok := c.dirs[dir]
	c.mu.Unlock()
	if ok {
		return entries, nil
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err == nil {
		c.mu.Lock()
		c.dirs[dir] = entries
		c.mu.Unlock()
	}
	return entries, err
}

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
	// A file may have come or gone: its folder and the folders above it
	// are listed again, and a folder's own listings below it.
	for d := file; d != "." && d != "/" && d != ""; d = path.Dir(d) {
		delete(c.dirs, d)
	}
	for d := range c.dirs {
		if strings.HasPrefix(d, prefix) {
			delete(c.dirs, d)
		}
	}
}

// Clear empties the cache.
func (c *FileCache) Clear() {
	c.mu.Lock()
	clear(c.pages)
	clear(c.dirs)
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
		p.FrontMatter, p.body, p.BodyLine, p.fmSrc, p.fmLine, p.fmFormat, p.raw, p.fmSum = c.FrontMatter, c.body, c.BodyLine, c.fmSrc, c.fmLine, c.fmFormat, c.raw, c.fmSum
		return
	}
	if errs := parseFile(l.fsys, j.file, j.page); len(errs) > 0 {
		for _, d := range errs {
			l.diags.Add(d)
		}
		return
	}
	p := j.page
	if l.opts.Typeset != nil {
		if fn := l.opts.Typeset(p.Lang); fn != nil {
			p.Typeset(fn)
		}
	}
	if l.opts.Cache != nil {
		p.fmSum = p.FrontMatterSum()
	}
	l.opts.Cache.put(j.file, &Page{FrontMatter: p.FrontMatter, body: p.body, BodyLine: p.BodyLine, fmSrc: p.fmSrc, fmLine: p.fmLine, fmFormat: p.fmFormat, raw: p.raw, fmSum: p.fmSum})
}

// ReadPage reads and parses one Markdown file on its own, as the preview
// server does when only that file changed, and returns the page and its
// Markdown body. The page is not linked into a site. A missing file
// returns an error wrapping fs.ErrNotExist.
func ReadPage(fsys fs.FS, file string) (*Page, []byte, error) {
	if _, err := fs.Stat(fsys, file); err != nil {
		return nil, nil, err
	}
	p := &Page{File: file}
	errs := parseFile(fsys, file, p)
	body := p.body
	p.body = nil
	if len(errs) > 0 {
		return p, body, errs
	}
	return p, body, nil
}

// SameMeta reports whether q was parsed from the same front matter as p and
// has the same title: then only p's body differs, and no other page can
// show anything different.
func (p *Page) SameMeta(q *Page) bool {
	return string(p.fmSrc) == string(q.fmSrc) && p.fmLine == q.fmLine && p.BodyLine == q.BodyLine && p.rawTitle() == q.rawTitle()
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
	p.body = body
	p.BodyLine = bodyLine
	if p.Title == "" {
		p.Title, p.body, p.BodyLine = titleFromBody(body, bodyLine)
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

// titleFromBody finds the title of a page without one in its front
// matter: the first heading of the body, of any level (converted books
// often start chapters with ##). A heading that opens the body is the
// page's title and leaves the body; one further down stays where it is.
// Headings are ATX headings outside fenced code.
func titleFromBody(body []byte, line int) (string, []byte, int) {
	rest, at, opening := body, line, true
	fence := ""
	for len(rest) > 0 {
		text := string(rest)
		advance := len(rest)
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			text, advance = string(rest[:i]), i+1
		}
		trimmed := strings.TrimLeft(text, " ")
		indent := len(text) - len(trimmed)
		switch {
		case fence != "":
			if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
				fence = ""
			}
		case indent <= 3 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
			opening = false
		case indent <= 3 && atxLevel(trimmed) > 0:
			title := strings.TrimSpace(trimmed[atxLevel(trimmed):])
			title = strings.TrimSpace(strings.TrimRight(title, "#"))
			if title != "" {
				if opening {
					return title, rest[advance:], at + 1
				}
				return title, body, line
			}
		case strings.TrimSpace(text) == "":
		default:
			opening = false
		}
		rest = rest[advance:]
		at++
	}
	return "", body, line
}

// atxLevel is the level of an ATX heading line ("## Title"), or 0.
func atxLevel(s string) int {
	n := 0
	for n < len(s) && s[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(s) && s[n] != ' ' && s[n] != '\t' {
		return 0
	}
	return n
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
