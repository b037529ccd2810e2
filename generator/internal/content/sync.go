package content

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// TextHash identifies the text of a page that translators translate:
// title, description, body and the lesson's text fields. A translation
// records the hash of its original when it was last synced
// ([translation] sourceHash); when the original's hash differs, the
// translation is out of date. Weight, dates and other settings do not
// count: changing them needs no new translation.
func (s *Site) TextHash(p *Page) string {
	if s.in(p) && s.hashes != nil && s.hashes[p.idx] != "" {
		return s.hashes[p.idx]
	}
	return textHash(p, s.Body(p))
}

// TextHashOf is TextHash for a page read on its own (ReadPage), with its body.
func TextHashOf(p *Page, body []byte) string { return textHash(p, body) }

func textHash(p *Page, body []byte) string {
	h := sha256.New()
	w := func(s ...string) {
		for _, x := range s {
			h.Write([]byte(strings.TrimSpace(x)))
			h.Write([]byte{0})
		}
	}
	t := rawText{title: p.Title, description: p.Description, objectives: p.Objectives,
		discussion: p.Discussion, audience: p.Audience, quiz: p.Quiz, sources: p.Sources}
	if p.raw != nil {
		t = *p.raw
	}
	w(t.title, t.description, string(body))
	w(t.objectives...)
	w(p.KeyFacts...)
	w(t.discussion...)
	w(p.TeacherNotes...)
	w(t.audience...)
	for _, q := range t.quiz {
		w(q.Question, q.Answer)
	}
	for _, s := range t.sources {
		w(s.Title, s.URL)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Original returns the page this translation was made from, when its
// front matter names the original's language and that page exists.
func (p *Page) Original() *Page {
	if p.Sync.Original == "" || p.Sync.Original == p.Lang {
		return nil
	}
	return p.Translation(p.Sync.Original)
}

// Outdated reports whether p is a translation whose original changed
// since it was last synced.
func (s *Site) Outdated(p *Page) bool {
	o := p.Original()
	return o != nil && p.Sync.SourceHash != "" && p.Sync.SourceHash != s.TextHash(o)
}

// in reports whether p is one of s's pages.
func (s *Site) in(p *Page) bool {
	return p != nil && p.idx < len(s.Pages) && s.Pages[p.idx] == p
}

// Body returns a page's Markdown body, normalised to LF: nil for a page
// without one, a page of another site, or after DropBodies.
func (s *Site) Body(p *Page) []byte {
	if !s.in(p) || p.idx >= len(s.bodies) {
		return nil
	}
	if len(s.edited) > 0 {
		if b, ok := s.edited[p.idx]; ok {
			return b
		}
	}
	return s.bodies[p.idx]
}

// DropBodies lets go of every page's Markdown once it is converted, for a
// build that renders each page once and keeps nothing: the site
// remembers the TextHash of each page that is the original of a
// translation first. The pages themselves do not change.
func (s *Site) DropBodies() {
	s.hashes = make([]string, len(s.Pages))
	for _, p := range s.Pages {
		if o := p.Original(); o != nil && s.in(o) && s.hashes[o.idx] == "" {
			s.hashes[o.idx] = s.TextHash(o)
		}
	}
	clear(s.bodies)
	clear(s.edited)
}
