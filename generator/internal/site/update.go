package site

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
	"github.com/qorgau/qorgau/generator/internal/images"
	"github.com/qorgau/qorgau/generator/internal/markdown"
	"github.com/qorgau/qorgau/generator/internal/paths"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// Update brings the output up to date after paths (slash-separated,
// relative to the site root) changed. Paths of an update that failed are
// tried again with the next one, so the output always matches a fresh
// build of the sources once they are fixed. On error the last good output
// stays as it was.
func (s *Session) Update(ctx context.Context, paths []string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range paths {
		s.pending[p] = true
		s.parsed.Forget(p)
	}
	all := make([]string, 0, len(s.pending))
	for p := range s.pending {
		all = append(all, p)
	}
	sort.Strings(all)
	res, err := s.update(ctx, all)
	if err == nil {
		clear(s.pending)
	}
	return res, err
}

// Everything is a changed path that means "anything may have changed",
// e.g. after the watcher lost events: everything is read again.
const Everything = "*"

// update chooses the cheapest correct way to rebuild.
func (s *Session) update(ctx context.Context, changedPaths []string) (*Result, error) {
	if s.site == nil || s.broken || slices.Contains(changedPaths, Everything) {
		s.parsed.Clear()
		return s.build(ctx, true, nil)
	}
	reload, other := false, false
	changed := map[string]bool{}
	for _, p := range changedPaths {
		kind := paths.Classify(p, s.cfg.Theme)
		if strings.HasPrefix(p, s.cfg.DataDir+"/") {
			kind = paths.DataFile // a dataDir inside content/
		}
		switch kind {
		case paths.ConfigFile, paths.Template, paths.UIStrings:
			reload = true
		case paths.ContentFile:
			changed[p] = true
		case paths.StaticFile, paths.DataFile:
			other = true // a data file: the pages that read it render again (prints)
		}
		if images.IsImage(p) && s.images != nil {
			// Pages show an image's width and height: when a page of the
			// last build showed it, every page renders again, with what it
			// holds now. An image no page shows is only copied again.
			s.images.forget(p)
			if s.pics.shows(p) {
				reload = true
			}
		}
	}
	switch {
	case reload:
		s.parsed.Clear() // the typography of cached pages follows config
		return s.build(ctx, true, nil)
	case len(changed) == 0 && !other:
		return &Result{Config: s.cfg, Site: s.site, Pages: map[string]int{}}, nil
	case !other:
		if res, err, ok := s.bodyOnly(ctx, changed); ok {
			return res, err
		}
	}
	return s.build(ctx, false, changed)
}

// bodyEdit is a page whose body changed, and its body as read now.
type bodyEdit struct {
	page *content.Page
	body []byte
}

// bodyEdits reads the changed files; ok is false when one is not an
// existing page with the same front matter as before.
func (s *Session) bodyEdits(changed map[string]bool) (edits []bodyEdit, ok bool) {
	for file := range changed {
		p := s.site.PageByFile(file)
		if p == nil || !strings.HasSuffix(file, ".md") {
			return nil, false
		}
		q, body, err := content.ReadPage(s.opts.Source, file)
		if err != nil || !p.SameMeta(q) {
			return nil, false // removed, broken or new front matter: the general path reports it
		}
		edits = append(edits, bodyEdit{p, body})
	}
	return edits, true
}

