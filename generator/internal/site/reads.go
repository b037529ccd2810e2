package site

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"math/bits"
	"strings"
	"sync"

	"github.com/qorgau/qorgau/generator/internal/content"
	"github.com/qorgau/qorgau/generator/internal/render"
)

// Dependencies observed, not guessed.
//
// Every render records what it read of other pages and of the site's
// collections (render.Reads, through the template views), and every cached
// partial what it read. After an edit the session compares each page's
// print — one hash per render.Field — with the last build's, and renders
// again exactly the pages that changed themselves, that read a changed
// field of another page or collection, or that show a cached partial that
// did. This holds for any theme, not only the default one.

// pagePrint is one hash per field of a page, or of a language's collections.
type pagePrint [render.NumFields]uint64

// readSets collects the reads of the renders of one build, by page key.
// A nil *readSets records nothing.
type readSets struct {
	mu sync.Mutex
	m  map[string][]render.Read
}

func newReadSets() *readSets { return &readSets{m: map[string][]render.Read{}} }

func (r *readSets) put(key string, rec *render.Reads) {
	if r == nil || rec == nil {
		return
	}
	list := rec.List()
	r.mu.Lock()
	r.m[key] = list
	r.mu.Unlock()
}

// printSeed is fixed for the process: prints are compared within one session.
var printSeed = maphash.MakeSeed()

// hasher builds one field's hash.
type hasher struct{ v uint64 }

func newHasher() *hasher { return &hasher{} }

// mix folds n into the sum, in order: (a, b) and (b, a) differ.
func (x *hasher) mix(n uint64) {
	x.v = bits.RotateLeft64(x.v, 23) ^ n
	x.v *= 0x9e3779b97f4a7c15
}

func (x *hasher) str(ss ...string) *hasher {
	for _, s := range ss {
		x.mix(maphash.String(printSeed, s))
	}
	return x
}

func (x *hasher) num(ns ...int64) *hasher {
	for _, n := range ns {
		x.mix(uint64(n))
	}
	return x
}

func (x *hasher) keys(ps []*content.Page) *hasher {
	for _, p := range ps {
		if p.File != "" {
			x.str(p.File)
		} else {
			x.str("url:", p.URL)
		}
	}
	return x.str("|")
}

func (x *hasher) sum() uint64 {
	s := x.v ^ x.v>>29
	x.v = 0
	return s
}

// keyOf is a page's key, "" for none.
func keyOf(p *content.Page) string {
	if p == nil {
		return ""
	}
	return render.PageKey(p)
}

// contentPrint hashes a page's converted Markdown and table of contents.
func contentPrint(r content.Rendered) uint64 {
	x := newHasher().str(string(r.Content))
	for _, h := range r.TOC {
		x.str(h.ID, h.Text).num(int64(h.Level))
	}
	return x.sum()
}

// printOf hashes every field of a page. body identifies its Markdown;
// content, when not nil, is its Content's hash, known unchanged.
func printOf(p *content.Page, md *content.Rendered, body bodySum, content *uint64) pagePrint {
	var pr pagePrint
	x := newHasher()
	pr[render.FieldTitle] = x.str(p.Title).sum()
	pr[render.FieldURL] = x.str(p.URL, p.OutPath).sum()
	pr[render.FieldDescription] = x.str(p.Description).sum()
	if content != nil {
		pr[render.FieldContent] = *content
	} else {
		pr[render.FieldContent] = contentPrint(*md)
	}
	pr[render.FieldWordCount] = x.num(int64(md.WordCount)).sum()
	pr[render.FieldDates] = x.num(p.Date.UnixNano(), p.Lastmod.UnixNano(), p.LastReviewed.UnixNano()).sum()
	pr[render.FieldWeight] = x.num(int64(p.Weight)).sum()
	if len(p.Params) > 0 {
		x.str(fmt.Sprint(p.Params)) // fmt prints maps sorted by key
	}
	pr[render.FieldParams] = x.sum()
	pr[render.FieldKind] = x.str(string(p.Kind)).sum()
	pr[render.FieldSection] = x.str(keyOf(p.Section)).sum()
	pr[render.FieldNeighbours] = x.str(keyOf(p.Prev), keyOf(p.Next)).sum()
	pr[render.FieldTranslations] = x.keys(p.Translations).str(p.Missing...).sum()
	pr[render.FieldChildren] = x.keys(p.Pages).keys(p.Sections).sum()
	fm := int64(p.FrontMatterSum())
	pr[render.FieldMeta] = x.num(fm, boolInt(p.Draft), boolInt(p.NeedsReview)).str(p.Sync.Original, p.Sync.SourceHash).sum()
	pr[render.FieldText] = x.str(p.Title, p.Description).num(int64(body.n), int64(body.a), int64(body.b), fm).sum()
	pr[render.FieldIdentity] = x.str(p.Lang, p.File, p.Dir, p.Key).str(p.Resources...).sum()
	return pr
}

