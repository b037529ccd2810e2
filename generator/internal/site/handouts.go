package site

import (
	"context"
	"fmt"
	"hash/maphash"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/qorgau/qorgau/generator/internal/config"
	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/handout"
	"github.com/qorgau/qorgau/generator/internal/i18n"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// Handout and booklet file names, beside the page's index.html.
const (
	handoutFile = "handout.pdf"
	bookletFile = "booklet.pdf"
)

// handouts makes the PDF handouts of a build: a lesson's when its page is
// rendered (the page shows the file's size) or when the output asks, once
// per build. A preview session keeps the files of unchanged lessons and
// topics from build to build.
type handouts struct {
	site       *content.Site
	bodies     *content.Bodies           // the Markdown stage's links, for the hash of what a file shows
	data       map[string]map[string]any // each language's data files (the help numbers)
	cfg        *config.Config
	catalogs   map[string]*i18n.Catalog
	converters map[string]*markdown.Converter
	r          *render.Renderer
	source     fs.FS
	copies     func() map[string]string // output path -> source path of copied files (images)
	kept       *handoutCache            // the session's, or nil
	pics       *pictures                // the build's images: a handout prints their 720 px files

	mu    sync.Mutex
	files map[string]*madePDF // output path -> file
}

type madePDF struct {
	once    sync.Once
	data    []byte
	missing []rune // characters the font lacks
	err     error
}

// handoutCache keeps a session's PDFs by output path with the hash of
// what they were made from.
type handoutCache struct {
	mu    sync.Mutex
	files map[string]cachedPDF
}

type cachedPDF struct {
	from    uint64
	data    []byte
	missing []rune
}

var handoutSeed = maphash.MakeSeed()

// isLesson says which pages get a handout: regular pages written to a
// folder of their own.
func isLesson(p *content.Page) bool {
	return p.Kind == content.KindPage && p.File != "" && strings.HasSuffix(p.OutPath, "/index.html")
}

// lessonsOf is a topic's lessons; a section without any has no booklet.
func lessonsOf(p *content.Page) []*content.Page {
	if p.Kind != content.KindSection || !strings.HasSuffix(p.OutPath, "index.html") {
		return nil
	}
	var out []*content.Page
	for _, q := range p.Pages {
		if isLesson(q) {
			out = append(out, q)
		}
	}
	return out
}

// For implements render.Downloads.
func (h *handouts) For(p *content.Page) ([]render.Download, []*content.Page) {
	if isLesson(p) {
		rel := path.Dir(p.OutPath) + "/" + handoutFile
		f := h.get(rel, p, nil)
		if f.err != nil {
			return nil, nil
		}
		return []render.Download{download("handout", p.URL+handoutFile, f.data)}, []*content.Page{p}
	}
	if lessons := lessonsOf(p); len(lessons) > 0 {
		rel := path.Dir(p.OutPath) + "/" + bookletFile
		f := h.get(rel, p, lessons)
		if f.err != nil {
			return nil, nil
		}
		return []render.Download{download("booklet", p.URL+bookletFile, f.data)}, lessons
	}
	return nil, nil
}

func download(kind, url string, data []byte) render.Download {
	return render.Download{Kind: kind, URL: url, Size: len(data), KB: (len(data) + 1023) / 1024}
}

// get makes a file once per build, or takes it from the session's cache
// when what it is made from is the same.
func (h *handouts) get(rel string, p *content.Page, lessons []*content.Page) *madePDF {
	h.mu.Lock()
	f := h.files[rel]
	if f == nil {
		f = &madePDF{}
		h.files[rel] = f
	}
	h.mu.Unlock()
	f.once.Do(func() {
		from := h.sum(p, lessons)
		if h.kept != nil {
			h.kept.mu.Lock()
			c, ok := h.kept.files[rel]
			h.kept.mu.Unlock()
			if ok && c.from == from {
				f.data, f.missing = c.data, c.missing
				return
			}
		}
		var made *handout.File
		if lessons == nil {
			made, f.err = handout.LessonPDF(h.lesson(p), h.options(p))
		} else {
			t := &handout.Topic{Title: p.Title, Description: p.Description, URL: h.printURL(p.URL)}
			for _, l := range lessons {
				t.Lessons = append(t.Lessons, h.lesson(l))
			}
			made, f.err = handout.BookletPDF(t, h.options(p))
		}
		if f.err != nil {
			f.err = fmt.Errorf("%s: %w", rel, f.err)
			return
		}
		f.data, f.missing = made.PDF, made.Missing
		if h.kept != nil {
			h.kept.mu.Lock()
			h.kept.files[rel] = cachedPDF{from: from, data: f.data, missing: f.missing}
			h.kept.mu.Unlock()
		}
	})
	return f
}

// sum hashes what a file is made from: the pages' front matter, bodies,
// URLs and where their links lead (a linked page may have moved). The
// session's cache is dropped when config or UI strings change, which the
// rest of what a file shows depends on.
func (h *handouts) sum(p *content.Page, lessons []*content.Page) uint64 {
	var x maphash.Hash
	x.SetSeed(handoutSeed)
	for _, q := range append([]*content.Page{p}, lessons...) {
		fmt.Fprintf(&x, "%s\x00%s\x00%d\x00", q.File, q.URL, q.FrontMatterSum())
		x.Write(h.site.Body(q))
		x.WriteByte(0)
		if h.bodies != nil {
			for _, l := range h.bodies.Of(q).Links {
				x.WriteString(l.URL)
				x.WriteByte(0)
			}
		}
	}
	return x.Sum64()
}

// lesson is what a handout shows of a page.
func (h *handouts) lesson(p *content.Page) *handout.Lesson {
	conv := h.converters[p.Lang]
	text := func(s string) handout.Text {
		src := []byte(s)
		return handout.Text{Node: conv.Parse(src, markdown.Doc{}), Source: src}
	}
	texts := func(ss []string) []handout.Text {
		out := make([]handout.Text, len(ss))
		for i, s := range ss {
			out[i] = text(s)
		}
		return out
	}
	body := h.site.Body(p)
	l := &handout.Lesson{
		Title: p.Title, Description: p.Description, URL: h.printURL(p.URL), Audience: p.Audience, Duration: p.Duration,
		Objectives: texts(p.Objectives), KeyFacts: texts(p.KeyFacts), Discussion: texts(p.Discussion), TeacherNotes: texts(p.TeacherNotes),
		LastReviewed: p.LastReviewed,
		Body:         handout.Text{Node: conv.Parse(body, markdown.Doc{File: p.File, Line: p.BodyLine, Resolver: resolver{site: h.site, r: h.r, pics: h.pics}}), Source: body},
	}
	for _, q := range p.Quiz {
		l.Quiz = append(l.Quiz, handout.QA{Question: text(q.Question), Answer: text(q.Answer)})
	}
	for _, s := range p.Sources {
		l.Sources = append(l.Sources, handout.Source{Title: s.Title, URL: s.URL})
	}
	return l
}

// options are a file's language, labels, help numbers and paper.
func (h *handouts) options(p *content.Page) handout.Options {
	cat := h.catalogs[p.Lang]
	label := func(key string) string {
		if cat != nil {
			if s, err := cat.T(key); err == nil {
				return s
			}
		}
		return handout.English[key]
	}
	lang := h.site.Language(p.Lang)
	o := handout.Options{
		Lang: p.Lang, SiteTitle: lang.Title, Label: label, Paper: h.cfg.Handouts.Paper,
		Count: func(key string, n int) string {
			if cat != nil {
				if s, err := cat.T(key, n); err == nil {
					return s
				}
			}
			return fmt.Sprint(n)
		},
		Date:     func(t time.Time) string { return i18n.FormatDate(t, p.Lang) },
		Callout:  func(kind string) string { return label("callout_" + kind) },
		Hotlines: hotlines(h.data[p.Lang], lang.Params),
		Modified: latest(p),
		Link:     h.printURL,
		Image:    h.image,
	}
	return o
}

// hotlines reads a language's help numbers, as the theme shows them:
// data/<lang>/help.* (hotlines), else the language's params in config.
func hotlines(d map[string]any, params map[string]any) []handout.Hotline {
	list, _ := params["hotlines"].([]any)
	if help, ok := d["help"].(map[string]any); ok {
		if l, ok := help["hotlines"].([]any); ok {
			list = l
		}
	}
	var out []handout.Hotline
	for _, item := range list {
		m, _ := item.(map[string]any)
		number, _ := m["number"].(string)
		name, _ := m["name"].(string)
		if number != "" {
			out = append(out, handout.Hotline{Number: number, Name: name})
		}
	}
	return out
}

// printURL is an address as a reader types it: a site path made absolute
// with the base URL when it has a host.
func (h *handouts) printURL(dest string) string {
	if strings.Contains(dest, "://") || strings.HasPrefix(dest, "mailto:") || strings.HasPrefix(dest, "tel:") {
		return dest
	}
	u, err := url.Parse(h.cfg.BaseURL)
	if err != nil || u.Host == "" {
		if strings.HasPrefix(dest, "/") {
			return dest
		}
		return ""
	}
	if !strings.HasPrefix(dest, "/") {
		return ""
	}
	return u.Scheme + "://" + u.Host + dest
}

// image reads an image the body links to from the site's copied files.
func (h *handouts) image(dest string) ([]byte, string, bool) {
	if h.pics != nil {
		if data, kind, ok := h.pics.printFile(dest); ok {
			return data, kind, true
		}
	}
	kind := strings.TrimPrefix(strings.ToLower(path.Ext(dest)), ".")
	if kind == "jpeg" {
		kind = "jpg"
	}
	if kind != "png" && kind != "jpg" || h.copies == nil {
		return nil, "", false
	}
	rel := strings.TrimPrefix(dest, h.r.RelURL("/"))
	src, ok := h.copies()[rel]
	if !ok {
		return nil, "", false
	}
	data, err := fs.ReadFile(h.source, src)
	return data, kind, err == nil
}

// makeHandouts writes every lesson's handout and every topic's booklet,
// making the ones no page asked for on all cores.
func makeHandouts(g *gen) {
	if g.handouts == nil {
		return
	}
	type job struct {
		p       *content.Page
		rel     string
		lessons []*content.Page
		f       *madePDF
	}
	var jobs []*job
	for _, l := range g.langs {
		for _, p := range l.Pages {
			switch {
			case isLesson(p):
				jobs = append(jobs, &job{p: p, rel: path.Dir(p.OutPath) + "/" + handoutFile})
			case len(lessonsOf(p)) > 0:
				jobs = append(jobs, &job{p: p, rel: path.Dir(p.OutPath) + "/" + bookletFile, lessons: lessonsOf(p)})
			}
		}
	}
	parallel(context.Background(), len(jobs), func(i int) {
		j := jobs[i]
		j.f = g.handouts.get(j.rel, j.p, j.lessons)
	})
	for _, j := range jobs {
		if j.f.err != nil {
			g.diags.AddErr(j.p.File, j.f.err)
			continue
		}
		if len(j.f.missing) > 0 && j.lessons == nil {
			g.diags.Add(&diag.Diagnostic{Path: j.p.File, Severity: diag.Warning, Kind: "handout",
				Message: fmt.Sprintf("the handout's font has no %q: these characters print as empty boxes", string(j.f.missing)),
				Hint:    "add them to the font (generator/internal/handout/fonts/README.md), or write them otherwise"})
		}
		g.put(j.rel, j.f.data, false)
	}
}
