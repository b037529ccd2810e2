package site

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/diag"
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
		switch paths.Classify(p, s.cfg.Theme) {
		case paths.ConfigFile, paths.Template, paths.UIStrings:
			reload = true
		case paths.ContentFile:
			changed[p] = true
		case paths.StaticFile:
			other = true
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

// bodyEdit is a page whose body changed, and the file as read now.
type bodyEdit struct{ page, parsed *content.Page }

// bodyEdits reads the changed files; ok is false when one is not an
// existing page with the same front matter as before.
func (s *Session) bodyEdits(changed map[string]bool) (edits []bodyEdit, ok bool) {
	for file := range changed {
		p := s.site.PageByFile(file)
		if p == nil || !strings.HasSuffix(file, ".md") {
			return nil, false
		}
		q, err := content.ReadPage(s.opts.Source, file)
		if err != nil || !p.SameMeta(q) {
			return nil, false // removed, broken or new front matter: the general path reports it
		}
		edits = append(edits, bodyEdit{p, q})
	}
	return edits, true
}

// bodyOnly handles edits that change only the Markdown bodies of existing
// pages: each page is converted and rendered again, nothing else. It
// reports ok=false when the edits need the general path.
func (s *Session) bodyOnly(ctx context.Context, changed map[string]bool) (res *Result, err error, ok bool) {
	start := time.Now()
	edits, ok := s.bodyEdits(changed)
	if !ok {
		return nil, nil, false
	}
	res = &Result{Config: s.cfg, Site: s.site, Pages: map[string]int{}}
	diags := &diag.List{}
	type saved struct {
		body    []byte
		line    int
		content mdResult
	}
	old := make([]saved, len(edits))
	fresh := map[string]mdResult{}
	for i, e := range edits {
		p := e.page
		old[i] = saved{p.Body, p.BodyLine, mdResult{html: string(p.Content), toc: p.TOC, words: p.WordCount, links: p.Links, images: p.Images}}
		out := s.converters[p.Lang].Convert(e.parsed.Body, markdown.Doc{File: p.File, Line: e.parsed.BodyLine, Resolver: resolver{site: s.site, r: s.r}})
		for _, d := range out.Problems {
			diags.Add(d)
		}
		c := mdOf(out, e.parsed.BodyLine)
		c.body = sumBody(e.parsed.Body)
		c.contentPrint = contentPrint(c.html, c.toc)
		p.Body, p.BodyLine = e.parsed.Body, e.parsed.BodyLine
		applyMD(p, c)
		fresh[p.File] = c
	}
	k := newSink(nil, s.cfg, true)
	pages, prints, stale := s.bodyReaders(edits)
	reads := newReadSets()
	if !diags.HasErrors() {
		res.Rendered = renderAll(ctx, s.cfg.DefaultLanguage, pages, s.r, k, res, nil, diags, reads)
	}
	res.Diagnostics = diags.Items()
	res.Duration = time.Since(start)
	if err := diags.Err(); err != nil {
		for i, e := range edits {
			e.page.Body, e.page.BodyLine = old[i].body, old[i].line
			applyMD(e.page, old[i].content)
		}
		return res, err, true
	}
	removed := s.bodyOutputs(pages, k, diags)
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

// bodyReaders says what a body edit renders again: the edited pages, and
// every page that read something of them that changed (their content, word
// count or text, a cached partial that showed one of these). It forgets
// the cached partials that read a change, and returns the edited pages'
// new prints and the forgotten partials.
func (s *Session) bodyReaders(edits []bodyEdit) (pages []*content.Page, prints map[string]pagePrint, stale []string) {
	changed := newChangeSet(map[render.Read]bool{})
	prints = map[string]pagePrint{}
	for _, e := range edits {
		key := render.PageKey(e.page)
		pr, old := printOf(e.page, sumBody(e.page.Body), nil), s.prints[key]
		prints[key] = pr
		for f := range pr {
			if pr[f] != old[f] {
				changed.add(render.Read{Page: key, Field: render.Field(f)})
			}
		}
	}
	stale = staleFragments(s.fragReads, changed)
	s.r.ForgetFragments(stale)
	all := append(append([]*content.Page(nil), s.site.Pages...), s.extra...)
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
func (s *Session) bodyOutputs(pages []*content.Page, k *sink, diags *diag.List) (removed []string) {
	for _, o := range Outputs {
		if o.Make == nil || o.StaleOn&ChangeBody == 0 || !o.in(s.cfg) {
			continue
		}
		if !o.Lazy {
			g := &gen{site: s.site, cfg: s.cfg, r: s.r, index: s.index, langs: s.site.Languages, k: k, diags: diags, out: o}
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