func boolInt(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// printsOf hashes every page of a build, and each language's collections
// (under render.LangKey, in FieldRegular and FieldAll). A page whose
// converted Markdown came from the cache keeps its Content hash.
func (s *Session) printsOf(b *run) map[string]pagePrint {
	site, extra := b.site, b.extra
	out := make(map[string]pagePrint, len(site.Pages)+len(extra)+len(site.Languages))
	prints := make([]pagePrint, len(site.Pages))
	parallel(context.Background(), len(site.Pages), func(i int) {
		p := site.Pages[i]
		var content *uint64
		body := bodySum{}
		if c, ok := s.md[p.File]; ok && b.reusedMD != nil && b.reusedMD[i] {
			// The cache entry knows its own HTML's hash: the last good
			// build's print may be older than the entry (failed builds
			// in between fill the cache too).
			body = c.body
			if c.contentPrint != 0 {
				content = &c.contentPrint
			}
		} else if md := site.Body(p); md != nil {
			body = sumBody(md)
		}
		prints[i] = printOf(p, b.bodies.Of(p), body, content)
	})
	for i, p := range site.Pages {
		out[render.PageKey(p)] = prints[i]
	}
	for _, p := range extra {
		out[render.PageKey(p)] = printOf(p, b.bodies.Of(p), bodySum{}, nil)
	}
	x := newHasher()
	for _, l := range site.Languages {
		var pr pagePrint
		pr[render.FieldRegular] = x.keys(l.RegularPages()).sum()
		pr[render.FieldAll] = x.keys(l.Pages).sum()
		out[render.LangKey(l.Code)] = pr
		// A language's data files, as one value: JSON writes maps sorted.
		var dp pagePrint
		if b.data != nil {
			j, _ := json.Marshal(b.data[l.Code])
			dp[render.FieldAll] = maphash.Bytes(printSeed, j)
		}
		out[render.DataKey(l.Code)] = dp
	}
	return out
}

// changes lists every field that differs between two sets of prints; a
// page or collection that is only in one of them has changed entirely.
func changes(old, cur map[string]pagePrint) map[render.Read]bool {
	out := map[render.Read]bool{}
	all := func(key string) {
		for f := render.Field(0); f < render.NumFields; f++ {
			out[render.Read{Page: key, Field: f}] = true
		}
	}
	for key, pr := range cur {
		o, ok := old[key]
		if !ok {
			all(key)
			continue
		}
		for f := range pr {
			if pr[f] != o[f] {
				out[render.Read{Page: key, Field: render.Field(f)}] = true
			}
		}
	}
	for key := range old {
		if _, ok := cur[key]; !ok {
			all(key)
		}
	}
	return out
}

// changeSet is what changed, and the keys it concerns, for quick tests.
type changeSet struct {
	reads map[render.Read]bool
	keys  map[string]bool
	few   []string // the keys, when there are few
}

func newChangeSet(reads map[render.Read]bool) *changeSet {
	c := &changeSet{reads: reads, keys: map[string]bool{}}
	for rd := range reads {
		c.keys[rd.Page] = true
	}
	if len(c.keys) <= 4 {
		for k := range c.keys {
			c.few = append(c.few, k)
		}
	}
	return c
}

// add records one more changed read.
func (c *changeSet) add(rd render.Read) {
	c.reads[rd] = true
	if !c.keys[rd.Page] {
		c.keys[rd.Page] = true
		if c.few != nil || len(c.keys) == 1 {
			c.few = append(c.few, rd.Page)
		}
		if len(c.few) > 4 {
			c.few = nil
		}
	}
}

// hits reports whether one of reads changed. With few changed keys it
// compares strings before it looks anything up.
func (c *changeSet) hits(reads []render.Read) bool {
	if c.few != nil {
		for _, rd := range reads {
			for _, k := range c.few {
				if rd.Page == k && c.reads[rd] {
					return true
				}
			}
		}
		return false
	}
	for _, rd := range reads {
		if c.reads[rd] {
			return true
		}
	}
	return false
}

// fields reports whether any page or collection changed in one of fields,
// or a collection changed.
func (c *changeSet) fields(fields ...render.Field) bool {
	for rd := range c.reads {
		if rd.Field == render.FieldRegular || rd.Field == render.FieldAll {
			return true
		}
		for _, f := range fields {
			if rd.Field == f {
				return true
			}
		}
	}
	return false
}

// staleFragments adds to changed the cached partials whose reads changed,
// and returns their keys.
func staleFragments(frags map[string][]render.Read, changed *changeSet) []string {
	var out []string
	for key, reads := range frags {
		if changed.hits(reads) {
			out = append(out, key)
		}
	}
	for _, key := range out {
		changed.add(render.Read{Page: key})
	}
	return out
}

// observed splits a build's pages into those to render again and those
// whose last output still holds: a page renders again when it changed
// itself, is new, or read something that changed — a field of another page,
// a collection, or a cached partial whose own reads changed.
func (s *Session) observed(pages []*content.Page, cur map[string]pagePrint, changed *changeSet) (again, keep []*content.Page) {
	staleFragments(s.fragReads, changed)
	for _, p := range pages {
		key := render.PageKey(p)
		old, seen := s.prints[key]
		if !seen || old != cur[key] || changed.hits(s.reads[key]) {
			again = append(again, p)
		} else {
			keep = append(keep, p)
		}
	}
	return again, keep
}

// keepReads stores what a good build read, for the next update: the new
// renders' reads, and the last ones of the pages it kept.
func (s *Session) keepReads(b *run) {
	reads := s.reads
	if reads == nil || b.change&ChangeStructure != 0 {
		// Pages may have gone: keep only the current ones' reads.
		reads = make(map[string][]render.Read, len(b.site.Pages)+len(b.extra))
		for _, p := range append(append([]*content.Page(nil), b.site.Pages...), b.extra...) {
			if r, ok := s.reads[render.PageKey(p)]; ok {
				reads[render.PageKey(p)] = r
			}
		}
	}
	for key, r := range b.reads.m {
		reads[key] = r
	}
	frags := b.r.NewFragmentReads()
	for key, r := range s.fragReads {
		if _, ok := frags[key]; !ok {
			frags[key] = r // shown by kept pages; not rendered in this build
		}
	}
	s.reads, s.prints, s.fragReads, s.extra = reads, b.prints, frags, b.extra
}

// languages returns the languages whose pages or collections changed, or
// nil when a change cannot be put in one language (a cached partial's
// reads are put where they were read).
func (c *changeSet) languages() map[string]bool {
	out := map[string]bool{}
	for key := range c.keys {
		switch {
		case strings.HasPrefix(key, "frag:"):
			continue
		case strings.HasPrefix(key, "lang:"):
			out[strings.TrimPrefix(key, "lang:")] = true
		case strings.HasPrefix(key, "url:/"):
			lang, _, _ := strings.Cut(strings.TrimPrefix(key, "url:/"), "/")
			if lang == "" || strings.Contains(lang, ".") {
				return nil // the root
			}
			out[lang] = true
		case strings.HasPrefix(key, content.Dir+"/"):
			lang, _, _ := strings.Cut(strings.TrimPrefix(key, content.Dir+"/"), "/")
			out[lang] = true
		default:
			return nil
		}
	}
	return out
}