// bodyOnly handles edits that change only the Markdown bodies of existing
// pages: each page is converted and rendered again, with the pages that
// read something of it that changed, nothing else. The edit makes a copy
// of the site with the new bodies (content.Site.WithBodies); the last
// build's pages never change. It reports ok=false when the edits need the
// general path.
func (s *Session) bodyOnly(ctx context.Context, changed map[string]bool) (res *Result, err error, ok bool) {
	start := time.Now()
	edits, ok := s.bodyEdits(changed)
	if !ok {
		return nil, nil, false
	}
	bodies := map[string]content.BodyEdit{}
	for _, e := range edits {
		bodies[e.page.File] = content.BodyEdit{Body: e.body}
	}
	u := &bodyUpdate{site: s.site.WithBodies(bodies)}
	u.bodies = s.bodies.For(u.site)
	u.r = s.r.WithBodies(u.site, u.bodies)
	u.pics = newPictures(s.images, s.opts.Source, u.site, s.cfg, u.r.RelURL("/"))
	u.r = u.r.WithImages(u.pics)
	if s.cfg.Handouts.Enabled {
		copies := s.copies
		u.handouts = s.newHandouts(u.site, u.bodies, s.cfg, s.catalogs, s.converters, u.r, func() map[string]string { return copies })
		u.handouts.pics = u.pics
		u.handouts.data = s.data
		u.r = u.r.WithDownloads(u.handouts)
		u.handouts.r = u.r
	}
	res = &Result{Config: s.cfg, Site: u.site, Bodies: u.bodies, Pages: map[string]int{}}
	diags := &diag.List{}
	fresh := map[string]mdResult{}
	var edited []*content.Page
	for _, e := range edits {
		p := e.page
		out := s.converters[p.Lang].Convert(e.body, markdown.Doc{File: p.File, Line: p.BodyLine, Resolver: resolver{site: u.site, r: u.r, pics: u.pics}})
		for _, d := range out.Problems {
			diags.Add(d)
		}
		c := mdOf(out, p.BodyLine)
		c.body = sumBody(e.body)
		c.contentPrint = contentPrint(c.out)
		u.bodies.Set(p, c.out)
		fresh[p.File] = c
		edited = append(edited, p)
	}
	k := newSink(nil, s.cfg, true, 0)
	pages, prints, stale := s.bodyReaders(u, edited)
	u.pics.inherit(s.pics, notIn(append(append([]*content.Page(nil), u.site.Pages...), s.extra...), pages))
	reads := newReadSets()
	if !diags.HasErrors() {
		res.Rendered = renderAll(ctx, s.cfg.DefaultLanguage, pages, u.r, k, res, nil, diags, reads)
	}
	res.Diagnostics = diags.Items()
	res.Duration = time.Since(start)
	if err := diags.Err(); err != nil {
		forgetFresh(u.r)
		return res, err, true // the last good build stays as it was
	}
	removed := s.bodyOutputs(u, pages, k, diags)
	for p, b := range k.files {
		if ob, ok := s.files.Get(p); !ok || !ob.Equal(b) {
			res.Changed = append(res.Changed, p)
		}
	}
	res.Changed = append(res.Changed, removed...)
	sort.Strings(res.Changed)
	res.Diagnostics = diags.Items()
	res.Files = len(k.files)
	s.files = s.files.With(k.files, removed)
	s.site, s.bodies, s.r = u.site, u.bodies, u.r
	s.pics, s.laterImages = u.pics, u.later
	for f, c := range fresh {
		s.md[f] = c
	}
	for key, pr := range prints {
		s.prints[key] = pr
	}
	for key, r := range reads.m {
		s.reads[key] = r
	}
	for _, key := range stale {
		delete(s.fragReads, key)
	}
	for key, r := range s.r.NewFragmentReads() {
		s.fragReads[key] = r
	}
	return res, nil, true
}

// notIn is the pages of all that are not in some.
func notIn(all, some []*content.Page) []*content.Page {
	in := make(map[*content.Page]bool, len(some))
	for _, p := range some {
		in[p] = true
	}
	var out []*content.Page
	for _, p := range all {
		if !in[p] {
			out = append(out, p)
		}
	}
	return out
}

// bodyUpdate is the site a body edit makes: a copy of the last build's
// with the new bodies, its converted Markdown and a renderer for it.
type bodyUpdate struct {
	site     *content.Site
	bodies   *content.Bodies
	r        *render.Renderer
	handouts *handouts // nil when they are off
	pics     *pictures
	later    map[string]string // images not made yet
}

// bodyReaders says what a body edit renders again: the edited pages, and
// every page that read something of them that changed (their content, word
// count or text, a cached partial that showed one of these). It forgets
// the cached partials that read a change, and returns the edited pages'
// new prints and the forgotten partials.
func (s *Session) bodyReaders(u *bodyUpdate, edited []*content.Page) (pages []*content.Page, prints map[string]pagePrint, stale []string) {
	changed := newChangeSet(map[render.Read]bool{})
	prints = map[string]pagePrint{}
	for _, p := range edited {
		key := render.PageKey(p)
		pr, old := printOf(p, u.bodies.Of(p), sumBody(u.site.Body(p)), nil), s.prints[key]
		prints[key] = pr
		for f := range pr {
			if pr[f] != old[f] {
				changed.add(render.Read{Page: key, Field: render.Field(f)})
			}
		}
	}
	stale = staleFragments(s.fragReads, changed)
	u.r.ForgetFragments(stale)
	all := append(append([]*content.Page(nil), u.site.Pages...), s.extra...)
	for _, p := range all {
		key := render.PageKey(p)
		if _, edited := prints[key]; edited || changed.hits(s.reads[key]) {
			pages = append(pages, p)
		}
	}
	return pages, prints, stale
}

// bodyOutputs makes again the generated outputs that a body edit makes
// stale, into k: a lazy one's files of the edited pages' languages are
// dropped and made when next asked for (Files, or a reader's search in the
// preview). It returns the dropped paths.
func (s *Session) bodyOutputs(u *bodyUpdate, pages []*content.Page, k *sink, diags *diag.List) (removed []string) {
	for _, o := range Outputs {
		if o.Make == nil || o.StaleOn&ChangeBody == 0 || !o.in(s.cfg) {
			continue
		}
		if !o.Lazy {
			if u.later == nil {
				u.later = map[string]string{}
			}
			g := &gen{site: u.site, bodies: u.bodies, cfg: s.cfg, r: u.r, index: s.index, langs: u.site.Languages, k: k, diags: diags, out: o, handouts: u.handouts, pics: u.pics, later: u.later}
			o.Make(g)
			s.made[o.Name] = g.made
			continue
		}
		for _, p := range pages {
			rel := o.File(p.Lang)
			if _, ok := s.files.Get(rel); ok && !slices.Contains(removed, rel) {
				removed = append(removed, rel)
			}
			s.stale[p.Lang] = true
		}
	}
	return removed
}
